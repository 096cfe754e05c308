import type { Pair, Shape } from '../ir/ops.js';
import { checkedProduct } from './exact.js';

/** `[6, 28, 28]`, as shapes are written in `.net` source. */
export function formatShape(shape: Shape): string {
  return `[${shape.join(', ')}]`;
}

/** `5×5` for a (height, width) size such as a kernel or a feature map. */
export function formatSize(size: Pair): string {
  return `${size[0]}×${size[1]}`;
}

/** `1` when both axes agree, `(1, 2)` otherwise, as a pair argument is written. */
export function formatPairArg(pair: Pair): string {
  return pair[0] === pair[1] ? String(pair[0]) : `(${pair[0]}, ${pair[1]})`;
}

/**
 * The number of elements of a shape. Shapes that reach the IR were checked by the shape rules,
 * so an inexact count here is a compiler bug, not a user error.
 */
export function countElements(shape: Shape): number {
  const count = checkedProduct(shape);
  if (count === undefined) {
    throw new Error(
      `internal compiler error: element count of ${formatShape(shape)} exceeds 2^53 - 1; ` +
        'the shape rules should have rejected it',
    );
  }
  return count;
}
