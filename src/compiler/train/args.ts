import type { DiagnosticBag } from '../diagnostics/diagnostic.js';
import { suggestionHelp } from '../diagnostics/didYouMean.js';
import { describeValue, kindName, type ConstValue } from '../resolve/values.js';
import type { Span } from '../source.js';
import type { Arg, Expr } from '../syntax/ast.js';
import type { TrainContext } from './context.js';

/*
 * Arguments of the functions a train section calls: `adam(lr=1e-3)`, `mnist(train=8000)`,
 * `step(every=5, gamma=0.5)`. Positional arguments first, then named ones.
 */

/** A call as written, or a bare name meaning "all defaults" (`data = mnist`). */
export interface CallLike {
  readonly name: string;
  readonly nameSpan: Span;
  readonly args: readonly Arg[];
  readonly span: Span;
}

/** Reads `name` or `name(args)`; undefined for any other expression. */
export function asCallLike(expr: Expr): CallLike | undefined {
  if (expr.kind === 'Name')
    return { name: expr.name, nameSpan: expr.span, args: [], span: expr.span };
  if (expr.kind === 'Call' && expr.body === undefined) {
    return { name: expr.callee.name, nameSpan: expr.callee.span, args: expr.args, span: expr.span };
  }
  if (expr.kind === 'Group') return asCallLike(expr.expr);
  return undefined;
}

export interface MatchedArg {
  readonly expr: Expr;
  readonly span: Span;
}

/**
 * Binds arguments to parameter names. Reports unknown names (with "did you mean"),
 * arguments given twice, too many positional ones and missing required ones; returns
 * undefined when it reported anything.
 */
export function matchArgs(
  call: CallLike,
  params: readonly { readonly name: string; readonly required: boolean }[],
  diagnostics: DiagnosticBag,
): Map<string, MatchedArg> | undefined {
  const matched = new Map<string, MatchedArg>();
  const names = params.map((p) => p.name);
  let ok = true;
  let position = 0;
  for (const arg of call.args) {
    const name = arg.kind === 'PositionalArg' ? names[position++] : arg.name.name;
    if (name === undefined) {
      diagnostics.error(
        'NETC4010',
        arg.span,
        names.length === 0
          ? `\`${call.name}\` takes no arguments`
          : `\`${call.name}\` takes at most ${count(names.length, 'argument')}`,
        {
          help:
            names.length === 0
              ? `write it without arguments: \`${call.name}\``
              : `its arguments are ${list(names)}`,
        },
      );
      ok = false;
      continue;
    }
    if (!names.includes(name)) {
      const span = arg.kind === 'NamedArg' ? arg.name.span : arg.span;
      diagnostics.error('NETC4008', span, `\`${call.name}\` has no argument \`${name}\``, {
        help:
          suggestionHelp(name, names) ??
          (names.length === 0
            ? `\`${call.name}\` takes no arguments`
            : `its arguments are ${list(names)}`),
      });
      ok = false;
      continue;
    }
    const previous = matched.get(name);
    if (previous) {
      diagnostics.error('NETC4011', arg.span, `\`${name}\` is given twice`, {
        labels: [{ span: previous.span, message: 'first given here' }],
      });
      ok = false;
      continue;
    }
    matched.set(name, { expr: arg.value, span: arg.span });
  }
  const missing = params.filter((p) => p.required && !matched.has(p.name));
  for (const param of missing) {
    diagnostics.error('NETC4009', call.span, `\`${call.name}\` needs \`${param.name}\``, {
      help: `pass it, e.g. \`${call.name}(${missing.map((p) => `${p.name}=...`).join(', ')})\``,
    });
    ok = false;
  }
  return ok ? matched : undefined;
}

export type ScalarType = 'int' | 'float' | 'bool' | 'string';
export type Scalar = number | boolean | string;

/** An interval; both ends optional, each inclusive unless marked open. */
export interface Range {
  readonly min?: number;
  readonly max?: number;
  readonly minOpen?: boolean;
  readonly maxOpen?: boolean;
}

/** The largest count (batch, epochs, samples) accepted: small enough to index and allocate with. */
export const maxCount = 2 ** 31 - 1;

/** Counts: at least 1 and at most `maxCount`. */
export const countRange = { min: 1, max: maxCount } as const satisfies Range;

export interface ParamSpec {
  readonly name: string;
  readonly type: ScalarType;
  /** Required when neither `default` nor `optional` is given. */
  readonly default?: Scalar;
  /** May be left out, and then has no value. */
  readonly optional?: boolean;
  readonly range?: Range;
  /** One line for docs/training.md. */
  readonly doc: string;
}

