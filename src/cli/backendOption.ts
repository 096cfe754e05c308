import type { Backend } from '../runtime/backend.js';
import { createBackend, type BackendChoice } from '../runtime/createBackend.js';
import type { CliIO } from './io.js';

/** `--backend`: `auto` prefers WebGPU and says so on stderr when it falls back to the CPU. */
export const backendChoices = ['auto', 'cpu', 'webgpu'] as const satisfies readonly BackendChoice[];

/** Throws `BackendUnavailableError` (an `error:` line, exit 1) for `webgpu` without WebGPU. */
export function openBackend(choice: BackendChoice, io: CliIO): Promise<Backend> {
  return createBackend(choice, { onNotice: (line) => io.stderr(`${line}\n`) });
}
