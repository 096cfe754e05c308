import type { Comment } from '../compiler/syntax/ast.js';

/*
 * Questions the formatter asks about the original text: where line breaks and blank lines
 * were, and which punctuation (not kept in the AST) the user wrote.
 */

const horizontalSpace = /[ \t\f\v\uFEFF]/;

/** Nothing but spaces between the start of the line and `offset`. */
export function startsLine(text: string, offset: number): boolean {
  for (let i = offset - 1; i >= 0; i--) {
    const ch = text[i]!;
    if (ch === '\n' || ch === '\r') return true;
    if (!horizontalSpace.test(ch)) return false;
  }
  return true;
}

/** Nothing but spaces between `offset` and the end of the line (or of the file). */
export function endsLine(text: string, offset: number): boolean {
  for (let i = offset; i < text.length; i++) {
    const ch = text[i]!;
    if (ch === '\n' || ch === '\r') return true;
    if (!horizontalSpace.test(ch)) return false;
  }
  return true;
}

/** Nothing but spaces around `[start, end)` on its first and last line: a comment alone on its line. */
export function aloneOnLine(text: string, start: number, end: number): boolean {
  return startsLine(text, start) && endsLine(text, end);
}

/** A line holding nothing but spaces lies between `from` and `to` (both outside comments). */
export function blankLineBetween(text: string, from: number, to: number): boolean {
  return from < to && /\n[ \t\f\v\r\uFEFF]*\n/.test(text.slice(from, to));
}

const commentEnds = new WeakMap<readonly Comment[], ReadonlyMap<number, number>>();

/** Where the comment starting at each offset ends. */
function commentEndsByStart(comments: readonly Comment[]): ReadonlyMap<number, number> {
  let ends = commentEnds.get(comments);
  if (!ends) {
    ends = new Map(comments.map((c) => [c.span.start, c.span.end]));
    commentEnds.set(comments, ends);
  }
  return ends;
}

/** The offset of the first character at or after `from` that is neither space nor comment. */
export function nextCodeOffset(text: string, from: number, comments: readonly Comment[]): number {
  const ends = commentEndsByStart(comments);
  let i = from;
  while (i < text.length) {
    if (/\s/.test(text[i]!)) {
      i++;
      continue;
    }
    const end = ends.get(i);
    if (end === undefined) return i;
    i = end;
  }
  return i;
}
