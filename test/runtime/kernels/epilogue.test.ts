import { describe, expect, it } from 'vitest';
import type { Kernel } from '../../../src/runtime/cpu/kernel.js';
import { cpuKernels as k } from '../../../src/runtime/cpu/kernels/index.js';
import type {
  ActivationGrad,
  EpilogueActivation,
  PrimAttrMap,
  PrimKind,
} from '../../../src/runtime/program.js';
import { runtimeShapeRules, ShapeError } from '../../../src/runtime/runtimeShapes.js';
import { callKernel, size, testValues, type TensorArg } from '../../helpers/kernels.js';
import { valuesAwayFromZero } from './gradcheck.js';
import {
  convAttrs,
  convShapes,
  describeConv,
  describePool,
  poolShapes,
  randomConvCases,
  randomPoolCases,
  type ConvCase,
  type PoolCase,
} from './spatialCases.js';
import { distinctValues, expectClose, run1, tensor } from './spatialHarness.js';

/*
 * Epilogue fusion on the CPU: dense and conv2d with `activation`, and the input gradients
 * and pool gradients with `activationGrad`, against the unfused pair of kernels they
 * replace, in float64. Both sides take the same float64 sums through the same scalar
 * formulas (cpu/kernels/epilogue.ts), so they must agree bit for bit (NaN where NaN); the
 * tests also check that the epilogue changed something, so a kernel that ignores the
 * attribute fails. `activation_grad` itself is checked against central finite differences
 * of the activation: dY·act'(y) with y = act(x) against dY·(act(x + e) − act(x − e))/2e,
 * e = 1e-6, for x at least 0.01 from the kinks. The error of that quotient is the
 * truncation e²·|act'''|/6 < 1e-12 plus the rounding of act(x ± e), about 1e-16·|act|/e ≤
 * 1e-9 here: atol 1e-8, rtol 1e-6.
 */

const FD_EPS = 1e-6;
const FD_TOL = { atol: 1e-8, rtol: 1e-6 };

const activations: readonly EpilogueActivation[] = [
  { kind: 'relu', alpha: 0 },
  { kind: 'sigmoid', alpha: 0 },
  { kind: 'tanh', alpha: 0 },
  { kind: 'softplus', alpha: 0 },
  { kind: 'gelu', alpha: 0 },
  { kind: 'elu', alpha: 1 },
  { kind: 'elu', alpha: 0.4 },
  { kind: 'leaky_relu', alpha: 0.01 },
  { kind: 'leaky_relu', alpha: 0.3 },
];

const grads: readonly ActivationGrad[] = [
  { kind: 'relu', alpha: 0 },
  { kind: 'sigmoid', alpha: 0 },
  { kind: 'tanh', alpha: 0 },
  { kind: 'elu', alpha: 1 },
  { kind: 'elu', alpha: 0.4 },
  { kind: 'leaky_relu', alpha: 0.01 },
  { kind: 'leaky_relu', alpha: 0.3 },
];

const label = (a: EpilogueActivation | ActivationGrad) =>
  a.kind === 'elu' || a.kind === 'leaky_relu' ? `${a.kind}(${a.alpha})` : a.kind;

/** The stand-alone activation kernel applied to `x`. */
function activate(a: EpilogueActivation, x: TensorArg): Float64Array {
  const attrs = a.kind === 'elu' || a.kind === 'leaky_relu' ? { alpha: a.alpha } : {};
  const kernel = k[a.kind] as Kernel<PrimKind>;
  return run1(kernel, attrs as never, [x], x.shape) as Float64Array;
}

/** The stand-alone `activation_grad` [y, dY] → [dX]. */
function activationGrad(g: ActivationGrad, y: TensorArg, dy: ArrayLike<number>): Float64Array {
  return run1(k.activation_grad, g, [y, { data: dy, shape: y.shape }], y.shape) as Float64Array;
}

