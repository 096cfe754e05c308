import type { Init } from '../../compiler/ir/ops.js';
import { randomNormal, randomUniform } from '../rng.js';

/*
 * Parameter initializers (LANGUAGE §5). Element i of a parameter is drawn from
 * (seed, stream, counter 0, index i) of the counter-based generator, so a seed reproduces
 * every parameter bit for bit whatever the order of initialization, and each parameter's
 * stream (streams.initBase + its index) keeps parameters independent.
 */

export interface Fans {
  readonly fanIn: number;
  readonly fanOut: number;
}

/**
 * PyTorch's `_calculate_fan_in_and_fan_out`: for rank ≥ 2, fan_in = dim 1 × receptive field
 * and fan_out = dim 0 × receptive field, the receptive field being the product of the dims
 * after the first two (dense [out, in] → (in, out); conv [F, C, kh, kw] → (C·kh·kw,
 * F·kh·kw)). PyTorch rejects lower ranks; here a vector of length n has fan_in = fan_out = n
 * and a scalar 1.
 */
export function fans(shape: readonly number[]): Fans {
  if (shape.length < 2) {
    const n = shape[0] ?? 1;
    return { fanIn: n, fanOut: n };
  }
  let receptive = 1;
  for (const d of shape.slice(2)) receptive *= d;
  return { fanIn: shape[1]! * receptive, fanOut: shape[0]! * receptive };
}

/** Fills `out` (the parameter, row-major, `shape`'s size) with its initial values. */
export function initialValues(
  init: Init,
  shape: readonly number[],
  seed: number,
  stream: number,
  out: Float32Array | Float64Array,
): void {
  const size = shape.reduce((a, b) => a * b, 1);
  if (out.length !== size) {
    throw new Error(
      `internal error: a parameter of shape [${shape.join(', ')}] has ${out.length} elements`,
    );
  }
  const uniform = (low: number, high: number): void => {
    for (let i = 0; i < out.length; i++) {
      out[i] = low + (high - low) * randomUniform(seed, stream, 0, i);
    }
  };
  const normal = (std: number): void => {
    for (let i = 0; i < out.length; i++) out[i] = std * randomNormal(seed, stream, 0, i);
  };
  const { fanIn, fanOut } = fans(shape);
  switch (init.kind) {
    case 'glorot': {
      const bound = Math.sqrt(6 / (fanIn + fanOut));
      return uniform(-bound, bound);
    }
    case 'glorot_normal':
      return normal(Math.sqrt(2 / (fanIn + fanOut)));
    case 'he':
      return normal(Math.sqrt(2 / fanIn));
    case 'lecun':
      return normal(Math.sqrt(1 / fanIn));
    case 'zeros':
      out.fill(0);
      return;
    case 'ones':
      out.fill(1);
      return;
    case 'normal':
      return normal(init.std);
    case 'uniform':
      return uniform(init.low, init.high);
  }
}
