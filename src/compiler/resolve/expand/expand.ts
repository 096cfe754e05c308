import { suggestionHelp } from '../../diagnostics/didYouMean.js';
import type { ValueId } from '../../ir/ir.js';
import type { OpKind } from '../../ir/ops.js';
import { opTable } from '../../shapes/opTable.js';
import { formatShape } from '../../shapes/format.js';
import type { Span } from '../../source.js';
import type {
  Body,
  CallExpr,
  Expr,
  Identifier,
  ListExpr,
  StepStatement,
} from '../../syntax/ast.js';
import { evalConst, type ConstScope } from '../evalConst.js';
import { mayBeFromFailedImport, type Symbol } from '../modules.js';
import { applyOp, isOpKind } from './applyOp.js';
import { applyCombinator, combinatorNames, isCombinator } from './combinators.js';
import { POISON, report, type Ctx, type Flow } from './context.js';
import { childEnv, entryNames, lookupEntry, type EnvEntry, type SharedInstance } from './env.js';
import { instantiateBlock, inlineNetwork } from './instances.js';
import { isValueName, warnDiscarded } from './discarded.js';
import { withShared } from './naming.js';
import { evalShape } from './shapes.js';

/** An explicit layer name from `c1: conv2d(...)` or a `let` binding. */
export interface ExplicitName {
  readonly name: string;
  readonly span: Span;
  /** The `let` instance that owns the name, so its repeated uses are not duplicates. */
  readonly owner?: SharedInstance;
}

export interface BodyResult {
  readonly value: Flow;
  /** Values of a `return`, in order, with the names they were written as. */
  readonly returned?: readonly {
    readonly name: string | undefined;
    readonly value: Flow;
    readonly span: Span;
  }[];
}

/** Runs a body's statements in order, threading the current value (LANGUAGE §3). */
export function evalBody(body: Body, input: Flow, ctx: Ctx, allowReturn: boolean): BodyResult {
  let current = input;
  let returned: BodyResult['returned'];
  // A step that does not start from a named value continues from the previous binding: a use.
  let lastBound: Extract<EnvEntry, { kind: 'value' }> | undefined;
  // The step whose unnamed result is the current value, if any: lost if the next starts over.
  let lastStep: StepStatement | undefined;
  for (const statement of body.statements) {
    const flow = statement.kind === 'Step' || statement.kind === 'Bind' ? statement : undefined;
    const startsOver = flow !== undefined && startsFromValue(flow.expr, ctx);
    if (flow && lastBound && !startsOver) lastBound.used = true;
    if (statement.kind === 'Step') lastBound = undefined;
    if (flow && startsOver && lastStep && current !== POISON && !returned) {
      warnDiscarded(lastStep, flow, ctx);
    }
    lastStep =
      statement.kind === 'Step' && !isValueName(statement.expr, ctx) ? statement : undefined;
    if (returned) {
      report(ctx, 'NETC2022', statement.span, 'statements after `return` are never used', {
        help: 'move `return` to the end of the body',
      });
      break;
    }
    switch (statement.kind) {
      case 'Step':
        current = evalChain(statement.expr, current, ctx);
        break;
      case 'Bind': {
        const value = evalChain(statement.expr, current, ctx);
        if (declareName(ctx, statement.name)) {
          lastBound = {
            kind: 'value',
            id: value ?? POISON,
            span: statement.name.span,
            used: false,
          };
          ctx.env.entries.set(statement.name.name, lastBound);
        }
        current = value;
        break;
      }
      case 'Let': {
        if (!declareName(ctx, statement.name)) break;
        const instance: SharedInstance = {
          name: statement.name.name,
          expr: statement.expr,
          env: ctx.env,
          span: statement.name.span,
          params: new Map(),
        };
        if (!looksLikeLayer(statement.expr, ctx)) {
          report(ctx, 'NETC2023', statement.expr, '`let` needs a layer or block instance', {
            help: 'e.g. `let enc = Encoder(64)`; use `const` for numbers and `name = ...` for values',
          });
          break;
        }
        ctx.env.entries.set(statement.name.name, { kind: 'instance', instance });
        break;
      }
      case 'Return': {
        if (!allowReturn) {
          report(
            ctx,
            'NETC2022',
            statement.span,
            '`return` is only allowed at the end of a block or network body',
          );
          break;
        }
        returned = statement.values.map((expr) => ({
          name: expr.kind === 'Name' ? expr.name : undefined,
          value: valueOf(expr, current, ctx),
          span: expr.span,
        }));
        break;
      }
    }
  }
  return returned ? { value: current, returned } : { value: current };
}

