import type { Pair, PadMode } from '../../../compiler/ir/ops.js';
import { convLoops } from './convLoops.js';

/*
 * The taps of a 2-D convolution: every (input element, weight element, output element) triple
 * that one multiply-add of conv2d joins. Convolution, both of its gradients, the transposed
 * convolution and its gradients, the pools and blur are all written as one line of arithmetic
 * per tap over this single enumeration. Walking the same triples forward and backward makes
 * every gradient the exact adjoint of its forward kernel by construction, which is the point
 * of a reference implementation.
 *
 * "Input" and "output" are the convolution's sides: the window side [N, inChannels, inH, inW]
 * and the strided side [N, outChannels, outH, outW]. The weight is laid out
 * [outChannels, inChannels/groups, kh, kw], PyTorch's conv2d layout, which is also its
 * conv_transpose2d layout [C, F, kh, kw] seen from the other side.
 */

export interface TapGeometry {
  readonly batch: number;
  readonly inChannels: number;
  readonly outChannels: number;
  readonly groups: number;
  /** [H, W] of the window side. */
  readonly inSize: Pair;
  /** [H, W] of the strided side. */
  readonly outSize: Pair;
  readonly kernel: Pair;
  readonly stride: Pair;
  /** Padding on each side of each axis of the window side: [top and bottom, left and right]. */
  readonly pad: Pair;
  readonly dilation: Pair;
  readonly padMode: PadMode;
}

/** Flat indices of one tap; `input` already accounts for reflect/replicate padding. */
export type TapVisitor = (input: number, weight: number, output: number) => void;

/**
 * Where coordinate `i` of the padded axis reads from on an axis of `size`, or −1 when it reads
 * a zero. Reflect mirrors about the edge element without repeating it (PyTorch's `reflect`),
 * which stays inside the axis because the compiler keeps the padding below the size.
 */
export function sourceIndex(i: number, size: number, mode: PadMode): number {
  if (i >= 0 && i < size) return i;
  if (mode === 'zeros') return -1;
  if (mode === 'replicate') return i < 0 ? 0 : size - 1;
  const mirrored = i < 0 ? -i : 2 * (size - 1) - i;
  if (mirrored < 0 || mirrored >= size) {
    throw new Error(`compiler bug: reflect padding reaches ${i} on an axis of size ${size}`);
  }
  return mirrored;
}

/**
 * Calls `visit` once per tap. Taps of one output element come consecutively, channel by
 * channel and each window in row-major order, so "first maximum" means first in that order.
 * Taps that fall on zero padding are skipped: they contribute nothing to a sum, and skipping
 * them is what padding with −∞ means for a max.
 */
export function forEachTap(g: TapGeometry, visit: TapVisitor): void {
  const [inH, inW] = g.inSize;
  const [outH, outW] = g.outSize;
  const [kh, kw] = g.kernel;
  const [sy, sx] = g.stride;
  const [py, px] = g.pad;
  const [dy, dx] = g.dilation;
  const inPerGroup = g.inChannels / g.groups;
  const outPerGroup = g.outChannels / g.groups;
  for (let n = 0; n < g.batch; n++) {
    for (let o = 0; o < g.outChannels; o++) {
      const firstIn = Math.floor(o / outPerGroup) * inPerGroup;
      for (let oy = 0; oy < outH; oy++) {
        for (let ox = 0; ox < outW; ox++) {
          const output = ((n * g.outChannels + o) * outH + oy) * outW + ox;
          for (let ci = 0; ci < inPerGroup; ci++) {
            const plane = (n * g.inChannels + firstIn + ci) * inH;
            for (let ky = 0; ky < kh; ky++) {
              const iy = sourceIndex(oy * sy - py + ky * dy, inH, g.padMode);
              if (iy < 0) continue;
              for (let kx = 0; kx < kw; kx++) {
                const ix = sourceIndex(ox * sx - px + kx * dx, inW, g.padMode);
                if (ix < 0) continue;
                const weight = ((o * inPerGroup + ci) * kh + ky) * kw + kx;
                visit((plane + iy) * inW + ix, weight, output);
              }
            }
          }
        }
      }
    }
  }
}

/** Which side of a tap an array is indexed by. */
export type TapRole = 'input' | 'weight' | 'output';

interface TapTable {
  readonly input: Int32Array;
  readonly weight: Int32Array;
  readonly output: Int32Array;
}

/*
 * The taps of one sample, flattened into index arrays and cached per geometry: a training
 * run calls the same convolutions thousands of times, and a tight loop over these arrays is
 * an order of magnitude faster than calling a visitor per multiply-add.
 */
const tables = new Map<string, TapTable>();
const maxCachedTaps = 1 << 24;
let cachedTaps = 0;

function tapTable(g: TapGeometry): TapTable {
  const single = { ...g, batch: 1 };
  const key = JSON.stringify(single);
  const cached = tables.get(key);
  if (cached) return cached;
  const input: number[] = [];
  const weight: number[] = [];
  const output: number[] = [];
  forEachTap(single, (i, k, o) => {
    input.push(i);
    weight.push(k);
    output.push(o);
  });
  const table = {
    input: Int32Array.from(input),
    weight: Int32Array.from(weight),
    output: Int32Array.from(output),
  };
  if (cachedTaps + input.length > maxCachedTaps) {
    tables.clear();
    cachedTaps = 0;
  }
  tables.set(key, table);
  cachedTaps += input.length;
  return table;
}

/**
 * `acc[t.accRole] += a[t.aRole] · b[t.bRole]` for every tap t, over the whole batch: the one
 * loop behind conv2d, conv_transpose2d and their gradients. Each role is a distinct array.
 */
export function sumOverTaps(
  g: TapGeometry,
  acc: Float64Array,
  accRole: TapRole,
  a: ArrayLike<number>,
  aRole: TapRole,
  b: ArrayLike<number>,
  bRole: TapRole,
): void {
  if (g.padMode === 'zeros' && accRole !== aRole && accRole !== bRole) {
    const arrays = { [accRole]: acc, [aRole]: a, [bRole]: b } as Record<TapRole, ArrayLike<number>>;
    convLoops(g, accRole, arrays.input, arrays.weight, arrays.output);
    return;
  }
  const table = tapTable(g);
  const inputStride = g.inChannels * g.inSize[0] * g.inSize[1];
  const outputStride = g.outChannels * g.outSize[0] * g.outSize[1];
  const ci = table[accRole];
  const ai = table[aRole];
  const bi = table[bRole];
  const count = ci.length;
  for (let n = 0; n < g.batch; n++) {
    const offset = (role: TapRole) =>
      role === 'input' ? n * inputStride : role === 'output' ? n * outputStride : 0;
    const oc = offset(accRole);
    const oa = offset(aRole);
    const ob = offset(bRole);
    for (let j = 0; j < count; j++) acc[ci[j]! + oc]! += a[ai[j]! + oa]! * b[bi[j]! + ob]!;
  }
}