/** Bit-for-bit equality, NaN equal to NaN; lists the elements that differ. */
function expectIdentical(actual: ArrayLike<number>, expected: ArrayLike<number>, what: string) {
  expect(actual.length, `${what}: length`).toBe(expected.length);
  const bad: string[] = [];
  for (let i = 0; i < expected.length; i++) {
    if (!Object.is(actual[i], expected[i])) bad.push(`[${i}] ${actual[i]} ≠ ${expected[i]}`);
  }
  expect(bad, what).toEqual([]);
}

/**
 * That the epilogue changed the stored values, so a kernel that ignores the attribute fails.
 * relu, leaky_relu and elu (and their derivatives) leave positive values alone, so a case
 * whose `pivots` (pre-activations, or activation outputs) are all positive cannot show it.
 */
function expectChanged(
  fused: ArrayLike<number>,
  base: ArrayLike<number>,
  kind: string,
  pivots: ArrayLike<number>,
  what: string,
) {
  const identityOnPositives = kind === 'relu' || kind === 'leaky_relu' || kind === 'elu';
  if (identityOnPositives && Array.from(pivots).every((v) => v > 0)) return;
  const changed = Array.from(fused).some((v, i) => !Object.is(v, base[i]));
  expect(changed, `${what}: the epilogue changed nothing`).toBe(true);
}

/** y = act(x) for x in [−2, 2): an activation output in the activation's range. */
function activationOutput(g: ActivationGrad, shape: readonly number[], seed: number): TensorArg {
  const x = { data: testValues(size(shape), seed).map((v) => 2 * v), shape };
  return { data: Array.from(activate(g, x)), shape };
}

// ------------------------------------------------------------------ forward

const denseSizes = [
  [1, 1, 1],
  [3, 5, 7],
  [4, 13, 2],
] as const;

describe('dense with an activation equals dense, then the activation kernel', () => {
  for (const a of activations) {
    for (const [rows, depth, units] of denseSizes) {
      for (const bias of [true, false]) {
        it(`${label(a)} on ${rows}×${depth} → ${units}${bias ? ' with bias' : ''}`, () => {
          // Scaled so the pre-activations reach both sides of 0 and beyond ±1.
          const x = { data: testValues(rows * depth, 1).map((v) => 3 * v), shape: [rows, depth] };
          const w = tensor([units, depth], 2);
          const inputs = bias ? [x, w, tensor([units], 3)] : [x, w];
          const base = run1(k.dense, { bias }, inputs, [rows, units]);
          const fused = run1(k.dense, { bias, activation: a }, inputs, [rows, units]);
          const unfused = activate(a, { data: base, shape: [rows, units] });
          expectIdentical(fused, unfused, label(a));
          expectChanged(fused, base, a.kind, base, label(a));
        });
      }
    }
  }

  it('passes a NaN through as the stand-alone activations do', () => {
    const x = { data: [0.5, Number.NaN, -1, 2, 0.25, -0.5], shape: [2, 3] };
    const w = tensor([4, 3], 4);
    for (const a of activations) {
      const base = run1(k.dense, { bias: false }, [x, w], [2, 4]);
      const fused = run1(k.dense, { bias: false, activation: a }, [x, w], [2, 4]);
      expectIdentical(fused, activate(a, { data: base, shape: [2, 4] }), label(a));
      expect(Array.from(fused.slice(0, 4)).every(Number.isNaN), label(a)).toBe(true);
    }
  });
});

const convCases: ConvCase[] = [
  {
    name: 'a 1×1 image and kernel',
    batch: 1,
    channels: 1,
    size: [1, 1],
    attrs: convAttrs({ filters: 1, kernel: [1, 1] }),
  },
  {
    name: 'prime sizes, stride above the kernel',
    batch: 2,
    channels: 3,
    size: [7, 5],
    attrs: convAttrs({ filters: 5, kernel: [2, 3], stride: [3, 4], pad: [1, 0] }),
  },
  {
    name: 'two groups with reflect padding, no bias',
    batch: 2,
    channels: 4,
    size: [5, 6],
    attrs: convAttrs({
      filters: 6,
      kernel: [3, 2],
      pad: [1, 1],
      groups: 2,
      padMode: 'reflect',
      bias: false,
    }),
  },
  ...randomConvCases(4, 61),
];

