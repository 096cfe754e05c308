import type { ParamId, ValueId } from '../../ir/ir.js';
import type { OpKind, ParamRole } from '../../ir/ops.js';
import { opTable } from '../../shapes/opTable.js';
import type { ArgSpec, ArgValue, BoundArgs, OpError, OpSpec } from '../../shapes/opSpec.js';
import type { Span } from '../../source.js';
import type { Arg, CallExpr, Expr } from '../../syntax/ast.js';
import { bindArgs, type BoundArg } from '../bindArgs.js';
import { convertArg, initFromCall, type Converted } from '../convertArg.js';
import { evalConst } from '../evalConst.js';
import { POISON, originOf, report, type Ctx, type Flow } from './context.js';
import { constScope, startFromValueHelp, valueOf, type ExplicitName } from './expand.js';
import { autoName, explicitName } from './naming.js';
import { checkShapeLimits } from './shapes.js';
import { limits } from '../../limits.js';

export function isOpKind(name: string): name is OpKind {
  return Object.hasOwn(opTable, name);
}

/**
 * Applies a built-in op. Single-input ops take the current value; multi-input ops
 * (`add(a, b)`, `concat(a, b, axis=0)`) take their positional arguments as values.
 */
export function applyOp(
  kind: OpKind,
  call: CallExpr | undefined,
  span: Span,
  input: Flow,
  ctx: Ctx,
  explicit?: ExplicitName,
): Flow {
  const spec = opTable[kind] as OpSpec<OpKind>;
  const args = call?.args ?? [];
  let inputs: ValueId[];
  let attrArgs: readonly Arg[];
  if (spec.arity === 1) {
    if (input === undefined) return noInput(kind, span, ctx);
    inputs = [input];
    attrArgs = args;
  } else {
    const valueExprs = args.filter((a) => a.kind === 'PositionalArg').map((a) => a.value);
    attrArgs = args.filter((a) => a.kind === 'NamedArg');
    const values = valueExprs.map((expr) => valueOf(expr, undefined, ctx));
    if (values.some((v) => v === POISON || v === undefined)) return POISON;
    inputs = values as ValueId[];
    const arityError = checkArity(kind, spec.arity, inputs.length);
    if (arityError)
      return report(ctx, 'NETC3053', span, arityError.message, { help: arityError.help });
  }
  return applyOpTo(kind, spec, attrArgs, inputs, span, ctx, explicit);
}

/** Applies an op to already computed input values (also used by `concat { ... }` and `residual`). */
export function applyOpTo(
  kind: OpKind,
  spec: OpSpec<OpKind>,
  attrArgs: readonly Arg[],
  inputs: readonly ValueId[],
  span: Span,
  ctx: Ctx,
  explicit: ExplicitName | undefined,
): Flow {
  const bound = bindOpArgs(kind, spec, attrArgs, span, ctx);
  if (!bound) return POISON;
  const attrs = spec.attrs(bound.values);
  if (!attrs.ok) return reportOpError(attrs.error, bound.spans, span, ctx);
  if (kind === 'identity') return inputs[0]!;
  const shapes = inputs.map((id) => ctx.builder.shapeOf(id));
  const inferred = spec.infer(shapes, attrs.attrs);
  if (!inferred.ok) return reportOpError(inferred.error, bound.spans, span, ctx);
  if (!checkShapeLimits(inferred.shape, { span }, ctx)) return POISON;
  if (ctx.builder.nodes.length >= limits.maxNodes) {
    if (!ctx.budget.nodesExceeded) {
      ctx.budget.nodesExceeded = true;
      report(
        ctx,
        'NETC5004',
        span,
        `the network has more than ${limits.maxNodes.toLocaleString('en-US')} layers`,
        {
          help: 'check the counts of `repeat`',
        },
      );
    }
    return POISON;
  }
  const name = layerName(kind, span, ctx, explicit);
  if (name === undefined) return POISON;
  const params: Partial<Record<ParamRole, ParamId>> = {};
  for (const decl of inferred.params) {
    const paramName = `${name}.${decl.role}`;
    const shared = ctx.ns.shared?.get(paramName);
    if (shared !== undefined) {
      params[decl.role] = shared;
      continue;
    }
    if (ctx.builder.hasParam(paramName)) {
      return report(
        ctx,
        'NETC2013',
        explicit?.span ?? span,
        `a layer named \`${name}\` already exists`,
        {
          help: 'give this layer another name',
        },
      );
    }
    const id = ctx.builder.addParam(paramName, name, decl, originOf(ctx, span));
    ctx.ns.shared?.set(paramName, id);
    params[decl.role] = id;
  }
  return ctx.builder.addOp(
    kind,
    inferred.attrs ?? attrs.attrs,
    name,
    inputs,
    inferred.shape,
    params,
    inferred.macs,
    originOf(ctx, span),
  );
}

