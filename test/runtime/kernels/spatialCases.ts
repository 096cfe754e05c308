import type { Pair } from '../../../src/compiler/ir/ops.js';
import type { PrimAttrMap } from '../../../src/runtime/program.js';
import { randomInts } from './spatialHarness.js';

/*
 * Configurations for the spatial kernel tests: output-size formulas (docs/ops.md), the
 * tensor shapes of each configuration, and seeded random configurations that include the
 * edge sizes (1, primes, stride > kernel, pad = half the window).
 */

/** out = floor((H + 2·pad − dilation·(k − 1) − 1) / stride) + 1 */
export function convOut(size: number, k: number, stride: number, pad: number, dilation = 1) {
  return Math.floor((size + 2 * pad - dilation * (k - 1) - 1) / stride) + 1;
}

/** H' = (H − 1)·stride − 2·pad + dilation·(k − 1) + outputPad + 1 */
export function transposeOut(
  size: number,
  k: number,
  stride: number,
  pad: number,
  outputPad: number,
  dilation: number,
) {
  return (size - 1) * stride - 2 * pad + dilation * (k - 1) + outputPad + 1;
}

/** Spatial sizes for random shapes: 1 and primes. */
const SIZES = [1, 2, 3, 5, 7];

// ------------------------------------------------------------------ conv2d

export type ConvAttrs = PrimAttrMap['conv2d'];

export interface ConvCase {
  readonly name: string;
  readonly batch: number;
  readonly channels: number;
  readonly size: Pair;
  readonly attrs: ConvAttrs;
}

export function convAttrs(
  partial: Partial<ConvAttrs> & Pick<ConvAttrs, 'filters' | 'kernel'>,
): ConvAttrs {
  const defaults = {
    stride: [1, 1],
    pad: [0, 0],
    dilation: [1, 1],
    groups: 1,
    bias: true,
    padMode: 'zeros',
  } as const;
  return { ...defaults, ...partial };
}

/** Shapes of x, W, b and y. */
export function convShapes(c: ConvCase) {
  const a = c.attrs;
  const outH = convOut(c.size[0], a.kernel[0], a.stride[0], a.pad[0], a.dilation[0]);
  const outW = convOut(c.size[1], a.kernel[1], a.stride[1], a.pad[1], a.dilation[1]);
  return {
    x: [c.batch, c.channels, ...c.size],
    w: [a.filters, c.channels / a.groups, ...a.kernel],
    b: [a.filters],
    y: [c.batch, a.filters, outH, outW],
  };
}

export function randomConvCases(count: number, seed: number): ConvCase[] {
  const r = randomInts(seed);
  const cases: ConvCase[] = [];
  while (cases.length < count) {
    const groups = r.pick([1, 1, 2, 3]);
    const size: Pair = [r.pick(SIZES), r.pick(SIZES)];
    const attrs = convAttrs({
      filters: groups * r.int(1, 2),
      kernel: [r.int(1, 3), r.int(1, 3)],
      stride: [r.int(1, 3), r.int(1, 3)],
      pad: [r.int(0, 2), r.int(0, 2)],
      dilation: [r.int(1, 2), r.int(1, 2)],
      groups,
      padMode: r.pick(['zeros', 'reflect', 'replicate'] as const),
    });
    const c = { name: '', batch: r.int(1, 2), channels: groups * r.int(1, 2), size, attrs };
    const { y } = convShapes(c);
    const reflectTooWide =
      attrs.padMode === 'reflect' && (attrs.pad[0] >= size[0] || attrs.pad[1] >= size[1]);
    if (y[2]! < 1 || y[3]! < 1 || reflectTooWide) continue;
    cases.push({ ...c, name: `random case ${cases.length + 1} (${describeConv(c)})` });
  }
  return cases;
}

export function describeConv(c: ConvCase): string {
  const a = c.attrs;
  return (
    `x ${[c.batch, c.channels, ...c.size].join('×')}, k ${a.kernel.join('×')}, ` +
    `stride ${a.stride}, pad ${a.pad}, dilation ${a.dilation}, groups ${a.groups}, ${a.padMode}`
  );
}

// ------------------------------------------------------------------ conv_transpose2d

export type TransposeAttrs = PrimAttrMap['conv_transpose2d'];