describe('conv2d with an activation equals conv2d, then the activation kernel', () => {
  for (const c of convCases) {
    it(`for ${c.name}`, () => {
      const s = convShapes(c);
      const x = { data: testValues(size(s.x), 5).map((v) => 3 * v), shape: s.x };
      const inputs = c.attrs.bias ? [x, tensor(s.w, 6), tensor(s.b, 7)] : [x, tensor(s.w, 6)];
      const base = run1(k.conv2d, c.attrs, inputs, s.y);
      for (const a of activations) {
        const fused = run1(k.conv2d, { ...c.attrs, activation: a }, inputs, s.y);
        const what = `${label(a)}, ${describeConv(c)}`;
        expectIdentical(fused, activate(a, { data: base, shape: s.y }), what);
        expectChanged(fused, base, a.kind, base, what);
      }
    });
  }
});

// ------------------------------------------------------------------ backward

/**
 * Checks a gradient kernel with `activationGrad` against the kernel without it followed by
 * `activation_grad`, for every kind; `run` calls the kernel with or without y.
 */
function expectFusedGrad(
  dxShape: readonly number[],
  run: (grad: ActivationGrad | undefined, y: TensorArg | undefined) => ArrayLike<number>,
  what: string,
) {
  const base = run(undefined, undefined);
  for (const g of grads) {
    const y = activationOutput(g, dxShape, 8);
    const fused = run(g, y);
    const context = `${label(g)}, ${what}`;
    expectIdentical(fused, activationGrad(g, y, base), context);
    expectChanged(fused, base, g.kind, y.data, context);
  }
}

describe('input gradients with activationGrad equal the gradient, then activation_grad', () => {
  for (const [rows, depth, units] of denseSizes) {
    it(`dense_grad_input on ${rows}×${depth} → ${units}`, () => {
      const dy = tensor([rows, units], 9);
      const w = tensor([units, depth], 10);
      expectFusedGrad(
        [rows, depth],
        (grad, y) =>
          run1(k.dense_grad_input, grad ? { activationGrad: grad } : {}, y ? [dy, w, y] : [dy, w], [
            rows,
            depth,
          ]),
        `${rows}×${depth} → ${units}`,
      );
    });
  }

  for (const c of convCases) {
    it(`conv2d_grad_input for ${c.name}`, () => {
      const s = convShapes(c);
      const dy = tensor(s.y, 11);
      const w = tensor(s.w, 12);
      expectFusedGrad(
        s.x,
        (grad, y) =>
          run1(
            k.conv2d_grad_input,
            grad ? { ...c.attrs, activationGrad: grad } : c.attrs,
            y ? [dy, w, y] : [dy, w],
            s.x,
          ),
        describeConv(c),
      );
    });
  }
});

const poolCases: PoolCase[] = [
  { name: 'a 1×1 map', batch: 1, channels: 1, size: [1, 1], attrs: poolAttrs([1, 1], [1, 1]) },
  {
    name: 'overlapping 3×3 windows with padding',
    batch: 2,
    channels: 3,
    size: [7, 5],
    attrs: poolAttrs([3, 3], [1, 1], [1, 1]),
  },
  {
    name: 'the stride above the window',
    batch: 1,
    channels: 2,
    size: [11, 7],
    attrs: poolAttrs([2, 2], [3, 3]),
  },
  ...randomPoolCases(4, 67),
];

function poolAttrs(
  kernel: readonly [number, number],
  stride: readonly [number, number],
  pad: readonly [number, number] = [0, 0],
): PrimAttrMap['maxpool'] {
  return { kernel, stride, pad };
}

