import { suggestionHelp } from '../diagnostics/didYouMean.js';
import type { Span } from '../source.js';
import type { NoiseDecl } from '../syntax/ast.js';
import { asCallLike, maxCount, readArgs, type FunctionSpec } from './args.js';
import type { TrainContext } from './context.js';
import type { NoiseConfig, NoiseDistribution } from './trainConfig.js';

/** The largest rank a noise tensor may have (as for every shape in the language). */
const maxRank = 8;

export const noiseSpecs: { readonly [K in NoiseDistribution['kind']]: FunctionSpec } = {
  normal: {
    name: 'normal',
    doc: 'Gaussian noise (`torch.randn` for the defaults)',
    params: [
      { name: 'mean', type: 'float', default: 0, doc: 'mean' },
      {
        name: 'std',
        type: 'float',
        default: 1,
        range: { min: 0, minOpen: true },
        doc: 'standard deviation',
      },
    ],
  },
  uniform: {
    name: 'uniform',
    doc: 'uniform noise on [low, high) (`torch.rand` for the defaults)',
    params: [
      { name: 'low', type: 'float', default: 0, doc: 'lower bound' },
      { name: 'high', type: 'float', default: 1, doc: 'upper bound' },
    ],
  },
};

const distributionNames = Object.keys(noiseSpecs) as NoiseDistribution['kind'][];

export interface CheckedNoise {
  readonly noise: readonly NoiseConfig[];
  /** Names of declarations with errors, so their uses are not reported again. */
  readonly broken: readonly string[];
}

/**
 * `noise z: [100] ~ normal`: a fresh random tensor per sample, usable in losses. `taken`
 * holds names already meaning something in losses (data fields, outputs) with what they are.
 */
export function checkNoise(
  decls: readonly NoiseDecl[],
  taken: ReadonlyMap<string, string>,
  ctx: TrainContext,
): CheckedNoise {
  const noise: NoiseConfig[] = [];
  const broken: string[] = [];
  const declared = new Map<string, Span>();
  for (const decl of decls) {
    const name = decl.name.name;
    const first = declared.get(name);
    if (first || taken.has(name)) {
      ctx.diagnostics.error(
        'NETC4036',
        decl.name.span,
        first
          ? `noise \`${name}\` is declared twice`
          : `noise \`${name}\` has the name of ${taken.get(name)}`,
        {
          ...(first ? { labels: [{ span: first, message: 'first declared here' }] } : {}),
          help: 'give the noise another name, e.g. `z`',
        },
      );
      continue;
    }
    declared.set(name, decl.name.span);
    const shape = checkNoiseShape(decl, ctx);
    const distribution = checkDistribution(decl, ctx);
    if (shape && distribution) noise.push({ name, shape, distribution, span: decl.span });
    else broken.push(name);
  }
  return { noise, broken };
}

function checkNoiseShape(decl: NoiseDecl, ctx: TrainContext): number[] | undefined {
  const value = ctx.evalConst(decl.shape);
  if (value === undefined) return undefined;
  const dims =
    value.kind === 'list' ? value.items.map((d) => (d.kind === 'int' ? d.value : NaN)) : [];
  if (value.kind !== 'list' || dims.length === 0 || dims.some((d) => Number.isNaN(d))) {
    ctx.diagnostics.error(
      'NETC4006',
      decl.shape.span,
      'a noise shape is a list of ints such as `[100]`',
    );
    return undefined;
  }
  if (dims.length > maxRank || dims.some((d) => d < 1 || d > maxCount)) {
    ctx.diagnostics.error(
      'NETC4007',
      decl.shape.span,
      dims.length > maxRank
        ? `a noise shape has at most ${maxRank} dimensions, got ${dims.length}`
        : `noise dimensions must be in [1, ${maxCount}]`,
    );
    return undefined;
  }
  return dims;
}

function checkDistribution(decl: NoiseDecl, ctx: TrainContext): NoiseDistribution | undefined {
  const expr = decl.distribution;
  const call = asCallLike(expr);
  const kind = call && distributionNames.find((n) => n === call.name);
  if (!call || !kind) {
    if (expr.kind === 'ErrorExpr') return undefined;
    const span = expr.kind === 'Call' ? expr.callee.span : expr.span;
    ctx.diagnostics.error(
      'NETC4037',
      span,
      call ? `unknown noise distribution \`${call.name}\`` : 'expected a noise distribution',
      {
        help:
          (call && suggestionHelp(call.name, distributionNames)) ??
          'write `~ normal` or `~ uniform`',
      },
    );
    return undefined;
  }
  const args = readArgs(noiseSpecs[kind], call, ctx);
  if (!args) return undefined;
  const num = (name: string) => args.get(name) as number;
  if (kind === 'normal') return { kind, mean: num('mean'), std: num('std') };
  if (!(num('low') < num('high'))) {
    ctx.diagnostics.error(
      'NETC4012',
      call.span,
      `\`uniform\` needs \`low\` below \`high\`, got ${num('low')} and ${num('high')}`,
    );
    return undefined;
  }
  return { kind, low: num('low'), high: num('high') };
}
