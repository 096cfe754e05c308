import { describe, expect, it } from 'vitest';
import type { Kernel } from '../../../src/runtime/cpu/kernel.js';
import { pointwiseKernels as k } from '../../../src/runtime/cpu/kernels/pointwise.js';
import type { PrimAttrMap, PrimKind } from '../../../src/runtime/program.js';
import { callKernel, size, testValues, type TensorArg } from '../../helpers/kernels.js';
import { checkShapes, expectClose, expectGradients, valuesAwayFromZero } from './gradcheck.js';

/** A loss kernel's scalar. */
function loss<K extends PrimKind>(kernel: Kernel<K>, attrs: PrimAttrMap[K], inputs: TensorArg[]) {
  return callKernel(kernel, attrs, inputs, [[]])[0]![0]!;
}

/** A gradient kernel's outputs, shaped like the first `outputs` inputs. */
function grads<K extends PrimKind>(
  kernel: Kernel<K>,
  attrs: PrimAttrMap[K],
  inputs: TensorArg[],
  outputs = 1,
) {
  return callKernel(
    kernel,
    attrs,
    inputs,
    inputs.slice(0, outputs).map((t) => t.shape),
  );
}

const weight = 0.7;
const close = { atol: 1e-15, rtol: 1e-14 };

describe('loss values follow PyTorch’s reductions', () => {
  it('mse_loss and l1_loss average over batch and elements', () => {
    const pair = [
      { data: [1, 2, 3, 4], shape: [2, 2] },
      { data: [0, 2, 5, 4], shape: [2, 2] },
    ];
    expect(loss(k.mse_loss, {}, pair)).toBe(1.25); // (1 + 0 + 4 + 0)/4
    expect(loss(k.l1_loss, {}, pair)).toBe(0.75); // (1 + 0 + 2 + 0)/4
  });

  it('l1_activity sums each sample and averages over the batch', () => {
    expect(loss(k.l1_activity, {}, [{ data: [1, -2, 3, 0], shape: [2, 2] }])).toBe(3);
  });

  it('kl_normal is −½Σ(1 + logvar − mu² − e^logvar) averaged over the batch', () => {
    const value = loss(k.kl_normal, {}, [
      { data: [0, 1], shape: [1, 2] },
      { data: [0, Math.LN2], shape: [1, 2] },
    ]);
    expectClose([value], [0.6534264097200273], close); // ½(1 + 2 − 1 − ln 2)
  });

  it('softmax_cross_entropy of equal logits is log K', () => {
    const value = loss(k.softmax_cross_entropy, { target: 'index' }, [
      { data: [0, 0, 0, 0, 0, 0], shape: [2, 3] },
      { data: [1, 2], shape: [2] },
    ]);
    expectClose([value], [Math.log(3)], close);
  });

  it('softmax_cross_entropy stays exact on logits [1000, 1001] for both target kinds', () => {
    const logits = { data: [1000, 1001], shape: [1, 2] };
    const byIndex = loss(k.softmax_cross_entropy, { target: 'index' }, [
      logits,
      { data: [0], shape: [1] },
    ]);
    const byDistribution = loss(k.softmax_cross_entropy, { target: 'distribution' }, [
      logits,
      { data: [0.5, 0.5], shape: [1, 2] },
    ]);
    expectClose([byIndex, byDistribution], [1.3132616875182228, 0.8132616875182228], close);
  });

  it('softmax_cross_entropy rejects a class index outside 0..K−1', () => {
    const logits = { data: [0, 0], shape: [1, 2] };
    for (const bad of [2, -1, 0.5]) {
      expect(() =>
        loss(k.softmax_cross_entropy, { target: 'index' }, [logits, { data: [bad], shape: [1] }]),
      ).toThrow(/not a class index 0\.\.1/);
    }
  });

  it('sigmoid_bce is finite at logits ±100 and equals log 2 at 0', () => {
    const extreme = [
      { data: [100, 100, -100, -100], shape: [2, 2] },
      { data: [1, 0, 1, 0], shape: [2, 2] },
    ];
    expect(loss(k.sigmoid_bce, {}, extreme)).toBe(50); // (0 + 100 + 100 + 0)/4
    const dLogits = grads(k.sigmoid_bce_grad, { weight: 1 }, extreme)[0]!;
    expectClose(dLogits, [0, 0.25, -0.25, 0], { atol: 1e-40, rtol: 1e-15 });
    const atZero = [
      { data: [0], shape: [1] },
      { data: [1], shape: [1] },
    ];
    expectClose([loss(k.sigmoid_bce, {}, atZero)], [Math.LN2], close);
  });

  it('contrastive is same·d² + (1 − same)·max(0, margin − d)², averaged over pairs', () => {
    const inputs = [
      { data: [0, 0, 0, 0, 0, 0], shape: [3, 2] },
      { data: [3, 4, 0, 1, 3, 0], shape: [3, 2] },
      { data: [1, 0, 0], shape: [3] },
    ];
    // d = 5 (same: 25), d = 1 (different, inside the margin: 1), d = 3 (outside: 0).
    expect(loss(k.contrastive, { margin: 2 }, inputs)).toBe(26 / 3);
  });

  it('contrastive_grad is 0 for a pair at distance 0', () => {
    const inputs = [
      { data: [1, 2], shape: [1, 2] },
      { data: [1, 2], shape: [1, 2] },
      { data: [0], shape: [1] },
    ];
    const [dA, dB] = grads(k.contrastive_grad, { margin: 1, weight: 1 }, inputs, 2);
    expect(Array.from(dA!)).toEqual([0, 0]);
    expect(Array.from(dB!).map(Math.abs)).toEqual([0, 0]);
  });

  it('weighted_sum adds the scalar terms with their weights', () => {
    const terms = [
      { data: [2], shape: [] },
      { data: [3], shape: [] },
    ];
    expect(loss(k.weighted_sum, { weights: [0.5, 2] }, terms)).toBe(7);
  });
});

