import type { Pair } from '../../ir/ops.js';
import { boolArg, pairArg, paddingArg } from '../args.js';
import { checkPair } from '../checks.js';
import { fail, type Failure } from '../failure.js';
import { formatPairArg, formatSize } from '../format.js';
import { image, isFailure, single } from '../inputs.js';
import type { AttrsResult, BoundArgs, OpSpec } from '../opSpec.js';
import { inferred } from '../result.js';
import { resolvePadding, slideWindow } from '../spatial.js';

/*
 * Window pooling. `stride` defaults to the kernel size: its declared default is the string
 * 'k', which no user value can be (a `pair` argument is always converted to numbers), and
 * `attrs` replaces it with the kernel. See `ArgSpec.default` in opSpec.ts.
 */

type PoolKind = 'maxpool' | 'avgpool';

/** The default of `stride`: the name of the argument whose value it takes. */
export const STRIDE_DEFAULTS_TO = 'k';

const noDilation: Pair = [1, 1];

/** PyTorch's pools refuse padding beyond half the window (it would make all-padding windows). */
function padFailure(pad: Pair, kernel: Pair): Failure | undefined {
  if (2 * pad[0] <= kernel[0] && 2 * pad[1] <= kernel[1]) return undefined;
  const most: Pair = [Math.floor(kernel[0] / 2), Math.floor(kernel[1] / 2)];
  return fail(
    'NETC3004',
    `padding ${formatPairArg(pad)} is more than half the kernel ${formatSize(kernel)}`,
    {
      arg: 'pad',
      help: `pooling pads at most half the kernel: use \`pad=${formatPairArg(most)}\` or less`,
    },
  );
}

function poolAttrs<K extends PoolKind>(args: BoundArgs): AttrsResult<K> {
  const kernel = pairArg(args, 'k');
  const stride = args['stride'] === STRIDE_DEFAULTS_TO ? kernel : pairArg(args, 'stride');
  const failure = checkPair('k', kernel, 1) ?? checkPair('stride', stride, 1);
  if (failure !== undefined) return failure;
  const pad = resolvePadding(paddingArg(args, 'pad'), kernel, noDilation);
  if (isFailure(pad)) return pad;
  return (
    padFailure(pad, kernel) ?? {
      ok: true,
      attrs: { kernel, stride, pad, antialias: boolArg(args, 'antialias') },
    }
  );
}

function poolSpec<K extends PoolKind>(kind: K, doc: string): OpSpec<K> {
  return {
    kind,
    doc,
    arity: 1,
    args: [
      { name: 'k', type: { kind: 'pair' }, doc: 'window size: an int or `(kh, kw)`' },
      {
        name: 'stride',
        type: { kind: 'pair' },
        default: STRIDE_DEFAULTS_TO,
        doc: 'step between windows: an int or `(sh, sw)`; defaults to the window size `k`',
      },
      {
        name: 'pad',
        type: { kind: 'padding' },
        default: 0,
        doc: 'padding per side (at most half the window), `same` (stride 1) or `valid`',
      },
      {
        name: 'antialias',
        type: { kind: 'bool' },
        default: false,
        doc: 'blur before subsampling (Zhang 2019) so the output shifts less with the input',
      },
    ],
    attrs: poolAttrs,
    infer(inputs, attrs) {
      const input = single(kind, inputs);
      if (isFailure(input)) return input;
      const picture = image(kind, input);
      if (isFailure(picture)) return picture;
      const [channels, height, width] = picture;
      const { kernel, stride, pad } = attrs;
      const out = slideWindow(kind, [height, width], kernel, stride, pad, noDilation);
      if (isFailure(out)) return out;
      return inferred(kind, { shape: [channels, out[0], out[1]], macs: 0 });
    },
  };
}

export const maxpool = poolSpec('maxpool', 'Max pooling: the largest value of each window.');

export const avgpool = poolSpec(
  'avgpool',
  'Average pooling: the mean of each window; zero padding counts toward the divisor.',
);

function globalPoolSpec<K extends 'global_avgpool' | 'global_maxpool'>(
  kind: K,
  doc: string,
): OpSpec<K> {
  return {
    kind,
    doc,
    arity: 1,
    args: [],
    attrs: () => ({ ok: true, attrs: {} }),
    infer(inputs) {
      const input = single(kind, inputs);
      if (isFailure(input)) return input;
      const picture = image(kind, input);
      if (isFailure(picture)) return picture;
      return inferred(kind, { shape: [picture[0]], macs: 0 });
    },
  };
}

export const global_avgpool = globalPoolSpec(
  'global_avgpool',
  'The mean of each channel over all positions: [C, H, W] → [C].',
);

export const global_maxpool = globalPoolSpec(
  'global_maxpool',
  'The largest value of each channel over all positions: [C, H, W] → [C].',
);
