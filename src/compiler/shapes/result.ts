import type { Init, OpAttrMap, OpKind, ParamDecl, ParamRole, Shape } from '../ir/ops.js';
import { checkedProduct, MAX_DIMENSION } from './exact.js';
import { fail } from './failure.js';
import { formatShape } from './format.js';
import type { InferResult } from './opSpec.js';

/*
 * The successful end of every `infer`: checks that the output shape, the parameters and the
 * multiply-add count are representable exactly, so later phases can use plain arithmetic.
 */

export interface Inferred<K extends OpKind> {
  readonly shape: Shape;
  readonly params?: readonly ParamDecl[];
  /** Multiply-adds per sample; `undefined` when the count overflowed 2^53 - 1. */
  readonly macs: number | undefined;
  readonly attrs?: OpAttrMap[K];
}

function tooManyMessage(op: OpKind, what: string): string {
  return `\`${op}\` would have more than 2^53 - 1 ${what}, too many to count exactly`;
}

export function inferred<K extends OpKind>(op: K, result: Inferred<K>): InferResult<K> {
  const { shape, params = [], macs, attrs } = result;
  const largest = Math.max(...shape);
  if (largest > MAX_DIMENSION) {
    return fail(
      'NETC3012',
      `the output of \`${op}\` would be ${formatShape(shape)}, whose dimension ${largest} is larger than ${MAX_DIMENSION} (2^31 - 1)`,
    );
  }
  if (checkedProduct(shape) === undefined) {
    return fail(
      'NETC3013',
      tooManyMessage(op, `output elements per sample (${formatShape(shape)})`),
    );
  }
  for (const param of params) {
    if (checkedProduct(param.shape) === undefined) {
      return fail('NETC3013', tooManyMessage(op, `\`${param.role}\` elements`));
    }
  }
  if (macs === undefined) {
    return fail('NETC3013', tooManyMessage(op, 'multiply-adds per sample'));
  }
  return { ok: true, shape, params, macs, ...(attrs === undefined ? {} : { attrs }) };
}

/** A learned weight: regularized by `l1`/`l2`. */
export function weight(shape: Shape, init: Init): ParamDecl {
  return { role: 'weight', shape, init, trainable: true, regularized: true };
}

/** A bias or normalization parameter: trainable but never regularized. */
export function unregularized(role: ParamRole, shape: Shape, init: Init): ParamDecl {
  return { role, shape, init, trainable: true, regularized: false };
}

/** A buffer such as batchnorm's running statistics: state, not a parameter. */
export function buffer(role: ParamRole, shape: Shape, init: Init): ParamDecl {
  return { role, shape, init, trainable: false, regularized: false };
}

export const zeros: Init = { kind: 'zeros' };
export const ones: Init = { kind: 'ones' };

/** `[bias]` of the given size when the layer has one, `[]` otherwise. Biases start at zero. */
export function optionalBias(hasBias: boolean, size: number): readonly ParamDecl[] {
  return hasBias ? [unregularized('bias', [size], zeros)] : [];
}
