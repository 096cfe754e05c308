import type { CodeInfo } from '../codes.js';

/** NETC4xxx */
export const trainCodes = {
} as const satisfies Record<`NETC4${string}`, CodeInfo>;
