import { suggestionHelp } from '../diagnostics/didYouMean.js';
import type { Shape } from '../ir/ops.js';
import type { Span } from '../source.js';
import type { CallExpr, Expr, NameRef } from '../syntax/ast.js';
import { matchArgs } from './args.js';
import type { TrainContext } from './context.js';
import { formatShape, plural, sameShape } from './describe.js';
import { exprText } from './exprText.js';
import { lossFunctionNames } from './lossFunctions.js';
import type { LossScope } from './lossScope.js';
import type { TensorRef } from './trainConfig.js';

/** A loss argument after resolution. */
export type Operand =
  | {
      readonly kind: 'tensor';
      readonly ref: TensorRef;
      /** undefined when only a data file knows it. */
      readonly shape: Shape | undefined;
      readonly producer: string | undefined;
      readonly text: string;
      readonly span: Span;
    }
  | {
      readonly kind: 'label';
      readonly field: string;
      readonly classes: number | undefined;
      readonly span: Span;
    }
  | { readonly kind: 'constant'; readonly value: number; readonly span: Span }
  /** Something already reported (or depending on a network with errors): check no further. */
  | { readonly kind: 'unknown' };

export interface OperandEnv {
  readonly scope: LossScope;
  readonly ctx: TrainContext;
  /** Networks applied so far, in order of first use. */
  readonly used: Set<string>;
  /** Values of the trained network read by name (`output`, `code`): they need the data fed to it. */
  readonly implicit: Set<string>;
}

const unknown: Operand = { kind: 'unknown' };

/** Resolves a loss argument: a name, a network application, or a constant. */
export function resolveOperand(expr: Expr, env: OperandEnv): Operand {
  switch (expr.kind) {
    case 'Name':
      return resolveName(expr, env);
    case 'Call':
      return resolveCall(expr, env);
    case 'Group':
      return resolveOperand(expr.expr, env);
    case 'ErrorExpr':
      return unknown;
    default:
      return resolveConstant(expr, env);
  }
}

function resolveName(expr: NameRef, env: OperandEnv): Operand {
  const { scope, ctx } = env;
  const entry = scope.entries.get(expr.name);
  if (scope.poisoned.has(expr.name)) return unknown;
  if (entry?.kind === 'tensor') {
    if (entry.ref.kind === 'network') {
      env.used.add(entry.ref.network);
      env.implicit.add(expr.name);
    }
    return {
      kind: 'tensor',
      ref: entry.ref,
      shape: entry.shape,
      producer: entry.producer,
      text: expr.name,
      span: expr.span,
    };
  }
  if (entry?.kind === 'label')
    return { kind: 'label', field: entry.field, classes: entry.classes, span: expr.span };
  if (ctx.networks.has(expr.name)) {
    ctx.diagnostics.error(
      'NETC4022',
      expr.span,
      `the network \`${expr.name}\` must be applied to a value`,
      {
        help: `apply it to its input, e.g. \`${expr.name}(${ctx.networks
          .get(expr.name)!
          .inputs.map((i) => i.name)
          .join(', ')})\``,
      },
    );
    return unknown;
  }
  if (ctx.brokenNetworks.has(expr.name)) return unknown;
  const value = ctx.evalConst(expr);
  if (value === undefined) return unknown;
  if (value.kind === 'int' || value.kind === 'float')
    return { kind: 'constant', value: value.value, span: expr.span };
  if (value.kind !== 'symbol') return notATensor(expr, env);
  if (!scope.complete) return unknown;
  ctx.diagnostics.error('NETC4016', expr.span, `unknown name \`${expr.name}\` in the loss`, {
    help: unknownNameHelp(expr.name, scope),
  });
  return unknown;
}

