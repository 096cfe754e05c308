import type { CodeInfo } from '../codes.js';

/** NETC1xxx */
export const syntaxCodes = {
} as const satisfies Record<`NETC1${string}`, CodeInfo>;
