import type { Pair } from '../ir/ops.js';
import { MAX_DIMENSION } from './exact.js';
import { fail, type Failure } from './failure.js';
import { formatPairArg } from './format.js';

/*
 * Checks on argument values that need no shapes. Each returns a failure blaming the argument,
 * or `undefined`, so that `attrs` can chain them with `??` and stop at the first problem.
 */

function tooLarge(arg: string, shown: string): Failure {
  return fail(
    'NETC3012',
    `\`${arg}\` is ${shown}, larger than the largest dimension ${MAX_DIMENSION} (2^31 - 1)`,
    { arg },
  );
}

/** An int that sizes something (`units`, `groups`, a padding): at least `min`, at most 2^31 - 1. */
export function checkInt(arg: string, value: number, min: number): Failure | undefined {
  if (value < min)
    return fail('NETC3006', `\`${arg}\` must be at least ${min}, got ${value}`, { arg });
  if (value > MAX_DIMENSION) return tooLarge(arg, String(value));
  return undefined;
}

/** Both axes of a pair argument (`k`, `stride`, `pad`, ...), with the same bounds as `checkInt`. */
export function checkPair(arg: string, pair: Pair, min: number): Failure | undefined {
  if (pair[0] < min || pair[1] < min) {
    return fail('NETC3006', `\`${arg}\` must be at least ${min}, got ${formatPairArg(pair)}`, {
      arg,
    });
  }
  if (pair[0] > MAX_DIMENSION || pair[1] > MAX_DIMENSION) {
    return tooLarge(arg, formatPairArg(pair));
  }
  return undefined;
}

/** Bounds of a float argument; `above`/`below` are exclusive, `min`/`max` inclusive. */
export interface FloatRange {
  readonly min?: number;
  readonly max?: number;
  readonly above?: number;
  readonly below?: number;
}

function describeRange(range: FloatRange): string {
  const low =
    range.min !== undefined ? `[${range.min}` : range.above !== undefined ? `(${range.above}` : '';
  const high =
    range.max !== undefined ? `${range.max}]` : range.below !== undefined ? `${range.below})` : '';
  if (low !== '' && high !== '') return `in ${low}, ${high}`;
  if (range.min !== undefined) return `at least ${range.min}`;
  if (range.above !== undefined) return `greater than ${range.above}`;
  if (range.max !== undefined) return `at most ${range.max}`;
  if (range.below !== undefined) return `less than ${range.below}`;
  return 'a finite number';
}

export function checkFloat(
  arg: string,
  value: number,
  range: FloatRange = {},
): Failure | undefined {
  const inRange =
    Number.isFinite(value) &&
    (range.min === undefined || value >= range.min) &&
    (range.max === undefined || value <= range.max) &&
    (range.above === undefined || value > range.above) &&
    (range.below === undefined || value < range.below);
  if (inRange) return undefined;
  return fail('NETC3006', `\`${arg}\` must be ${describeRange(range)}, got ${value}`, { arg });
}
