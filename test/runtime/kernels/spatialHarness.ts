import { expect } from 'vitest';
import type { Kernel } from '../../../src/runtime/cpu/kernel.js';
import type { PrimAttrMap, PrimKind } from '../../../src/runtime/program.js';
import { callKernel, size, testValues, type TensorArg } from '../../helpers/kernels.js';

/*
 * Shared by the spatial kernel tests: closeness checks with stated tolerances, central finite
 * differences of a forward kernel, and a seeded source of small integers.
 */

export interface Tolerance {
  readonly atol: number;
  readonly rtol: number;
}

/** Finite-difference step and tolerance for gradient checks in float64. */
export const FD_EPS = 1e-6;
export const GRAD_TOL: Tolerance = { atol: 1e-5, rtol: 1e-3 };
/** Hand-computed values are exact up to float64 rounding. */
export const EXACT: Tolerance = { atol: 1e-12, rtol: 1e-12 };

/**
 * Asserts |actual − expected| ≤ atol + rtol·|expected| for every element; `context` names the
 * configuration in the failure message.
 */
export function expectClose(
  actual: ArrayLike<number>,
  expected: ArrayLike<number>,
  tol: Tolerance,
  context = '',
): void {
  expect(actual.length).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) {
    const a = actual[i]!;
    const e = expected[i]!;
    const ok = Math.abs(a - e) <= tol.atol + tol.rtol * Math.abs(e);
    if (!ok) expect.fail(`${context} element ${i}: got ${a}, expected ${e}`.trim());
  }
}

export function dot(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += a[i]! * b[i]!;
  return sum;
}

export function tensor(shape: readonly number[], seed: number): TensorArg {
  return { data: testValues(size(shape), seed), shape };
}

/** Runs a kernel with one output in float64 and returns it. */
export function run1<K extends PrimKind>(
  kernel: Kernel<K>,
  attrs: PrimAttrMap[K],
  inputs: readonly TensorArg[],
  outShape: readonly number[],
): Float64Array | Float32Array {
  return callKernel(kernel, attrs, inputs, [outShape])[0]!;
}

/**
 * The gradient of ⟨dY, f(inputs)⟩ with respect to inputs[which] by central differences:
 * (⟨dY, f(x + eps·e_i)⟩ − ⟨dY, f(x − eps·e_i)⟩) / (2·eps) for each element i.
 */
export function numericGradient<K extends PrimKind>(
  forward: Kernel<K>,
  attrs: PrimAttrMap[K],
  inputs: readonly TensorArg[],
  outShape: readonly number[],
  which: number,
  dY: ArrayLike<number>,
): number[] {
  const target = inputs[which]!;
  const gradient: number[] = [];
  for (let i = 0; i < target.data.length; i++) {
    const at = (delta: number): number => {
      const data = Array.from(target.data);
      data[i]! += delta;
      const moved = inputs.map((t, j) => (j === which ? { data, shape: t.shape } : t));
      return dot(dY, run1(forward, attrs, moved, outShape));
    };
    gradient.push((at(FD_EPS) - at(-FD_EPS)) / (2 * FD_EPS));
  }
  return gradient;
}

/** Values 0, 1/n, …, (n−1)/n shuffled: a max has no ties, even after a finite-difference step. */
export function distinctValues(n: number, seed: number): number[] {
  const keys = testValues(n, seed);
  const order = keys.map((_, i) => i).sort((a, b) => keys[a]! - keys[b]!);
  return order.map((rank) => rank / n - 0.5);
}

/** A seeded source of small random integers for generating configurations. */
export function randomInts(seed: number) {
  const stream = testValues(4096, seed);
  let next = 0;
  const int = (low: number, high: number): number => {
    const unit = (stream[next++ % stream.length]! + 1) / 2;
    return low + Math.floor(unit * (high - low + 1));
  };
  const pick = <T>(options: readonly T[]): T => options[int(0, options.length - 1)]!;
  return { int, pick };
}
