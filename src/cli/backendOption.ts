import type { Backend } from '../runtime/backend.js';
import { createBackend, type BackendChoice } from '../runtime/createBackend.js';
import type { CliIO } from './io.js';

/** `--backend`: `auto` prefers WebGPU and says so on stderr when it falls back to the CPU. */
export const backendChoices = ['auto', 'cpu', 'webgpu'] as const satisfies readonly BackendChoice[];

/**
 * Throws `BackendUnavailableError` (an `error:` line, exit 1) for `webgpu` without WebGPU.
 * `tune` times the WebGPU matrix-product kernels once per shape before use: worth its few
 * seconds for training, not for one inference.
 */
export function openBackend(
  choice: BackendChoice,
  io: CliIO,
  options: { readonly tune?: boolean } = {},
): Promise<Backend> {
  return createBackend(choice, {
    onNotice: (line) => io.stderr(`${line}\n`),
    tune: options.tune ?? false,
  });
}
