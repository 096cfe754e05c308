import { describe, expect, it } from 'vitest';
import { pointwiseKernels as k } from '../../../src/runtime/cpu/kernels/pointwise.js';
import { randomNormal, randomUniform, streams } from '../../../src/runtime/rng.js';
import { callKernel, size, testValues } from '../../helpers/kernels.js';
import { checkShapes, dot, expectClose, expectGradients } from './gradcheck.js';

function dropout(x: number[], p: number, ctx = { seed: 7, step: 0 }, stream = 3) {
  const shape = [1, x.length];
  const [y, mask] = callKernel(k.dropout, { p, stream }, [{ data: x, shape }], [shape, shape], {
    ctx,
  });
  return { y: y!, mask: mask! };
}

function randomNormalDraw(n: number, step: number, attrs = { mean: 0, std: 1, stream: 5 }) {
  return callKernel(k.random_normal, attrs, [], [[n]], { ctx: { step } })[0]!;
}

function sampleNormal(mu: number[], logvar: number[], shape: number[]) {
  const [z, eps] = callKernel(
    k.sample_normal,
    { stream: 2 },
    [
      { data: mu, shape },
      { data: logvar, shape },
    ],
    [shape, shape],
    { ctx: { seed: 9, step: 4 } },
  );
  return { z: z!, eps: eps! };
}

function meanAndStd(values: ArrayLike<number>) {
  let sum = 0;
  for (let i = 0; i < values.length; i++) sum += values[i]!;
  const mean = sum / values.length;
  let squares = 0;
  for (let i = 0; i < values.length; i++) squares += (values[i]! - mean) ** 2;
  return { mean, std: Math.sqrt(squares / values.length) };
}

describe('random kernels are reproducible functions of (seed, stream, step, index)', () => {
  it('the same seed, stream and step give identical bits', () => {
    expect(randomNormalDraw(1000, 3)).toEqual(randomNormalDraw(1000, 3));
    expect(dropout(testValues(500, 1), 0.5).y).toEqual(dropout(testValues(500, 1), 0.5).y);
  });

  it('another step gives other numbers', () => {
    const a = randomNormalDraw(1000, 3);
    const b = randomNormalDraw(1000, 4);
    let equal = 0;
    for (let i = 0; i < a.length; i++) if (a[i] === b[i]) equal++;
    expect(equal).toBe(0);
  });

  it('another stream or seed gives other numbers', () => {
    const base = dropout(testValues(400, 1), 0.5).mask;
    expect(dropout(testValues(400, 1), 0.5, { seed: 7, step: 0 }, 4).mask).not.toEqual(base);
    expect(dropout(testValues(400, 1), 0.5, { seed: 8, step: 0 }).mask).not.toEqual(base);
  });

  it('element i is exactly the rng.ts number for instrBase + stream, so GPU kernels can match it', () => {
    const { mask } = dropout(new Array<number>(64).fill(1), 0.25, { seed: 7, step: 2 });
    const draws = randomNormalDraw(64, 2);
    for (let i = 0; i < 64; i++) {
      const u = randomUniform(7, streams.instrBase + 3, 2, i);
      expect(mask[i]).toBe(u < 0.25 ? 0 : 1 / 0.75);
      expect(draws[i]).toBe(randomNormal(7, streams.instrBase + 5, 2, i));
    }
  });
});

describe('dropout', () => {
  it('keeps about 1 − p of the elements (10^4 draws, within 0.02) and scales them by 1/(1 − p)', () => {
    const x = testValues(10_000, 2);
    const { y, mask } = dropout(x, 0.3);
    let kept = 0;
    const wrong: number[] = [];
    for (let i = 0; i < x.length; i++) {
      // A dropped negative x gives −0, as in PyTorch; === treats it as 0.
      const dropped = mask[i] === 0 && y[i] === 0;
      const scaled = mask[i] === 1 / 0.7 && Math.abs(y[i]! - x[i]! / 0.7) <= 1e-15;
      if (scaled) kept++;
      if (!dropped && !scaled) wrong.push(i);
    }
    expect(wrong).toEqual([]);
    expect(Math.abs(kept / x.length - 0.7)).toBeLessThan(0.02);
  });

  it('with p = 0 keeps everything unchanged', () => {
    const x = testValues(100, 3);
    expect(Array.from(dropout(x, 0).y)).toEqual(x);
  });
});

describe('noise kernels', () => {
  it('random_normal has the asked mean and std (10^5 draws: mean within 0.05, std within 0.03)', () => {
    const y = randomNormalDraw(100_000, 1, { mean: 2, std: 3, stream: 6 });
    const { mean, std } = meanAndStd(y);
    expect(Math.abs(mean - 2)).toBeLessThan(0.05);
    expect(Math.abs(std - 3)).toBeLessThan(0.03);
  });

  it('random_uniform stays in [low, high) with the uniform mean and std (10^5 draws)', () => {
    const y = callKernel(k.random_uniform, { low: -1, high: 3, stream: 2 }, [], [[100_000]])[0]!;
    expect(y.filter((v) => !(v >= -1 && v < 3)).length).toBe(0);
    const { mean, std } = meanAndStd(y);
    expect(Math.abs(mean - 1)).toBeLessThan(0.02);
    expect(Math.abs(std - 4 / Math.sqrt(12))).toBeLessThan(0.01);
  });

  it('gaussian_noise adds std·normal to x (10^5 draws: mean within 0.01, std within 0.01)', () => {
    const n = 100_000;
    const x = new Array<number>(n).fill(5);
    const y = callKernel(
      k.gaussian_noise,
      { std: 0.5, stream: 1 },
      [{ data: x, shape: [n] }],
      [[n]],
    )[0]!;
    const { mean, std } = meanAndStd(y);
    expect(Math.abs(mean - 5)).toBeLessThan(0.01);
    expect(Math.abs(std - 0.5)).toBeLessThan(0.01);
  });

  it('sample_normal returns eps and z = mu + e^(logvar/2)·eps', () => {
    const mu = [1, -2, 0.5];
    const logvar = [0, Math.log(4), -1];
    const { z, eps } = sampleNormal(mu, logvar, [1, 3]);
    expectClose(
      z,
      mu.map((m, i) => m + Math.exp(logvar[i]! / 2) * eps[i]!),
      { atol: 0, rtol: 1e-15 },
    );
  });
});

describe('sample_normal_grad_logvar matches central differences of sample_normal', () => {
  it('on every check shape (eps fixed by seed, stream and step)', () => {
    checkShapes().forEach((shape, s) => {
      const mu = testValues(size(shape), 70 + s);
      const logvar = testValues(size(shape), 80 + s);
      const dZ = testValues(size(shape), 90 + s);
      const { eps } = sampleNormal(mu, logvar, shape);
      const [dLogvar] = callKernel(
        k.sample_normal_grad_logvar,
        {},
        [
          { data: logvar, shape },
          { data: eps, shape },
          { data: dZ, shape },
        ],
        [shape],
      );
      expectGradients(
        ([m, lv]) => dot(sampleNormal(m!, lv!, shape).z, dZ),
        [mu, logvar],
        [dZ, dLogvar!],
        `sample_normal on [${shape}]`,
      );
    });
  });
});
