import type { CstNode, IToken } from 'chevrotain';
import type { Span } from '../../source.js';
import type { Arg, Expr, ListExpr, UnaryOperator } from '../ast.js';
import { tokenSpan } from '../spans.js';
import {
  after,
  childNode,
  childNodes,
  childToken,
  childTokens,
  cover,
  errorExpr,
  extent,
  identifier,
  type AstContext,
} from './cst.js';
import { numberLiteral, stringLiteral } from './literals.js';
import { toBody } from './bodies.js';
import { toOperation } from './operations.js';

/**
 * Builds the expression for a CST node of any expression rule. A node that error recovery
 * cut short becomes an ErrorExpr (its error is already reported); `fallback` places the
 * ErrorExpr when the node is missing altogether.
 */
export function toExpr(ctx: AstContext, node: CstNode | undefined, fallback: Span): Expr {
  if (!node) return errorExpr(fallback);
  if (node.recoveredNode) return errorExpr(extent(ctx.file, node) ?? fallback);
  switch (node.name) {
    case 'expression':
      return chain(ctx, node, fallback);
    case 'step':
      return step(ctx, node, fallback);
    case 'ifExpression':
      return ifExpression(ctx, node, fallback);
    case 'operation':
      return toOperation(ctx, node, fallback, (operand, at) => toOperand(ctx, operand, at));
    case 'call':
      return call(ctx, node, fallback);
    case 'parenthesized':
      return parenthesized(ctx, node, fallback);
    case 'list':
      return toList(ctx, node, fallback);
    default:
      return errorExpr(extent(ctx.file, node) ?? fallback);
  }
}

function chain(ctx: AstContext, node: CstNode, fallback: Span): Expr {
  const steps = childNodes(node, 'step').map((step) => toExpr(ctx, step, fallback));
  if (steps.length === 1) return steps[0]!;
  if (steps.length === 0) return errorExpr(fallback);
  return { kind: 'Chain', steps, span: cover(ctx.file, steps)! };
}

/** `name: layer : [shape]`, each part optional but the layer. */
function step(ctx: AstContext, node: CstNode, fallback: Span): Expr {
  const name = childToken(node, 'layerName');
  const layerFallback = after(ctx.file, childToken(node, 'nameColon') ?? name, fallback);
  const layer = toExpr(
    ctx,
    childNode(node, 'ifExpression') ?? childNode(node, 'operation'),
    layerFallback,
  );
  const named: Expr = name
    ? {
        kind: 'NamedLayer',
        name: identifier(ctx.file, name),
        layer,
        span: cover(ctx.file, [name, layer])!,
      }
    : layer;
  const shapeNode = childNode(node, 'shape');
  if (!shapeNode) return named;
  const shape = toList(ctx, shapeNode, after(ctx.file, childToken(node, 'Colon'), named.span));
  return { kind: 'Ascribed', expr: named, shape, span: cover(ctx.file, [named, shape])! };
}

function ifExpression(ctx: AstContext, node: CstNode, fallback: Span): Expr {
  const ifToken = childToken(node, 'If');
  const condition = toExpr(ctx, childNode(node, 'condition'), after(ctx.file, ifToken, fallback));
  const thenBranch = toExpr(
    ctx,
    childNode(node, 'then'),
    after(ctx.file, childToken(node, 'Then'), condition.span),
  );
  const elseBranch = toExpr(
    ctx,
    childNode(node, 'else'),
    after(ctx.file, childToken(node, 'Else'), thenBranch.span),
  );
  return {
    kind: 'If',
    condition,
    then: thenBranch,
    else: elseBranch,
    span: cover(ctx.file, [ifToken, condition, thenBranch, elseBranch])!,
  };
}

/** Prefix `not`s are applied by toOperation (they bind loosely); signs bind tightest. */
function toOperand(ctx: AstContext, node: CstNode | undefined, fallback: Span): Expr {
  if (!node) return errorExpr(fallback);
  if (node.recoveredNode) return errorExpr(extent(ctx.file, node) ?? fallback);
  const signs = childTokens(node, 'SignOperator');
  let operand = primary(ctx, node, after(ctx.file, signs[signs.length - 1], fallback));
  for (let i = signs.length - 1; i >= 0; i--) {
    const sign = signs[i]!;
    operand = {
      kind: 'Unary',
      operator: sign.image as UnaryOperator,
      operand,
      span: cover(ctx.file, [sign, operand])!,
    };
  }
  return operand;
}