/** Index targets need one row per sample: [N, K] shapes only. */
const classifierShapes = [
  [1, 1],
  [1, 5],
  [4, 1],
  [2, 3],
  [3, 4],
];

describe(`loss gradients are d(${weight}·loss) by central differences`, () => {
  it('mse_loss_grad', () => {
    checkShapes().forEach((shape, s) => {
      const pred = testValues(size(shape), 10 + s);
      const target = { data: testValues(size(shape), 20 + s), shape };
      const dPred = grads(k.mse_loss_grad, { weight }, [{ data: pred, shape }, target])[0]!;
      expectGradients(
        ([p]) => weight * loss(k.mse_loss, {}, [{ data: p!, shape }, target]),
        [pred],
        [dPred],
        `mse on [${shape}]`,
      );
    });
  });

  it('l1_loss_grad', () => {
    checkShapes().forEach((shape, s) => {
      const pred = testValues(size(shape), 30 + s);
      const gaps = valuesAwayFromZero(size(shape), 40 + s);
      const target = { data: pred.map((p, i) => p + gaps[i]!), shape };
      const dPred = grads(k.l1_loss_grad, { weight }, [{ data: pred, shape }, target])[0]!;
      expectGradients(
        ([p]) => weight * loss(k.l1_loss, {}, [{ data: p!, shape }, target]),
        [pred],
        [dPred],
        `l1 on [${shape}]`,
      );
    });
  });

  it('l1_activity_grad', () => {
    checkShapes().forEach((shape, s) => {
      const x = valuesAwayFromZero(size(shape), 50 + s);
      const dX = grads(k.l1_activity_grad, { weight }, [{ data: x, shape }])[0]!;
      expectGradients(
        ([v]) => weight * loss(k.l1_activity, {}, [{ data: v!, shape }]),
        [x],
        [dX],
        `l1_activity on [${shape}]`,
      );
    });
  });

  it('kl_normal_grad for mu and logvar', () => {
    checkShapes().forEach((shape, s) => {
      const mu = testValues(size(shape), 60 + s);
      const logvar = testValues(size(shape), 70 + s).map((v) => 2 * v);
      const [dMu, dLogvar] = grads(
        k.kl_normal_grad,
        { weight },
        [
          { data: mu, shape },
          { data: logvar, shape },
        ],
        2,
      );
      expectGradients(
        ([m, lv]) =>
          weight *
          loss(k.kl_normal, {}, [
            { data: m!, shape },
            { data: lv!, shape },
          ]),
        [mu, logvar],
        [dMu!, dLogvar!],
        `kl_normal on [${shape}]`,
      );
    });
  });

  it('softmax_cross_entropy_grad with class-index targets', () => {
    classifierShapes.forEach((shape, s) => {
      const [n, classes] = shape as [number, number];
      const logits = testValues(n * classes, 80 + s).map((v) => 4 * v);
      const labels = testValues(n, 90 + s).map((v) => Math.floor(((v + 1) / 2) * classes));
      const target = { data: labels, shape: [n] };
      const attrs = { target: 'index', weight } as const;
      const dLogits = grads(k.softmax_cross_entropy_grad, attrs, [
        { data: logits, shape },
        target,
      ])[0]!;
      expectGradients(
        ([x]) => weight * loss(k.softmax_cross_entropy, attrs, [{ data: x!, shape }, target]),
        [logits],
        [dLogits],
        `cross-entropy (index) on [${shape}]`,
      );
    });
  });

  for (const normalized of [true, false]) {
    it(`softmax_cross_entropy_grad with ${normalized ? '' : 'unnormalized '}distribution targets`, () => {
      checkShapes().forEach((shape, s) => {
        const classes = shape[shape.length - 1]!;
        const logits = testValues(size(shape), 100 + s).map((v) => 4 * v);
        const raw = testValues(size(shape), 110 + s).map((v) => Math.exp(2 * v));
        const target = raw.map((v, i) => {
          if (!normalized) return v;
          const row = Math.floor(i / classes) * classes;
          return v / raw.slice(row, row + classes).reduce((a, b) => a + b);
        });
        const t = { data: target, shape };
        const attrs = { target: 'distribution', weight } as const;
        const dLogits = grads(k.softmax_cross_entropy_grad, attrs, [
          { data: logits, shape },
          t,
        ])[0]!;
        expectGradients(
          ([x]) => weight * loss(k.softmax_cross_entropy, attrs, [{ data: x!, shape }, t]),
          [logits],
          [dLogits],
          `cross-entropy (distribution) on [${shape}]`,
        );
      });
    });
  }

  it('sigmoid_bce_grad', () => {
    checkShapes().forEach((shape, s) => {
      const logits = testValues(size(shape), 120 + s).map((v) => 5 * v);
      const target = { data: testValues(size(shape), 130 + s).map((v) => (v + 1) / 2), shape };
      const dLogits = grads(k.sigmoid_bce_grad, { weight }, [{ data: logits, shape }, target])[0]!;
      expectGradients(
        ([x]) => weight * loss(k.sigmoid_bce, {}, [{ data: x!, shape }, target]),
        [logits],
        [dLogits],
        `sigmoid_bce on [${shape}]`,
      );
    });
  });

  it('contrastive_grad for both inputs, pairs inside and outside the margin', () => {
    checkShapes().forEach((shape, s) => {
      const n = shape[0]!;
      const a = testValues(size(shape), 140 + s);
      const b = testValues(size(shape), 150 + s);
      const same = { data: Array.from({ length: n }, (_, i) => (i + s) % 2), shape: [n] };
      const attrs = { margin: 1.5, weight };
      const [dA, dB] = grads(
        k.contrastive_grad,
        attrs,
        [{ data: a, shape }, { data: b, shape }, same],
        2,
      );
      expectGradients(
        ([x, y]) =>
          weight * loss(k.contrastive, attrs, [{ data: x!, shape }, { data: y!, shape }, same]),
        [a, b],
        [dA!, dB!],
        `contrastive on [${shape}]`,
      );
    });
  });
});
