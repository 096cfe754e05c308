import { createTokenInstance, tokenMatcher, type IToken, type TokenType } from 'chevrotain';
import {
  Block,
  BlockComment,
  Const,
  Identifier,
  Import,
  Network,
  Newline,
  Train,
  UnterminatedBlockComment,
} from './tokens.js';

/** The significant tokens of a file, each with the line break before it. */
export interface Lines {
  /** Tokens without newlines. */
  readonly tokens: readonly IToken[];
  /** For each token, the line break just before it (a newline, or a comment spanning lines). */
  readonly breakBefore: readonly (IToken | undefined)[];
}

/** Separates newlines from the other tokens; a block comment spanning lines counts as one. */
export function markLineBreaks(tokens: readonly IToken[], comments: readonly IToken[]): Lines {
  const significant: IToken[] = [];
  const breakBefore: (IToken | undefined)[] = [];
  let pending: IToken | undefined;
  let nextComment = 0;
  for (const token of tokens) {
    for (; nextComment < comments.length; nextComment++) {
      const comment = comments[nextComment]!;
      if (comment.startOffset > token.startOffset) break;
      if (!pending && spansLines(comment)) {
        pending = createTokenInstance(Newline, '\n', comment.startOffset, NaN, NaN, NaN, NaN, NaN);
      }
    }
    if (token.tokenType === Newline) {
      pending ??= token;
      continue;
    }
    significant.push(token);
    breakBefore.push(pending);
    pending = undefined;
  }
  return { tokens: significant, breakBefore };
}

function spansLines(comment: IToken): boolean {
  const isBlock =
    comment.tokenType === BlockComment || comment.tokenType === UnterminatedBlockComment;
  return isBlock && /[\r\n]/.test(comment.image);
}

export function startsLine(lines: Lines, index: number): boolean {
  return index === 0 || lines.breakBefore[index] !== undefined;
}

const definitionKeywords: readonly TokenType[] = [Import, Const, Block, Network];

/** `import`, `const`, `block`, `network`, or `train` followed by a name. */
export function startsDefinition(lines: Lines, index: number): boolean {
  const token = lines.tokens[index]!;
  if (definitionKeywords.includes(token.tokenType)) return true;
  const next = lines.tokens[index + 1];
  return token.tokenType === Train && next !== undefined && tokenMatcher(next, Identifier);
}