export interface FunctionSpec {
  readonly name: string;
  readonly params: readonly ParamSpec[];
  readonly doc: string;
}

export type ArgValues = ReadonlyMap<string, Scalar>;

/**
 * Binds, evaluates and checks a call against its spec; fills defaults. Returns undefined
 * after reporting when any argument is wrong.
 */
export function readArgs(
  spec: FunctionSpec,
  call: CallLike,
  ctx: TrainContext,
): ArgValues | undefined {
  const params = spec.params.map((p) => ({
    name: p.name,
    required: p.default === undefined && !p.optional,
  }));
  const matched = matchArgs(call, params, ctx.diagnostics);
  if (!matched) return undefined;
  const values = new Map<string, Scalar>();
  let ok = true;
  for (const param of spec.params) {
    const arg = matched.get(param.name);
    if (!arg) {
      if (param.default !== undefined) values.set(param.name, param.default);
      continue;
    }
    const value = readScalar(arg.expr, param, ctx);
    if (value === undefined) ok = false;
    else values.set(param.name, value);
  }
  return ok ? values : undefined;
}

/** Evaluates `expr` and checks it has `param`'s type and range (NETC4006, NETC4007). */
export function readScalar(
  expr: Expr,
  param: { readonly name: string; readonly type: ScalarType; readonly range?: Range },
  ctx: TrainContext,
): Scalar | undefined {
  const value = ctx.evalConst(expr);
  if (value === undefined) return undefined;
  const scalar = asScalar(value, param.type);
  if (scalar === undefined) {
    ctx.diagnostics.error(
      'NETC4006',
      expr.span,
      `\`${param.name}\` must be ${typeName(param.type)}, got ${describe(value)}`,
      {
        help: typeHelp(param.type, value),
      },
    );
    return undefined;
  }
  if (typeof scalar === 'number' && param.range && !inRange(scalar, param.range)) {
    ctx.diagnostics.error(
      'NETC4007',
      expr.span,
      `\`${param.name}\` must be ${describeRange(param.range, scalar)}, got ${scalar}`,
    );
    return undefined;
  }
  return scalar;
}

function asScalar(value: ConstValue, type: ScalarType): Scalar | undefined {
  switch (type) {
    case 'int':
      // A whole float (`64.0`, `256 / 4`) is an int, as for layer and block arguments.
      if (value.kind === 'float' && Number.isSafeInteger(value.value)) return value.value;
      return value.kind === 'int' ? value.value : undefined;
    case 'float':
      return value.kind === 'int' || value.kind === 'float' ? value.value : undefined;
    case 'bool':
      return value.kind === 'bool' ? value.value : undefined;
    case 'string':
      return value.kind === 'string' ? value.value : undefined;
  }
}

export function inRange(n: number, range: Range): boolean {
  if (!Number.isFinite(n)) return false;
  if (range.min !== undefined && (range.minOpen ? n <= range.min : n < range.min)) return false;
  if (range.max !== undefined && (range.maxOpen ? n >= range.max : n > range.max)) return false;
  return true;
}

/** Says what `range` allows; for counts (no real upper bound) only the side `n` broke. */
export function describeRange(range: Range, n?: number): string {
  const { min, max } = range;
  const lower =
    min === undefined ? undefined : range.minOpen ? `greater than ${min}` : `at least ${min}`;
  const upper =
    max === undefined ? undefined : range.maxOpen ? `less than ${max}` : `at most ${max}`;
  if (lower !== undefined && upper !== undefined) {
    if (max === maxCount) return n !== undefined && n > maxCount ? upper : lower;
    return `in ${range.minOpen ? '(' : '['}${min}, ${max}${range.maxOpen ? ')' : ']'}`;
  }
  return lower ?? upper ?? 'a number';
}

function typeName(type: ScalarType): string {
  switch (type) {
    case 'int':
      return 'an int';
    case 'float':
      return 'a number';
    case 'bool':
      return '`true` or `false`';
    case 'string':
      return 'a string';
  }
}

function typeHelp(type: ScalarType, value: ConstValue): string | undefined {
  if (type === 'int' && value.kind === 'float')
    return `write a whole number such as \`${Math.trunc(value.value)}\``;
  if (type === 'string' && value.kind === 'symbol') return `put it in quotes: \`"${value.name}"\``;
  return undefined;
}

function describe(value: ConstValue): string {
  return value.kind === 'int' || value.kind === 'float'
    ? describeValue(value)
    : `${kindName(value)} \`${describeValue(value)}\``;
}

function list(names: readonly string[]): string {
  return names.map((n) => `\`${n}\``).join(', ');
}

function count(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}
