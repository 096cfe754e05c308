import { doc, type Doc } from 'prettier';
import type { Comment } from '../compiler/syntax/ast.js';
import {
  attachedTo,
  isLineComment,
  lineBreak,
  printCommentRun,
  printCommentText,
  withComments,
  type PrintContext,
} from './comments.js';
import type { AnyNode } from './nodes.js';

const { hardline, indent } = doc.builders;

/*
 * Sequences: the definitions of a file, the statements of a body, the entries of a train
 * section or phase. One item per line; blank lines between items are kept (runs of them
 * collapse to one) unless the caller asks for exactly one.
 */

/** Where the text of an item ends, counting the comments on its line. */
function endWithComments(node: AnyNode, ctx: PrintContext): number {
  const trailing = attachedTo(node, ctx).trailing;
  return trailing[trailing.length - 1]?.span.end ?? node.span.end;
}

/** Where the text of an item starts, counting the comments above it. */
function startWithComments(node: AnyNode, ctx: PrintContext): number {
  return attachedTo(node, ctx).leading[0]?.span.start ?? node.span.start;
}

export type BlankLinePolicy<T> = (previous: T, next: T) => 'always' | 'as-written';

export function printItems<T extends AnyNode>(
  items: readonly T[],
  printItem: (item: T) => Doc,
  ctx: PrintContext,
  blankLine: BlankLinePolicy<T> = () => 'as-written',
): Doc[] {
  return items.map((item, i) => {
    const printed = withComments(item, ctx, printItem(item));
    const previous = items[i - 1];
    if (!previous) return printed;
    const separator =
      blankLine(previous, item) === 'always'
        ? [hardline, hardline]
        : lineBreak(ctx, endWithComments(previous, ctx), startWithComments(item, ctx));
    return [separator, printed];
  });
}

/** Comments after the last item (or alone in an empty sequence), each on its own line. */
export function printEndComments(
  comments: readonly Comment[],
  lastItem: AnyNode | undefined,
  ctx: PrintContext,
): Doc[] {
  const [first] = comments;
  if (!first) return [];
  const run = printCommentRun(comments, ctx);
  if (!lastItem) return run;
  return [lineBreak(ctx, endWithComments(lastItem, ctx), first.span.start), ...run];
}

/**
 * `{ items }` over several lines. Dangling comments that sat on the line of `{` stay there;
 * the other dangling comments go after the last item, before `}`.
 */
export function printBraced(
  owner: AnyNode,
  items: readonly AnyNode[],
  printedItems: readonly Doc[],
  ctx: PrintContext,
): Doc {
  const { onBraceLine, dangling: atEnd } = attachedTo(owner, ctx);
  const afterBrace = onBraceLine.map((c) => [
    isLineComment(c) ? '  ' : ' ',
    printCommentText(c, ctx),
  ]);
  const content = [...printedItems, ...printEndComments(atEnd, items[items.length - 1], ctx)];
  if (content.length === 0)
    return afterBrace.length === 0 ? '{}' : ['{', ...afterBrace, hardline, '}'];
  return ['{', ...afterBrace, indent([hardline, ...content]), hardline, '}'];
}
