import { describe, expect, it } from 'vitest';
import type { Buffer, Kernel } from '../../../src/runtime/cpu/kernel.js';
import { cpuKernels } from '../../../src/runtime/cpu/kernels/index.js';
import type { PrimAttrMap, PrimKind } from '../../../src/runtime/program.js';
import { runtimeShapeRules, type RuntimeShapeRule } from '../../../src/runtime/runtimeShapes.js';
import { callKernel, size, testValues, type TensorArg } from '../../helpers/kernels.js';
import { convAttrs, convShapes, randomConvCases, type ConvCase } from './spatialCases.js';

/*
 * The fused kernels against the kernels they fuse, in float64: a weight gradient with
 * `biasGrad` writes dW as without it and db as `bias_grad` of dY; a `_with_grad` loss writes
 * the loss and the `_grad` output of the separate kernels. Output shapes come from the
 * run-time shape rules, so the rules for the fused forms are exercised too. Outputs start
 * as NaN (callKernel), so an element the fused kernel forgets fails.
 */

/** Runs one CPU kernel in float64 with the output shapes of its run-time rule. */
function run<K extends PrimKind>(op: K, attrs: PrimAttrMap[K], inputs: readonly TensorArg[]) {
  const rule = runtimeShapeRules[op] as RuntimeShapeRule<K>;
  const shapes = rule(
    attrs,
    inputs.map((t) => t.shape),
    [],
  );
  return callKernel(cpuKernels[op] as Kernel<K>, attrs, inputs, shapes);
}

const t = (shape: readonly number[], seed: number, lo = -1, hi = 1): TensorArg => ({
  shape,
  data: testValues(size(shape), seed).map((v) => lo + ((v + 1) / 2) * (hi - lo)),
});

/** |a − e| ≤ 1e-15 + 1e-12·|e| everywhere, and no NaN where the reference has none. */
function expectSame(actual: Buffer, expected: Buffer, what: string): void {
  expect(actual.length, what).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) {
    const a = actual[i]!;
    const e = expected[i]!;
    if (!(Math.abs(a - e) <= 1e-15 + 1e-12 * Math.abs(e))) {
      expect.fail(`${what}: element ${i} is ${a}, expected ${e}`);
    }
  }
}

describe('weight gradients with biasGrad write db as bias_grad does', () => {
  for (const [rows, depth, units] of [
    [1, 1, 1],
    [7, 3, 13],
    [32, 17, 10],
  ] as const) {
    it(`dense_grad_weight ${rows}×${depth} → ${units}`, () => {
      const dy = t([rows, units], 1);
      const x = t([rows, depth], 2);
      const [dw, db] = run('dense_grad_weight', { biasGrad: true }, [dy, x]);
      expect(db).toBeDefined();
      expectSame(dw!, run('dense_grad_weight', {}, [dy, x])[0]!, 'dW');
      expectSame(db!, run('bias_grad', {}, [dy])[0]!, 'db');
    });
  }

  const cases: ConvCase[] = [
    {
      name: '1×1',
      batch: 1,
      channels: 1,
      size: [1, 1],
      attrs: convAttrs({ filters: 1, kernel: [1, 1] }),
    },
    {
      name: 'groups, stride and padding',
      batch: 3,
      channels: 6,
      size: [7, 5],
      attrs: convAttrs({ filters: 9, kernel: [3, 3], stride: [2, 1], pad: [1, 1], groups: 3 }),
    },
    {
      name: 'reflect padding (the tap tables, not im2col)',
      batch: 2,
      channels: 3,
      size: [5, 6],
      attrs: convAttrs({ filters: 5, kernel: [3, 3], pad: [2, 1], padMode: 'reflect' }),
    },
    ...randomConvCases(4, 23),
  ];
  for (const c of cases) {
    it(`conv2d_grad_weight, ${c.name}`, () => {
      const s = convShapes(c);
      const dy = t(s.y, 3);
      const x = t(s.x, 4);
      const [dw, db] = run('conv2d_grad_weight', { ...c.attrs, biasGrad: true }, [dy, x]);
      expect(db?.length).toBe(c.attrs.filters);
      expectSame(dw!, run('conv2d_grad_weight', c.attrs, [dy, x])[0]!, 'dW');
      expectSame(db!, run('bias_grad', {}, [dy])[0]!, 'db');
    });
  }

  it('a conv layer with a bias but no biasGrad has one output (the attribute, not `bias`, decides)', () => {
    const c = cases[1]!;
    const s = convShapes(c);
    expect(c.attrs.bias).toBe(true);
    expect(run('conv2d_grad_weight', c.attrs, [t(s.y, 1), t(s.x, 2)])).toHaveLength(1);
  });
});

describe('losses with their gradient equal the loss and its _grad run apart', () => {
  const shapes: readonly (readonly number[])[] = [
    [1, 1],
    [1, 10],
    [7, 13],
    [3, 5, 4],
  ];
  for (const shape of shapes) {
    const classes = shape[shape.length - 1]!;
    // Large logits on some rows check the max shift through the fused path too.
    const logits = t(shape, 5, -6, 6);
    const big = { ...logits, data: Array.from(logits.data, (v, i) => (i % 7 === 0 ? v + 800 : v)) };
    const labelShape = shape.slice(0, -1);
    const labels = {
      shape: labelShape,
      data: Array.from({ length: size(labelShape) }, (_, r) => (r * 5 + 2) % classes),
    };
    // A distribution that does not sum to 1: the gradient's Σ_k t_k factor matters.
    const dist = t(shape, 6, 0, 1);
    for (const [target, tgt] of [
      ['index', labels],
      ['distribution', dist],
    ] as const) {
      for (const weight of [1, 0.7]) {
        it(`softmax_cross_entropy_with_grad, ${target} target, [${shape}], weight ${weight}`, () => {
          const [loss, dLogits] = run('softmax_cross_entropy_with_grad', { target, weight }, [
            big,
            tgt,
          ]);
          expect(loss).toHaveLength(1);
          expectSame(loss!, run('softmax_cross_entropy', { target }, [big, tgt])[0]!, 'loss');
          expectSame(
            dLogits!,
            run('softmax_cross_entropy_grad', { target, weight }, [big, tgt])[0]!,
            'dLogits',
          );
        });
      }
    }
  }

  it('softmax_cross_entropy_with_grad refuses a label outside the classes, as the loss does', () => {
    const run1 = () =>
      run('softmax_cross_entropy_with_grad', { target: 'index', weight: 1 }, [
        t([2, 3], 1),
        { shape: [2], data: [0, 3] },
      ]);
    expect(run1).toThrow(/not a class index 0..2/);
  });

  for (const shape of [
    [1, 1],
    [5, 3],
    [2, 3, 4],
    [3, 257],
  ] as const) {
    it(`sigmoid_bce_with_grad [${shape}]`, () => {
      const x = t(shape, 7, -30, 30);
      const y = t(shape, 8, 0, 1);
      const weight = 0.35;
      const [loss, dLogits] = run('sigmoid_bce_with_grad', { weight }, [x, y]);
      expectSame(loss!, run('sigmoid_bce', {}, [x, y])[0]!, 'loss');
      expectSame(dLogits!, run('sigmoid_bce_grad', { weight }, [x, y])[0]!, 'dLogits');
    });
  }
});
