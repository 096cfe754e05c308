import { expect } from 'vitest';
import { cpuKernels } from '../../src/runtime/cpu/kernels/index.js';
import type { Kernel } from '../../src/runtime/cpu/kernel.js';
import type { DeviceState } from '../../src/runtime/backend.js';
import type {
  PrimAttrMap,
  PrimKind,
  Program,
  RunContext,
  TensorDecl,
} from '../../src/runtime/program.js';
import type { WebGpuBackend } from '../../src/runtime/webgpu/backend.js';
import { callKernel, defaultContext, type TensorArg } from '../helpers/kernels.js';

/*
 * One primitive on WebGPU against its CPU kernel. A case is the primitive, its attributes,
 * its input tensors with full run-time shapes and its output shapes; WebGPU runs it as a
 * one-instruction program (inputs as feeds, outputs as results, in-place outputs as the very
 * input tensors), the CPU kernel runs in float32 as the CPU backend does.
 */

export interface OpCase<K extends PrimKind = PrimKind> {
  readonly op: K;
  readonly attrs: PrimAttrMap[K];
  readonly inputs: readonly TensorArg[];
  readonly outputShapes: readonly (readonly number[])[];
  /** Output j is input inPlace[j] (optimizer state, regularized gradients). */
  readonly inPlace?: Readonly<Record<number, number>>;
  readonly ctx?: Partial<RunContext>;
}

/** |actual − expected| ≤ atol + rtol·|expected|, element by element. */
export interface Tolerance {
  readonly rtol: number;
  readonly atol: number;
}

export function opProgram(c: OpCase): Program {
  const tensors: TensorDecl[] = c.inputs.map((t, i) => ({
    id: i,
    shape: [...t.shape],
    batched: false,
    storage: 'feed',
    name: `in${i}`,
  }));
  const outputs = c.outputShapes.map((shape, j) => {
    const source = c.inPlace?.[j];
    if (source !== undefined) return source;
    tensors.push({
      id: tensors.length,
      shape: [...shape],
      batched: false,
      storage: 'temp',
      name: `out${j}`,
    });
    return tensors.length - 1;
  });
  return {
    tensors,
    instrs: [
      {
        op: c.op,
        attrs: c.attrs,
        inputs: c.inputs.map((_, i) => i),
        outputs,
      } as Program['instrs'][number],
    ],
    results: outputs.map((tensor, j) => ({ name: `out${j}`, tensor })),
  };
}

export async function runGpu(
  backend: WebGpuBackend,
  state: DeviceState,
  c: OpCase,
): Promise<Float32Array[]> {
  const feeds: Record<string, Float32Array> = {};
  c.inputs.forEach((t, i) => (feeds[`in${i}`] = Float32Array.from(t.data)));
  const results = await backend.run(opProgram(c), state, feeds, { ...defaultContext, ...c.ctx });
  return c.outputShapes.map((_, j) => results[`out${j}`]!);
}

export function runCpu(c: OpCase): Float32Array[] {
  const kernel = cpuKernels[c.op] as Kernel<PrimKind>;
  return callKernel(kernel, c.attrs, c.inputs, c.outputShapes, {
    precision: 'float32',
    ...(c.inPlace ? { inPlace: c.inPlace } : {}),
    ...(c.ctx ? { ctx: c.ctx } : {}),
  }).map((b) => Float32Array.from(b));
}

/** Fails with the worst element, its index and both values. */
export function expectClose(
  actual: Float32Array,
  expected: Float32Array,
  tolerance: Tolerance,
  what: string,
): void {
  expect(actual.length, `${what}: length`).toBe(expected.length);
  let worst = -1;
  let worstExcess = 0;
  for (let i = 0; i < expected.length; i++) {
    const a = actual[i]!;
    const e = expected[i]!;
    if (Number.isNaN(e) && Number.isNaN(a)) continue;
    const excess = Math.abs(a - e) - (tolerance.atol + tolerance.rtol * Math.abs(e));
    if (!(excess <= 0) && (worst < 0 || excess > worstExcess || Number.isNaN(excess))) {
      worst = i;
      worstExcess = excess;
    }
  }
  if (worst >= 0) {
    expect.fail(
      `${what}: element ${worst} is ${actual[worst]} on WebGPU but ${expected[worst]} on the CPU (rtol ${tolerance.rtol}, atol ${tolerance.atol})`,
    );
  }
}

/** Deterministic shapes and values: a small xorshift generator, seeded per case. */
export function generator(seed: number) {
  let s = seed >>> 0 || 1;
  const next = () => {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    return s / 4294967296;
  };
  return {
    /** Uniform in [lo, hi). */
    uniform: (n: number, lo = -1, hi = 1) =>
      Array.from({ length: n }, () => lo + (hi - lo) * next()),
    /** An integer in [lo, hi]. */
    int: (lo: number, hi: number) => lo + Math.floor(next() * (hi - lo + 1)),
  };
}