describe('pool gradients with activationGrad equal the gradient, then activation_grad', () => {
  for (const c of poolCases) {
    it(`maxpool_grad and avgpool_grad for ${c.name}`, () => {
      const s = poolShapes(c);
      const x = { data: distinctValues(size(s.x), 13), shape: s.x };
      const dy = tensor(s.y, 14);
      const attrs = (grad: ActivationGrad | undefined) =>
        grad ? { ...c.attrs, activationGrad: grad } : c.attrs;
      expectFusedGrad(
        s.x,
        (grad, y) => run1(k.maxpool_grad, attrs(grad), y ? [x, dy, y] : [x, dy], s.x),
        `maxpool_grad, ${describePool(c)}`,
      );
      expectFusedGrad(
        s.x,
        (grad, y) => run1(k.avgpool_grad, attrs(grad), y ? [dy, y] : [dy], s.x),
        `avgpool_grad, ${describePool(c)}`,
      );
    });
  }

  it('refuse to run without the activation output (a compiler bug)', () => {
    const c = poolCases[1]!;
    const s = poolShapes(c);
    const attrs = { ...c.attrs, activationGrad: grads[0]! };
    expect(() => run1(k.avgpool_grad, attrs, [tensor(s.y, 1)], s.x)).toThrow(/compiler bug/);
    expect(() =>
      run1(
        k.dense_grad_input,
        { activationGrad: grads[0]! },
        [tensor([2, 3], 1), tensor([3, 4], 2)],
        [2, 4],
      ),
    ).toThrow(/compiler bug/);
  });
});

// ------------------------------------------------------------------ activation_grad

describe('activation_grad is the derivative of the activation, written from its output', () => {
  for (const g of grads) {
    it(`${label(g)} matches central finite differences away from the kink`, () => {
      const shape = [3, 17];
      const x = { data: valuesAwayFromZero(size(shape), 21, 3, 0.01), shape };
      const dy = testValues(size(shape), 22);
      const y = { data: Array.from(activate(g, x)), shape };
      const up = activate(g, { data: x.data.map((v) => v + FD_EPS), shape });
      const down = activate(g, { data: x.data.map((v) => v - FD_EPS), shape });
      const numeric = dy.map((d, i) => (d * (up[i]! - down[i]!)) / (2 * FD_EPS));
      expectClose(activationGrad(g, y, dy), numeric, FD_TOL, label(g));
    });
  }

  it('agrees with the gradient kernels that read x (or y), to rounding', () => {
    const shape = [4, 9];
    const x = { data: valuesAwayFromZero(size(shape), 23, 3, 0.01), shape };
    const dy = { data: testValues(size(shape), 24), shape };
    const tight = { atol: 1e-15, rtol: 1e-12 };
    for (const g of grads) {
      const y = { data: Array.from(activate(g, x)), shape };
      const attrs = g.kind === 'elu' || g.kind === 'leaky_relu' ? { alpha: g.alpha } : {};
      const saved = g.kind === 'sigmoid' || g.kind === 'tanh' ? y : x;
      const kernel = k[`${g.kind}_grad`] as Kernel<PrimKind>;
      const reference = run1(kernel, attrs as never, [saved, dy], shape);
      expectClose(activationGrad(g, y, dy.data), reference, tight, label(g));
    }
  });

  it('takes the x ≤ 0 side at the kink, as relu_grad, leaky_relu_grad and elu_grad do', () => {
    // act(0) = 0 for all three, so y = 0 is the kink.
    const y = { data: [0], shape: [1] };
    expect(Array.from(activationGrad({ kind: 'relu', alpha: 0 }, y, [2]))).toEqual([0]);
    expect(Array.from(activationGrad({ kind: 'leaky_relu', alpha: 0.1 }, y, [2]))).toEqual([0.2]);
    expect(Array.from(activationGrad({ kind: 'elu', alpha: 0.5 }, y, [2]))).toEqual([1]);
    const eluAtZero = run1(k.elu_grad, { alpha: 0.5 }, [y, { data: [2], shape: [1] }], [1]);
    expect(Array.from(eluAtZero)).toEqual([1]);
  });

  it('computes in float32 when given float32 buffers', () => {
    const shape = [7];
    const y = { data: testValues(7, 25).map((v) => (v + 1) / 2), shape };
    const dy = { data: testValues(7, 26), shape };
    const [dx] = callKernel(k.activation_grad, grads[1]!, [y, dy], [shape], {
      precision: 'float32',
    });
    expect(dx).toBeInstanceOf(Float32Array);
    const expected = y.data.map((v, i) => {
      const y32 = Math.fround(v);
      return Math.fround(dy.data[i]!) * y32 * (1 - y32);
    });
    expectClose(dx!, expected, { atol: 1e-7, rtol: 1e-6 });
  });
});

