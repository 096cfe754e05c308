import type { CstNode, IToken } from 'chevrotain';
import type { Span } from '../../source.js';
import type { Arg, BinaryOperator, Expr, ListExpr, NamedArg, UnaryOperator } from '../ast.js';
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
  onlyChildNode,
  type AstContext,
} from './cst.js';
import { numberLiteral, stringLiteral } from './literals.js';
import { toBody } from './bodies.js';

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
      return toExpr(ctx, onlyChildNode(node), fallback);
    case 'namedLayer':
      return namedLayer(ctx, node, fallback);
    case 'ifExpression':
      return ifExpression(ctx, node, fallback);
    case 'ascription':
      return ascription(ctx, node, fallback);
    case 'orExpression':
      return binaryChain(ctx, node, 'andExpression', 'Or', fallback);
    case 'andExpression':
      return binaryChain(ctx, node, 'notExpression', 'And', fallback);
    case 'notExpression':
      return prefixed(ctx, node, 'Not', 'comparison', fallback);
    case 'comparison':
      return binaryChain(ctx, node, 'additive', 'ComparisonOperator', fallback);
    case 'additive':
      return binaryChain(ctx, node, 'multiplicative', 'AdditiveOperator', fallback);
    case 'multiplicative':
      return binaryChain(ctx, node, 'unary', 'MultiplicativeOperator', fallback);
    case 'unary':
      return prefixed(ctx, node, 'UnaryOperator', 'primary', fallback);
    case 'primary':
      return primary(ctx, node, fallback);
    case 'callOrName':
      return callOrName(ctx, node, fallback);
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

function namedLayer(ctx: AstContext, node: CstNode, fallback: Span): Expr {
  const name = childToken(node, 'Identifier');
  if (!name) return errorExpr(extent(ctx.file, node) ?? fallback);
  const colon = childToken(node, 'Colon');
  const layer = toExpr(ctx, childNode(node, 'ascription'), after(ctx.file, colon, fallback));
  return {
    kind: 'NamedLayer',
    name: identifier(ctx.file, name),
    layer,
    span: cover(ctx.file, [name, layer])!,
  };
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

function ascription(ctx: AstContext, node: CstNode, fallback: Span): Expr {
  const expr = toExpr(ctx, childNode(node, 'orExpression'), fallback);
  const shapeNode = childNode(node, 'list');
  if (!shapeNode) return expr;
  const shape = toList(ctx, shapeNode, after(ctx.file, childToken(node, 'Colon'), expr.span));
  return { kind: 'Ascribed', expr, shape, span: cover(ctx.file, [expr, shape])! };
}

const binaryOperators: ReadonlySet<string> = new Set<BinaryOperator>([
  '+',
  '-',
  '*',
  '/',
  '%',
  '==',
  '!=',
  '<',
  '<=',
  '>',
  '>=',
  'and',
  'or',
]);

/** `a op b op c` nests to the left, built with a loop (the chain may be long). */
function binaryChain(
  ctx: AstContext,
  node: CstNode,
  operandKey: string,
  operatorKey: string,
  fallback: Span,
): Expr {
  const operands = childNodes(node, operandKey);
  const operators = childTokens(node, operatorKey);
  let left = toExpr(ctx, operands[0], fallback);
  operators.forEach((operator, i) => {
    const right = toExpr(ctx, operands[i + 1], after(ctx.file, operator, left.span));
    if (!binaryOperators.has(operator.image)) {
      left = errorExpr(cover(ctx.file, [left, right])!);
      return;
    }
    left = {
      kind: 'Binary',
      operator: operator.image as BinaryOperator,
      left,
      right,
      operatorSpan: tokenSpan(ctx.file, operator),
      span: cover(ctx.file, [left, right])!,
    };
  });
  return left;
}

/** `- - x`, `not not c`: the innermost operator applies first. */
function prefixed(
  ctx: AstContext,
  node: CstNode,
  operatorKey: string,
  operandKey: string,
  fallback: Span,
): Expr {
  const operators = childTokens(node, operatorKey);
  const lastOperator = operators[operators.length - 1];
  let operand = toExpr(ctx, childNode(node, operandKey), after(ctx.file, lastOperator, fallback));
  for (let i = operators.length - 1; i >= 0; i--) {
    const operator = operators[i]!;
    operand = {
      kind: 'Unary',
      operator: operator.image as UnaryOperator,
      operand,
      span: cover(ctx.file, [operator, operand])!,
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
  return toExpr(ctx, onlyChildNode(node), fallback);
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

function callOrName(ctx: AstContext, node: CstNode, fallback: Span): Expr {
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
    span: cover(ctx.file, [name, extentOf(ctx, argumentsNode), body])!,
  };
}

function extentOf(ctx: AstContext, node: CstNode | undefined): { span: Span } | undefined {
  const span = node ? extent(ctx.file, node) : undefined;
  return span ? { span } : undefined;
}

/** The arguments of an `arguments` node; positional arguments must come first. */
export function toArgs(ctx: AstContext, node: CstNode): Arg[] {
  const fallback = extent(ctx.file, node) ?? { file: ctx.file, start: 0, end: 0 };
  const args = childNodes(node, 'argument').flatMap((argument): Arg[] => {
    const named = childNode(argument, 'namedArgument');
    if (named) {
      const arg = namedArg(ctx, named, fallback);
      return arg ? [arg] : [];
    }
    const positional = childNode(argument, 'positionalArgument');
    const value = toExpr(ctx, childNode(positional, 'expression'), fallback);
    return [{ kind: 'PositionalArg', value, span: value.span }];
  });
  checkArgumentOrder(ctx, args);
  return args;
}

function namedArg(ctx: AstContext, node: CstNode, fallback: Span): NamedArg | undefined {
  const name = childToken(node, 'Identifier');
  if (!name) return undefined;
  const value = toExpr(
    ctx,
    childNode(node, 'expression'),
    after(ctx.file, childToken(node, 'Equals') ?? name, fallback),
  );
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
