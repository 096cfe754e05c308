import type { PrimAttrMap, PrimKind, RunContext } from '../program.js';

/*
 * The CPU interpreter's kernel contract. One plain-loop function per primitive, in a table
 * typed so that a primitive without a kernel fails the build. Kernels run in float32 or, for
 * gradient checks, float64: they read and write whichever array type they are given.
 */

export type Buffer = Float32Array | Float64Array;

export interface KernelCall<K extends PrimKind> {
  readonly attrs: PrimAttrMap[K];
  readonly inputs: readonly Buffer[];
  /** Full run-time shapes, batch dimension first for batched tensors. */
  readonly inputShapes: readonly (readonly number[])[];
  /**
   * Output buffers, allocated by the interpreter with the declared shapes. An output that is
   * also an input (in-place update) is the very same buffer object.
   */
  readonly outputs: readonly Buffer[];
  readonly outputShapes: readonly (readonly number[])[];
  readonly ctx: RunContext;
}

export type Kernel<K extends PrimKind> = (call: KernelCall<K>) => void;

export type KernelTable = { readonly [K in PrimKind]: Kernel<K> };
