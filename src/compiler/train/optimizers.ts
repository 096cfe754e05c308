import { suggestionHelp } from '../diagnostics/didYouMean.js';
import type { Expr } from '../syntax/ast.js';
import { asCallLike, readArgs, type ArgValues, type FunctionSpec, type ParamSpec } from './args.js';
import type { TrainContext } from './context.js';
import type { OptimizerConfig, OptimizerKind } from './trainConfig.js';

/*
 * The optimizers with PyTorch's defaults and argument checks (torch.optim), so a model
 * trained here and one trained there take the same steps.
 */

const lr = (fallback?: number): ParamSpec => ({
  name: 'lr',
  type: 'float',
  ...(fallback === undefined ? {} : { default: fallback }),
  range: { min: 0, minOpen: true },
  doc: 'learning rate',
});
const eps = (fallback: number): ParamSpec => ({
  name: 'eps',
  type: 'float',
  default: fallback,
  range: { min: 0 },
  doc: 'added to the denominator for numerical stability',
});
const beta = (name: string, fallback: number): ParamSpec => ({
  name,
  type: 'float',
  default: fallback,
  range: { min: 0, max: 1, maxOpen: true },
  doc:
    name === 'beta1'
      ? 'decay of the running mean of gradients'
      : 'decay of the running mean of squared gradients',
});
const weightDecay = (fallback: number, doc: string): ParamSpec => ({
  name: 'weight_decay',
  type: 'float',
  default: fallback,
  range: { min: 0 },
  doc,
});
const momentum: ParamSpec = {
  name: 'momentum',
  type: 'float',
  default: 0,
  range: { min: 0 },
  doc: 'momentum factor',
};

export const optimizerSpecs: { readonly [K in OptimizerKind]: FunctionSpec } = {
  sgd: {
    name: 'sgd',
    doc: 'stochastic gradient descent, optionally with (Nesterov) momentum',
    params: [
      lr(),
      momentum,
      {
        name: 'nesterov',
        type: 'bool',
        default: false,
        doc: 'Nesterov momentum (needs `momentum > 0`)',
      },
      weightDecay(0, 'L2 penalty added to the gradient'),
    ],
  },
  adagrad: {
    name: 'adagrad',
    doc: 'Adagrad (Duchi et al. 2011)',
    params: [lr(0.01), eps(1e-10), weightDecay(0, 'L2 penalty added to the gradient')],
  },
  adam: {
    name: 'adam',
    doc: 'Adam (Kingma & Ba 2014)',
    params: [
      lr(1e-3),
      beta('beta1', 0.9),
      beta('beta2', 0.999),
      eps(1e-8),
      weightDecay(0, 'L2 penalty added to the gradient'),
    ],
  },
  adamw: {
    name: 'adamw',
    doc: 'Adam with decoupled weight decay (Loshchilov & Hutter 2019)',
    params: [
      lr(1e-3),
      beta('beta1', 0.9),
      beta('beta2', 0.999),
      eps(1e-8),
      weightDecay(0.01, 'decoupled weight decay'),
    ],
  },
  rmsprop: {
    name: 'rmsprop',
    doc: 'RMSprop (Hinton 2012)',
    params: [
      lr(0.01),
      {
        name: 'alpha',
        type: 'float',
        default: 0.99,
        range: { min: 0, max: 1 },
        doc: 'smoothing constant',
      },
      eps(1e-8),
      momentum,
      weightDecay(0, 'L2 penalty added to the gradient'),
    ],
  },
};

const optimizerNames = Object.keys(optimizerSpecs) as OptimizerKind[];

/** Checks `optimizer = adam(lr=1e-3)` and fills PyTorch's defaults. */
export function checkOptimizer(expr: Expr, ctx: TrainContext): OptimizerConfig | undefined {
  const call = asCallLike(expr);
  if (!call) {
    if (expr.kind !== 'ErrorExpr') {
      ctx.diagnostics.error('NETC4006', expr.span, 'expected an optimizer', {
        help: 'write an optimizer such as `adam(lr=1e-3)` or `sgd(lr=0.1, momentum=0.9)`',
      });
    }
    return undefined;
  }
  const kind = optimizerNames.find((n) => n === call.name);
  if (!kind) {
    ctx.diagnostics.error('NETC4024', call.nameSpan, `unknown optimizer \`${call.name}\``, {
      help:
        suggestionHelp(call.name, optimizerNames) ??
        `the optimizers are ${optimizerNames.map((n) => `\`${n}\``).join(', ')}`,
    });
    return undefined;
  }
  const args = readArgs(optimizerSpecs[kind], call, ctx);
  if (!args) return undefined;
  const config = buildOptimizer(kind, args);
  if (config.kind === 'sgd' && config.nesterov && config.momentum <= 0) {
    ctx.diagnostics.error('NETC4012', call.span, '`nesterov` needs `momentum` greater than 0', {
      help: 'add `momentum=0.9`, or drop `nesterov=true`',
    });
    return undefined;
  }
  return config;
}

function buildOptimizer(kind: OptimizerKind, args: ArgValues): OptimizerConfig {
  const num = (name: string) => args.get(name) as number;
  const common = { lr: num('lr'), weightDecay: num('weight_decay') };
  switch (kind) {
    case 'sgd':
      return {
        kind,
        ...common,
        momentum: num('momentum'),
        nesterov: args.get('nesterov') === true,
      };
    case 'adagrad':
      return { kind, ...common, eps: num('eps') };
    case 'adam':
    case 'adamw':
      return { kind, ...common, beta1: num('beta1'), beta2: num('beta2'), eps: num('eps') };
    case 'rmsprop':
      return { kind, ...common, alpha: num('alpha'), eps: num('eps'), momentum: num('momentum') };
  }
}
