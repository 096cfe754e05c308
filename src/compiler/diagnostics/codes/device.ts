import type { CodeInfo } from '../codes.js';

/**
 * NETC501x: the GPU at run time. The WebGPU backend raises these as `RuntimeError`s whose
 * message starts with the code; `netc check` never reports them.
 */
export const deviceCodes = {
  NETC5010: { title: 'GPU validation error' },
  NETC5011: { title: 'out of GPU memory' },
  NETC5012: { title: 'GPU device lost' },
  NETC5013: { title: 'tensor too large for the GPU' },
} as const satisfies Record<`NETC5${string}`, CodeInfo>;
