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
  /** The tensor's values; on a GPU only while the host copy is current (else use readAsync). */
  read(name: string): Float32Array;
  /** The tensor's values, fetched from the device if need be. */
  readAsync(name: string): Promise<Float32Array>;
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
   * program's results by name. With `read: false` the results stay on the device (the
   * promise resolves once the work is queued, to `{}`) until `collect` fetches them.
   */
  run(
    program: Program,
    state: DeviceState,
    feeds: Readonly<Record<string, Float32Array>>,
    ctx: RunContext,
    options?: RunOptions,
  ): Promise<Record<string, Float32Array>>;
  /** The results of every run made with `read: false` since the last call, oldest first. */
  collect(): Promise<Record<string, Float32Array>[]>;
}

export interface RunOptions {
  /** Read the results back now (default true); false defers them to `collect`. */
  readonly read?: boolean;
}

/** A problem at run time that the user can fix (a missing feed, a wrong length). */
export class RuntimeError extends Error {
  override readonly name = 'RuntimeError';
}
