import type { Backend } from './backend.js';
import { createCpuBackend } from './cpu/backend.js';

/*
 * Picks a backend. `auto` prefers WebGPU and falls back to the CPU reference interpreter
 * with a one-line notice saying why; `webgpu` fails with the reason instead.
 */

export type BackendChoice = 'cpu' | 'webgpu' | 'auto';

export interface CreateBackendOptions {
  /** Receives the one-line notice when `auto` falls back to the CPU. Defaults to stderr. */
  readonly onNotice?: (line: string) => void;
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
  const reason = await webgpuUnavailableReason();
  if (choice === 'webgpu')
    throw new BackendUnavailableError(`the WebGPU backend is unavailable: ${reason}`);
  const notice = options.onNotice ?? ((line: string) => process.stderr.write(`${line}\n`));
  notice(`netc: using the CPU backend: ${reason}`);
  return createCpuBackend();
}

/** Why WebGPU cannot be used here. The WebGPU backend itself lands with the code generator. */
async function webgpuUnavailableReason(): Promise<string> {
  return 'this version of netc has no WebGPU code generator yet (it arrives with the WGSL backend)';
}
