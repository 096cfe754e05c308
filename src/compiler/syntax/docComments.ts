import type { IToken } from 'chevrotain';
import type { Comment } from './ast.js';
import { DocComment, LineComment } from './tokens.js';
import { tokenEnd, tokenSpan } from './spans.js';

/**
 * The `///` lines directly above `offset` — each on the line before the next, none separated
 * by a blank line — without the `///` and one space after it, joined by newlines.
 */
export function docCommentBefore(
  text: string,
  comments: readonly IToken[],
  offset: number,
): string | undefined {
  const lines: string[] = [];
  let next = offset;
  for (let i = lastCommentBefore(comments, offset); i >= 0; i--) {
    const comment = comments[i]!;
    if (comment.tokenType !== DocComment || !onAdjacentLines(text, tokenEnd(comment), next)) break;
    lines.push(comment.image.slice(3).replace(/^ /, ''));
    next = comment.startOffset;
  }
  return lines.length > 0 ? lines.reverse().join('\n') : undefined;
}

function lastCommentBefore(comments: readonly IToken[], offset: number): number {
  let lo = 0;
  let hi = comments.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (comments[mid]!.startOffset < offset) lo = mid + 1;
    else hi = mid;
  }
  return lo - 1;
}

/** Only blanks and exactly one line break between `end` and `start`. */
function onAdjacentLines(text: string, end: number, start: number): boolean {
  const between = text.slice(end, start);
  return /^[ \t\f\v]*(?:\r\n|\r|\n)[ \t\f\v]*$/.test(between);
}

/** Comments as the AST records them, for the formatter. */
export function toComment(file: string, token: IToken): Comment {
  const kind =
    token.tokenType === DocComment
      ? 'DocComment'
      : token.tokenType === LineComment
        ? 'LineComment'
        : 'BlockComment';
  return { kind, text: token.image, span: tokenSpan(file, token) };
}
