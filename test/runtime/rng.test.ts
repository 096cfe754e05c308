import { describe, expect, it } from 'vitest';
import { normalCdf } from '../../src/runtime/cpu/kernels/erf.js';
import { randomNormal, randomPermutation, randomUniform } from '../../src/runtime/rng.js';

/*
 * Statistical checks of the counter-based generator. Everything is deterministic, so each
 * bound either holds for these seeds or not; the bounds are set where a true uniform or
 * normal source would fail about once in a thousand runs or less: chi-square over 16
 * buckets (15 degrees of freedom) below 37.70, the 99.9th percentile, and means, variances
 * and correlations within about 5 standard errors on 10^5 samples.
 */

const samples = 100_000;
const buckets = 16;
const chiSquareBound = 37.7;

function chiSquare(counts: readonly number[], expected: number): number {
  return counts.reduce((sum, c) => sum + (c - expected) ** 2 / expected, 0);
}

/** Counts of values in [0, 1) falling into 16 equal buckets. */
function histogram(values: readonly number[]): number[] {
  const counts = new Array<number>(buckets).fill(0);
  for (const v of values) counts[Math.floor(v * buckets)]!++;
  return counts;
}

function moments(values: readonly number[]) {
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  const variance = values.reduce((a, b) => a + (b - mean) ** 2, 0) / values.length;
  return { mean, variance };
}

const byIndex = (f: (i: number) => number) => Array.from({ length: samples }, (_, i) => f(i));

describe('randomUniform', () => {
  const u = byIndex((i) => randomUniform(42, 7, 3, i));

  it('is a pure function of (seed, stream, counter, index)', () => {
    expect(randomUniform(42, 7, 3, 12)).toBe(u[12]);
    expect(randomUniform(43, 7, 3, 12)).not.toBe(u[12]);
    expect(randomUniform(42, 8, 3, 12)).not.toBe(u[12]);
    expect(randomUniform(42, 7, 4, 12)).not.toBe(u[12]);
  });

  it('stays in [0, 1)', () => {
    expect(u.filter((v) => !(v >= 0 && v < 1)).length).toBe(0);
  });

  it('has mean 1/2 (within 0.005) and variance 1/12 (within 0.0015)', () => {
    const { mean, variance } = moments(u);
    expect(Math.abs(mean - 0.5)).toBeLessThan(0.005);
    expect(Math.abs(variance - 1 / 12)).toBeLessThan(0.0015);
  });

  it(`fills 16 buckets evenly along the index (chi-square < ${chiSquareBound})`, () => {
    expect(chiSquare(histogram(u), samples / buckets)).toBeLessThan(chiSquareBound);
  });

  it(`fills 16 buckets evenly along the counter (chi-square < ${chiSquareBound})`, () => {
    const alongCounter = byIndex((c) => randomUniform(42, 7, c, 0));
    expect(chiSquare(histogram(alongCounter), samples / buckets)).toBeLessThan(chiSquareBound);
  });

  it('has no correlation between neighbouring indices (|r| < 0.015)', () => {
    const { mean, variance } = moments(u);
    let cov = 0;
    for (let i = 0; i + 1 < samples; i++) cov += (u[i]! - mean) * (u[i + 1]! - mean);
    expect(Math.abs(cov / (samples - 1) / variance)).toBeLessThan(0.015);
  });
});

describe('randomNormal', () => {
  const z = byIndex((i) => randomNormal(5, 2, 9, i));

  it('has mean 0 (within 0.016) and variance 1 (within 0.025)', () => {
    const { mean, variance } = moments(z);
    expect(Math.abs(mean)).toBeLessThan(0.016);
    expect(Math.abs(variance - 1)).toBeLessThan(0.025);
  });

  it(`fills 16 equal-probability buckets of Φ evenly (chi-square < ${chiSquareBound})`, () => {
    expect(chiSquare(histogram(z.map(normalCdf)), samples / buckets)).toBeLessThan(chiSquareBound);
  });

  it('puts 0.27% of the draws beyond ±3 (within 0.1%)', () => {
    const tail = z.filter((v) => Math.abs(v) > 3).length / samples;
    expect(Math.abs(tail - 0.0026998)).toBeLessThan(0.001);
  });

  it('is finite everywhere', () => {
    expect(z.every(Number.isFinite)).toBe(true);
  });
});

describe('randomPermutation', () => {
  it('is a permutation of 0..n−1', () => {
    const order = Array.from(randomPermutation(1000, 3, 1, 0));
    expect([...order].sort((a, b) => a - b)).toEqual(Array.from({ length: 1000 }, (_, i) => i));
  });

  it('differs between counters (epochs) and repeats for the same one', () => {
    const first = Array.from(randomPermutation(50, 3, 1, 0));
    expect(Array.from(randomPermutation(50, 3, 1, 0))).toEqual(first);
    expect(Array.from(randomPermutation(50, 3, 1, 1))).not.toEqual(first);
  });

  it('handles n = 0 and n = 1', () => {
    expect(Array.from(randomPermutation(0, 3, 1, 0))).toEqual([]);
    expect(Array.from(randomPermutation(1, 3, 1, 0))).toEqual([0]);
  });

  it(`sends element 0 to each of 16 positions equally often (chi-square < ${chiSquareBound})`, () => {
    const draws = 16_000;
    const counts = new Array<number>(buckets).fill(0);
    for (let c = 0; c < draws; c++) {
      counts[randomPermutation(buckets, 8, 1, c).indexOf(0)]!++;
    }
    expect(chiSquare(counts, draws / buckets)).toBeLessThan(chiSquareBound);
  });
});
