import type { CodeInfo } from '../codes.js';

/** NETC5xxx */
export const resourceCodes = {
} as const satisfies Record<`NETC5${string}`, CodeInfo>;
