import type { Span } from '../source.js';

/*
 * The abstract syntax tree of a `.net` file: plain readonly data keyed on `kind`.
 * Every node carries the span of the source it came from.
 */

export interface Identifier {
  readonly kind: 'Identifier';
  readonly name: string;
  readonly span: Span;
}

// ---------------------------------------------------------------- expressions

export type Expr =
  | NumberLiteral
  | StringLiteral
  | BooleanLiteral
  | NameRef
  | ListExpr
  | TupleExpr
  | GroupExpr
  | UnaryExpr
  | BinaryExpr
  | IfExpr
  | CallExpr
  | ChainExpr
  | NamedLayerExpr
  | AscribedExpr
  | ErrorExpr;

export interface NumberLiteral {
  readonly kind: 'Number';
  readonly value: number;
  /** The source text: `3` is an int, `3.0` and `1e-3` are floats. */
  readonly text: string;
  readonly isInteger: boolean;
  readonly span: Span;
}

export interface StringLiteral {
  readonly kind: 'String';
  readonly value: string;
  readonly span: Span;
}

export interface BooleanLiteral {
  readonly kind: 'Boolean';
  readonly value: boolean;
  readonly span: Span;
}

/** A bare name: a value, a constant, a parameter, a layer without arguments (`relu`) or an enum word (`same`). */
export interface NameRef {
  readonly kind: 'Name';
  readonly name: string;
  readonly span: Span;
}

/** `[a, b, c]`: shapes and lists (`metrics = [accuracy, f1]`). */
export interface ListExpr {
  readonly kind: 'List';
  readonly items: readonly Expr[];
  readonly span: Span;
}

/** `(a, b)` with at least one comma: a pair such as a kernel size `(3, 5)`. */
export interface TupleExpr {
  readonly kind: 'Tuple';
  readonly items: readonly Expr[];
  readonly span: Span;
}

/** `( expr )`: grouping, e.g. a chain `( a -> b )` used as one layer value. */
export interface GroupExpr {
  readonly kind: 'Group';
  readonly expr: Expr;
  readonly span: Span;
}

export type UnaryOperator = '-' | '+' | 'not';

export interface UnaryExpr {
  readonly kind: 'Unary';
  readonly operator: UnaryOperator;
  readonly operand: Expr;
  readonly span: Span;
}

export type BinaryOperator =
  '+' | '-' | '*' | '/' | '%' | '==' | '!=' | '<' | '<=' | '>' | '>=' | 'and' | 'or';

export interface BinaryExpr {
  readonly kind: 'Binary';
  readonly operator: BinaryOperator;
  readonly left: Expr;
  readonly right: Expr;
  readonly operatorSpan: Span;
  readonly span: Span;
}

/** `if c then a else b`: selected at compile time. */
export interface IfExpr {
  readonly kind: 'If';
  readonly condition: Expr;
  readonly then: Expr;
  readonly else: Expr;
  readonly span: Span;
}

export interface PositionalArg {
  readonly kind: 'PositionalArg';
  readonly value: Expr;
  readonly span: Span;
}

export interface NamedArg {
  readonly kind: 'NamedArg';
  readonly name: Identifier;
  readonly value: Expr;
  readonly span: Span;
}

export type Arg = PositionalArg | NamedArg;

/**
 * `name(args)`, optionally followed by a body: `repeat(3) { ... }`, `concat { ... }`,
 * `residual(shortcut = ...) { ... }`. `args` is undefined when there are no parentheses
 * (`concat { ... }`), and empty for `f()`.
 */
export interface CallExpr {
  readonly kind: 'Call';
  readonly callee: Identifier;
  readonly args: readonly Arg[];
  readonly hasParens: boolean;
  readonly body?: Body;
  readonly span: Span;
}

/** `a -> b -> c`: at least two steps. */
export interface ChainExpr {
  readonly kind: 'Chain';
  readonly steps: readonly Expr[];
  readonly span: Span;
}

/** `c1: conv2d(6, 5)` names a layer. */
export interface NamedLayerExpr {
  readonly kind: 'NamedLayer';
  readonly name: Identifier;
  readonly layer: Expr;
  readonly span: Span;
}

/** `conv2d(6, 5) : [6, 28, 28]` checks the shape of the value at this point. */
export interface AscribedExpr {
  readonly kind: 'Ascribed';
  readonly expr: Expr;
  readonly shape: ListExpr;
  readonly span: Span;
}

/** Placeholder where the parser recovered from a syntax error (already reported). */
export interface ErrorExpr {
  readonly kind: 'ErrorExpr';
  readonly span: Span;
}

// ---------------------------------------------------------------- bodies

export interface Body {
  readonly kind: 'Body';
  readonly statements: readonly Statement[];
  readonly span: Span;
}

