import type { Buffer, KernelCall } from '../kernel.js';
import type { PrimKind } from '../../program.js';

/*
 * Small helpers the pointwise kernels share: fetching operands, and cutting a row-major
 * shape around one axis. A missing operand or a shape that disagrees with its buffer means
 * the compiler built a program that breaks the contract in program.ts, so these throw an
 * internal error rather than report anything to the user.
 */

function missing(what: string, index: number): Error {
  return new Error(`internal error: a kernel call has no ${what} ${index}`);
}

export function input<K extends PrimKind>(call: KernelCall<K>, index: number): Buffer {
  const buffer = call.inputs[index];
  if (buffer === undefined) throw missing('input', index);
  return buffer;
}

export function output<K extends PrimKind>(call: KernelCall<K>, index: number): Buffer {
  const buffer = call.outputs[index];
  if (buffer === undefined) throw missing('output', index);
  return buffer;
}

export function inputShape<K extends PrimKind>(call: KernelCall<K>, index: number): number[] {
  const shape = call.inputShapes[index];
  if (shape === undefined) throw missing('input shape', index);
  return [...shape];
}

export function outputShape<K extends PrimKind>(call: KernelCall<K>, index: number): number[] {
  const shape = call.outputShapes[index];
  if (shape === undefined) throw missing('output shape', index);
  return [...shape];
}

/** The number of elements of a shape; `[]` (a scalar) has one. */
export function sizeOf(shape: readonly number[]): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

/** The leading (batch) dimension of a batched tensor's run-time shape. */
export function batchOf(shape: readonly number[]): number {
  const n = shape[0];
  if (n === undefined) throw new Error('internal error: a batched tensor has an empty shape');
  return n;
}

/**
 * A shape seen as [outer, length, inner] around `axis`: element (o, k, i) lives at
 * (o·length + k)·inner + i. Every axis-wise kernel (softmax, concat, slice, norms) walks
 * its tensor this way.
 */
export interface AxisView {
  readonly outer: number;
  readonly length: number;
  readonly inner: number;
}

/** `axis` counts the full run-time shape, batch included. */
export function viewAround(shape: readonly number[], axis: number): AxisView {
  const length = shape[axis];
  if (length === undefined || !Number.isInteger(axis) || axis < 0) {
    throw new Error(`internal error: axis ${axis} is outside the shape [${shape.join(', ')}]`);
  }
  return {
    outer: sizeOf(shape.slice(0, axis)),
    length,
    inner: sizeOf(shape.slice(axis + 1)),
  };
}

/**
 * Axis attributes count the unbatched shape (docs/ops.md); the tensors these kernels see at
 * run time are batched activations, so the run-time axis is one further along.
 */
export function batchedAxis(axis: number): number {
  return axis + 1;
}
