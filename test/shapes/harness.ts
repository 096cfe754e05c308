import { expect } from 'vitest';
import type { DiagnosticCode } from '../../src/compiler/diagnostics/codes.js';
import type { OpKind, ParamDecl, Shape } from '../../src/compiler/ir/ops.js';
import { formatShape } from '../../src/compiler/shapes/format.js';
import type { ArgValue, BoundArgs, OpError, OpSpec } from '../../src/compiler/shapes/opSpec.js';
import { opTable } from '../../src/compiler/shapes/opTable.js';

/*
 * Runs an op's rule the way the resolver does, from arguments as a user would write them:
 * declared defaults are filled in and ints given for `pair`/`padding` arguments become pairs.
 */

export type RawArgs = Readonly<Record<string, ArgValue>>;

export const same = { kind: 'same' } as const;
export const valid = { kind: 'valid' } as const;

export type Outcome =
  | {
      readonly ok: true;
      readonly shape: Shape;
      readonly params: readonly ParamDecl[];
      readonly macs: number;
      readonly attrs: unknown;
    }
  | { readonly ok: false; readonly stage: 'attrs' | 'infer'; readonly error: OpError };

function specOf(op: OpKind): OpSpec<OpKind> {
  return opTable[op] as OpSpec<OpKind>;
}

/** Binds like the resolver; an unknown or missing argument is a bug in the test itself. */
export function bind(op: OpKind, raw: RawArgs): BoundArgs {
  const spec = specOf(op);
  for (const name of Object.keys(raw)) {
    if (!spec.args.some((a) => a.name === name)) throw new Error(`${op} has no argument ${name}`);
  }
  const bound: Record<string, ArgValue> = {};
  for (const arg of spec.args) {
    const given = raw[arg.name];
    if (given === undefined) {
      if (arg.default === undefined) throw new Error(`${op} needs argument ${arg.name}`);
      bound[arg.name] = arg.default;
    } else {
      const toPair = arg.type.kind === 'pair' || arg.type.kind === 'padding';
      bound[arg.name] = toPair && typeof given === 'number' ? [given, given] : given;
    }
  }
  return bound;
}

export function run(op: OpKind, inputs: readonly Shape[], raw: RawArgs = {}): Outcome {
  const spec = specOf(op);
  const attrs = spec.attrs(bind(op, raw));
  if (!attrs.ok) return { ok: false, stage: 'attrs', error: attrs.error };
  const result = spec.infer(inputs, attrs.attrs);
  if (!result.ok) return { ok: false, stage: 'infer', error: result.error };
  return {
    ok: true,
    shape: result.shape,
    params: result.params,
    macs: result.macs,
    attrs: result.attrs ?? attrs.attrs,
  };
}

/** Runs a rule that must succeed and returns its result. */
export function succeed(op: OpKind, inputs: readonly Shape[], raw: RawArgs = {}) {
  const outcome = run(op, inputs, raw);
  if (!outcome.ok) {
    throw new Error(`${call(op, raw)} failed: ${outcome.error.code} ${outcome.error.message}`);
  }
  return outcome;
}

/** Runs a rule that must fail and returns its error. */
export function failure(op: OpKind, inputs: readonly Shape[], raw: RawArgs = {}): OpError {
  const outcome = run(op, inputs, raw);
  if (outcome.ok) {
    throw new Error(`${call(op, raw)} succeeded with ${formatShape(outcome.shape)}`);
  }
  return outcome.error;
}

function elements(shape: Shape): number {
  return shape.reduce((a, b) => a * b, 1);
}

/** Trainable parameter count, as `torch.nn.Module.parameters()` counts. */
export function trainableCount(params: readonly ParamDecl[]): number {
  return params.filter((p) => p.trainable).reduce((sum, p) => sum + elements(p.shape), 0);
}

function describeArg(value: ArgValue): string {
  if (typeof value !== 'object') return String(value);
  if (Array.isArray(value))
    return value.length === 2 ? `(${value.join(', ')})` : `[${value.join(', ')}]`;
  return 'kind' in value ? value.kind : JSON.stringify(value);
}

/** `conv2d(filters=16, k=3)`, for test names. */
export function call(op: OpKind, raw: RawArgs = {}): string {
  const args = Object.entries(raw).map(([name, value]) => `${name}=${describeArg(value)}`);
  return args.length === 0 ? op : `${op}(${args.join(', ')})`;
}

/** `[3, 32, 32]` or `[4] and [4]`, for test names. */
export function describeInputs(inputs: readonly Shape[]): string {
  return inputs.map(formatShape).join(' and ');
}

export interface ShapeCase {
  readonly op: OpKind;
  readonly args?: RawArgs;
  readonly inputs: readonly Shape[];
  readonly output: Shape;
}

export interface ErrorCase {
  readonly op: OpKind;
  readonly args?: RawArgs;
  readonly inputs: readonly Shape[];
  /** Why it is wrong, in words, for the test name. */
  readonly because: string;
  readonly code: DiagnosticCode;
  /** The argument blamed, or `undefined` when the whole call is. */
  readonly arg?: string;
  /** Text the message must contain. */
  readonly says?: string;
}

export function shapeTitle(c: ShapeCase): string {
  return `${call(c.op, c.args)} maps ${describeInputs(c.inputs)} to ${formatShape(c.output)}`;
}

export function errorTitle(c: ErrorCase): string {
  return `${call(c.op, c.args)} on ${describeInputs(c.inputs)} is ${c.code} because ${c.because}`;
}

export function checkShapeCase(c: ShapeCase): void {
  expect(succeed(c.op, c.inputs, c.args).shape).toEqual(c.output);
}

export function checkErrorCase(c: ErrorCase): void {
  const error = failure(c.op, c.inputs, c.args);
  expect(error.code).toBe(c.code);
  expect(error.arg).toBe(c.arg);
  if (c.says !== undefined) expect(error.message).toContain(c.says);
  expect(error.message).toMatch(/^[^A-Z]/);
}

export type Step = readonly [OpKind, RawArgs?];

export interface Totals {
  readonly shape: Shape;
  /** Trainable parameters. */
  readonly params: number;
  readonly macs: number;
}

/** Applies one-input steps in order, summing parameters and multiply-adds. */
export function chain(input: Shape, steps: readonly Step[]): Totals {
  let totals: Totals = { shape: input, params: 0, macs: 0 };
  for (const [op, args] of steps) {
    const result = succeed(op, [totals.shape], args);
    totals = {
      shape: result.shape,
      params: totals.params + trainableCount(result.params),
      macs: totals.macs + result.macs,
    };
  }
  return totals;
}
