import type { DiagnosticBag } from '../diagnostics/diagnostic.js';
import type { Span } from '../source.js';
import type { Arg, BlockDecl, Body, Expr, NetworkDecl, Statement } from '../syntax/ast.js';
import type { Module } from './modules.js';

type Definition = BlockDecl | NetworkDecl;

/**
 * Finds blocks and networks that use themselves, directly or through others (including in
 * branches an `if` would not take), reports each cycle once, and returns its members so the
 * expander never enters them: recursion is an error, not a stack overflow.
 */
export function findRecursion(
  modules: Iterable<Module>,
  diagnostics: DiagnosticBag,
): Set<Definition> {
  const edges = new Map<Definition, { target: Definition; span: Span }[]>();
  for (const module of modules) {
    for (const symbol of module.own.values()) {
      if (symbol.kind === 'const') continue;
      const out: { target: Definition; span: Span }[] = [];
      for (const ref of referencedNames(symbol.decl)) {
        const target = module.scope.get(ref.name);
        if (target && target.kind !== 'const') out.push({ target: target.decl, span: ref.span });
      }
      edges.set(symbol.decl, out);
    }
  }
  const recursive = new Set<Definition>();
  const state = new Map<Definition, 'active' | 'done'>();
  const stack: { decl: Definition; via: Span | undefined }[] = [];

  // Iterative DFS so that a long chain of definitions cannot overflow the stack.
  for (const start of edges.keys()) {
    if (state.has(start)) continue;
    const work: { decl: Definition; via: Span | undefined; next: number }[] = [
      { decl: start, via: undefined, next: 0 },
    ];
    state.set(start, 'active');
    stack.push({ decl: start, via: undefined });
    while (work.length) {
      const frame = work[work.length - 1]!;
      const out = edges.get(frame.decl) ?? [];
      if (frame.next >= out.length) {
        state.set(frame.decl, 'done');
        work.pop();
        stack.pop();
        continue;
      }
      const edge = out[frame.next++]!;
      const seen = state.get(edge.target);
      if (seen === 'active') {
        const from = stack.findIndex((s) => s.decl === edge.target);
        const cycle = stack.slice(from).map((s) => s.decl);
        if (!cycle.some((d) => recursive.has(d))) reportCycle(cycle, edge.span, diagnostics);
        for (const d of cycle) recursive.add(d);
      } else if (seen === undefined) {
        state.set(edge.target, 'active');
        stack.push({ decl: edge.target, via: edge.span });
        work.push({ decl: edge.target, via: edge.span, next: 0 });
      }
    }
  }
  return recursive;
}

function reportCycle(cycle: Definition[], closingSpan: Span, diagnostics: DiagnosticBag): void {
  const names = [...cycle.map((d) => d.name.name), cycle[0]!.name.name]
    .map((n) => `\`${n}\``)
    .join(' uses ');
  const first = cycle[0]!;
  diagnostics.error(
    'NETC2012',
    closingSpan,
    cycle.length === 1 ? `\`${first.name.name}\` uses itself` : `recursive definitions: ${names}`,
    {
      labels: [{ span: first.name.span, message: 'defined here' }],
      help: 'blocks are expanded at compile time and cannot be recursive; use `repeat(n) { ... }` for repetition',
    },
  );
}

function referencedNames(decl: Definition): { name: string; span: Span }[] {
  const refs: { name: string; span: Span }[] = [];
  const visitExpr = (expr: Expr): void => {
    switch (expr.kind) {
      case 'Name':
        refs.push({ name: expr.name, span: expr.span });
        return;
      case 'Call':
        refs.push({ name: expr.callee.name, span: expr.callee.span });
        expr.args.forEach(visitArg);
        if (expr.body) visitBody(expr.body);
        return;
      case 'List':
      case 'Tuple':
        expr.items.forEach(visitExpr);
        return;
      case 'Group':
        visitExpr(expr.expr);
        return;
      case 'Unary':
        visitExpr(expr.operand);
        return;
      case 'Binary':
        visitExpr(expr.left);
        visitExpr(expr.right);
        return;
      case 'If':
        visitExpr(expr.condition);
        visitExpr(expr.then);
        visitExpr(expr.else);
        return;
      case 'Chain':
        expr.steps.forEach(visitExpr);
        return;
      case 'NamedLayer':
        visitExpr(expr.layer);
        return;
      case 'Ascribed':
        visitExpr(expr.expr);
        return;
      default:
        return;
    }
  };
  const visitArg = (arg: Arg): void => visitExpr(arg.value);
  const visitStatement = (s: Statement): void => {
    if (s.kind === 'Return') s.values.forEach(visitExpr);
    else visitExpr(s.expr);
  };
  const visitBody = (body: Body): void => body.statements.forEach(visitStatement);
  if (decl.kind === 'Block') {
    for (const p of decl.params) if (p.default) visitExpr(p.default);
  }
  visitBody(decl.body);
  return refs;
}
