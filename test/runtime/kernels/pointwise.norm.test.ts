import { describe, expect, it } from 'vitest';
import { pointwiseKernels as k } from '../../../src/runtime/cpu/kernels/pointwise.js';
import type { Kernel } from '../../../src/runtime/cpu/kernel.js';
import { callKernel, size, testValues } from '../../helpers/kernels.js';
import { checkShapes, dot, expectClose, expectGradients } from './gradcheck.js';

const close = { atol: 1e-15, rtol: 1e-14 };

/** batchnorm_train on [x, gamma, beta] with fresh running stats (zeros, ones). */
function batchnormTrain(
  x: readonly number[],
  gamma: readonly number[],
  beta: readonly number[],
  shape: readonly number[],
  attrs = { momentum: 0.1, eps: 1e-5 },
) {
  const c = shape[1]!;
  const [y, mean, invstd, runningMean, runningVar] = callKernel(
    k.batchnorm_train,
    attrs,
    [
      { data: x, shape },
      { data: gamma, shape: [c] },
      { data: beta, shape: [c] },
      { data: new Array<number>(c).fill(0), shape: [c] },
      { data: new Array<number>(c).fill(1), shape: [c] },
    ],
    [shape, [c], [c], [c], [c]],
    { inPlace: { 3: 3, 4: 4 } },
  );
  return {
    y: y!,
    mean: mean!,
    invstd: invstd!,
    runningMean: runningMean!,
    runningVar: runningVar!,
  };
}

function layernorm(
  x: readonly number[],
  gamma: readonly number[],
  beta: readonly number[],
  shape: readonly number[],
) {
  const sample = shape.slice(1);
  const n = shape[0]!;
  const [y, mean, invstd] = callKernel(
    k.layernorm,
    { eps: 1e-5 },
    [
      { data: x, shape },
      { data: gamma, shape: sample },
      { data: beta, shape: sample },
    ],
    [shape, [n], [n]],
  );
  return { y: y!, mean: mean!, invstd: invstd! };
}

describe('batchnorm_train', () => {
  /*
   * x = [[1, 2, 3], [3, 6, 9]]: per feature the batch mean is [2, 4, 6], the deviations are
   * ±[1, 2, 3] and the biased variance is [1, 4, 9], so x̂ = ±d/√(d² + 1e-5) =
   * ±[0.9999950000374997, 0.9999987500023438, 0.9999994444449074]. With gamma = [1, 2, 0.5]
   * and beta = [0, 1, −1], y = gamma·x̂ + beta. The running mean becomes 0.1·[2, 4, 6] and the
   * running variance 0.9·1 + 0.1·(unbiased [2, 8, 18]) = [1.1, 1.7, 2.7].
   */
  it('normalizes a 2×3 batch per feature and updates the running statistics in place', () => {
    const r = batchnormTrain([1, 2, 3, 3, 6, 9], [1, 2, 0.5], [0, 1, -1], [2, 3]);
    const xhat = [0.9999950000374997, 0.9999987500023438, 0.9999994444449074];
    expectClose(
      r.y,
      [
        -xhat[0]!,
        1 - 2 * xhat[1]!,
        -1 - 0.5 * xhat[2]!,
        xhat[0]!,
        1 + 2 * xhat[1]!,
        -1 + 0.5 * xhat[2]!,
      ],
      close,
    );
    expectClose(r.mean, [2, 4, 6], close);
    expectClose(r.invstd, [xhat[0]!, xhat[1]! / 2, xhat[2]! / 3], close);
    expectClose(r.runningMean, [0.2, 0.4, 0.6], close);
    expectClose(r.runningVar, [1.1, 1.7, 2.7], close);
  });

  it('takes statistics per channel over N, H and W for images', () => {
    const shape = [3, 2, 2, 2];
    const x = testValues(size(shape), 5).map((v, i) => 10 * v + (i % 8 < 4 ? 3 : -7));
    const { y, runningMean } = batchnormTrain(x, [1, 1], [0, 0], shape);
    for (let c = 0; c < 2; c++) {
      const values: number[] = [];
      const raw: number[] = [];
      for (let n = 0; n < 3; n++) {
        for (let p = 0; p < 4; p++) {
          values.push(y[(n * 2 + c) * 4 + p]!);
          raw.push(x[(n * 2 + c) * 4 + p]!);
        }
      }
      const mean = values.reduce((a, b) => a + b) / 12;
      const variance = values.reduce((a, b) => a + b * b, 0) / 12 - mean * mean;
      expect(Math.abs(mean)).toBeLessThan(1e-14);
      expect(Math.abs(variance - 1)).toBeLessThan(1e-4); // eps shrinks it a little
      expectClose([runningMean[c]!], [(0.1 * raw.reduce((a, b) => a + b)) / 12], close);
    }
  });

  it('keeps the running variance finite when a channel has a single value', () => {
    const r = batchnormTrain([4, 5], [1, 1], [0.5, -0.5], [1, 2]);
    expectClose(r.y, [0.5, -0.5], close);
    expectClose(r.runningVar, [0.9, 0.9], close);
  });
});

