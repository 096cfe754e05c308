import { describe, expect, it } from 'vitest';
import type { Init } from '../../src/compiler/ir/ops.js';
import { streams } from '../../src/runtime/rng.js';
import { fans, initialValues } from '../../src/runtime/train/initialize.js';

/*
 * Initializers: PyTorch's fan computation, the spread of each distribution measured on a
 * large tensor, and bit-for-bit reproducibility from (seed, stream).
 */

const seed = 42;
const stream = streams.initBase + 3;

function init(
  kind: Init,
  shape: readonly number[],
  options: { readonly seed?: number; readonly stream?: number; readonly float64?: boolean } = {},
): Float32Array | Float64Array {
  const n = shape.reduce((a, b) => a * b, 1);
  const out = options.float64 ? new Float64Array(n) : new Float32Array(n);
  initialValues(kind, shape, options.seed ?? seed, options.stream ?? stream, out);
  return out;
}

function moments(values: ArrayLike<number>): {
  mean: number;
  std: number;
  min: number;
  max: number;
} {
  let sum = 0;
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < values.length; i++) {
    sum += values[i]!;
    min = Math.min(min, values[i]!);
    max = Math.max(max, values[i]!);
  }
  const mean = sum / values.length;
  let squares = 0;
  for (let i = 0; i < values.length; i++) squares += (values[i]! - mean) ** 2;
  return { mean, std: Math.sqrt(squares / values.length), min, max };
}

describe('fans follow PyTorch’s _calculate_fan_in_and_fan_out', () => {
  const cases: [string, number[], number, number][] = [
    ['dense [out, in] = [10, 784]', [10, 784], 784, 10],
    ['dense [120, 400]', [120, 400], 400, 120],
    ['conv [F, C, kh, kw] = [6, 1, 5, 5]', [6, 1, 5, 5], 25, 150],
    ['conv [16, 6, 5, 5]', [16, 6, 5, 5], 150, 400],
    ['grouped conv [32, 4, 3, 3]', [32, 4, 3, 3], 36, 288],
    ['conv_transpose [C, F, kh, kw] = [64, 32, 4, 4]', [64, 32, 4, 4], 512, 1024],
    ['a vector [7] (its length both ways)', [7], 7, 7],
    ['a scalar', [], 1, 1],
  ];
  it.each(cases)('%s', (_, shape, fanIn, fanOut) => {
    expect(fans(shape)).toEqual({ fanIn, fanOut });
  });
});