function startsFromValue(expr: Expr, ctx: Ctx): boolean {
  return isValueName(expr.kind === 'Chain' ? expr.steps[0]! : expr, ctx);
}

/** Checks that a new binding does not hide another name in scope. */
function declareName(ctx: Ctx, name: Identifier): boolean {
  const existing = lookupEntry(ctx.env, name.name);
  const symbol = ctx.env.module.scope.get(name.name);
  if (existing || symbol || isOpKind(name.name) || isCombinator(name.name)) {
    const what = existing
      ? existing.kind === 'value'
        ? 'a value'
        : 'a name'
      : symbol
        ? `a ${symbol.kind}`
        : 'a built-in layer';
    const labels =
      existing?.kind === 'value' ? [{ span: existing.span, message: 'first defined here' }] : [];
    report(ctx, 'NETC2016', name, `\`${name.name}\` is already ${what} in this scope`, {
      help: 'choose another name',
      labels,
    });
    return false;
  }
  return true;
}

/** A chain or single step; a chain starts at a value or at a layer applied to `current`. */
export function evalChain(expr: Expr, current: Flow, ctx: Ctx): Flow {
  if (expr.kind === 'Chain') {
    let value = startChain(expr.steps[0]!, current, ctx);
    for (const step of expr.steps.slice(1)) {
      if (value === POISON) return POISON;
      value = applyLayer(step, value, ctx);
    }
    return value;
  }
  return startChain(expr, current, ctx);
}

function startChain(expr: Expr, current: Flow, ctx: Ctx): Flow {
  const start = valueReference(expr, ctx);
  if (start !== undefined) return start;
  if (expr.kind === 'Ascribed') {
    const inner = valueReference(expr.expr, ctx);
    if (inner !== undefined) return checkAscription(inner, expr.shape, ctx);
  }
  return applyLayer(expr, current, ctx);
}

/** The value a bare name refers to, or undefined when the name is not a value. */
function valueReference(expr: Expr, ctx: Ctx): ValueId | undefined {
  if (expr.kind !== 'Name') return undefined;
  const entry = lookupEntry(ctx.env, expr.name);
  if (entry?.kind !== 'value') return undefined;
  entry.used = true;
  return entry.id;
}

/** A value argument such as `a` in `add(a, b)`: it must start at a named value. */
export function valueOf(expr: Expr, current: Flow, ctx: Ctx): Flow {
  const first =
    expr.kind === 'Chain' ? expr.steps[0]! : expr.kind === 'Ascribed' ? expr.expr : expr;
  if (valueReference(first, ctx) === undefined) {
    if (first.kind === 'ErrorExpr') return POISON;
    const name = first.kind === 'Name' ? first.name : undefined;
    const unknown =
      name !== undefined &&
      !lookupEntry(ctx.env, name) &&
      !ctx.env.module.scope.has(name) &&
      !isOpKind(name);
    if (unknown && mayBeFromFailedImport(ctx.env.module, name)) return POISON;
    const help = name ? suggestionHelp(name, valueNames(ctx)) : undefined;
    return report(
      ctx,
      unknown ? 'NETC2001' : 'NETC2015',
      first,
      name ? `\`${name}\` is not a value` : 'expected a value',
      {
        help: help ?? 'values are the network inputs and names bound with `name = ...`',
      },
    );
  }
  return evalChain(expr, current, ctx);
}

