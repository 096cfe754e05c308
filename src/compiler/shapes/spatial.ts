import type { OpKind, Pair } from '../ir/ops.js';
import type { Padding } from './args.js';
import { checkPair } from './checks.js';
import { checkedAdd, checkedMul, MAX_DIMENSION } from './exact.js';
import { fail, type Failure } from './failure.js';
import { formatPairArg, formatSize } from './format.js';

/*
 * Sliding-window arithmetic shared by convolution and pooling, per spatial axis:
 *   output = floor((H + 2p - d(k-1) - 1) / s) + 1          (convolution, pooling)
 *   output = (H - 1)s - 2p + d(k-1) + output_pad + 1        (transposed convolution)
 */

/** d(k-1) + 1, how many input positions one window spans; `undefined` past 2^53 - 1. */
function extentOf(kernel: number, dilation: number): number | undefined {
  return checkedAdd(checkedMul(dilation, kernel - 1), 1);
}

function extents(kernel: Pair, dilation: Pair) {
  return [extentOf(kernel[0], dilation[0]), extentOf(kernel[1], dilation[1])] as const;
}

function describeKernel(kernel: Pair, dilation: Pair): string {
  if (dilation[0] === 1 && dilation[1] === 1) return `kernel ${formatSize(kernel)}`;
  const [eh, ew] = extents(kernel, dilation);
  const spans = eh === undefined || ew === undefined ? 'too far' : formatSize([eh, ew]);
  return `kernel ${formatSize(kernel)} with dilation ${formatPairArg(dilation)} (spanning ${spans})`;
}

/**
 * Turns `pad` into per-side padding. `same` pads (extent - 1) / 2 on each side, which keeps the
 * size at stride 1 and gives ceil(size / stride) outputs at larger strides (Keras's `same`
 * output size, with PyTorch's symmetric padding, as torchvision's ResNet uses). That needs an
 * odd window extent; `valid` is no padding.
 */
export function resolvePadding(padding: Padding, kernel: Pair, dilation: Pair): Pair | Failure {
  if ('kind' in padding) {
    if (padding.kind === 'valid') return [0, 0];
    const [eh, ew] = extents(kernel, dilation);
    if (eh === undefined || ew === undefined) {
      return fail('NETC3012', `the ${describeKernel(kernel, dilation)} is too large`, {
        arg: 'dilation',
      });
    }
    const half: Pair = [Math.floor((eh - 1) / 2), Math.floor((ew - 1) / 2)];
    const odd = eh % 2 === 1 && ew % 2 === 1;
    if (!odd) {
      return fail(
        'NETC3003',
        `\`pad=same\` needs an odd kernel extent, got ${describeKernel(kernel, dilation)}`,
        {
          arg: 'pad',
          help: 'an even window cannot keep the size with equal padding on both sides; use an odd kernel, or an explicit `pad`',
        },
      );
    }
    return half;
  }
  return checkPair('pad', padding, 0) ?? padding;
}

/** Outputs along one axis, or `undefined` if the window does not fit even once. */
function slideAxis(size: number, k: number, s: number, p: number, d: number): number | undefined {
  const extent = extentOf(k, d);
  const free = extent === undefined ? -1 : size + 2 * p - extent;
  return free < 0 ? undefined : Math.floor(free / s) + 1;
}

/** Output (height, width) of a sliding window, or why the window does not fit. */
export function slideWindow(
  op: OpKind,
  input: Pair,
  kernel: Pair,
  stride: Pair,
  pad: Pair,
  dilation: Pair,
): Pair | Failure {
  const height = slideAxis(input[0], kernel[0], stride[0], pad[0], dilation[0]);
  const width = slideAxis(input[1], kernel[1], stride[1], pad[1], dilation[1]);
  if (height !== undefined && width !== undefined) return [height, width];
  return fail(
    'NETC3002',
    `${describeKernel(kernel, dilation)} does not fit input ${formatSize(input)} (with padding ${formatPairArg(pad)})`,
    {
      help:
        op === 'conv2d'
          ? 'use a smaller kernel or more padding, or downsample less before this layer'
          : 'use a smaller kernel, or downsample less before this layer',
    },
  );
}

/** (H - 1)s - 2p + d(k - 1) + output_pad + 1; `undefined` past 2^53 - 1. */
function transposeAxis(
  size: number,
  k: number,
  s: number,
  p: number,
  outputPad: number,
  d: number,
): number | undefined {
  const grown = checkedMul(size - 1, s);
  const spread = checkedMul(d, k - 1);
  return checkedAdd(checkedAdd(grown, spread), outputPad + 1 - 2 * p);
}

/** Output (height, width) of a transposed convolution, or why it has none. */
export function transposeWindow(
  input: Pair,
  kernel: Pair,
  stride: Pair,
  pad: Pair,
  outputPad: Pair,
  dilation: Pair,
): Pair | Failure {
  const height = transposeAxis(input[0], kernel[0], stride[0], pad[0], outputPad[0], dilation[0]);
  const width = transposeAxis(input[1], kernel[1], stride[1], pad[1], outputPad[1], dilation[1]);
  if (height === undefined || width === undefined) {
    return fail(
      'NETC3012',
      `the output of \`conv_transpose2d\` on input ${formatSize(input)} would be larger than ${MAX_DIMENSION} (2^31 - 1)`,
    );
  }
  if (height < 1 || width < 1) {
    return fail(
      'NETC3002',
      `padding ${formatPairArg(pad)} leaves no output: \`conv_transpose2d\` on input ${formatSize(input)} would give ${height}×${width}`,
      { arg: 'pad', help: 'use a smaller `pad`' },
    );
  }
  return [height, width];
}
