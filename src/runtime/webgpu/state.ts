import type { Shape } from '../../compiler/ir/ops.js';
import { RuntimeError, type DeviceState } from '../backend.js';
import { GpuError, type WebGpuDevice } from './device.js';

/*
 * A model's persistent tensors in GPU storage buffers (float32), with a host mirror.
 *
 * Why a mirror: `DeviceState.read` is synchronous (the trainer calls it for checkpoints and
 * `saveWeights`), while reading a GPU buffer is not (mapAsync). Each tensor keeps its last
 * known values on the host; `run` refreshes the mirror of the state tensors a program wrote,
 * copying them in the same command buffer as the results and mapping once, so `read` is
 * always current. That costs a copy of the updated parameters per run. A backend created
 * with `mirrorState: false` skips it: the tensors a run updates are then marked stale, and
 * `read` of a stale tensor fails with a pointer to `readAsync`, which reads the GPU and
 * refreshes the mirror.
 */

export const STORAGE_USAGE = () =>
  GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC | GPUBufferUsage.COPY_DST;

export interface StateTensor {
  readonly buffer: GPUBuffer;
  readonly length: number;
  /** The tensor's values as of the last write or read back. */
  readonly mirror: Float32Array;
  /** True while the GPU holds values the mirror has not seen. */
  stale: boolean;
}

export class WebGpuState implements DeviceState {
  private readonly tensors = new Map<string, StateTensor>();
  /** Counts buffer replacements; plans built against an older generation are rebuilt. */
  generation = 0;

  constructor(private readonly device: WebGpuDevice) {}

  has(name: string): boolean {
    return this.tensors.has(name);
  }

  create(name: string, shape: Shape, values?: Float32Array): void {
    const length = shape.reduce((a, d) => a * d, 1);
    if (values && values.length !== length) {
      throw new RuntimeError(
        `\`${name}\` of shape [${shape.join(', ')}] holds ${length} numbers, got ${values.length}`,
      );
    }
    const buffer = allocate(this.device, name, length);
    if (values) this.device.gpu.queue.writeBuffer(buffer, 0, values);
    const old = this.tensors.get(name);
    if (old) {
      old.buffer.destroy();
      this.generation++;
    }
    const mirror = new Float32Array(length);
    if (values) mirror.set(values);
    this.tensors.set(name, { buffer, length, mirror, stale: false });
  }

  read(name: string): Float32Array {
    const tensor = this.tensor(name);
    if (tensor.stale) {
      throw new RuntimeError(
        `\`${name}\` was updated on the GPU since it was last read; use \`await state.readAsync(name)\``,
      );
    }
    return tensor.mirror.slice();
  }

  write(name: string, values: Float32Array): void {
    const tensor = this.tensor(name);
    if (tensor.length !== values.length) {
      throw new RuntimeError(`\`${name}\` holds ${tensor.length} numbers, got ${values.length}`);
    }
    this.device.assertAlive();
    this.device.gpu.queue.writeBuffer(tensor.buffer, 0, values);
    tensor.mirror.set(values);
    tensor.stale = false;
  }

  names(): string[] {
    return [...this.tensors.keys()];
  }

  /** Reads a tensor from the GPU (whatever the mirror says) and refreshes the mirror. */
  async readAsync(name: string): Promise<Float32Array> {
    const tensor = this.tensor(name);
    const [values] = await readBuffers(this.device, [tensor], `reading \`${name}\``);
    tensor.mirror.set(values!);
    tensor.stale = false;
    return values!;
  }

  /** The tensor behind `name`, for the backend. */
  tensor(name: string): StateTensor {
    const tensor = this.tensors.get(name);
    if (!tensor) throw new RuntimeError(`no state tensor \`${name}\``);
    return tensor;
  }

  destroy(): void {
    for (const tensor of this.tensors.values()) tensor.buffer.destroy();
    this.tensors.clear();
    this.generation++;
  }
}

/** A storage buffer of `length` float32s, refusing what one binding could not hold. */
export function allocate(device: WebGpuDevice, name: string, length: number): GPUBuffer {
  const bytes = length * 4;
  const limit = Math.min(device.limits.maxStorageBufferBindingSize, device.limits.maxBufferSize);
  if (bytes > limit) {
    throw new GpuError(
      'NETC5013',
      `\`${name}\` needs ${mebibytes(bytes)}, more than the ${mebibytes(limit)} this GPU allows in one buffer (maxStorageBufferBindingSize); use a smaller batch or smaller layers, or \`--backend cpu\``,
    );
  }
  // Whole 16-byte units, so that kernels may read any tensor as vec4s (kernel.ts,
  // StorageBinding.vec4); an empty tensor still gets one unit.
  const size = Math.max(16, Math.ceil(bytes / 16) * 16);
  return device.scopedLater(`allocating \`${name}\``, () =>
    device.gpu.createBuffer({ label: name, size, usage: STORAGE_USAGE() }),
  );
}

function mebibytes(bytes: number): string {
  return `${(bytes / 2 ** 20).toFixed(bytes < 2 ** 20 ? 3 : 1)} MiB`;
}

/**
 * Copies buffers to one mappable buffer in one command buffer, maps it once and returns
 * their contents. Used outside `run`; `run` records its copies with its dispatches.
 */
export async function readBuffers(
  device: WebGpuDevice,
  sources: readonly { readonly buffer: GPUBuffer; readonly length: number }[],
  what: string,
): Promise<Float32Array[]> {
  const gpu = device.gpu;
  const { value: staging, error } = device.scoped(what, () => {
    const total = sources.reduce((sum, s) => sum + s.length * 4, 0);
    const staging = gpu.createBuffer({
      label: 'netc readback',
      size: Math.max(4, total),
      usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST,
    });
    const encoder = gpu.createCommandEncoder();
    let offset = 0;
    for (const s of sources) {
      if (s.length > 0) encoder.copyBufferToBuffer(s.buffer, 0, staging, offset, s.length * 4);
      offset += s.length * 4;
    }
    gpu.queue.submit([encoder.finish()]);
    return staging;
  });
  try {
    return await mapped(device, staging, error, what, sources);
  } finally {
    staging.destroy();
  }
}

/** Waits for `error` and the mapping of `staging`, then slices it per source. */
export async function mapped(
  device: WebGpuDevice,
  staging: GPUBuffer,
  error: Promise<GpuError | undefined>,
  what: string,
  sources: readonly { readonly length: number }[],
): Promise<Float32Array[]> {
  const map = device.waitFor(staging.mapAsync(GPUMapMode.READ)).then(
    () => undefined,
    (cause: unknown) => device.failure(cause, what),
  );
  const [scopeError, mapError] = await Promise.all([error, map]);
  const failure = scopeError ?? mapError;
  if (failure) {
    if (staging.mapState === 'mapped') staging.unmap();
    throw failure;
  }
  const range = staging.getMappedRange();
  const out: Float32Array[] = [];
  let offset = 0;
  for (const s of sources) {
    out.push(new Float32Array(range, offset * 4, s.length).slice());
    offset += s.length;
  }
  staging.unmap();
  return out;
}
