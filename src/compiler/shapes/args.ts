import type { Init, Pair, Shape } from '../ir/ops.js';
import type { ArgValue, BoundArgs } from './opSpec.js';

/*
 * Typed readers for bound arguments. The resolver has already checked each value against its
 * `ArgType`, so a value of the wrong kind here is a compiler bug and throws; user errors are
 * reported by the op rules as `OpError`s instead.
 */

export type Padding = Pair | { readonly kind: 'same' } | { readonly kind: 'valid' };

const initKinds: ReadonlySet<string> = new Set<Init['kind']>([
  'glorot',
  'glorot_normal',
  'he',
  'lecun',
  'zeros',
  'ones',
  'normal',
  'uniform',
]);

function internal(name: string, expected: string, value: ArgValue | undefined): never {
  throw new Error(
    `internal compiler error: argument \`${name}\` should be ${expected}, got ${JSON.stringify(value)}`,
  );
}

/** The object-valued arguments: `same`/`valid` and initializers. */
type Tagged = Extract<ArgValue, { readonly kind: string }>;

function isTagged(value: ArgValue | undefined): value is Tagged {
  return typeof value === 'object' && !Array.isArray(value);
}

function isPair(value: ArgValue | undefined): value is Pair {
  return (
    Array.isArray(value) &&
    value.length === 2 &&
    typeof value[0] === 'number' &&
    typeof value[1] === 'number'
  );
}

export function numberArg(args: BoundArgs, name: string): number {
  const value = args[name];
  return typeof value === 'number' ? value : internal(name, 'a number', value);
}

export function boolArg(args: BoundArgs, name: string): boolean {
  const value = args[name];
  return typeof value === 'boolean' ? value : internal(name, 'a boolean', value);
}

export function enumArg<T extends string>(args: BoundArgs, name: string, values: readonly T[]): T {
  const value = args[name];
  const found = values.find((v) => v === value);
  return found ?? internal(name, `one of ${values.join(', ')}`, value);
}

/** An int is accepted too and means the same value on both axes. */
export function pairArg(args: BoundArgs, name: string): Pair {
  const value = args[name];
  if (typeof value === 'number') return [value, value];
  return isPair(value) ? value : internal(name, 'an int or a pair', value);
}

export function paddingArg(args: BoundArgs, name: string): Padding {
  const value = args[name];
  if (isTagged(value) && (value.kind === 'same' || value.kind === 'valid')) {
    return { kind: value.kind };
  }
  if (typeof value === 'number' || isPair(value)) return pairArg(args, name);
  return internal(name, 'a padding', value);
}

export function initArg(args: BoundArgs, name: string): Init {
  const value = args[name];
  if (isTagged(value) && initKinds.has(value.kind)) return value as Init;
  return internal(name, 'an initializer', value);
}

export function shapeArg(args: BoundArgs, name: string): Shape {
  const value = args[name];
  if (Array.isArray(value) && value.every((v: unknown) => typeof v === 'number')) {
    return value as Shape;
  }
  return internal(name, 'a list of ints', value);
}