function layerName(
  kind: string,
  span: Span,
  ctx: Ctx,
  explicit: ExplicitName | undefined,
): string | undefined {
  if (!explicit) return autoName(ctx.ns, kind);
  const claimed = explicitName(ctx.ns, explicit.name, explicit.span, explicit.owner);
  if (!claimed.ok) {
    report(
      ctx,
      'NETC2013',
      explicit.span,
      `a layer named \`${explicit.name}\` already exists in this scope`,
      {
        labels: [{ span: claimed.firstSpan, message: 'first used here' }],
        help: 'layer names must be unique inside a network or block; to share weights use `let`',
      },
    );
    return undefined;
  }
  return claimed.fullName;
}

function checkArity(
  kind: string,
  arity: 'pair' | 'many',
  count: number,
): { message: string; help: string } | undefined {
  if (arity === 'pair' && count !== 2) {
    return {
      message: `\`${kind}\` takes two values, got ${count}`,
      help: `e.g. \`${kind}(a, b)\``,
    };
  }
  if (arity === 'many' && count < 2) {
    return {
      message: `\`${kind}\` needs at least two values, got ${count}`,
      help: `pass values, e.g. \`${kind}(a, b)\`, or give it branches: \`${kind} { ... }\``,
    };
  }
  return undefined;
}

function noInput(kind: string, span: Span, ctx: Ctx): Flow {
  return report(ctx, 'NETC2020', span, `\`${kind}\` has no input`, {
    help: startFromValueHelp(kind, ctx),
  });
}

interface BoundOpArgs {
  readonly values: BoundArgs;
  readonly spans: ReadonlyMap<string, Span>;
}

function bindOpArgs(
  kind: string,
  spec: OpSpec<OpKind>,
  args: readonly Arg[],
  span: Span,
  ctx: Ctx,
): BoundOpArgs | undefined {
  const formals = spec.args.map((a) => ({ name: a.name, hasDefault: a.default !== undefined }));
  const bound = bindArgs(kind, args, formals, span, ctx.diagnostics);
  if (!bound) return undefined;
  const values: Record<string, ArgValue> = {};
  const spans = new Map<string, Span>();
  let ok = true;
  for (const argSpec of spec.args) {
    const arg = bound.get(argSpec.name)!;
    if (arg.expr === undefined) {
      values[argSpec.name] = argSpec.default!;
      continue;
    }
    spans.set(argSpec.name, arg.span);
    const converted = convertOpArg(argSpec, arg.expr, ctx);
    if (converted === undefined) {
      ok = false;
      continue;
    }
    if (!converted.ok) {
      report(
        ctx,
        'NETC2010',
        arg.expr,
        `\`${argSpec.name}\` of \`${kind}\`: ${converted.why.message}`,
        { help: converted.why.help },
      );
      ok = false;
      continue;
    }
    values[argSpec.name] = converted.value;
  }
  return ok ? { values, spans } : undefined;
}

function convertOpArg(spec: ArgSpec, expr: Expr, ctx: Ctx): Converted | undefined {
  if (spec.type.kind === 'init' && expr.kind === 'Call') {
    const numbers: number[] = [];
    for (const a of expr.args) {
      const value = evalConst(a.value, constScope(ctx), ctx.diagnostics);
      if (value === undefined) return undefined;
      if (a.kind !== 'PositionalArg' || (value.kind !== 'int' && value.kind !== 'float')) {
        return {
          ok: false,
          why: { message: 'initializer arguments are numbers', help: 'e.g. `init=normal(0.02)`' },
        };
      }
      numbers.push(value.value);
    }
    return initFromCall(expr.callee.name, numbers);
  }
  const value = evalConst(expr, constScope(ctx), ctx.diagnostics);
  return value === undefined ? undefined : convertArg(value, spec.type);
}

function reportOpError(
  error: OpError,
  spans: ReadonlyMap<string, Span>,
  callSpan: Span,
  ctx: Ctx,
): Flow {
  const at = (error.arg !== undefined && spans.get(error.arg)) || callSpan;
  return report(ctx, error.code, at, error.message, { help: error.help });
}

export type { BoundArg };
