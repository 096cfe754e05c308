import type { CodeInfo } from '../codes.js';

/** NETC2xxx */
export const nameCodes = {
} as const satisfies Record<`NETC2${string}`, CodeInfo>;
