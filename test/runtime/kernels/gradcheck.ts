import { expect } from 'vitest';
import { testValues } from '../../helpers/kernels.js';

/*
 * Finite-difference checks for the kernel tests. A gradient kernel is right when it agrees
 * with central differences (f(x + eps) − f(x − eps))/(2·eps) of the forward kernel it
 * belongs to, computed in float64, within |analytic − numeric| ≤ atol + rtol·|numeric|.
 */

export const fd = { eps: 1e-6, atol: 1e-5, rtol: 1e-3 } as const;

/** Gradients of the scalar f with respect to every element of every input, by central differences. */
export function numericGradients(
  f: (inputs: readonly number[][]) => number,
  at: readonly number[][],
): number[][] {
  return at.map((values, which) =>
    values.map((_, i) => {
      const shifted = (delta: number) =>
        f(at.map((v, j) => (j === which ? v.map((x, k) => (k === i ? x + delta : x)) : v)));
      return (shifted(fd.eps) - shifted(-fd.eps)) / (2 * fd.eps);
    }),
  );
}

/** Every element of `actual` within atol + rtol·|expected|; lists the ones that are not. */
export function expectClose(
  actual: ArrayLike<number>,
  expected: ArrayLike<number>,
  tolerance: { readonly atol: number; readonly rtol: number },
  label = 'values',
): void {
  expect(actual.length, `${label}: length`).toBe(expected.length);
  const bad: string[] = [];
  for (let i = 0; i < expected.length; i++) {
    const a = actual[i]!;
    const e = expected[i]!;
    if (!(Math.abs(a - e) <= tolerance.atol + tolerance.rtol * Math.abs(e))) {
      bad.push(`[${i}] got ${a}, expected ${e}`);
    }
  }
  expect(bad, label).toEqual([]);
}

/** Checks analytic gradients (one array per input of f) against central differences. */
export function expectGradients(
  f: (inputs: readonly number[][]) => number,
  at: readonly number[][],
  analytic: readonly ArrayLike<number>[],
  label: string,
): void {
  const numeric = numericGradients(f, at);
  analytic.forEach((gradient, j) => expectClose(gradient, numeric[j]!, fd, `${label}, input ${j}`));
}

/** Σ weights[i]·values[i]: a scalar whose gradient with respect to `values` is `weights`. */
export function dot(values: ArrayLike<number>, weights: ArrayLike<number>): number {
  let sum = 0;
  for (let i = 0; i < values.length; i++) sum += values[i]! * weights[i]!;
  return sum;
}

/**
 * Batched shapes for gradient checks: fixed ones with size-1 axes in every position, then
 * `extra` drawn at random (rank 2 to 4, dimensions 1 to 4) from a fixed seed.
 */
export function checkShapes(extra = 4, seed = 11): number[][] {
  const shapes = [
    [1, 1],
    [1, 5],
    [4, 1],
    [2, 3],
    [1, 3, 1, 2],
    [2, 1, 2, 2],
  ];
  const draws = testValues(extra * 5, seed);
  for (let s = 0; s < extra; s++) {
    const rank = 2 + Math.floor(((draws[s * 5]! + 1) / 2) * 3);
    const shape: number[] = [];
    for (let d = 0; d < rank; d++)
      shape.push(1 + Math.floor(((draws[s * 5 + 1 + d]! + 1) / 2) * 4));
    shapes.push(shape);
  }
  return shapes;
}

/** testValues scaled to [−scale, scale), with values near 0 pushed out to at least `gap`. */
export function valuesAwayFromZero(n: number, seed: number, scale = 2, gap = 0.05): number[] {
  return testValues(n, seed).map((v) => {
    const x = v * scale;
    if (Math.abs(x) >= gap) return x;
    return x < 0 ? x - gap : x + gap;
  });
}
