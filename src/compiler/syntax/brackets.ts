import type { IToken, TokenType } from 'chevrotain';
import { LBracket, LCurly, LParen, RBracket, RCurly, RParen } from './tokens.js';
import { startsDefinition, startsLine, type Lines } from './lineBreaks.js';
import { MAX_NESTING } from './limits.js';

export const closerFor: ReadonlyMap<TokenType, TokenType> = new Map([
  [LParen, RParen],
  [LBracket, RBracket],
  [LCurly, RCurly],
]);
export const openerFor: ReadonlyMap<TokenType, TokenType> = new Map(
  [...closerFor].map(([opener, closer]) => [closer, opener]),
);

export interface Matching {
  /** Opener → closer and closer → opener, for matched pairs only. */
  readonly partner: ReadonlyMap<IToken, IToken>;
  /** Closers that match no opener. */
  readonly stray: ReadonlySet<IToken>;
  /** The opener that nested brackets deeper than MAX_NESTING, if any. */
  readonly tooDeepAt?: IToken;
}

/**
 * Pairs brackets. A `}` closes the nearest open `{`, abandoning unclosed `(` and `[` inside
 * it; a `)` or `]` closes only an opener inside the innermost `{`. A definition keyword at
 * the start of a line abandons everything still open.
 */
export function matchBrackets(lines: Lines): Matching {
  const partner = new Map<IToken, IToken>();
  const stray = new Set<IToken>();
  const open: IToken[] = [];
  for (let i = 0; i < lines.tokens.length; i++) {
    const token = lines.tokens[i]!;
    if (open.length > 0 && startsLine(lines, i) && startsDefinition(lines, i)) open.length = 0;
    if (closerFor.has(token.tokenType)) {
      open.push(token);
      if (open.length > MAX_NESTING) return { partner, stray, tooDeepAt: token };
      continue;
    }
    const wanted = openerFor.get(token.tokenType);
    if (!wanted) continue;
    const at = findOpener(open, wanted);
    if (at < 0) {
      stray.add(token);
      continue;
    }
    partner.set(open[at]!, token);
    partner.set(token, open[at]!);
    open.length = at;
  }
  return { partner, stray };
}

function findOpener(open: readonly IToken[], wanted: TokenType): number {
  for (let at = open.length - 1; at >= 0; at--) {
    const type = open[at]!.tokenType;
    if (type === wanted) return at;
    if (type === LCurly) return -1;
  }
  return -1;
}
