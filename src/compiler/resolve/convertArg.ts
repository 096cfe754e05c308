import type { Init } from '../ir/ops.js';
import type { ArgType, ArgValue } from '../shapes/opSpec.js';
import { didYouMean } from '../diagnostics/didYouMean.js';
import { describeValue, kindName, type ConstValue } from './values.js';

/** Why a value does not fit a parameter: a message and an optional fix. */
export interface Mismatch {
  readonly message: string;
  readonly help?: string;
}

export type Converted =
  { readonly ok: true; readonly value: ArgValue } | { readonly ok: false; readonly why: Mismatch };

const initNames = [
  'glorot',
  'glorot_normal',
  'he',
  'lecun',
  'zeros',
  'ones',
  'normal',
  'uniform',
] as const;

/** Converts an evaluated argument to the representation its op parameter expects. */
export function convertArg(value: ConstValue, type: ArgType): Converted {
  switch (type.kind) {
    case 'int': {
      const n = asInt(value);
      if (n === undefined) return mismatch(value, 'an int');
      if (type.min !== undefined && n < type.min)
        return { ok: false, why: { message: `must be at least ${type.min}, got ${n}` } };
      return { ok: true, value: n };
    }
    case 'float': {
      if (value.kind !== 'int' && value.kind !== 'float') return mismatch(value, 'a number');
      const n = value.value;
      if (type.min !== undefined && n < type.min)
        return { ok: false, why: { message: `must be at least ${type.min}, got ${n}` } };
      if (type.max !== undefined && n > type.max)
        return { ok: false, why: { message: `must be at most ${type.max}, got ${n}` } };
      return { ok: true, value: n };
    }
    case 'bool':
      return value.kind === 'bool'
        ? { ok: true, value: value.value }
        : mismatch(value, '`true` or `false`');
    case 'pair': {
      const pair = asPair(value);
      if (!pair) return mismatch(value, 'an int or a pair `(h, w)`');
      if (type.min !== undefined && (pair[0] < type.min || pair[1] < type.min)) {
        return {
          ok: false,
          why: { message: `must be at least ${type.min}, got ${describeValue(value)}` },
        };
      }
      return { ok: true, value: pair };
    }
    case 'padding': {
      if (value.kind === 'symbol' && (value.name === 'same' || value.name === 'valid')) {
        return { ok: true, value: { kind: value.name } };
      }
      const pair = asPair(value);
      if (!pair)
        return mismatch(value, 'an int, a pair `(h, w)`, `same` or `valid`', ['same', 'valid']);
      if (pair[0] < 0 || pair[1] < 0)
        return {
          ok: false,
          why: { message: `padding cannot be negative, got ${describeValue(value)}` },
        };
      return { ok: true, value: pair };
    }
    case 'enum': {
      const word =
        value.kind === 'symbol' ? value.name : value.kind === 'string' ? value.value : undefined;
      if (word !== undefined && type.values.includes(word)) return { ok: true, value: word };
      return mismatch(
        value,
        `one of ${type.values.map((v) => `\`${v}\``).join(', ')}`,
        type.values,
      );
    }
    case 'init':
      return convertInit(value);
    case 'shape': {
      if (value.kind !== 'list' && value.kind !== 'tuple')
        return mismatch(value, 'a shape such as `[16, 7, 7]`');
      const dims: number[] = [];
      for (const item of value.items) {
        const n = asInt(item);
        if (n === undefined) return mismatch(value, 'a list of ints');
        dims.push(n);
      }
      return { ok: true, value: dims };
    }
  }
}

/** An initializer written as a name (`he`) or a call that the resolver evaluated to a tuple-like form. */
function convertInit(value: ConstValue): Converted {
  if (value.kind === 'symbol' && (initNames as readonly string[]).includes(value.name)) {
    if (value.name === 'normal') return { ok: true, value: { kind: 'normal', std: 0.01 } };
    if (value.name === 'uniform')
      return { ok: true, value: { kind: 'uniform', low: -0.05, high: 0.05 } };
    return { ok: true, value: { kind: value.name } as Init };
  }
  return mismatch(value, 'an initializer such as `glorot`, `he` or `normal(0.02)`', initNames);
}

/** `normal(std)` and `uniform(a, b)` with evaluated numeric arguments. */
export function initFromCall(name: string, args: readonly number[]): Converted {
  if (name === 'normal' && args.length === 1 && args[0]! >= 0)
    return { ok: true, value: { kind: 'normal', std: args[0]! } };
  if (name === 'uniform' && args.length === 2 && args[0]! < args[1]!) {
    return { ok: true, value: { kind: 'uniform', low: args[0]!, high: args[1]! } };
  }
  if (name === 'normal')
    return {
      ok: false,
      why: {
        message: '`normal` takes one standard deviation ≥ 0',
        help: 'e.g. `init=normal(0.02)`',
      },
    };
  if (name === 'uniform')
    return {
      ok: false,
      why: {
        message: '`uniform` takes two bounds `a < b`',
        help: 'e.g. `init=uniform(-0.1, 0.1)`',
      },
    };
  return {
    ok: false,
    why: {
      message: `\`${name}\` is not an initializer`,
      help:
        hint(name, initNames) ??
        'initializers are `glorot`, `glorot_normal`, `he`, `lecun`, `zeros`, `normal(std)`, `uniform(a, b)`',
    },
  };
}

function asInt(value: ConstValue): number | undefined {
  if (value.kind === 'int') return value.value;
  if (value.kind === 'float' && Number.isSafeInteger(value.value)) return value.value;
  return undefined;
}

function asPair(value: ConstValue): readonly [number, number] | undefined {
  const n = asInt(value);
  if (n !== undefined) return [n, n];
  if (value.kind === 'tuple' && value.items.length === 2) {
    const h = asInt(value.items[0]!);
    const w = asInt(value.items[1]!);
    if (h !== undefined && w !== undefined) return [h, w];
  }
  return undefined;
}

function mismatch(value: ConstValue, expected: string, words: readonly string[] = []): Converted {
  const help = value.kind === 'symbol' ? hint(value.name, words) : undefined;
  return {
    ok: false,
    why: { message: `expected ${expected}, got ${describeGot(value)}`, ...(help ? { help } : {}) },
  };
}

function describeGot(value: ConstValue): string {
  return value.kind === 'symbol'
    ? `the name \`${value.name}\``
    : `${kindName(value)} ${describeValue(value)}`;
}

function hint(word: string, words: readonly string[]): string | undefined {
  const suggestion = didYouMean(word, words);
  return suggestion ? `did you mean \`${suggestion}\`?` : undefined;
}
