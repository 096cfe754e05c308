import type { CodeInfo } from '../codes.js';

/** NETC5xxx: resource limits that keep hostile input from exhausting time or memory (see limits.ts). */
export const resourceCodes = {
  NETC5001: { title: 'file too large' },
  NETC5002: { title: 'nesting too deep' },
  NETC5003: { title: 'repeat count too large' },
  NETC5004: { title: 'network too large' },
  NETC5005: { title: 'rank too large' },
  NETC5006: { title: 'dimension too large' },
  NETC5007: { title: 'instances nested too deep' },
  NETC5008: { title: 'number too large' },
  NETC5009: { title: 'cannot read file' },
} as const satisfies Record<`NETC5${string}`, CodeInfo>;
