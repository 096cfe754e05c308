import { EOF, type TokenType } from 'chevrotain';
import {
  Identifier,
  Newline,
  NumberToken,
  Separator,
  StringLiteral,
  StringToken,
  UnterminatedString,
} from './tokens.js';

/*
 * How tokens are named in messages: source text in backticks, token kinds in words.
 */

const MAX_QUOTED = 24;

/** Source text in backticks, with invisible characters escaped and long text shortened. */
export function quoteSourceText(text: string): string {
  const chars = [...text];
  const shown = chars.length > MAX_QUOTED ? chars.slice(0, MAX_QUOTED).join('') + '…' : text;
  return '`' + shown.replace(invisible, escapeCharacter) + '`';
}

// Controls, separators and other characters a terminal would not show faithfully.
const invisible = /[\p{C}\p{Z}\u{FFFD}]/gu;

function escapeCharacter(char: string): string {
  if (char === ' ') return ' ';
  const code = char.codePointAt(0) ?? 0;
  return `\\u{${code.toString(16).toUpperCase()}}`;
}

const wordsForTokenTypes = new Map<TokenType, string>([
  [Identifier, 'a name'],
  [NumberToken, 'a number'],
  [StringLiteral, 'a string'],
  [StringToken, 'a string'],
  [UnterminatedString, 'a string'],
  [Separator, 'end of line'],
  [Newline, 'end of line'],
  [EOF, 'end of file'],
]);

/** What the parser expected, e.g. "`)`", "a name", "end of line". */
export function describeTokenType(type: TokenType): string {
  const words = wordsForTokenTypes.get(type);
  if (words) return words;
  const label = typeof type.LABEL === 'string' ? type.LABEL : type.name;
  return '`' + label + '`';
}

/** "`a`, `b` or `c`" */
export function listAlternatives(items: readonly string[]): string {
  if (items.length <= 1) return items[0] ?? '';
  return `${items.slice(0, -1).join(', ')} or ${items[items.length - 1]}`;
}
