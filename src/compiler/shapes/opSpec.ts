import type { DiagnosticCode } from '../diagnostics/codes.js';
import type { Init, OpAttrMap, OpKind, ParamDecl, Shape } from '../ir/ops.js';

/*
 * The contract between the resolver and the per-op rules. The resolver evaluates a call's
 * arguments to compile-time values, binds them to `args` (positional then named, defaults,
 * "did you mean" for unknown names, type checks), then calls `attrs` and `infer`.
 */

/** The type of an argument, which decides how its value is checked and converted. */
export type ArgType =
  | { readonly kind: 'int'; readonly min?: number }
  | { readonly kind: 'float'; readonly min?: number; readonly max?: number }
  | { readonly kind: 'bool' }
  /** An int or a pair `(h, w)`; converted to a pair. */
  | { readonly kind: 'pair'; readonly min?: number }
  /** An int, a pair, or one of `same`/`valid`. */
  | { readonly kind: 'padding' }
  | { readonly kind: 'enum'; readonly values: readonly string[] }
  /** `glorot`, `he`, `normal(0.02)`, ... */
  | { readonly kind: 'init' }
  /** A list of ints such as `[-1, 7, 7]`. */
  | { readonly kind: 'shape' };

/** An argument value after binding and conversion. */
export type ArgValue =
  | number
  | boolean
  | string
  | readonly [number, number]
  | { readonly kind: 'same' }
  | { readonly kind: 'valid' }
  | Init
  | readonly number[];

export interface ArgSpec {
  readonly name: string;
  readonly type: ArgType;
  /**
   * Absent means the argument is required. Filled in as written, unconverted. A string default
   * on an argument whose type is not `enum` names another argument whose value it takes
   * (`maxpool`'s `stride` defaults to `'k'`); the op's `attrs` makes that substitution.
   */
  readonly default?: ArgValue;
  /** One line for the reference docs and hover text. */
  readonly doc: string;
}

/** Bound arguments by name: every spec'd argument is present (defaults filled in). */
export type BoundArgs = Readonly<Record<string, ArgValue>>;

/** A user error found by an op rule. The resolver turns it into a diagnostic at the right span. */
export interface OpError {
  readonly code: DiagnosticCode;
  readonly message: string;
  readonly help?: string;
  /** Blame this argument's span instead of the whole call. */
  readonly arg?: string;
}

export type AttrsResult<K extends OpKind> =
  | { readonly ok: true; readonly attrs: OpAttrMap[K] }
  | { readonly ok: false; readonly error: OpError };

export type InferResult<K extends OpKind> =
  | {
      readonly ok: true;
      /** Attributes refined with shape knowledge (e.g. a negative `axis` made non-negative). */
      readonly attrs?: OpAttrMap[K];
      readonly shape: Shape;
      readonly params: readonly ParamDecl[];
      /** Multiply-adds per sample (see docs/ops.md for what each op counts). */
      readonly macs: number;
    }
  | { readonly ok: false; readonly error: OpError };

export interface OpSpec<K extends OpKind> {
  readonly kind: K;
  /** One line for the reference docs. */
  readonly doc: string;
  /**
   * How many tensor values the op consumes. 1: a layer applied to the current value.
   * 'pair': exactly two (`mul`, `sample_normal`). 'many': two or more (`add`, `concat`).
   */
  readonly arity: 1 | 'pair' | 'many';
  readonly args: readonly ArgSpec[];
  /**
   * Checks that need no shapes (e.g. `dropout(p)` with p in [0, 1)) and converts the bound
   * arguments to attributes; `padding` args are resolved here (`same` needs the kernel size).
   */
  attrs(args: BoundArgs): AttrsResult<K>;
  /** The output shape, parameters and cost for the given input shapes. */
  infer(inputs: readonly Shape[], attrs: OpAttrMap[K]): InferResult<K>;
}

export type OpTable = { readonly [K in OpKind]: OpSpec<K> };