describe('initializers have the stated spread', () => {
  // 131,072 samples: the sample std is within about 0.2% of the true one (one standard
  // error), so a 1.5% tolerance is more than six standard errors.
  const dense = [256, 512];
  const conv = [128, 64, 4, 4];
  const relTol = 0.015;

  const normalCases: [string, Init, number[], number][] = [
    [
      'glorot_normal: std sqrt(2/(fan_in + fan_out))',
      { kind: 'glorot_normal' },
      dense,
      Math.sqrt(2 / 768),
    ],
    ['he: std sqrt(2/fan_in) on a dense weight', { kind: 'he' }, dense, Math.sqrt(2 / 512)],
    ['he: std sqrt(2/fan_in) on a conv weight', { kind: 'he' }, conv, Math.sqrt(2 / (64 * 16))],
    ['lecun: std sqrt(1/fan_in)', { kind: 'lecun' }, dense, Math.sqrt(1 / 512)],
    ['normal(0.02): std 0.02', { kind: 'normal', std: 0.02 }, dense, 0.02],
  ];
  it.each(normalCases)('%s', (_, kind, shape, std) => {
    const values = init(kind, shape);
    const m = moments(values);
    expect(Math.abs(m.std / std - 1)).toBeLessThan(relTol);
    expect(Math.abs(m.mean)).toBeLessThan((5 * std) / Math.sqrt(values.length));
    // A normal puts 68.27% of its mass within one std.
    const within = values.filter((v) => Math.abs(v) < std).length / values.length;
    expect(Math.abs(within - 0.6827)).toBeLessThan(0.01);
  });

  const uniformCases: [string, Init, number[], number, number][] = [
    [
      'glorot: ±sqrt(6/(fan_in + fan_out)) on a dense weight',
      { kind: 'glorot' },
      dense,
      -Math.sqrt(6 / 768),
      Math.sqrt(6 / 768),
    ],
    [
      'glorot: ±sqrt(6/(fan_in + fan_out)) on a conv weight',
      { kind: 'glorot' },
      conv,
      -Math.sqrt(6 / ((64 + 128) * 16)),
      Math.sqrt(6 / ((64 + 128) * 16)),
    ],
    ['uniform(-0.5, 1.5)', { kind: 'uniform', low: -0.5, high: 1.5 }, dense, -0.5, 1.5],
  ];
  it.each(uniformCases)('%s', (_, kind, shape, low, high) => {
    const values = init(kind, shape, { float64: true });
    const m = moments(values);
    const width = high - low;
    expect(m.min).toBeGreaterThanOrEqual(low);
    expect(m.max).toBeLessThan(high);
    // The extremes come within 0.1% of the bounds.
    expect(m.min - low).toBeLessThan(width * 1e-3);
    expect(high - m.max).toBeLessThan(width * 1e-3);
    expect(Math.abs(m.std / (width / Math.sqrt(12)) - 1)).toBeLessThan(relTol);
    expect(Math.abs(m.mean - (low + high) / 2)).toBeLessThan(
      (5 * width) / Math.sqrt(12 * values.length),
    );
  });

  it('zeros fills with 0', () => {
    expect(init({ kind: 'zeros' }, [3, 4]).every((v) => v === 0)).toBe(true);
  });

  it('ones fills with 1', () => {
    expect(init({ kind: 'ones' }, [5]).every((v) => v === 1)).toBe(true);
  });
});

describe('initializers are reproducible', () => {
  const kinds: Init[] = [
    { kind: 'glorot' },
    { kind: 'glorot_normal' },
    { kind: 'he' },
    { kind: 'lecun' },
    { kind: 'normal', std: 0.1 },
    { kind: 'uniform', low: -1, high: 1 },
  ];
  const shape = [8, 3, 3, 3];

  it.each(kinds.map((k) => [k.kind, k] as const))(
    '%s: the same seed gives the same bits',
    (_, kind) => {
      const a = init(kind, shape, { float64: true });
      const b = init(kind, shape, { float64: true });
      expect(new Uint8Array(a.buffer)).toEqual(new Uint8Array(b.buffer));
    },
  );

  it.each(kinds.map((k) => [k.kind, k] as const))(
    '%s: another stream gives other values',
    (_, kind) => {
      const a = init(kind, shape);
      const b = init(kind, shape, { stream: stream + 1 });
      const same = a.filter((v, i) => v === b[i]).length;
      expect(same).toBeLessThan(a.length / 100);
    },
  );

  it('another seed gives other values', () => {
    const a = init({ kind: 'he' }, shape);
    const b = init({ kind: 'he' }, shape, { seed: seed + 1 });
    expect(a.filter((v, i) => v === b[i]).length).toBeLessThan(a.length / 100);
  });

  it('element i depends only on (seed, stream, i), not on the tensor size', () => {
    const short = init({ kind: 'normal', std: 1 }, [10], { float64: true });
    const long = init({ kind: 'normal', std: 1 }, [1000], { float64: true });
    expect(Array.from(short)).toEqual(Array.from(long.subarray(0, 10)));
  });

  it('float32 values are the float64 values rounded', () => {
    const f32 = init({ kind: 'glorot' }, shape);
    const f64 = init({ kind: 'glorot' }, shape, { float64: true });
    expect(Array.from(f32)).toEqual(Array.from(f64, (v) => Math.fround(v)));
  });

  it('rejects an output whose length does not match the shape', () => {
    expect(() => initialValues({ kind: 'he' }, [2, 3], seed, stream, new Float32Array(5))).toThrow(
      /internal error/,
    );
  });
});
