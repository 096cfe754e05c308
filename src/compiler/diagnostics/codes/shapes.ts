import type { CodeInfo } from '../codes.js';

/** NETC3xxx */
export const shapeCodes = {
} as const satisfies Record<`NETC3${string}`, CodeInfo>;