/** The fix for a layer with no input (NETC2020): start its chain from a value in scope. */
export function startFromValueHelp(layer: string, ctx: Ctx): string {
  const [value] = valueNames(ctx);
  return value === undefined
    ? 'start the chain from a value: a network input or a name bound with `name = ...`'
    : `start the chain from a value, e.g. \`${value} -> ${layer}\``;
}

function valueNames(ctx: Ctx): string[] {
  return entryNames(ctx.env).filter((n) => lookupEntry(ctx.env, n)?.kind === 'value');
}

/** Applies one layer expression to `input`. */
export function applyLayer(expr: Expr, input: Flow, ctx: Ctx, explicit?: ExplicitName): Flow {
  if (input === POISON) return POISON;
  switch (expr.kind) {
    case 'Name':
      return applyNamed(expr.name, expr.span, undefined, input, ctx, explicit);
    case 'Call':
      return applyNamed(expr.callee.name, expr.callee.span, expr, input, ctx, explicit);
    case 'Group':
      return explicit
        ? applyLayer(expr.expr, input, ctx, explicit)
        : evalChain(expr.expr, input, ctx);
    case 'Chain':
      if (explicit) {
        return report(ctx, 'NETC2023', expr, 'a name can only be given to one layer, not a chain', {
          help: `put the chain in a block and name its instance, or name each layer`,
        });
      }
      return evalChain(expr, input, ctx);
    case 'NamedLayer':
      if (explicit)
        return report(
          ctx,
          'NETC2013',
          expr.name,
          `this layer is already named \`${explicit.name}\``,
        );
      return applyLayer(expr.layer, input, ctx, { name: expr.name.name, span: expr.name.span });
    case 'Ascribed':
      return checkAscription(applyLayer(expr.expr, input, ctx, explicit), expr.shape, ctx);
    case 'If': {
      const condition = evalConst(expr.condition, constScope(ctx), ctx.diagnostics);
      if (condition === undefined) return POISON;
      if (condition.kind !== 'bool') {
        return report(ctx, 'NETC2018', expr.condition, 'the condition is not a boolean', {
          help: 'compare with `==`, `<`, ... to get a boolean',
        });
      }
      return applyLayer(condition.value ? expr.then : expr.else, input, ctx, explicit);
    }
    case 'ErrorExpr':
      return POISON;
    case 'Number':
    case 'String':
    case 'Boolean':
    case 'List':
    case 'Tuple':
    case 'Unary':
    case 'Binary':
      return report(ctx, 'NETC2023', expr, 'expected a layer, found a compile-time value', {
        help: 'a step is a layer such as `dense(10)` or `relu`, or a value name at the start of a chain',
      });
  }
}

/** Resolves a layer name (with its call, if any) and applies it. */
function applyNamed(
  name: string,
  nameSpan: Span,
  call: CallExpr | undefined,
  input: Flow,
  ctx: Ctx,
  explicit: ExplicitName | undefined,
): Flow {
  const span = call?.span ?? nameSpan;
  const entry = lookupEntry(ctx.env, name);
  if (entry) return applyEntry(entry, name, span, call, input, ctx, explicit);
  const symbol: Symbol | undefined = ctx.env.module.scope.get(name);
  if (symbol?.kind === 'block') return instantiateBlock(symbol, call, span, input, ctx, explicit);
  if (symbol?.kind === 'network') return inlineNetwork(symbol, call, span, input, ctx, explicit);
  if (symbol?.kind === 'const') {
    return report(ctx, 'NETC2023', span, `\`${name}\` is a constant, not a layer`);
  }
  if (isCombinator(name) && (call?.body || !isOpKind(name))) {
    return applyCombinator(name, call, span, input, ctx, explicit);
  }
  if (isOpKind(name)) {
    if (call?.body) {
      return report(ctx, 'NETC2027', call.body.span, `\`${name}\` takes no body`, {
        help: `bodies belong to \`concat\`, \`add\`, \`residual\` and \`repeat\``,
      });
    }
    return applyOp(name as OpKind, call, span, input, ctx, explicit);
  }
  // The import that failed would probably have defined it; that failure is reported already.
  if (mayBeFromFailedImport(ctx.env.module, name)) return POISON;
  const candidates = [
    ...Object.keys(opTable),
    ...combinatorNames,
    ...ctx.env.module.scope.keys(),
    ...entryNames(ctx.env),
  ];
  return report(ctx, 'NETC2001', nameSpan, `unknown layer \`${name}\``, {
    help:
      suggestionHelp(name, candidates) ??
      'see docs/ops.md for the built-in layers, or define a `block`',
  });
}

