import type { CodeInfo } from '../codes.js';

/**
 * NETC3xxx: shapes. NETC3001–3049 are found by the per-op rules in `shapes/ops/`;
 * NETC3050 and up by the resolver while it wires ops into a graph.
 */
export const shapeCodes = {
  NETC3001: { title: 'wrong input rank' },
  NETC3002: { title: 'output would be empty' },
  NETC3003: { title: 'invalid same padding' },
  NETC3004: { title: 'padding too large' },
  NETC3005: { title: 'groups do not divide channels' },
  NETC3006: { title: 'argument out of range' },
  NETC3007: { title: 'axis out of range' },
  NETC3008: { title: 'input shapes differ' },
  NETC3009: { title: 'concat shapes incompatible' },
  NETC3010: { title: 'reshape size mismatch' },
  NETC3011: { title: 'invalid reshape target' },
  NETC3012: { title: 'dimension too large' },
  NETC3013: { title: 'count too large' },
  NETC3014: { title: 'output padding too large' },

  NETC3050: { title: 'shape ascription mismatch' },
  NETC3051: { title: 'declared output shape mismatch' },
  NETC3052: { title: 'wrong number of outputs' },
  NETC3053: { title: 'wrong number of inputs to op' },
  NETC3054: { title: 'network input shape mismatch' },
} as const satisfies Record<`NETC3${string}`, CodeInfo>;
