import type { ValueId } from '../../ir/ir.js';
import { limits } from '../../limits.js';
import { opTable } from '../../shapes/opTable.js';
import type { OpKind, Shape } from '../../ir/ops.js';
import { formatShape } from '../../shapes/format.js';
import type { OpSpec } from '../../shapes/opSpec.js';
import type { Span } from '../../source.js';
import type { Arg, Body, CallExpr, Expr } from '../../syntax/ast.js';
import { bindArgs } from '../bindArgs.js';
import { evalConst } from '../evalConst.js';
import { applyOp, applyOpTo } from './applyOp.js';
import { POISON, report, type Ctx, type Flow } from './context.js';
import { childEnv } from './env.js';
import {
  applyLayer,
  constScope,
  evalBody,
  evalChain,
  startFromValueHelp,
  type ExplicitName,
} from './expand.js';
import { repeatIterationScope } from './naming.js';

/** Built-ins that take a body: they compose layers rather than compute on tensors. */
export const combinatorNames = ['residual', 'repeat', 'concat', 'add'] as const;

export function isCombinator(name: string): boolean {
  return (combinatorNames as readonly string[]).includes(name);
}

export function applyCombinator(
  name: string,
  call: CallExpr | undefined,
  span: Span,
  input: Flow,
  ctx: Ctx,
  explicit?: ExplicitName,
): Flow {
  switch (name) {
    case 'residual':
      return applyResidual(call, span, input, ctx, explicit);
    case 'repeat':
      return applyRepeat(call, span, input, ctx);
    case 'concat':
    case 'add':
      return applyBranches(name, call!, span, input, ctx, explicit);
    default:
      return report(ctx, 'NETC2001', span, `unknown combinator \`${name}\``);
  }
}

/** `residual(shortcut = L) { seq }` = `add { L; seq }`, the body expanded first so its names do not depend on the shortcut. */
function applyResidual(
  call: CallExpr | undefined,
  span: Span,
  input: Flow,
  ctx: Ctx,
  explicit?: ExplicitName,
): Flow {
  if (!call?.body) {
    return report(ctx, 'NETC2027', span, '`residual` needs a body', {
      help: 'e.g. `residual { conv2d(64, 3, pad=same) -> relu }`',
    });
  }
  const bound = bindArgs(
    'residual',
    call.args,
    [{ name: 'shortcut', hasDefault: true }],
    span,
    ctx.diagnostics,
  );
  if (!bound) return POISON;
  if (input === undefined)
    return report(ctx, 'NETC2020', span, '`residual` has no input', {
      help: startFromValueHelp('residual { ... }', ctx),
    });
  const body = evalBody(call.body, input, { ...ctx, env: childEnv(ctx.env) }, false).value;
  const shortcutExpr = bound.get('shortcut')!.expr;
  const shortcut = shortcutExpr ? applyLayer(shortcutExpr, input, ctx) : input;
  if (body === undefined || body === POISON || shortcut === undefined || shortcut === POISON)
    return POISON;
  const bodyShape = ctx.builder.shapeOf(body);
  const shortcutShape = ctx.builder.shapeOf(shortcut);
  if (formatShape(bodyShape) !== formatShape(shortcutShape)) {
    return residualMismatch(
      span,
      call.body,
      shortcutExpr,
      { body: bodyShape, shortcut: shortcutShape },
      ctx,
    );
  }
  return applyOpTo('add', opTable.add as OpSpec<OpKind>, [], [shortcut, body], span, ctx, explicit);
}

/** NETC3008 for a `residual` whose body and shortcut give different shapes. */
function residualMismatch(
  span: Span,
  body: Body,
  shortcutExpr: Expr | undefined,
  shapes: { readonly body: Shape; readonly shortcut: Shape },
  ctx: Ctx,
): Flow {
  const bodyShape = formatShape(shapes.body);
  const shortcut = formatShape(shapes.shortcut);
  const last = body.statements[body.statements.length - 1];
  const labels = [
    ...(last ? [{ span: last.span, message: `the body ends with ${bodyShape}` }] : []),
    ...(shortcutExpr
      ? [{ span: shortcutExpr.span, message: `the shortcut gives ${shortcut}` }]
      : []),
  ];
  const which = shortcutExpr ? 'the shortcut' : 'the identity shortcut';
  return report(
    ctx,
    'NETC3008',
    span,
    `the body of \`residual\` gives ${bodyShape}, but ${which} gives ${shortcut}`,
    { labels, help: projectionHelp(shapes.shortcut, shapes.body) },
  );
}

/**
 * How to make a shortcut give the body's shape: a 1×1 convolution with the body's channels
 * and stride for images (ResNet's projection shortcut), a `dense` layer for vectors.
 */
