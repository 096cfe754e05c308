import type {
  Arg,
  Body,
  BlockParam,
  Definition,
  Expr,
  Identifier,
  NetworkInput,
  NetworkOutput,
  Program,
  Statement,
  TrainEntry,
  TypeRef,
} from '../compiler/syntax/ast.js';
import type { Span } from '../compiler/source.js';

/*
 * The formatter walks every AST node the same way: `childNodes` lists, in source order,
 * the children that the printer prints through `withComments`, so that a comment attached
 * to one of them is always printed.
 */

export type AnyNode =
  | Program
  | Definition
  | BlockParam
  | TypeRef
  | NetworkInput
  | NetworkOutput
  | TrainEntry
  | Body
  | Statement
  | Expr
  | Arg
  | Identifier;

/** What Prettier receives from the parser: the program plus the text it came from. */
export interface NetcFile {
  readonly kind: 'NetcFile';
  readonly program: Program;
  readonly text: string;
  readonly span: Span;
}

function present<T>(value: T | undefined): T[] {
  return value === undefined ? [] : [value];
}

export function childNodes(node: AnyNode): readonly AnyNode[] {
  switch (node.kind) {
    case 'Program':
      return node.definitions;
    case 'Import':
      return [...(node.names ?? []), node.path];
    case 'Const':
      return [node.name, node.value];
    case 'Block':
      return [node.name, ...node.params, node.body];
    case 'BlockParam':
      return [node.name, ...present(node.type), ...present(node.default)];
    case 'Network':
      return [node.name, ...node.inputs, ...(node.outputs ?? []), node.body];
    case 'NetworkInput':
      return [node.name, node.shape];
    case 'NetworkOutput':
      return [...present(node.name), node.shape];
    case 'Train':
      return [node.target, ...node.entries];
    case 'Setting':
      return [node.key, node.value];
    case 'Noise':
      return [node.name, node.shape, node.distribution];
    case 'Phase':
      return [node.name, ...node.args, ...node.entries];
    case 'Body':
      return node.statements;
    case 'Step':
      return [node.expr];
    case 'Bind':
    case 'Let':
      return [node.name, node.expr];
    case 'Return':
      return node.values;
    case 'List':
    case 'Tuple':
      return node.items;
    case 'Group':
      return [node.expr];
    case 'Unary':
      return [node.operand];
    case 'Binary':
      return [node.left, node.right];
    case 'If':
      return [node.condition, node.then, node.else];
    case 'Call':
      return [node.callee, ...node.args, ...present(node.body)];
    case 'Chain':
      return node.steps;
    case 'NamedLayer':
      return [node.name, node.layer];
    case 'Ascribed':
      return [node.expr, node.shape];
    case 'PositionalArg':
      return [node.value];
    case 'NamedArg':
      return [node.name, node.value];
    case 'TypeRef':
    case 'Identifier':
    case 'Number':
    case 'String':
    case 'Boolean':
    case 'Name':
    case 'ErrorExpr':
      return [];
  }
}

/** The nodes whose children are a `{ }`-delimited (or, for `Program`, a file-wide) sequence of items. */
export type SequenceNode = Extract<AnyNode, { kind: 'Program' | 'Body' | 'Train' | 'Phase' }>;

export function isSequenceNode(node: AnyNode): node is SequenceNode {
  return (
    node.kind === 'Program' ||
    node.kind === 'Body' ||
    node.kind === 'Train' ||
    node.kind === 'Phase'
  );
}

/**
 * Whether a child of a sequence node is one of its items (a definition, statement or train
 * entry) rather than part of its header (the name and arguments of a `train` or `phase`).
 */
export function isSequenceItem(child: AnyNode): boolean {
  return child.kind !== 'Identifier' && child.kind !== 'PositionalArg' && child.kind !== 'NamedArg';
}

/** True when a `{ }` body occurs anywhere inside `node` (its hard line breaks break every enclosing group). */
export function containsBody(node: AnyNode): boolean {
  return node.kind === 'Body' || childNodes(node).some(containsBody);
}
