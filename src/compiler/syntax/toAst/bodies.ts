import type { CstNode } from 'chevrotain';
import type { Span } from '../../source.js';
import type { Body, Statement } from '../ast.js';
import {
  after,
  childNode,
  childNodes,
  childToken,
  cover,
  identifier,
  onlyChildNode,
  type AstContext,
} from './cst.js';
import { toExpr } from './expressions.js';
import { pointSpan } from '../spans.js';

/** A `{ ... }` body; statements that failed to parse are left out (their errors are reported). */
export function toBody(ctx: AstContext, node: CstNode | undefined, fallback: Span): Body {
  const statements: Statement[] = [];
  // Where a statement that recovery left without any token is placed: after the one before.
  let previousEnd = after(ctx.file, childToken(node, 'LCurly'), fallback);
  for (const statementNode of childNodes(node, 'statement')) {
    const statement = toStatement(ctx, statementNode, previousEnd);
    if (!statement) continue;
    statements.push(statement);
    previousEnd = pointSpan(ctx.file, statement.span.end);
  }
  const span =
    cover(ctx.file, [childToken(node, 'LCurly'), ...statements, childToken(node, 'RCurly')]) ??
    fallback;
  return { kind: 'Body', statements, span };
}

function toStatement(ctx: AstContext, node: CstNode, fallback: Span): Statement | undefined {
  const inner = onlyChildNode(node);
  if (!inner) return undefined;
  switch (inner.name) {
    case 'returnStatement': {
      const keyword = childToken(inner, 'Return');
      const values = childNodes(inner, 'expression').map((value) =>
        toExpr(ctx, value, after(ctx.file, keyword, fallback)),
      );
      return { kind: 'Return', values, span: cover(ctx.file, [keyword, ...values]) ?? fallback };
    }
    case 'letStatement':
    case 'bindStatement': {
      const name = childToken(inner, 'Identifier');
      if (!name) return undefined;
      const equals = childToken(inner, 'Equals');
      const expr = toExpr(
        ctx,
        childNode(inner, 'expression'),
        after(ctx.file, equals ?? name, fallback),
      );
      const kind = inner.name === 'letStatement' ? 'Let' : 'Bind';
      const span = cover(ctx.file, [childToken(inner, 'Let'), name, expr])!;
      return { kind, name: identifier(ctx.file, name), expr, span };
    }
    default: {
      const expr = toExpr(ctx, inner, fallback);
      return { kind: 'Step', expr, span: expr.span };
    }
  }
}
