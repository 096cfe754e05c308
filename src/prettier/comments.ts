import { doc, type Doc } from 'prettier';
import type { Comment } from '../compiler/syntax/ast.js';
import type { AttachedComments, CommentMap } from './attachComments.js';
import type { AnyNode } from './nodes.js';
import {
  aloneOnLine,
  blankLineBetween,
  endsLine,
  nextCodeOffset,
  startsLine,
} from './sourceText.js';

const { breakParent, hardline, lineSuffix } = doc.builders;

/** What every print function needs: the original text and where each comment lives. */
export interface PrintContext {
  readonly text: string;
  /** Every comment of the file, in source order. */
  readonly allComments: readonly Comment[];
  readonly comments: CommentMap;
  /** Filled while printing, checked at the end: every comment must be printed exactly once. */
  readonly printed: Set<Comment>;
}

const none: AttachedComments = { leading: [], trailing: [], dangling: [], onBraceLine: [] };

export function attachedTo(node: AnyNode, ctx: PrintContext): AttachedComments {
  return ctx.comments.get(node) ?? none;
}

export function isLineComment(comment: Comment): boolean {
  return comment.kind !== 'BlockComment';
}

/** A comment's own text; line comments lose trailing spaces. */
export function printCommentText(comment: Comment, ctx: PrintContext): Doc {
  if (ctx.printed.has(comment))
    throw new Error(`netc formatter bug: comment printed twice: ${comment.text}`);
  ctx.printed.add(comment);
  return isLineComment(comment) ? comment.text.trimEnd() : comment.text;
}

/** A hard line break, doubled when the user left a blank line between `from` and `to`. */
export function lineBreak(ctx: PrintContext, from: number, to: number): Doc {
  return blankLineBetween(ctx.text, from, to) ? [hardline, hardline] : hardline;
}

/** Comments before a node: each on its own line, or inline for a block comment that was inline. */
export function printLeadingComments(node: AnyNode, ctx: PrintContext): Doc[] {
  const comments = attachedTo(node, ctx).leading;
  return comments.map((comment, i) => {
    const nextStart = comments[i + 1]?.span.start ?? node.span.start;
    const own = isLineComment(comment) || endsLine(ctx.text, comment.span.end);
    return [
      printCommentText(comment, ctx),
      own ? lineBreak(ctx, comment.span.end, nextStart) : ' ',
    ];
  });
}

/**
 * Comments after a node. A line comment stays at the end of the node's line (two spaces
 * before `//`); a comment that had a line of its own keeps one, and so does any comment
 * after a line comment (it cannot share the line comment's line).
 */
export function printTrailingComments(node: AnyNode, ctx: PrintContext): Doc[] {
  return printAfter(attachedTo(node, ctx).trailing, ctx);
}

function printAfter(comments: readonly Comment[], ctx: PrintContext): Doc[] {
  let afterLineComment = false;
  return comments.map((comment) => {
    const text = printCommentText(comment, ctx);
    const ownLine = afterLineComment || aloneOnLine(ctx.text, comment.span.start, comment.span.end);
    afterLineComment ||= isLineComment(comment);
    if (ownLine) return [lineSuffix([hardline, text]), breakParent];
    if (isLineComment(comment)) return [lineSuffix(['  ', text]), breakParent];
    return comment.text.includes('\n') ? [' ', text, breakParent] : [' ', text];
  });
}

export function hasTrailingLineComment(node: AnyNode, ctx: PrintContext): boolean {
  return attachedTo(node, ctx).trailing.some(
    (c) => isLineComment(c) || aloneOnLine(ctx.text, c.span.start, c.span.end),
  );
}

/**
 * Dangling comments one after another: on one line where they were, else each on its
 * own line (keeping one blank line where the user had one).
 */
export function printCommentRun(comments: readonly Comment[], ctx: PrintContext): Doc[] {
  return comments.map((comment, i) => {
    const previous = comments[i - 1];
    const text = printCommentText(comment, ctx);
    if (!previous) return text;
    const separator = startsLine(ctx.text, comment.span.start)
      ? lineBreak(ctx, previous.span.end, comment.span.start)
      : isLineComment(previous)
        ? hardline
        : ' ';
    return [separator, text];
  });
}

/**
 * A node with its comments. `printed` is evaluated first, so a node's own printer may
 * place its dangling comments; whatever it left is kept after the node. `leading: false`
 * is for callers that print the leading comments elsewhere (a chain prints them before `->`).
 */
export function withComments(
  node: AnyNode,
  ctx: PrintContext,
  printed: Doc,
  { leading = true }: { leading?: boolean } = {},
): Doc {
  const before = leading ? printLeadingComments(node, ctx) : [];
  const { dangling, onBraceLine, trailing } = attachedTo(node, ctx);
  const leftover = [...onBraceLine, ...dangling].filter((c) => !ctx.printed.has(c));
  return [...before, printed, ...printAfter([...leftover, ...trailing], ctx)];
}

/** The first character after `offset` that is not space or comment: punctuation the AST does not keep. */
export function nextCodeChar(ctx: PrintContext, offset: number): string | undefined {
  return ctx.text[nextCodeOffset(ctx.text, offset, ctx.allComments)];
}