function unknownNameHelp(name: string, scope: LossScope): string {
  const names = [...scope.entries.keys()];
  const suggestion = suggestionHelp(name, names);
  if (suggestion) return suggestion;
  if (name === 'output' && !scope.network) {
    return 'a section with phases has no single network: apply one to a value, e.g. `D(x)`';
  }
  const source = scope.data?.source;
  if (source?.kind === 'mnist' && source.pairs && (name === 'label' || name === 'x')) {
    return '`mnist(pairs=true)` yields `x1`, `x2` and `same`';
  }
  if (
    source?.kind === 'mnist' &&
    !source.pairs &&
    (name === 'same' || name === 'x1' || name === 'x2')
  ) {
    return `\`${name}\` comes with image pairs: \`mnist(pairs=true)\``;
  }
  return `the names usable here are ${names.map((n) => `\`${n}\``).join(', ')}`;
}

function resolveCall(expr: CallExpr, env: OperandEnv): Operand {
  const { ctx } = env;
  const name = expr.callee.name;
  const network = ctx.networks.get(name);
  if (!network) {
    if (ctx.brokenNetworks.has(name)) {
      for (const arg of expr.args) resolveOperand(arg.value, env);
      return unknown;
    }
    if ((lossFunctionNames as readonly string[]).includes(name)) {
      ctx.diagnostics.error(
        'NETC4022',
        expr.span,
        `\`${name}(...)\` is a loss, not a value to pass to a loss`,
        {
          help: 'add losses with `+` instead of nesting them',
        },
      );
      return unknown;
    }
    ctx.diagnostics.error('NETC4001', expr.callee.span, `unknown network \`${name}\``, {
      help: suggestionHelp(name, [...ctx.networks.keys(), ...ctx.brokenNetworks]),
    });
    return unknown;
  }
  env.used.add(name);
  const output = network.outputs[0];
  if (network.outputs.length !== 1 || !output) {
    ctx.diagnostics.error(
      'NETC4021',
      expr.span,
      `\`${name}\` has ${plural(network.outputs.length, 'output')}; only a network with one output can be applied in a loss`,
      {
        help: `train \`${name}\` in its own section, where its outputs are named ${network.outputs.map((o) => `\`${o.name}\``).join(', ')}`,
      },
    );
    return unknown;
  }
  const call = { name, nameSpan: expr.callee.span, args: expr.args, span: expr.span };
  const inputs = network.inputs.map((i) => ({ name: i.name, required: true }));
  const matched = matchArgs(call, inputs, ctx.diagnostics);
  if (!matched) return unknown;
  const args: TensorRef[] = [];
  let ok = true;
  for (const input of network.inputs) {
    const arg = matched.get(input.name)!;
    const operand = resolveOperand(arg.expr, env);
    const expected = network.nodes[input.value]?.shape ?? [];
    if (operand.kind === 'unknown') {
      ok = false;
      continue;
    }
    if (operand.kind !== 'tensor') {
      ctx.diagnostics.error(
        'NETC4021',
        arg.expr.span,
        `\`${name}\` expects a tensor \`${input.name}: ${formatShape(expected)}\`, got ${operand.kind === 'label' ? `the class index \`${operand.field}\`` : 'a constant'}`,
      );
      ok = false;
      continue;
    }
    if (operand.shape !== undefined && !sameShape(operand.shape, expected)) {
      ctx.diagnostics.error(
        'NETC4021',
        arg.expr.span,
        `\`${name}\` expects \`${input.name}: ${formatShape(expected)}\`, but \`${operand.text}\` has shape ${formatShape(operand.shape)}`,
        {
          labels: [
            {
              span: network.nodes[input.value]?.origin.span ?? network.span,
              message: 'declared here',
            },
          ],
        },
      );
      ok = false;
      continue;
    }
    args.push(
      operand.ref.kind === 'data' && operand.ref.shape === undefined
        ? { ...operand.ref, shape: expected }
        : operand.ref,
    );
  }
  if (!ok) return unknown;
  const node = network.nodes[output.value];
  const shape = node?.shape ?? [];
  return {
    kind: 'tensor',
    ref: {
      kind: 'network',
      network: name,
      inputs: args,
      name: output.name,
      value: output.value,
      shape,
    },
    shape,
    producer: node?.op,
    text: exprText(expr),
    span: expr.span,
  };
}

/** Numbers and constant arithmetic; arithmetic on tensors is not part of the loss language. */
function resolveConstant(expr: Expr, env: OperandEnv): Operand {
  if (mentionsTensor(expr, env)) {
    env.ctx.diagnostics.error(
      'NETC4022',
      expr.span,
      'arithmetic on tensors is not supported in a loss',
      {
        help: 'compute the value inside the network and name it, or combine losses with `+` and constant factors',
      },
    );
    return unknown;
  }
  if (
    expr.kind === 'String' ||
    expr.kind === 'Boolean' ||
    expr.kind === 'List' ||
    expr.kind === 'Tuple'
  ) {
    return notATensor(expr, env);
  }
  const value = env.ctx.evalConst(expr);
  if (value === undefined) return unknown;
  if (value.kind === 'int' || value.kind === 'float')
    return { kind: 'constant', value: value.value, span: expr.span };
  return notATensor(expr, env);
}

function notATensor(expr: Expr, env: OperandEnv): Operand {
  env.ctx.diagnostics.error(
    'NETC4022',
    expr.span,
    `expected a tensor or a number, got \`${exprText(expr)}\``,
    {
      help: 'losses take network outputs, data fields, noise, network applications such as `D(x)`, and numbers',
    },
  );
  return unknown;
}

/** Whether an expression refers to a tensor (a name in scope or a network call). */
export function mentionsTensor(expr: Expr, env: OperandEnv): boolean {
  switch (expr.kind) {
    case 'Name':
      return env.scope.entries.has(expr.name) || env.ctx.networks.has(expr.name);
    case 'Call':
      return true;
    case 'Group':
      return mentionsTensor(expr.expr, env);
    case 'Unary':
      return mentionsTensor(expr.operand, env);
    case 'Binary':
      return mentionsTensor(expr.left, env) || mentionsTensor(expr.right, env);
    default:
      return false;
  }
}