export interface TransposeCase {
  readonly name: string;
  readonly batch: number;
  readonly channels: number;
  readonly size: Pair;
  readonly attrs: TransposeAttrs;
}

export function transposeShapes(c: TransposeCase) {
  const a = c.attrs;
  const out = (axis: 0 | 1) =>
    transposeOut(
      c.size[axis],
      a.kernel[axis],
      a.stride[axis],
      a.pad[axis],
      a.outputPad[axis],
      a.dilation[axis],
    );
  return {
    x: [c.batch, c.channels, ...c.size],
    w: [c.channels, a.filters, ...a.kernel],
    b: [a.filters],
    y: [c.batch, a.filters, out(0), out(1)],
  };
}

export function randomTransposeCases(count: number, seed: number): TransposeCase[] {
  const r = randomInts(seed);
  const cases: TransposeCase[] = [];
  while (cases.length < count) {
    const stride: Pair = [r.int(1, 3), r.int(1, 3)];
    const dilation: Pair = [r.int(1, 2), r.int(1, 2)];
    // PyTorch accepts an output padding below the stride or below the dilation.
    const outputPad: Pair = [
      r.int(0, Math.max(stride[0], dilation[0]) - 1),
      r.int(0, Math.max(stride[1], dilation[1]) - 1),
    ];
    const attrs: TransposeAttrs = {
      filters: r.int(1, 3),
      kernel: [r.int(1, 3), r.int(1, 3)],
      stride,
      pad: [r.int(0, 2), r.int(0, 2)],
      outputPad,
      dilation,
      bias: true,
    };
    const c = {
      name: '',
      batch: r.int(1, 2),
      channels: r.int(1, 3),
      size: [r.pick(SIZES.slice(0, 4)), r.pick(SIZES.slice(0, 4))] as const,
      attrs,
    };
    const { y } = transposeShapes(c);
    if (y[2]! < 1 || y[3]! < 1) continue;
    cases.push({ ...c, name: `random case ${cases.length + 1} (${describeTranspose(c)})` });
  }
  return cases;
}

export function describeTranspose(c: TransposeCase): string {
  const a = c.attrs;
  return (
    `x ${[c.batch, c.channels, ...c.size].join('×')}, k ${a.kernel.join('×')}, ` +
    `stride ${a.stride}, pad ${a.pad}, outputPad ${a.outputPad}, dilation ${a.dilation}`
  );
}

// ------------------------------------------------------------------ pools

export type PoolAttrs = PrimAttrMap['maxpool'];

export interface PoolCase {
  readonly name: string;
  readonly batch: number;
  readonly channels: number;
  readonly size: Pair;
  readonly attrs: PoolAttrs;
}

export function poolShapes(c: PoolCase) {
  const a = c.attrs;
  return {
    x: [c.batch, c.channels, ...c.size],
    y: [
      c.batch,
      c.channels,
      convOut(c.size[0], a.kernel[0], a.stride[0], a.pad[0]),
      convOut(c.size[1], a.kernel[1], a.stride[1], a.pad[1]),
    ],
  };
}

export function randomPoolCases(count: number, seed: number): PoolCase[] {
  const r = randomInts(seed);
  const cases: PoolCase[] = [];
  while (cases.length < count) {
    const kernel: Pair = [r.int(1, 3), r.int(1, 3)];
    const attrs: PoolAttrs = {
      kernel,
      stride: [r.int(1, 3), r.int(1, 3)],
      // At most half the window, as the compiler enforces.
      pad: [r.int(0, Math.floor(kernel[0] / 2)), r.int(0, Math.floor(kernel[1] / 2))],
    };
    const c = {
      name: '',
      batch: r.int(1, 2),
      channels: r.int(1, 3),
      size: [r.pick(SIZES), r.pick(SIZES)] as const,
      attrs,
    };
    const { y } = poolShapes(c);
    if (y[2]! < 1 || y[3]! < 1) continue;
    cases.push({ ...c, name: `random case ${cases.length + 1} (${describePool(c)})` });
  }
  return cases;
}

export function describePool(c: PoolCase): string {
  const a = c.attrs;
  return `x ${[c.batch, c.channels, ...c.size].join('×')}, k ${a.kernel.join('×')}, stride ${a.stride}, pad ${a.pad}`;
}