export type Statement = StepStatement | BindStatement | LetStatement | ReturnStatement;

/** A step applied to the current value (or, inside `concat`/`add`, a branch). */
export interface StepStatement {
  readonly kind: 'Step';
  readonly expr: Expr;
  readonly span: Span;
}

/** `h = x -> dense(400)` binds a value. */
export interface BindStatement {
  readonly kind: 'Bind';
  readonly name: Identifier;
  readonly expr: Expr;
  readonly span: Span;
}

/** `let enc = Encoder(64)`: one instance whose every use shares weights. */
export interface LetStatement {
  readonly kind: 'Let';
  readonly name: Identifier;
  readonly expr: Expr;
  readonly span: Span;
}

/** `return recon, mu, logvar` */
export interface ReturnStatement {
  readonly kind: 'Return';
  readonly values: readonly Expr[];
  readonly span: Span;
}

// ---------------------------------------------------------------- definitions

export type Definition = ImportDecl | ConstDecl | BlockDecl | NetworkDecl | TrainDecl;

/** A definition that later phases check, unless parsing had to recover inside it. */
export interface Recoverable {
  /**
   * Set when parsing the definition reported syntax errors: parts of it are ErrorExpr or
   * were left out, so later phases skip it rather than report consequences of those errors.
   */
  readonly recovered?: true;
}

/** `import "./x.net"` (names undefined) or `import { A, B } from "./x.net"`. */
export interface ImportDecl {
  readonly kind: 'Import';
  readonly names?: readonly Identifier[];
  readonly path: StringLiteral;
  readonly span: Span;
}

export interface ConstDecl extends Recoverable {
  readonly kind: 'Const';
  readonly name: Identifier;
  readonly value: Expr;
  readonly doc?: string;
  readonly span: Span;
}

/** `int`, `float`, `bool`, `layer`, `shape`, `string`, `symbol`. */
export interface TypeRef {
  readonly kind: 'TypeRef';
  readonly name: string;
  readonly span: Span;
}

export interface BlockParam {
  readonly kind: 'BlockParam';
  readonly name: Identifier;
  readonly type?: TypeRef;
  readonly default?: Expr;
  readonly span: Span;
}

export interface BlockDecl extends Recoverable {
  readonly kind: 'Block';
  readonly name: Identifier;
  readonly params: readonly BlockParam[];
  readonly body: Body;
  readonly doc?: string;
  readonly span: Span;
}

/** `x: [1, 28, 28]` */
export interface NetworkInput {
  readonly kind: 'NetworkInput';
  readonly name: Identifier;
  readonly shape: ListExpr;
  readonly span: Span;
}

/** A declared output: `-> [10]` (name undefined) or `-> (recon: [784], mu: [20])`. */
export interface NetworkOutput {
  readonly kind: 'NetworkOutput';
  readonly name?: Identifier;
  readonly shape: ListExpr;
  readonly span: Span;
}

export interface NetworkDecl extends Recoverable {
  readonly kind: 'Network';
  readonly name: Identifier;
  readonly inputs: readonly NetworkInput[];
  /** undefined when the network declares no output shape. */
  readonly outputs?: readonly NetworkOutput[];
  readonly body: Body;
  readonly doc?: string;
  readonly span: Span;
}

// ---------------------------------------------------------------- train sections

export type TrainEntry = TrainSetting | NoiseDecl | PhaseDecl;

/** `key = expr`, e.g. `optimizer = adam(lr=1e-3)`. */
export interface TrainSetting {
  readonly kind: 'Setting';
  readonly key: Identifier;
  readonly value: Expr;
  readonly span: Span;
}

/** `noise z: [100] ~ normal` */
export interface NoiseDecl {
  readonly kind: 'Noise';
  readonly name: Identifier;
  readonly shape: ListExpr;
  readonly distribution: Expr;
  readonly span: Span;
}

/** `phase discriminator(steps=1) { ... }` */
export interface PhaseDecl {
  readonly kind: 'Phase';
  readonly name: Identifier;
  readonly args: readonly Arg[];
  readonly entries: readonly TrainEntry[];
  readonly span: Span;
}

export interface TrainDecl extends Recoverable {
  readonly kind: 'Train';
  readonly target: Identifier;
  readonly entries: readonly TrainEntry[];
  readonly doc?: string;
  readonly span: Span;
}

// ---------------------------------------------------------------- file

export interface Comment {
  readonly kind: 'LineComment' | 'BlockComment' | 'DocComment';
  /** The comment's full source text including `//`, `/*` or `///`. */
  readonly text: string;
  readonly span: Span;
}

export interface Program {
  readonly kind: 'Program';
  readonly definitions: readonly Definition[];
  /** Every comment of the file in source order (for the formatter). */
  readonly comments: readonly Comment[];
  readonly span: Span;
}
