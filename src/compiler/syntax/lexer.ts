import { Lexer, type ILexingError, type IToken } from 'chevrotain';
import type { SourceFile } from '../source.js';
import { DiagnosticBag, type Diagnostic } from '../diagnostics/diagnostic.js';
import {
  lexerTokens,
  NumberToken,
  StringToken,
  UnterminatedBlockComment,
  UnterminatedString,
} from './tokens.js';
import { tokenSpan } from './spans.js';
import { isWellFormedNumber } from './numbers.js';
import { joinNonAsciiNames } from './nonAsciiNames.js';
import { quoteSourceText } from './describe.js';

export interface LexResult {
  /** Significant tokens and raw newlines, in source order (layout rules not applied yet). */
  readonly tokens: readonly IToken[];
  /** Line, block and doc comments, in source order. */
  readonly comments: readonly IToken[];
  readonly diagnostics: readonly Diagnostic[];
}

// One instance for the whole process: building a chevrotain lexer analyses every pattern.
const lexer = new Lexer([...lexerTokens], {
  positionTracking: 'onlyOffset',
  ensureOptimizations: true,
});

/** Splits a file into tokens. Never throws: bad input becomes NETC1xxx diagnostics. */
export function lex(source: SourceFile): LexResult {
  const result = lexer.tokenize(source.text);
  const bag = new DiagnosticBag();
  for (const error of result.errors) reportUnexpectedCharacters(bag, source, error);
  const tokens = joinNonAsciiNames(source.text, result.tokens, result.errors);
  for (const token of tokens) {
    if (token.tokenType === NumberToken) checkNumber(bag, source.path, token);
    else if (token.tokenType === StringToken) checkEscapes(bag, source.path, token);
    else if (token.tokenType === UnterminatedString) {
      bag.error('NETC1002', tokenSpan(source.path, token), 'unterminated string', {
        help: 'close the string with `"` on the same line',
      });
      checkEscapes(bag, source.path, token);
    }
  }
  const comments = result.groups['comments'] ?? [];
  for (const comment of comments) {
    if (comment.tokenType === UnterminatedBlockComment) {
      const span = { file: source.path, start: comment.startOffset, end: comment.startOffset + 2 };
      bag.error('NETC1003', span, 'unterminated block comment', {
        help: 'close the comment with `*/`',
      });
    }
  }
  return { tokens, comments, diagnostics: bag.items };
}

const characterHelp: Readonly<Record<string, string>> = {
  "'": 'strings are written in double quotes: `"..."`',
  '#': 'comments start with `//`',
  '&': 'write `and`',
  '|': 'write `or`',
  '!': 'write `not`, or `!=` to compare',
  '→': 'write `->`',
  '×': 'to multiply, write `*`; a size of height × width is written as a pair `(h, w)`',
  '−': 'write `-`',
  '“': 'strings are written in plain double quotes: `"..."`',
  '”': 'strings are written in plain double quotes: `"..."`',
};

/** A size written `5×5`: the pair it means. */
function sizeHelp(text: string, offset: number): string | undefined {
  const size = /(\d+)\s*$/.exec(text.slice(0, offset))?.[1];
  const other = /^\s*(\d+)/.exec(text.slice(offset + 1))?.[1];
  if (size === undefined || other === undefined) return undefined;
  return size === other
    ? `write the size as \`${size}\` (or \`(${size}, ${other})\`); to multiply, write \`*\``
    : `write the size as a pair \`(${size}, ${other})\`; to multiply, write \`*\``;
}

function reportUnexpectedCharacters(bag: DiagnosticBag, source: SourceFile, error: ILexingError) {
  const text = source.text.slice(error.offset, error.offset + error.length);
  const first = String.fromCodePoint(text.codePointAt(0) ?? 0);
  const plural = [...text].length > 1 ? 'characters' : 'character';
  const help =
    (first === '×' ? sizeHelp(source.text, error.offset) : undefined) ??
    characterHelp[first] ??
    (/\p{L}/u.test(first) ? nonAsciiLetterHelp : undefined);
  bag.error(
    'NETC1001',
    { file: source.path, start: error.offset, end: error.offset + error.length },
    `unexpected ${plural} ${quoteSourceText(text)}`,
    help ? { help } : {},
  );
}

const nonAsciiLetterHelp = 'names use only ASCII letters, digits and `_`';

function checkNumber(bag: DiagnosticBag, file: string, token: IToken) {
  const text = token.image;
  if (isWellFormedNumber(text)) return;
  bag.error(
    'NETC1004',
    tokenSpan(file, token),
    `malformed number ${quoteSourceText(text)}`,
    numberHelp(text),
  );
}

function numberHelp(text: string): { help?: string } {
  if (/^\d+\.$/.test(text)) return { help: `write \`${text}0\` or \`${text.slice(0, -1)}\`` };
  if (/^\.\d+(?:[eE][+-]?\d+)?$/.test(text)) return { help: `write \`0${text}\`` };
  const size = /^(\d+)[xX](\d+)$/.exec(text);
  if (size) {
    const [, h, w] = size;
    return {
      help:
        h === w
          ? `write the size as \`${h}\` (or \`(${h}, ${w})\`)`
          : `write the size as a pair \`(${h}, ${w})\``,
    };
  }
  if (/[eE][+-]?$/.test(text)) return { help: 'an exponent needs digits, e.g. `1e-3`' };
  const leadingNumber = /^(?:\d+(?:\.\d+)?|\.\d+)(?:[eE][+-]?\d+)?/.exec(text)?.[0];
  if (leadingNumber && /^[A-Za-z_]/.test(text.slice(leadingNumber.length))) {
    return { help: 'a name cannot start with a digit; separate a number from a name' };
  }
  return {};
}

const knownEscapes = new Set(['"', '\\', 'n', 't']);

function checkEscapes(bag: DiagnosticBag, file: string, token: IToken) {
  const text = token.image;
  for (let i = 1; i < text.length; i++) {
    if (text[i] !== '\\') continue;
    const escaped = text[i + 1];
    if (escaped !== undefined && !knownEscapes.has(escaped)) {
      const start = token.startOffset + i;
      bag.error(
        'NETC1005',
        { file, start, end: start + 2 },
        `unknown escape sequence ${quoteSourceText(`\\${escaped}`)}`,
        { help: 'the escapes are `\\"`, `\\\\`, `\\n` and `\\t`; write `\\\\` for a backslash' },
      );
    }
    i++;
  }
}
