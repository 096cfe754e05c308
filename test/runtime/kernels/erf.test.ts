import { describe, expect, it } from 'vitest';
import { erf, erfc, normalCdf, normalPdf } from '../../../src/runtime/cpu/kernels/erf.js';

/*
 * Reference values are 17-digit roundings of 40-digit ones (mpmath). The series and the
 * continued fraction meet at x = 1.5, so values on both sides of it are pinned.
 */

const erfTable: readonly [number, number][] = [
  [0.5, 0.52049987781304654],
  [1, 0.84270079294971487],
  [1.4, 0.9522851197626488],
  [1.6, 0.97634838334464402],
  [2, 0.99532226501895273],
  [3, 0.99997790950300141],
];

const erfcTable: readonly [number, number][] = [
  [1.6, 0.023651616655355984],
  [3, 2.2090496998585441e-5],
  [5, 1.5374597944280349e-12],
  [10, 2.0884875837625448e-45],
];

describe('erf', () => {
  it('is within 1e-15 of high-precision values on both sides of the series/fraction switch', () => {
    for (const [x, expected] of erfTable) {
      expect(Math.abs(erf(x) - expected)).toBeLessThan(1e-15);
      expect(Math.abs(erf(-x) + expected)).toBeLessThan(1e-15);
    }
  });

  it('is 0 at 0, ±1 at ±∞ and NaN at NaN', () => {
    expect(erf(0)).toBe(0);
    expect(erf(Infinity)).toBe(1);
    expect(erf(-Infinity)).toBe(-1);
    expect(erf(Number.NaN)).toBeNaN();
  });

  it('is 2x/√π to first order near 0', () => {
    expect(erf(1e-10)).toBeCloseTo(2e-10 / Math.sqrt(Math.PI), 25);
  });
});

describe('erfc', () => {
  it('keeps 1e-14 relative precision in the tail, where 1 − erf would be 0', () => {
    for (const [x, expected] of erfcTable) {
      expect(Math.abs(erfc(x) - expected) / expected).toBeLessThan(1e-14);
    }
  });
});

describe('the normal distribution', () => {
  it('Φ(1) = 0.8413447460685429, Φ(−10) = 7.619853024160526e-24 (relative 1e-13)', () => {
    expect(Math.abs(normalCdf(1) - 0.8413447460685429)).toBeLessThan(1e-16);
    expect(Math.abs(normalCdf(-10) / 7.619853024160526e-24 - 1)).toBeLessThan(1e-13);
  });

  it('φ(0) = 1/√(2π) and Φ′ = φ by central differences', () => {
    expect(normalPdf(0)).toBeCloseTo(1 / Math.sqrt(2 * Math.PI), 16);
    for (const x of [-3, -0.5, 0.7, 2.2]) {
      const slope = (normalCdf(x + 1e-6) - normalCdf(x - 1e-6)) / 2e-6;
      expect(Math.abs(slope - normalPdf(x))).toBeLessThan(1e-9);
    }
  });
});
