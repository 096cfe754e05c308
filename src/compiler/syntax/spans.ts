import type { IToken } from 'chevrotain';
import type { Span } from '../source.js';

/*
 * Spans of tokens. The lexer records only start offsets (cheapest tracking mode); a token's
 * end is its start plus the length of its text. Tokens inserted by the parser's error recovery
 * have no position (NaN) and are never used for spans.
 */

export function isRealToken(token: IToken | undefined): token is IToken {
  return token !== undefined && !token.isInsertedInRecovery && Number.isFinite(token.startOffset);
}

export function tokenEnd(token: IToken): number {
  return token.startOffset + token.image.length;
}

export function tokenSpan(file: string, token: IToken): Span {
  return { file, start: token.startOffset, end: tokenEnd(token) };
}

/** A zero-width span at `offset`. */
export function pointSpan(file: string, offset: number): Span {
  return { file, start: offset, end: offset };
}