// ------------------------------------------------------------------ run-time shape rules

describe('the run-time shape rules of the fused forms', () => {
  const relu: ActivationGrad = { kind: 'relu', alpha: 0 };

  it('activation_grad maps [y, dY] of one shape to that shape, and refuses two shapes', () => {
    expect(
      runtimeShapeRules.activation_grad(
        relu,
        [
          [2, 3],
          [2, 3],
        ],
        [],
      ),
    ).toEqual([[2, 3]]);
    expect(() =>
      runtimeShapeRules.activation_grad(
        relu,
        [
          [2, 3],
          [3, 2],
        ],
        [],
      ),
    ).toThrow(ShapeError);
  });

  it('dense_grad_input takes y of dX’s shape last, only with activationGrad', () => {
    const rule = runtimeShapeRules.dense_grad_input;
    const fused = { activationGrad: relu };
    expect(
      rule(
        fused,
        [
          [4, 7],
          [7, 5],
          [4, 5],
        ],
        [],
      ),
    ).toEqual([[4, 5]]);
    expect(() =>
      rule(
        fused,
        [
          [4, 7],
          [7, 5],
          [4, 7],
        ],
        [],
      ),
    ).toThrow(/activation output/);
    expect(() =>
      rule(
        fused,
        [
          [4, 7],
          [7, 5],
        ],
        [],
      ),
    ).toThrow(/expects 3 inputs/);
    expect(() =>
      rule(
        {},
        [
          [4, 7],
          [7, 5],
          [4, 5],
        ],
        [],
      ),
    ).toThrow(/expects 2 inputs/);
  });

  it('conv2d_grad_input, maxpool_grad and avgpool_grad check y against the forward input', () => {
    const conv = {
      ...convAttrs({ filters: 3, kernel: [3, 3], pad: [1, 1] }),
      activationGrad: relu,
    };
    const x = [2, 4, 5, 5];
    const dy = [2, 3, 5, 5];
    const w = [3, 4, 3, 3];
    expect(runtimeShapeRules.conv2d_grad_input(conv, [dy, w, x], [x])).toEqual([x]);
    expect(() => runtimeShapeRules.conv2d_grad_input(conv, [dy, w, dy], [x])).toThrow(ShapeError);
    const pool = { ...poolAttrs([2, 2], [2, 2]), activationGrad: relu };
    const pooled = [2, 4, 2, 2];
    expect(runtimeShapeRules.maxpool_grad(pool, [x, pooled, x], [])).toEqual([x]);
    expect(() => runtimeShapeRules.maxpool_grad(pool, [x, pooled, pooled], [])).toThrow(ShapeError);
    expect(runtimeShapeRules.avgpool_grad(pool, [pooled, x], [x])).toEqual([x]);
    expect(() => runtimeShapeRules.avgpool_grad(pool, [pooled], [x])).toThrow(/expects 2 inputs/);
    expect(() => runtimeShapeRules.avgpool_grad(pool, [pooled, pooled], [x])).toThrow(ShapeError);
  });
});
