import { doc, type Doc } from 'prettier';
import type { Body, Statement } from '../compiler/syntax/ast.js';
import { withComments, type PrintContext } from './comments.js';
import { printExpr, printIdentifier, type ExprPrinter } from './printExpressions.js';
import { printBraced, printItems } from './sequence.js';

const { join } = doc.builders;

/*
 * Bodies of blocks, networks and combinators: one statement per line (`;` becomes a line
 * break), the user's single blank lines kept.
 */

export function printBody(body: Body, ctx: PrintContext): Doc {
  const p: ExprPrinter = { ctx, printBody };
  const statements = printItems(body.statements, (statement) => printStatement(statement, p), ctx);
  return withComments(body, ctx, printBraced(body, body.statements, statements, ctx));
}

function printStatement(statement: Statement, p: ExprPrinter): Doc {
  switch (statement.kind) {
    case 'Step':
      return printExpr(statement.expr, p, false);
    case 'Bind':
      return [printIdentifier(statement.name, p.ctx), ' = ', printExpr(statement.expr, p, false)];
    case 'Let':
      return ['let ', printIdentifier(statement.name, p.ctx), ' = ', printExpr(statement.expr, p, false)];
    case 'Return':
      return ['return ', join(', ', statement.values.map((value) => printExpr(value, p, false)))];
  }
}

/** The expression printer used everywhere outside bodies (definitions, train sections). */
export function exprPrinter(ctx: PrintContext): ExprPrinter {
  return { ctx, printBody };
}
