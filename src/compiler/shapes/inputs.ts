import type { OpKind, Shape } from '../ir/ops.js';
import { fail, type Failure } from './failure.js';
import { formatShape } from './format.js';

/* The number and rank of an op's input values. */

export type Image = readonly [channels: number, height: number, width: number];

export function isFailure<T extends object>(value: T | Failure): value is Failure {
  return !Array.isArray(value);
}

function countWords(count: number): string {
  return count === 1 ? 'one input' : `${count} inputs`;
}

/** The only input of a one-input op. */
export function single(op: OpKind, inputs: readonly Shape[]): Shape | Failure {
  const [input] = inputs;
  if (input === undefined || inputs.length !== 1) {
    return fail('NETC3053', `\`${op}\` takes one input, got ${countWords(inputs.length)}`);
  }
  return input;
}

/** Exactly two inputs (`mul`, `sample_normal`). */
export function pair(op: OpKind, inputs: readonly Shape[]): readonly [Shape, Shape] | Failure {
  const [first, second] = inputs;
  if (first === undefined || second === undefined || inputs.length !== 2) {
    return fail('NETC3053', `\`${op}\` takes two inputs, got ${countWords(inputs.length)}`);
  }
  return [first, second];
}

/** Two or more inputs (`add`, `concat`). */
export function many(op: OpKind, inputs: readonly Shape[]): readonly Shape[] | Failure {
  if (inputs.length < 2) {
    return fail('NETC3053', `\`${op}\` takes two or more inputs, got ${countWords(inputs.length)}`);
  }
  return inputs;
}

export function wrongRank(op: OpKind, input: Shape, expected: string, help?: string): Failure {
  return fail(
    'NETC3001',
    `\`${op}\` expects ${expected}, got ${formatShape(input)}`,
    help === undefined ? {} : { help },
  );
}

/** How to turn a non-image into an image: a square vector becomes a 1-channel picture. */
function reshapeHelp(input: Shape): string {
  const [first, second] = input;
  if (input.length === 1 && first !== undefined) {
    const side = Math.round(Math.sqrt(first));
    if (side * side === first) {
      return `insert \`reshape([1, ${side}, ${side}])\` before it to treat it as a 1-channel ${side}×${side} image`;
    }
  }
  if (input.length === 2 && first !== undefined && second !== undefined) {
    return `insert \`reshape([1, ${first}, ${second}])\` before it to give it a channel axis`;
  }
  return 'insert `reshape([C, H, W])` before it to give it a channel axis and two spatial axes';
}

/** A channels-first image `[C, H, W]`, as conv, pooling and upsampling need. */
export function image(op: OpKind, input: Shape): Image | Failure {
  const [channels, height, width] = input;
  if (input.length !== 3 || channels === undefined || height === undefined || width === undefined) {
    return wrongRank(op, input, 'an image [C, H, W]', reshapeHelp(input));
  }
  return [channels, height, width];
}

/**
 * A non-negative axis for `axis` (negative counts from the end), or `undefined` if the shape
 * has no such axis.
 */
export function normalizeAxis(axis: number, rank: number): number | undefined {
  const normalized = axis < 0 ? axis + rank : axis;
  return normalized >= 0 && normalized < rank ? normalized : undefined;
}

export function axisOutOfRange(op: OpKind, axis: number, input: Shape): Failure {
  const rank = input.length;
  return fail(
    'NETC3007',
    `\`axis=${axis}\` is out of range for \`${op}\` on ${formatShape(input)}, which has ${rank} ${rank === 1 ? 'axis' : 'axes'}`,
    {
      arg: 'axis',
      help: `use an axis from ${-rank} to ${rank - 1} (shapes here leave out the batch dimension)`,
    },
  );
}
