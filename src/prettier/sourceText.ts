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

/** The offset of the first character at or after `from` that is neither space nor comment. */
export function nextCodeOffset(text: string, from: number, comments: readonly Comment[]): number {
  let i = from;
  while (i < text.length) {
    if (/\s/.test(text[i]!)) {
      i++;
      continue;
    }
    const comment = comments.find((c) => c.span.start === i);
    if (!comment) return i;
    i = comment.span.end;
  }
  return i;
}

/** The offset of the last character before `to` that is neither space nor comment, or -1. */
export function previousCodeOffset(text: string, to: number, comments: readonly Comment[]): number {
  let i = to - 1;
  while (i >= 0) {
    if (/\s/.test(text[i]!)) {
      i--;
      continue;
    }
    const comment = comments.find((c) => c.span.end === i + 1);
    if (!comment) return i;
    i = comment.span.start - 1;
  }
  return i;
}
