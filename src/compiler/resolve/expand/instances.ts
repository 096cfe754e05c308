import type { IRNetworkOutput, ValueId } from '../../ir/ir.js';
import { limits } from '../../limits.js';
import type { Shape } from '../../ir/ops.js';
import { formatShape } from '../../shapes/format.js';
import type { Span } from '../../source.js';
import type { BlockDecl, BlockParam, CallExpr, NetworkDecl } from '../../syntax/ast.js';
import { suggestionHelp } from '../../diagnostics/didYouMean.js';
import { bindArgs } from '../bindArgs.js';
import { evalConst } from '../evalConst.js';
import type { Module, Symbol } from '../modules.js';
import { describeValue, kindName, type ConstValue } from '../values.js';
import { POISON, enterInstance, report, type Ctx, type Flow } from './context.js';
import { childEnv, rootEnv, type Env, type EnvEntry } from './env.js';
import {
  constScope,
  evalBody,
  looksLikeLayer,
  startFromValueHelp,
  valueOf,
  type ExplicitName,
} from './expand.js';
import { autoName, explicitName, instanceScope, type NameScope } from './naming.js';
import { evalShape } from './shapes.js';
import { checkOutputs, type ProducedOutput } from './outputs.js';

export const paramTypes = ['int', 'float', 'bool', 'layer', 'shape', 'string', 'symbol'] as const;

type BlockSymbol = Extract<Symbol, { kind: 'block' }>;
type NetworkSymbol = Extract<Symbol, { kind: 'network' }>;

/** Expands one instance of a user block at the call site. */
export function instantiateBlock(
  symbol: BlockSymbol,
  call: CallExpr | undefined,
  span: Span,
  input: Flow,
  ctx: Ctx,
  explicit: ExplicitName | undefined,
): Flow {
  const decl = symbol.decl;
  if (ctx.session.recursive.has(decl) || decl.recovered) return POISON;
  if (call?.body) {
    return report(ctx, 'NETC2027', call.body.span, `block \`${decl.name.name}\` takes no body`);
  }
  if (ctx.depth >= limits.maxInstanceDepth) return nestedTooDeep('blocks', span, ctx);
  if (input === undefined) {
    return report(ctx, 'NETC2020', span, `\`${decl.name.name}\` has no input`, {
      help: startFromValueHelp(decl.name.name, ctx),
    });
  }
  const env = bindBlockParams(decl, symbol.module, call, span, ctx);
  if (!env) return POISON;
  const ns = instanceNameScope(decl.name.name, explicit, ctx);
  if (!ns) return POISON;
  const inner = enterInstance(ctx, span, env, ns);
  const result = evalBody(decl.body, input, inner, true);
  if (decl.body.statements.length === 0) {
    return report(
      ctx,
      'NETC2021',
      decl.body.span,
      `block \`${decl.name.name}\` has an empty body`,
      { help: 'add layers, or use `identity`' },
    );
  }
  if (result.returned) {
    if (result.returned.length !== 1) {
      return report(
        inner,
        'NETC3052',
        result.returned[1]?.span ?? decl.body.span,
        'a block returns exactly one value',
        {
          help: 'use a `network` for several outputs',
        },
      );
    }
    return result.returned[0]!.value;
  }
  return result.value;
}

/**
 * NETC5007, reported once per compilation: in a chain of definitions each using the one
 * before, every definition past the limit would otherwise report the same chain again.
 */
function nestedTooDeep(what: 'blocks' | 'networks', span: Span, ctx: Ctx): Flow {
  if (ctx.session.diagnostics.items.some((d) => d.code === 'NETC5007')) return POISON;
  return report(
    ctx,
    'NETC5007',
    span,
    `${what} are nested more than ${limits.maxInstanceDepth} deep`,
    {
      help: 'nest fewer definitions inside each other; `repeat(n) { ... }` repeats without nesting',
    },
  );
}

function instanceNameScope(
  kind: string,
  explicit: ExplicitName | undefined,
  ctx: Ctx,
): NameScope | undefined {
  if (!explicit) return instanceScope(autoName(ctx.ns, kind), ctx.ns.shared);
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
  return instanceScope(claimed.fullName, ctx.ns.shared);
}