function projectionHelp(from: Shape, to: Shape): string {
  const fallback =
    "the body must keep the shape of its input, or the shortcut must be a layer that gives the body's shape";
  let projection: string | undefined;
  if (from.length === 1 && to.length === 1) projection = `dense(${to[0]})`;
  if (from.length === 3 && to.length === 3) {
    const stride = strideBetween(from, to);
    if (stride !== undefined)
      projection = `conv2d(${to[0]}, 1${stride === 1 ? '' : `, stride=${stride}`})`;
  }
  if (projection === undefined) return fallback;
  return `project the shortcut to the body's shape: \`residual(shortcut = ${projection}) { ... }\``;
}

/** The stride at which a 1×1 convolution maps the image `from` to the size of `to`, if any. */
function strideBetween(from: Shape, to: Shape): number | undefined {
  const [, h, w] = from as [number, number, number];
  const [, outH, outW] = to as [number, number, number];
  if (outH < 1 || outW < 1 || outH > h || outW > w) return undefined;
  const stride = Math.ceil(h / outH);
  for (const s of [stride - 1, stride, stride + 1]) {
    if (s >= 1 && Math.ceil(h / s) === outH && Math.ceil(w / s) === outW) return s;
  }
  return undefined;
}

/** `repeat(n) { seq }` or `repeat(n, i) { seq }`: the body n times in sequence, fresh weights each time. */
function applyRepeat(call: CallExpr | undefined, span: Span, input: Flow, ctx: Ctx): Flow {
  if (!call?.body) {
    return report(ctx, 'NETC2027', span, '`repeat` needs a body', {
      help: 'e.g. `repeat(3) { dense(64) -> relu }`',
    });
  }
  const [countArg, indexArg, ...extra] = call.args;
  if (
    !countArg ||
    countArg.kind !== 'PositionalArg' ||
    extra.length > 0 ||
    (indexArg && indexArg.kind !== 'PositionalArg')
  ) {
    return report(
      ctx,
      'NETC2008',
      call.span,
      '`repeat` takes a count and optionally an index name',
      {
        help: 'e.g. `repeat(4) { ... }` or `repeat(4, i) { ... }`',
      },
    );
  }
  const count = evalConst(countArg.value, constScope(ctx), ctx.diagnostics);
  if (count === undefined) return POISON;
  if (count.kind !== 'int' || count.value < 0) {
    return report(ctx, 'NETC2010', countArg.value, 'the repeat count must be an int ≥ 0');
  }
  if (count.value > limits.maxRepeat) {
    return report(
      ctx,
      'NETC5003',
      countArg.value,
      `\`repeat(${count.value})\` is above the limit of ${limits.maxRepeat.toLocaleString('en-US')}`,
    );
  }
  let indexName: string | undefined;
  if (indexArg) {
    if (indexArg.value.kind !== 'Name') {
      return report(
        ctx,
        'NETC2010',
        indexArg.value,
        'the second argument of `repeat` names the index',
        {
          help: 'e.g. `repeat(4, i) { conv2d(16 * (i + 1), 3) }`',
        },
      );
    }
    indexName = indexArg.value.name;
  }
  let current = input;
  for (let i = 0; i < count.value; i++) {
    const env = childEnv(ctx.env);
    if (indexName) env.entries.set(indexName, { kind: 'const', value: { kind: 'int', value: i } });
    current = evalBody(
      call.body,
      current,
      { ...ctx, env, ns: repeatIterationScope(ctx.ns, i) },
      false,
    ).value;
    if (current === POISON || ctx.budget.nodesExceeded) return POISON;
  }
  return current;
}

/** `concat { ... }` and `add { ... }`: each statement is a branch from the same input. */
function applyBranches(
  kind: 'concat' | 'add',
  call: CallExpr,
  span: Span,
  input: Flow,
  ctx: Ctx,
  explicit?: ExplicitName,
): Flow {
  if (!call.body) return applyOp(kind, call, span, input, ctx, explicit);
  const positional = call.args.filter((a: Arg) => a.kind === 'PositionalArg');
  if (positional.length > 0) {
    return report(
      ctx,
      'NETC2008',
      positional[0]!.span,
      `\`${kind} { ... }\` takes its inputs from the branches`,
      {
        help: `pass values either as arguments \`${kind}(a, b)\` or as branches, not both`,
      },
    );
  }
  const branches: ValueId[] = [];
  let failed = false;
  for (const statement of call.body.statements) {
    if (statement.kind !== 'Step') {
      report(
        ctx,
        'NETC2027',
        statement.span,
        `each statement inside \`${kind} { ... }\` is a branch; bindings are not allowed here`,
        {
          help: 'compute the value before, then use it as a branch by name',
        },
      );
      failed = true;
      continue;
    }
    const value = evalChain(statement.expr, input, { ...ctx, env: childEnv(ctx.env) });
    if (value === undefined || value === POISON) failed = true;
    else branches.push(value);
  }
  if (failed) return POISON;
  if (branches.length < 2) {
    return report(
      ctx,
      'NETC3053',
      call.body.span,
      `\`${kind} { ... }\` needs at least two branches, got ${branches.length}`,
      {
        help: 'put each branch on its own line',
      },
    );
  }
  return applyOpTo(kind, opTable[kind] as OpSpec<OpKind>, call.args, branches, span, ctx, explicit);
}
