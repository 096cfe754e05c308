import { suggestionHelp } from '../diagnostics/didYouMean.js';
import type { Expr } from '../syntax/ast.js';
import { asCallLike, countRange, readArgs, type FunctionSpec } from './args.js';
import type { TrainContext } from './context.js';
import type { RegularizerConfig, ScheduleConfig } from './trainConfig.js';

/** Learning-rate schedules; `t` counts finished epochs. */
export const scheduleSpecs: { readonly [K in ScheduleConfig['kind']]: FunctionSpec } = {
  constant: { name: 'constant', doc: "the optimizer's `lr` throughout", params: [] },
  inverse: {
    name: 'inverse',
    doc: '`lr / (1 + decay·t)`',
    params: [{ name: 'decay', type: 'float', range: { min: 0 }, doc: 'decay per epoch' }],
  },
  step: {
    name: 'step',
    doc: '`lr · gamma^floor(t / every)` (PyTorch `StepLR`)',
    params: [
      { name: 'every', type: 'int', range: countRange, doc: 'epochs between decays' },
      {
        name: 'gamma',
        type: 'float',
        default: 0.1,
        range: { min: 0, minOpen: true },
        doc: 'factor per decay',
      },
    ],
  },
  exponential: {
    name: 'exponential',
    doc: '`lr · gamma^t` (PyTorch `ExponentialLR`)',
    params: [
      { name: 'gamma', type: 'float', range: { min: 0, minOpen: true }, doc: 'factor per epoch' },
    ],
  },
  cosine: {
    name: 'cosine',
    doc: '`lr · (1 + cos(π·t/total)) / 2`, then 0 (PyTorch `CosineAnnealingLR` with `eta_min=0`)',
    params: [{ name: 'total', type: 'int', range: countRange, doc: 'epochs to anneal over' }],
  },
};

export const regularizerSpecs: { readonly [K in RegularizerConfig['kind']]: FunctionSpec } = {
  l2: {
    name: 'l2',
    doc: 'adds `lambda · Σ w²` over weights (never biases or normalization parameters)',
    params: [{ name: 'lambda', type: 'float', range: { min: 0 }, doc: 'strength' }],
  },
  l1: {
    name: 'l1',
    doc: 'adds `lambda · Σ |w|` over weights (never biases or normalization parameters)',
    params: [{ name: 'lambda', type: 'float', range: { min: 0 }, doc: 'strength' }],
  },
};

type ScheduleKind = ScheduleConfig['kind'];
const scheduleNames = Object.keys(scheduleSpecs) as ScheduleKind[];
const regularizerNames = Object.keys(regularizerSpecs) as RegularizerConfig['kind'][];

export function checkSchedule(expr: Expr, ctx: TrainContext): ScheduleConfig | undefined {
  const call = asCallLike(expr);
  const kind = call && scheduleNames.find((n) => n === call.name);
  if (!call || !kind) {
    reportUnknown(expr, call?.name, 'NETC4025', 'schedule', scheduleNames, ctx);
    return undefined;
  }
  const args = readArgs(scheduleSpecs[kind], call, ctx);
  if (!args) return undefined;
  const num = (name: string) => args.get(name) as number;
  switch (kind) {
    case 'constant':
      return { kind };
    case 'inverse':
      return { kind, decay: num('decay') };
    case 'step':
      return { kind, every: num('every'), gamma: num('gamma') };
    case 'exponential':
      return { kind, gamma: num('gamma') };
    case 'cosine':
      return { kind, total: num('total') };
  }
}

export function checkRegularizer(expr: Expr, ctx: TrainContext): RegularizerConfig | undefined {
  const call = asCallLike(expr);
  const kind = call && regularizerNames.find((n) => n === call.name);
  if (!call || !kind) {
    reportUnknown(expr, call?.name, 'NETC4026', 'regularizer', regularizerNames, ctx);
    return undefined;
  }
  const args = readArgs(regularizerSpecs[kind], call, ctx);
  return args && { kind, lambda: args.get('lambda') as number };
}

function reportUnknown(
  expr: Expr,
  name: string | undefined,
  code: 'NETC4025' | 'NETC4026',
  what: string,
  names: readonly string[],
  ctx: TrainContext,
): void {
  if (expr.kind === 'ErrorExpr') return;
  const known = `the ${what}s are ${names.map((n) => `\`${n}\``).join(', ')}`;
  if (name === undefined) {
    ctx.diagnostics.error('NETC4006', expr.span, `expected a ${what}`, { help: known });
    return;
  }
  const span = expr.kind === 'Call' ? expr.callee.span : expr.span;
  ctx.diagnostics.error(code, span, `unknown ${what} \`${name}\``, {
    help: suggestionHelp(name, names) ?? known,
  });
}