/** Binds call arguments to the block's parameters in a fresh environment of the block's file. */
function bindBlockParams(
  decl: BlockDecl,
  module: Module,
  call: CallExpr | undefined,
  span: Span,
  ctx: Ctx,
): Env | undefined {
  const formals = decl.params.map((p) => ({
    name: p.name.name,
    hasDefault: p.default !== undefined,
  }));
  const bound = bindArgs(decl.name.name, call?.args ?? [], formals, span, ctx.diagnostics);
  if (!bound) return undefined;
  const env = childEnv(rootEnv(module));
  let ok = true;
  for (const param of decl.params) {
    const arg = bound.get(param.name.name)!;
    // An argument is evaluated where it is written; a default inside the block.
    const argCtx = arg.expr ? ctx : { ...ctx, env };
    const expr = arg.expr ?? param.default!;
    const entry = paramEntry(param, expr, argCtx);
    if (!entry) {
      ok = false;
      continue;
    }
    env.entries.set(param.name.name, entry);
  }
  return ok ? env : undefined;
}

function paramEntry(
  param: BlockParam,
  expr: NonNullable<BlockParam['default']>,
  ctx: Ctx,
): EnvEntry | undefined {
  const type = param.type?.name;
  if (type !== undefined && !(paramTypes as readonly string[]).includes(type)) {
    report(ctx, 'NETC2017', param.type!, `unknown parameter type \`${type}\``, {
      help:
        suggestionHelp(type, paramTypes) ??
        `the types are ${paramTypes.map((t) => `\`${t}\``).join(', ')}`,
    });
    return undefined;
  }
  if (type === 'layer' || (type === undefined && looksLikeLayer(expr, ctx))) {
    if (!looksLikeLayer(expr, ctx)) {
      report(ctx, 'NETC2010', expr, `\`${param.name.name}\` expects a layer`, {
        help: 'e.g. `relu` or `conv2d(16, 3)`',
      });
      return undefined;
    }
    return { kind: 'layer', closure: { expr, env: ctx.env } };
  }
  const value = evalConst(expr, constScope(ctx), ctx.diagnostics);
  if (value === undefined) return undefined;
  const converted = type === undefined ? value : checkParamType(value, type);
  if (!converted) {
    report(
      ctx,
      'NETC2010',
      expr,
      `\`${param.name.name}\` expects ${article(type!)}, got ${kindName(value)} ${describeValue(value)}`,
    );
    return undefined;
  }
  return { kind: 'const', value: converted };
}

function article(type: string): string {
  return /^[aeiou]/.test(type) ? `an \`${type}\`` : `a \`${type}\``;
}

function checkParamType(value: ConstValue, type: string): ConstValue | undefined {
  switch (type) {
    case 'int':
      if (value.kind === 'int') return value;
      if (value.kind === 'float' && Number.isSafeInteger(value.value))
        return { kind: 'int', value: value.value };
      return undefined;
    case 'float':
      return value.kind === 'int' || value.kind === 'float'
        ? { kind: 'float', value: value.value }
        : undefined;
    case 'bool':
      return value.kind === 'bool' ? value : undefined;
    case 'string':
      return value.kind === 'string' ? value : undefined;
    case 'symbol':
      return value.kind === 'symbol' ? value : undefined;
    case 'shape':
      return value.kind === 'list' && value.items.every((i) => i.kind === 'int')
        ? value
        : undefined;
    default:
      return undefined;
  }
}

