import { createTokenInstance, tokenMatcher, type ILexingError, type IToken } from 'chevrotain';
import { Identifier, NumberToken, reservedWords } from './tokens.js';
import { tokenEnd } from './spans.js';

const nameCharacters = /^[\p{L}\p{M}\p{N}_]+$/u;

/**
 * `größe` lexes as `gr`, two unexpected characters and `e`. The characters are reported;
 * gluing the pieces back into one name keeps the parser from reporting `e` as well.
 */
export function joinNonAsciiNames(
  text: string,
  tokens: readonly IToken[],
  errors: readonly ILexingError[],
): IToken[] {
  const runs = errors
    .filter((e) => nameCharacters.test(text.slice(e.offset, e.offset + e.length)))
    .map((e) => ({ start: e.offset, end: e.offset + e.length, token: undefined }));
  if (runs.length === 0) return [...tokens];
  const pieces = [
    ...tokens.map((token) => ({ start: token.startOffset, end: tokenEnd(token), token })),
    ...runs,
  ].sort((a, b) => a.start - b.start);

  const joined: IToken[] = [];
  for (let i = 0; i < pieces.length; i++) {
    const first = pieces[i]!;
    const canStartName = first.token === undefined || isNamePiece(first.token);
    if (!canStartName || first.token?.tokenType === NumberToken) {
      if (first.token) joined.push(first.token);
      continue;
    }
    let last = i;
    while (
      pieces[last + 1]?.start === pieces[last]!.end &&
      continuesName(pieces[last + 1]!.token)
    ) {
      last++;
    }
    const group = pieces.slice(i, last + 1);
    if (group.some((piece) => piece.token === undefined)) {
      joined.push(nameToken(text, first.start, pieces[last]!.end));
    } else {
      for (const piece of group) joined.push(piece.token!);
    }
    i = last;
  }
  return joined;
}

function continuesName(token: IToken | undefined): boolean {
  return token === undefined || isNamePiece(token);
}

function isNamePiece(token: IToken): boolean {
  return (
    tokenMatcher(token, Identifier) ||
    reservedWords.includes(token.tokenType) ||
    token.tokenType === NumberToken
  );
}

function nameToken(text: string, start: number, end: number): IToken {
  return createTokenInstance(Identifier, text.slice(start, end), start, NaN, NaN, NaN, NaN, NaN);
}
