import { doc, type Doc } from 'prettier';
import type { Body, Statement } from '../compiler/syntax/ast.js';
import { withComments, type PrintContext } from './comments.js';
import { printExpr, printIdentifier } from './printExpressions.js';
import { printBraced, printItems } from './sequence.js';

const { join } = doc.builders;

/*
 * Bodies of blocks, networks and combinators: one statement per line (`;` becomes a line
 * break), the user's single blank lines kept.
 */

export function printBody(body: Body, ctx: PrintContext): Doc {
  const statements = printItems(
    body.statements,
    (statement) => printStatement(statement, ctx),
    ctx,
  );
  return withComments(body, ctx, printBraced(body, body.statements, statements, ctx));
}

function printStatement(statement: Statement, ctx: PrintContext): Doc {
  switch (statement.kind) {
    case 'Step':
      return printExpr(statement.expr, ctx, false);
    case 'Bind':
      return [printIdentifier(statement.name, ctx), ' = ', printExpr(statement.expr, ctx, false)];
    case 'Let':
      return [
        'let ',
        printIdentifier(statement.name, ctx),
        ' = ',
        printExpr(statement.expr, ctx, false),
      ];
    case 'Return':
      return [
        'return ',
        join(
          ', ',
          statement.values.map((value) => printExpr(value, ctx, false)),
        ),
      ];
  }
}
