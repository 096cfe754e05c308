import type { Shape } from '../compiler/ir/ops.js';
import type { Program, RunContext } from './program.js';

/*
 * The one interface every backend implements. A backend owns device memory for a model's
 * persistent tensors and runs kernel programs against it; everything else (batching,
 * schedules, metrics, checkpoints) is backend-independent and lives in the model and trainer.
 */

export type BackendKind = 'cpu' | 'webgpu';

/** Named persistent tensors on one backend (parameters, buffers, optimizer state). */
export interface DeviceState {
  has(name: string): boolean;
  /** Allocates a tensor; `values` (float32, row-major) defaults to zeros. */
  create(name: string, shape: Shape, values?: Float32Array): void;
  read(name: string): Float32Array;
  write(name: string, values: Float32Array): void;
  names(): string[];
}

export interface Backend {
  readonly kind: BackendKind;
  /** One line for logs: which device. */
  readonly description: string;
  createState(): DeviceState;
  /**
   * Runs `program`: feeds are batch-major float32 arrays keyed by feed name; returns the
   * program's results by name.
   */
  run(
    program: Program,
    state: DeviceState,
    feeds: Readonly<Record<string, Float32Array>>,
    ctx: RunContext,
  ): Promise<Record<string, Float32Array>>;
}

/** A problem at run time that the user can fix (a missing feed, a wrong length). */
export class RuntimeError extends Error {
  override readonly name = 'RuntimeError';
}
