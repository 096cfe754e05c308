import type { CstNode, IToken } from 'chevrotain';
import type { Span } from '../../source.js';
import type { BinaryOperator, Expr } from '../ast.js';
import { tokenSpan } from '../spans.js';
import { after, childNodes, childTokens, cover, errorExpr, type AstContext } from './cst.js';

/*
 * Operator precedence (LANGUAGE §3–§4), applied to the flat `operation` of the grammar.
 * Loosest first: `or`, `and`, prefix `not`, comparisons (which do not chain), `+ -`,
 * `* / %`; signs bind tighter than any binary operator. All binary operators associate to
 * the left. Built with explicit stacks: an operation may have thousands of operands.
 */

const precedence: Readonly<Record<BinaryOperator, number>> = {
  or: 1,
  and: 2,
  '==': 4,
  '!=': 4,
  '<': 4,
  '<=': 4,
  '>': 4,
  '>=': 4,
  '+': 5,
  '-': 5,
  '*': 6,
  '/': 6,
  '%': 6,
};

/** `not x` covers everything up to the next `and` or `or`: `not a == b` is `not (a == b)`. */
const NOT_PRECEDENCE = 3;

const COMPARISON_PRECEDENCE = 4;

type PendingOperator =
  | { readonly kind: 'not'; readonly token: IToken }
  | { readonly kind: 'binary'; readonly token: IToken; readonly operator: BinaryOperator };

function precedenceOf(op: PendingOperator): number {
  return op.kind === 'not' ? NOT_PRECEDENCE : precedence[op.operator];
}

/** Operand nodes become expressions with `toOperand`; this orders the operators between them. */
export function toOperation(
  ctx: AstContext,
  node: CstNode,
  fallback: Span,
  toOperand: (operand: CstNode | undefined, fallback: Span) => Expr,
): Expr {
  const operands = childNodes(node, 'operand');
  const operators = childTokens(node, 'BinaryOperator');
  const values: Expr[] = [];
  const pending: PendingOperator[] = [];

  const reduce = () => {
    const op = pending.pop()!;
    const right = values.pop()!;
    if (op.kind === 'not') {
      values.push({
        kind: 'Unary',
        operator: 'not',
        operand: right,
        span: cover(ctx.file, [op.token, right])!,
      });
      return;
    }
    const left = values.pop()!;
    if (precedence[op.operator] === COMPARISON_PRECEDENCE) checkNotChained(ctx, left, op.token);
    values.push({
      kind: 'Binary',
      operator: op.operator,
      left,
      right,
      operatorSpan: tokenSpan(ctx.file, op.token),
      span: cover(ctx.file, [left, right])!,
    });
  };

  for (let i = 0; i < operands.length; i++) {
    const previous = operators[i - 1];
    const operandFallback = previous ? after(ctx.file, previous, fallback) : fallback;
    for (const not of childTokens(operands[i], 'Not')) pending.push({ kind: 'not', token: not });
    values.push(toOperand(operands[i], operandFallback));
    const token = operators[i];
    if (!token || i === operands.length - 1) continue;
    const operator = token.image as BinaryOperator;
    if (!(operator in precedence)) return errorExpr(cover(ctx.file, values) ?? fallback);
    while (
      pending.length > 0 &&
      precedenceOf(pending[pending.length - 1]!) >= precedence[operator]
    ) {
      reduce();
    }
    pending.push({ kind: 'binary', token, operator });
  }
  if (values.length === 0) return errorExpr(fallback);
  while (pending.length > 0) reduce();
  return values[0]!;
}

function checkNotChained(ctx: AstContext, left: Expr, operator: IToken): void {
  if (left.kind !== 'Binary' || precedence[left.operator] !== COMPARISON_PRECEDENCE) return;
  ctx.bag.error(
    'NETC1025',
    tokenSpan(ctx.file, operator),
    `comparisons cannot be chained: \`${left.operator}\` then \`${operator.image}\``,
    {
      labels: [{ span: left.operatorSpan, message: 'first comparison' }],
      help: `join two comparisons with \`and\`, e.g. \`a < b and b < c\``,
    },
  );
}
