import type { Buffer, Kernel } from '../../src/runtime/cpu/kernel.js';
import type { PrimAttrMap, PrimKind, RunContext } from '../../src/runtime/program.js';

/*
 * Calls one CPU kernel on plain arrays, for kernel unit tests and finite-difference checks.
 * Everything is float64 unless asked otherwise, so finite differences are meaningful.
 */

export interface TensorArg {
  readonly data: ArrayLike<number>;
  /** The full run-time shape, batch first for batched tensors. */
  readonly shape: readonly number[];
}

export const defaultContext: RunContext = { batch: 1, seed: 7, step: 0, lr: 0.1, t: 1 };

export function size(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

/** Runs `kernel` and returns its outputs; `inPlace[j] = i` makes output j be input i's buffer. */
export function callKernel<K extends PrimKind>(
  kernel: Kernel<K>,
  attrs: PrimAttrMap[K],
  inputs: readonly TensorArg[],
  outputShapes: readonly (readonly number[])[],
  options: {
    readonly ctx?: Partial<RunContext>;
    readonly precision?: 'float32' | 'float64';
    readonly inPlace?: Readonly<Record<number, number>>;
  } = {},
): Buffer[] {
  const make = (n: number): Buffer =>
    options.precision === 'float32' ? new Float32Array(n) : new Float64Array(n);
  const inputBuffers = inputs.map((t) => {
    const b = make(size(t.shape));
    b.set(Array.from(t.data));
    return b;
  });
  const outputs = outputShapes.map((shape, j) => {
    const source = options.inPlace?.[j];
    if (source !== undefined) return inputBuffers[source]!;
    // Uninitialized outputs are simulated with NaN so a kernel that skips an element fails.
    return make(size(shape)).fill(Number.NaN);
  });
  kernel({
    attrs,
    inputs: inputBuffers,
    inputShapes: inputs.map((t) => t.shape),
    outputs,
    outputShapes,
    ctx: { ...defaultContext, ...options.ctx },
  });
  return outputs;
}

/** Deterministic pseudo-random values in [-1, 1) for test inputs (not the runtime RNG). */
export function testValues(n: number, seed = 1): number[] {
  let s = seed >>> 0 || 1;
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    out.push((s / 4294967296) * 2 - 1);
  }
  return out;
}