describe('batchnorm_infer', () => {
  it('normalizes with the running statistics: gamma·(x − mean)/√(var + eps) + beta', () => {
    const [y] = callKernel(
      k.batchnorm_infer,
      { eps: 0.5 },
      [
        { data: [1, 2, 3, 4], shape: [2, 2] },
        { data: [2, 3], shape: [2] },
        { data: [1, -1], shape: [2] },
        { data: [1, 0], shape: [2] },
        { data: [3.5, 1.5], shape: [2] },
      ],
      [[2, 2]],
    );
    // Channel 0: (x − 1)/2·2 + 1; channel 1: x/√2·3 − 1.
    expectClose(y!, [1, 3 * Math.SQRT2 - 1, 3, 6 * Math.SQRT2 - 1], close);
  });
});

describe('layernorm', () => {
  it('normalizes each sample over all of its elements, PyTorch’s nn.LayerNorm', () => {
    // Sample [1, 2, 3]: mean 2, variance 2/3; sample [5, 5, 5]: every x̂ is 0.
    const r = layernorm([1, 2, 3, 5, 5, 5], [1, 2, 3], [0, 0, 1], [2, 3]);
    const s = 1 / Math.sqrt(2 / 3 + 1e-5);
    expectClose(r.y, [-s, 0, 3 * s + 1, 0, 0, 1], close);
    expectClose(r.mean, [2, 5], close);
    expectClose(r.invstd, [s, 1 / Math.sqrt(1e-5)], close);
  });
});

describe('normalization gradients match central differences of the full forward map', () => {
  it('batchnorm_grad gives dX, dgamma and dbeta of y(x, gamma, beta)', () => {
    checkShapes().forEach((shape, s) => {
      const c = shape[1]!;
      const x = testValues(size(shape), 500 + s).map((v) => 2 * v + 0.3);
      const gamma = testValues(c, 600 + s).map((v) => 1 + v / 2);
      const beta = testValues(c, 700 + s);
      const dY = testValues(size(shape), 800 + s);
      const forward = batchnormTrain(x, gamma, beta, shape);
      const [dX, dGamma, dBeta] = callKernel(
        k.batchnorm_grad,
        {},
        [
          { data: x, shape },
          { data: gamma, shape: [c] },
          { data: forward.mean, shape: [c] },
          { data: forward.invstd, shape: [c] },
          { data: dY, shape },
        ],
        [shape, [c], [c]],
      );
      expectGradients(
        ([v, g, b]) => dot(batchnormTrain(v!, g!, b!, shape).y, dY),
        [x, gamma, beta],
        [dX!, dGamma!, dBeta!],
        `batchnorm on [${shape}]`,
      );
    });
  });

  it('layernorm_grad gives dX, dgamma and dbeta of y(x, gamma, beta)', () => {
    checkShapes().forEach((shape, s) => {
      const sample = shape.slice(1);
      const n = shape[0]!;
      const x = testValues(size(shape), 900 + s).map((v) => 2 * v - 0.4);
      const gamma = testValues(size(sample), 1000 + s).map((v) => 1 + v / 2);
      const beta = testValues(size(sample), 1100 + s);
      const dY = testValues(size(shape), 1200 + s);
      const forward = layernorm(x, gamma, beta, shape);
      const [dX, dGamma, dBeta] = callKernel(
        k.layernorm_grad,
        {},
        [
          { data: x, shape },
          { data: gamma, shape: sample },
          { data: forward.mean, shape: [n] },
          { data: forward.invstd, shape: [n] },
          { data: dY, shape },
        ],
        [shape, sample, sample],
      );
      expectGradients(
        ([v, g, b]) => dot(layernorm(v!, g!, b!, shape).y, dY),
        [x, gamma, beta],
        [dX!, dGamma!, dBeta!],
        `layernorm on [${shape}]`,
      );
    });
  });
});

describe('batchnorm with an activation epilogue', () => {
  it('equals batchnorm followed by the activation, in training and inference', () => {
    const shape = [2, 3, 2];
    const x = testValues(size(shape), 5);
    const gamma = [1, -0.5, 2];
    const beta = [0.1, 0, -0.3];
    const kinds = [
      { kind: 'relu', alpha: 0 },
      { kind: 'tanh', alpha: 0 },
      { kind: 'elu', alpha: 0.7 },
    ] as const;
    const stats = [
      { data: [0.2, -0.1, 0.4], shape: [3] },
      { data: [1.5, 0.5, 2], shape: [3] },
    ];
    for (const activation of kinds) {
      const kernel = k[activation.kind] as Kernel<'elu'>;
      const apply = (y: ArrayLike<number>) =>
        callKernel(kernel, { alpha: activation.alpha }, [{ data: y, shape }], [shape])[0]!;
      const plain = batchnormTrain(x, gamma, beta, shape);
      const fused = batchnormTrain(x, gamma, beta, shape, {
        momentum: 0.1,
        eps: 1e-5,
        activation,
      } as never);
      expectClose(fused.y, apply(plain.y), close);
      expectClose(fused.runningVar, plain.runningVar, close);
      const inputs = [
        { data: x, shape },
        { data: gamma, shape: [3] },
        { data: beta, shape: [3] },
        ...stats,
      ];
      const inferPlain = callKernel(k.batchnorm_infer, { eps: 1e-5 }, inputs, [shape])[0]!;
      const inferFused = callKernel(k.batchnorm_infer, { eps: 1e-5, activation }, inputs, [
        shape,
      ])[0]!;
      expectClose(inferFused, apply(inferPlain), close);
      expect([...inferFused]).not.toEqual([...inferPlain]);
    }
  });
});