function applyEntry(
  entry: EnvEntry,
  name: string,
  span: Span,
  call: CallExpr | undefined,
  input: Flow,
  ctx: Ctx,
  explicit: ExplicitName | undefined,
): Flow {
  if (call && (call.hasParens || call.body)) {
    return report(ctx, 'NETC2024', span, `\`${name}\` cannot be called with arguments`, {
      help:
        entry.kind === 'value'
          ? `\`${name}\` is a value; start a chain with it: \`${name} -> ...\``
          : `use it as \`${name}\``,
    });
  }
  switch (entry.kind) {
    case 'value':
      entry.used = true;
      return report(ctx, 'NETC2014', span, `\`${name}\` is a value, not a layer`, {
        help: `to combine values use \`add(a, ${name})\` or \`concat(a, ${name})\`; to continue from it start a new chain: \`${name} -> ...\``,
      });
    case 'const':
      return report(ctx, 'NETC2023', span, `\`${name}\` is a compile-time value, not a layer`);
    case 'layer':
      return applyLayer(entry.closure.expr, input, { ...ctx, env: entry.closure.env }, explicit);
    case 'instance': {
      const instance = entry.instance;
      return applyLayer(
        instance.expr,
        input,
        { ...ctx, env: instance.env, ns: withShared(ctx.ns, instance.params) },
        explicit ?? { name: instance.name, span: instance.span, owner: instance },
      );
    }
  }
}

/** Whether an expression denotes a layer (for untyped block parameters and `let`). */
export function looksLikeLayer(expr: Expr, ctx: Ctx): boolean {
  switch (expr.kind) {
    case 'Call':
    case 'Chain':
    case 'NamedLayer':
    case 'Ascribed':
      return true;
    case 'Group':
      return looksLikeLayer(expr.expr, ctx);
    case 'If':
      return looksLikeLayer(expr.then, ctx) || looksLikeLayer(expr.else, ctx);
    case 'Name': {
      const entry = lookupEntry(ctx.env, expr.name);
      if (entry) return entry.kind === 'layer' || entry.kind === 'instance';
      const symbol = ctx.env.module.scope.get(expr.name);
      if (symbol) return symbol.kind !== 'const';
      return isOpKind(expr.name);
    }
    default:
      return false;
  }
}

/** The compile-time view of the current environment. */
export function constScope(ctx: Ctx): ConstScope {
  const moduleScope = ctx.session.moduleConstScope(ctx.env);
  return {
    lookup(name) {
      const entry = lookupEntry(ctx.env, name);
      if (entry) {
        if (entry.kind === 'const') return { kind: 'const', value: entry.value };
        return {
          kind: 'other',
          description: entry.kind === 'value' ? 'a value computed by the network' : 'a layer',
        };
      }
      return moduleScope.lookup(name);
    },
    names: () => [...entryNames(ctx.env), ...moduleScope.names()],
  };
}

function checkAscription(value: Flow, shapeExpr: ListExpr, ctx: Ctx): Flow {
  if (value === undefined || value === POISON) return value;
  const expected = evalShape(shapeExpr, ctx);
  if (!expected) return POISON;
  const actual = ctx.builder.shapeOf(value);
  if (formatShape(actual) !== formatShape(expected)) {
    report(
      ctx,
      'NETC3050',
      shapeExpr,
      `the value has shape ${formatShape(actual)}, not ${formatShape(expected)}`,
      {
        help: `write \`: ${formatShape(actual)}\` if that is what you meant, or fix the layers before it`,
      },
    );
  }
  return value;
}

export { childEnv };