/** A network used as a layer (`features: Features`) or applied to values (`Sub(a, b)`). */
export function inlineNetwork(
  symbol: NetworkSymbol,
  call: CallExpr | undefined,
  span: Span,
  input: Flow,
  ctx: Ctx,
  explicit: ExplicitName | undefined,
): Flow {
  const decl = symbol.decl;
  if (ctx.session.recursive.has(decl) || decl.recovered) return POISON;
  if (call?.body)
    return report(ctx, 'NETC2027', call.body.span, `network \`${decl.name.name}\` takes no body`);
  if (ctx.depth >= limits.maxInstanceDepth) return nestedTooDeep('networks', span, ctx);
  const named = call?.args.find((a) => a.kind === 'NamedArg');
  if (named) {
    return report(
      ctx,
      'NETC2006',
      named.span,
      `network \`${decl.name.name}\` takes input values, not named arguments`,
    );
  }
  const valueArgs = call?.args ?? [];
  let inputs: Flow[];
  if (valueArgs.length > 0) inputs = valueArgs.map((a) => valueOf(a.value, undefined, ctx));
  else if (input === undefined) {
    return report(ctx, 'NETC2020', span, `\`${decl.name.name}\` has no input`, {
      help: startFromValueHelp(decl.name.name, ctx),
    });
  } else inputs = [input];
  if (inputs.some((v) => v === POISON || v === undefined)) return POISON;
  if (inputs.length !== decl.inputs.length) {
    return report(
      ctx,
      'NETC2028',
      span,
      `network \`${decl.name.name}\` takes ${decl.inputs.length} input(s), got ${inputs.length}`,
      {
        help: `pass them as values: \`${decl.name.name}(${decl.inputs.map((i) => i.name.name).join(', ')})\``,
      },
    );
  }
  const ns = instanceNameScope(decl.name.name, explicit, ctx);
  if (!ns) return POISON;
  const inner = enterInstance(ctx, span, childEnv(rootEnv(symbol.module)), ns);
  const outputs = expandNetwork(decl, inputs as ValueId[], inner);
  if (!outputs) return POISON;
  if (outputs.length !== 1) {
    return report(
      ctx,
      'NETC3052',
      span,
      `network \`${decl.name.name}\` has ${outputs.length} outputs; as a layer it must have one`,
    );
  }
  return outputs[0]!.value;
}

/** Declared input shapes of a network, evaluated in its file. */
export function networkInputShapes(decl: NetworkDecl, ctx: Ctx): Shape[] | undefined {
  const shapes: Shape[] = [];
  for (const input of decl.inputs) {
    const shape = evalShape(input.shape, ctx);
    if (!shape) return undefined;
    shapes.push(shape);
  }
  return shapes;
}

/**
 * Expands a network body with the given input values (already in the graph), checks its
 * declared outputs and returns them. `ctx.env` is the network's own environment.
 */
export function expandNetwork(
  decl: NetworkDecl,
  inputs: readonly ValueId[],
  ctx: Ctx,
): IRNetworkOutput[] | undefined {
  const inputShapes = networkInputShapes(decl, ctx);
  if (!inputShapes) return undefined;
  for (const [i, input] of decl.inputs.entries()) {
    const actual = ctx.builder.shapeOf(inputs[i]!);
    if (formatShape(actual) !== formatShape(inputShapes[i]!)) {
      report(
        ctx,
        'NETC3054',
        ctx.callSites[0] ?? input.span,
        `network \`${decl.name.name}\` expects \`${input.name.name}\` of shape ${formatShape(inputShapes[i]!)}, got ${formatShape(actual)}`,
        {
          labels: ctx.callSites.length ? [{ span: input.span, message: 'declared here' }] : [],
        },
      );
      return undefined;
    }
    // A single input flows into the first step implicitly, which counts as a use.
    ctx.env.entries.set(input.name.name, {
      kind: 'value',
      id: inputs[i]!,
      span: input.name.span,
      used: inputs.length === 1,
    });
  }
  if (decl.body.statements.length === 0) {
    report(ctx, 'NETC2021', decl.body.span, `network \`${decl.name.name}\` has an empty body`, {
      help: 'add layers',
    });
    return undefined;
  }
  const first = inputs.length === 1 ? inputs[0] : undefined;
  const result = evalBody(decl.body, first, ctx, true);
  const produced = result.returned ?? [
    { name: undefined, value: result.value, span: lastStatementSpan(decl) },
  ];
  if (produced.some((p) => p.value === undefined || p.value === POISON)) {
    if (produced.some((p) => p.value === undefined) && !ctx.diagnostics.hasErrors) {
      report(
        ctx,
        'NETC2020',
        lastStatementSpan(decl),
        `network \`${decl.name.name}\` produces no value`,
        {
          help: 'end the body with a step or `return` the outputs',
        },
      );
    }
    return undefined;
  }
  return checkOutputs(decl, produced as ProducedOutput[], ctx);
}

function lastStatementSpan(decl: NetworkDecl): Span {
  return decl.body.statements[decl.body.statements.length - 1]?.span ?? decl.body.span;
}
