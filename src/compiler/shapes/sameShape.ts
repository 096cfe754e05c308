import type { OpKind, Shape } from '../ir/ops.js';
import { isFailure, single } from './inputs.js';
import type { InferResult } from './opSpec.js';
import { inferred } from './result.js';

/** The rule of every element-wise one-input op: same shape out, nothing learned, no cost. */
export function sameShape<K extends OpKind>(kind: K) {
  return (inputs: readonly Shape[]): InferResult<K> => {
    const input = single(kind, inputs);
    if (isFailure(input)) return input;
    return inferred(kind, { shape: input, macs: 0 });
  };
}
