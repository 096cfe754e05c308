import { doc, type Doc } from 'prettier';
import type { ChainExpr, Expr } from '../compiler/syntax/ast.js';
import {
  attachedTo,
  hasTrailingLineComment,
  printLeadingComments,
  type PrintContext,
} from './comments.js';
import { containsBody } from './nodes.js';
import { printExpr, printExprWithoutLeading } from './printExpressions.js';
import { aloneOnLine } from './sourceText.js';

const { group, indent, line, hardline } = doc.builders;

/*
 * `a -> b -> c` stays on one line when it fits; otherwise every `-> step` goes on its own
 * continuation line, indented. A line starting with `->` continues the statement, so the
 * break is legal anywhere, inside brackets or not.
 *
 * A chain holding a `{ }` body is joined with spaces: the body's own line breaks would
 * otherwise break the whole chain (`concat { ... } -> relu` keeps `} -> relu`).
 */
export function printChain(chain: ChainExpr, ctx: PrintContext, inBrackets: boolean): Doc {
  const [first, ...rest] = chain.steps;
  if (!first) return '';
  const joinWithSpaces = chain.steps.some(containsBody);
  const parts: Doc[] = [];
  let previous = first;
  for (const step of rest) {
    const commentsAbove = hasOwnLineLeadingComment(step, ctx);
    const breakHere = commentsAbove || hasTrailingLineComment(previous, ctx);
    parts.push([
      breakHere ? hardline : joinWithSpaces ? ' ' : line,
      commentsAbove ? printLeadingComments(step, ctx) : '',
      '-> ',
      commentsAbove
        ? printExprWithoutLeading(step, ctx, inBrackets)
        : printExpr(step, ctx, inBrackets),
    ]);
    previous = step;
  }
  return group([printExpr(first, ctx, inBrackets), indent(parts)]);
}

/** A comment on its own line before a step is printed above that step's `->`. */
function hasOwnLineLeadingComment(step: Expr, ctx: PrintContext): boolean {
  return attachedTo(step, ctx).leading.some((c) => aloneOnLine(ctx.text, c.span.start, c.span.end));
}
