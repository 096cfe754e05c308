import type { Backend } from './backend.js';
import { createCpuBackend } from './cpu/backend.js';
import { cpuKernels } from './cpu/kernels/index.js';
import type { PrimKind } from './program.js';
import { createWebGpuBackend } from './webgpu/backend.js';
import { acquireWebGpuDevice } from './webgpu/device.js';
import { wgslKernels } from './webgpu/kernels/index.js';

/*
 * Picks a backend. `webgpu` opens a GPU device or fails with the reason and the fix. `auto`
 * prefers WebGPU once it can run every primitive (until then no model can fail half-way
 * because WebGPU lacks one of its kernels) and says in one line which backend it took: the
 * adapter for WebGPU (a software rasterizer is worth knowing about), the reason for the CPU.
 */

export type BackendChoice = 'cpu' | 'webgpu' | 'auto';

export interface CreateBackendOptions {
  /** Receives `auto`'s one-line notice of the backend it took, and why. Defaults to stderr. */
  readonly onNotice?: (line: string) => void;
  /**
   * On WebGPU, time the variants of the matrix-product kernels on the device before planning
   * and use the fastest (WebGpuBackendOptions.tune); default false.
   */
  readonly tune?: boolean;
}

/** WebGPU is unavailable, and why: a value, not a crash. */
export class BackendUnavailableError extends Error {
  override readonly name = 'BackendUnavailableError';
}

export async function createBackend(
  choice: BackendChoice = 'auto',
  options: CreateBackendOptions = {},
): Promise<Backend> {
  if (choice === 'cpu') return createCpuBackend();
  if (choice === 'webgpu') {
    const acquired = await acquireWebGpuDevice();
    if (!acquired.ok) {
      throw new BackendUnavailableError(
        `the WebGPU backend is unavailable: ${acquired.reason}; ${acquired.fix}`,
      );
    }
    return createWebGpuBackend(acquired.device, { tune: options.tune ?? false });
  }
  const notice = options.onNotice ?? ((line: string) => process.stderr.write(`${line}\n`));
  const missing = primitivesMissingOnWebGpu();
  if (missing.length > 0) {
    notice(
      `netc: using the CPU backend: WebGPU kernels are not complete yet (${missing.length} primitives missing, such as \`${missing[0]}\`); \`--backend webgpu\` runs the models they cover`,
    );
    return createCpuBackend();
  }
  const acquired = await acquireWebGpuDevice();
  if (acquired.ok) {
    notice(`netc: using the WebGPU backend on ${acquired.device.adapter}`);
    return createWebGpuBackend(acquired.device, { tune: options.tune ?? false });
  }
  notice(
    `netc: using the CPU backend: WebGPU is unavailable: ${acquired.reason} (${acquired.fix})`,
  );
  return createCpuBackend();
}

/** Every primitive WebGPU has no kernel for yet. */
export function primitivesMissingOnWebGpu(): PrimKind[] {
  // The CPU's table is complete by its type, so its keys are every primitive.
  return (Object.keys(cpuKernels) as PrimKind[]).filter((op) => !wgslKernels[op]);
}