function primary(ctx: AstContext, node: CstNode, fallback: Span): Expr {
  const literal =
    childToken(node, 'Number') ??
    childToken(node, 'StringLiteral') ??
    childToken(node, 'True') ??
    childToken(node, 'False');
  if (literal) return literalExpr(ctx.file, literal);
  const inner =
    childNode(node, 'call') ?? childNode(node, 'parenthesized') ?? childNode(node, 'list');
  return toExpr(ctx, inner, fallback);
}

function literalExpr(file: string, token: IToken): Expr {
  switch (token.tokenType.name) {
    case 'Number':
      return numberLiteral(file, token);
    case 'True':
    case 'False':
      return { kind: 'Boolean', value: token.image === 'true', span: tokenSpan(file, token) };
    default:
      return stringLiteral(file, token);
  }
}

function call(ctx: AstContext, node: CstNode, fallback: Span): Expr {
  const name = childToken(node, 'Identifier');
  if (!name) return errorExpr(extent(ctx.file, node) ?? fallback);
  const callee = identifier(ctx.file, name);
  const argumentsNode = childNode(node, 'arguments');
  const bodyNode = childNode(node, 'body');
  if (!argumentsNode && !bodyNode) return { kind: 'Name', name: name.image, span: callee.span };
  if (argumentsNode?.recoveredNode) return errorExpr(extent(ctx.file, node) ?? callee.span);
  const args = argumentsNode ? toArgs(ctx, argumentsNode) : [];
  const body = bodyNode ? toBody(ctx, bodyNode, after(ctx.file, name, callee.span)) : undefined;
  return {
    kind: 'Call',
    callee,
    args,
    hasParens: argumentsNode !== undefined,
    ...(body ? { body } : {}),
    span: cover(ctx.file, [name, ...args, childToken(argumentsNode, 'RParen'), body])!,
  };
}

/** The arguments of an `arguments` node; positional arguments must come first. */
export function toArgs(ctx: AstContext, node: CstNode): Arg[] {
  const open = childToken(node, 'LParen');
  const fallback = open ? tokenSpan(ctx.file, open) : { file: ctx.file, start: 0, end: 0 };
  const args = childNodes(node, 'argument').map((argument) => toArg(ctx, argument, fallback));
  checkArgumentOrder(ctx, args);
  return args;
}

function toArg(ctx: AstContext, node: CstNode, fallback: Span): Arg {
  const name = childToken(node, 'Identifier');
  const equals = childToken(node, 'Equals');
  const value = toExpr(
    ctx,
    childNode(node, 'expression'),
    after(ctx.file, equals ?? name, fallback),
  );
  if (!name) return { kind: 'PositionalArg', value, span: value.span };
  return {
    kind: 'NamedArg',
    name: identifier(ctx.file, name),
    value,
    span: cover(ctx.file, [name, value])!,
  };
}

function checkArgumentOrder(ctx: AstContext, args: readonly Arg[]): void {
  const firstNamed = args.find((arg) => arg.kind === 'NamedArg');
  if (!firstNamed) return;
  for (const arg of args.slice(args.indexOf(firstNamed) + 1)) {
    if (arg.kind !== 'PositionalArg') continue;
    ctx.bag.error('NETC1022', arg.span, 'positional argument after a named argument', {
      labels: [{ span: firstNamed.span, message: 'named arguments start here' }],
      help: 'put positional arguments first, or name this one',
    });
  }
}

function parenthesized(ctx: AstContext, node: CstNode, fallback: Span): Expr {
  const open = childToken(node, 'LParen');
  const items = childNodes(node, 'expression').map((item) =>
    toExpr(ctx, item, after(ctx.file, open, fallback)),
  );
  const span = cover(ctx.file, [open, ...items, childToken(node, 'RParen')]) ?? fallback;
  if (childTokens(node, 'Comma').length === 0 && items.length === 1) {
    return { kind: 'Group', expr: items[0]!, span };
  }
  return { kind: 'Tuple', items, span };
}

/** A list; always a ListExpr (shapes require one), even when recovery cut it short. */
export function toList(ctx: AstContext, node: CstNode | undefined, fallback: Span): ListExpr {
  const open = childToken(node, 'LBracket');
  const items = childNodes(node, 'expression').map((item) =>
    toExpr(ctx, item, after(ctx.file, open, fallback)),
  );
  const span = cover(ctx.file, [open, ...items, childToken(node, 'RBracket')]) ?? fallback;
  return { kind: 'List', items, span };
}
