import { expect } from 'vitest';
import type { Kernel } from '../../src/runtime/cpu/kernel.js';
import { cpuKernels } from '../../src/runtime/cpu/kernels/index.js';
import type { PrimAttrMap, PrimKind, Program, TensorDecl } from '../../src/runtime/program.js';
import { runtimeShapeRules, type RuntimeShapeRule } from '../../src/runtime/runtimeShapes.js';
import type { WebGpuBackend } from '../../src/runtime/webgpu/backend.js';
import { callKernel, defaultContext, size, type TensorArg } from '../helpers/kernels.js';

/*
 * One spatial primitive on WebGPU against its CPU kernel. WebGPU runs it as a
 * one-instruction program whose inputs are feeds and whose outputs are feeds too, filled
 * with NaN beforehand: an element the kernel forgets to write comes back NaN, as the CPU
 * harness simulates uninitialized outputs. Output shapes come from the run-time shape rules
 * (runtimeShapes.ts), so every case is a shape PyTorch would accept.
 */

export interface Tolerance {
  readonly rtol: number;
  readonly atol: number;
}

/**
 * float32 against the CPU's float64 sums rounded to float32: rtol 1e-4, and atol 1e-5
 * scaled by √L for an element that sums L products of numbers below 1 in magnitude (the
 * rounding errors of a float32 sum of L terms grow like √L; the scale keeps the margin).
 */
export function tolerance(reduction: number): Tolerance {
  return { rtol: 1e-4, atol: 1e-5 * Math.sqrt(Math.max(1, reduction)) };
}

export interface SpatialCheck<K extends PrimKind> {
  readonly op: K;
  readonly attrs: PrimAttrMap[K];
  readonly inputs: readonly TensorArg[];
  /** The forward input's shape, for gradients whose dX size dY alone does not fix. */
  readonly declared?: readonly number[];
  /** How many products one output element sums, at most (sets atol). */
  readonly reduction: number;
}

/** The output shapes by the run-time rules. */
export function outputShapes<K extends PrimKind>(check: SpatialCheck<K>): number[][] {
  const rule = runtimeShapeRules[check.op] as RuntimeShapeRule<K>;
  return rule(
    check.attrs,
    check.inputs.map((t) => t.shape),
    check.declared ? [check.declared] : [],
  );
}

/** Inputs and outputs are all feeds: in0, in1, …, then out0, out1, …. */
function oneInstruction<K extends PrimKind>(
  check: SpatialCheck<K>,
  outputs: readonly number[][],
): Program {
  const shapes = [...check.inputs.map((t) => t.shape), ...outputs];
  const names = [...check.inputs.map((_, i) => `in${i}`), ...outputs.map((_, j) => `out${j}`)];
  const tensors: TensorDecl[] = shapes.map((shape, id) => ({
    id,
    shape: [...shape],
    batched: false,
    storage: 'feed',
    name: names[id]!,
  }));
  const outIds = outputs.map((_, j) => check.inputs.length + j);
  const instr = {
    op: check.op,
    attrs: check.attrs,
    inputs: check.inputs.map((_, i) => i),
    outputs: outIds,
  } as Program['instrs'][number];
  return {
    tensors,
    instrs: [instr],
    results: outIds.map((tensor, j) => ({ name: `out${j}`, tensor })),
  };
}

export async function runGpu<K extends PrimKind>(
  backend: WebGpuBackend,
  check: SpatialCheck<K>,
): Promise<Float32Array[]> {
  const shapes = outputShapes(check);
  const feeds: Record<string, Float32Array> = {};
  check.inputs.forEach((t, i) => (feeds[`in${i}`] = Float32Array.from(t.data)));
  shapes.forEach((s, j) => (feeds[`out${j}`] = new Float32Array(size(s)).fill(Number.NaN)));
  const program = oneInstruction(check, shapes);
  const results = await backend.run(program, backend.createState(), feeds, defaultContext);
  return shapes.map((_, j) => results[`out${j}`]!);
}

export function runCpu<K extends PrimKind>(check: SpatialCheck<K>): Float32Array[] {
  const kernel = cpuKernels[check.op] as Kernel<K>;
  return callKernel(kernel, check.attrs, check.inputs, outputShapes(check), {
    precision: 'float32',
  }).map((b) => Float32Array.from(b));
}

/** Runs both and fails with the worst element, its index and both values. */
export async function expectGpuMatchesCpu<K extends PrimKind>(
  backend: WebGpuBackend,
  check: SpatialCheck<K>,
  what: string,
): Promise<void> {
  const expected = runCpu(check);
  const actual = await runGpu(backend, check);
  const tol = tolerance(check.reduction);
  expected.forEach((e, j) => expectClose(actual[j]!, e, tol, `${check.op} ${what}, output ${j}`));
}

export function expectClose(
  actual: Float32Array,
  expected: Float32Array,
  tol: Tolerance,
  what: string,
): void {
  expect(actual.length, `${what}: length`).toBe(expected.length);
  let worst = -1;
  let worstExcess = 0;
  for (let i = 0; i < expected.length; i++) {
    const a = actual[i]!;
    const e = expected[i]!;
    if (Number.isNaN(e) && Number.isNaN(a)) continue;
    if (a === e) continue;
    const excess = Math.abs(a - e) - (tol.atol + tol.rtol * Math.abs(e));
    if (!(excess <= 0) && (worst < 0 || !(excess <= worstExcess))) {
      worst = i;
      worstExcess = excess;
    }
  }
  if (worst >= 0) {
    expect.fail(
      `${what}: element ${worst} of ${expected.length} is ${actual[worst]} on WebGPU but ${expected[worst]} on the CPU (rtol ${tol.rtol}, atol ${tol.atol.toPrecision(3)})`,
    );
  }
}

/** Seeded values in [−1, 1): a small xorshift generator, independent of the runtime RNG. */
export function values(n: number, seed: number): number[] {
  let s = (seed * 2654435761) >>> 0 || 1;
  const out = new Array<number>(n);
  for (let i = 0; i < n; i++) {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    out[i] = (s / 4294967296) * 2 - 1;
  }
  return out;
}

/** A tensor of seeded values; `levels` > 0 rounds them to that many steps (ties for max). */
export function tensor(shape: readonly number[], seed: number, levels = 0): TensorArg {
  const data = values(size(shape), seed);
  return {
    shape,
    data: levels > 0 ? data.map((v) => Math.round(((v + 1) / 2) * (levels - 1))) : data,
  };
}
