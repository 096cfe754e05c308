import { createTokenInstance, tokenMatcher, type IToken, type TokenType } from 'chevrotain';
import type { SourceFile } from '../source.js';
import { DiagnosticBag, type Diagnostic } from '../diagnostics/diagnostic.js';
import {
  And,
  Arrow,
  BinaryOperator,
  Colon,
  Comma,
  Else,
  Equals,
  False,
  Identifier,
  If,
  Import,
  LBracket,
  LCurly,
  LParen,
  Let,
  Newline,
  Not,
  NumberToken,
  Or,
  reservedWords,
  Return,
  Semicolon,
  Separator,
  SignOperator,
  StringLiteral,
  Then,
  Tilde,
  Train,
  True,
} from './tokens.js';
import { markLineBreaks, startsDefinition, startsLine, type Lines } from './lineBreaks.js';
import { closerFor, matchBrackets, openerFor, type Matching } from './brackets.js';
import { quoteSourceText } from './describe.js';
import { tokenSpan } from './spans.js';
import { MAX_NESTING } from './limits.js';

/*
 * The layout rules of LANGUAGE §1, applied to the token stream before parsing:
 * - statements end at a newline or `;`; consecutive separators collapse;
 * - newlines inside `( )`, `[ ]` and `import { }` are ignored; directly inside other `{ }`
 *   they are significant;
 * - a line that ends with `->` or starts with `->` continues the statement, and so does a
 *   line that starts with `{`, `then` or `else` (no statement can start with one of these:
 *   `concat` + newline + `{` is `concat {`);
 * - a block comment spanning lines separates statements like a newline.
 * Brackets are matched first, so an unclosed `(` does not swallow the lines after it: its
 * newlines stay significant and the parser reports the missing `)` where the line ends.
 *
 * The layout also resynchronises at statements and definitions, so that one error does not
 * hide the next: the file is cut into top-level items, one per definition (a definition
 * keyword at the start of a line always starts a new one, even inside an unclosed `{`), and
 * a statement that starts with a token no statement can start with is reported and skipped
 * up to its end.
 *
 * Every statement inside `{ }` ends with a separator: one is inserted before a closing `}`
 * (and at the end of an item with unclosed braces), so the grammar can end statements with
 * "separator+" and recover from a broken statement at the end of its line.
 */

export interface TopLevelItem {
  readonly tokens: readonly IToken[];
  /** What ended the item: a newline or `;`, the first token of the next definition, or undefined at end of file. */
  readonly end: IToken | undefined;
}

export interface LayoutResult {
  readonly items: readonly TopLevelItem[];
  readonly diagnostics: readonly Diagnostic[];
  /** Nesting exceeded MAX_NESTING; `items` is empty and the file must not be parsed. */
  readonly tooDeep: boolean;
}

/** True for the separators the layout inserts (zero width, no source text of their own). */
export function isInsertedSeparator(token: IToken): boolean {
  return token.tokenType === Newline && token.image === '';
}

export function layOut(
  source: SourceFile,
  tokens: readonly IToken[],
  comments: readonly IToken[],
): LayoutResult {
  const lines = markLineBreaks(tokens, comments);
  const matching = matchBrackets(lines);
  const bag = new DiagnosticBag();
  if (matching.tooDeepAt) return tooDeep(bag, source.path, matching.tooDeepAt);
  return arrange(source, lines, matching, bag);
}

// ---------------------------------------------------------------- arranging items

interface Frame {
  readonly kind: 'top' | 'paren' | 'brace' | 'importBrace';
  readonly opener: IToken | undefined;
  /** Its statements are the entries of a `train` section or `phase`. */
  readonly entries: boolean;
  /** `if`s in the current statement of this frame: each one nests the parse one level deeper. */
  ifs: number;
}

function arrange(
  source: SourceFile,
  lines: Lines,
  matching: Matching,
  bag: DiagnosticBag,
): LayoutResult {
  const file = source.path;
  const items: TopLevelItem[] = [];
  let current: IToken[] = [];
  let frames: Frame[] = [topFrame()];
  /** The last token passed on to the parser in the current item. */
  let last: IToken | undefined;
  /** The frame whose current statement is being skipped, if any. */
  let skipping: Frame | undefined;

  const top = () => frames[frames.length - 1]!;
  const emit = (token: IToken) => {
    if (skipping) return;
    current.push(token);
    last = token;
  };
  const separate = (token: IToken) => {
    if (skipping === top()) skipping = undefined;
    if (skipping || last === undefined || tokenMatcher(last, Separator)) return;
    emit(token);
    top().ifs = 0;
  };
  const finishItem = (end: IToken | undefined) => {
    skipping = undefined;
    if (frames.some((f) => f.kind === 'brace')) {
      separate(insertedSeparator(end?.startOffset ?? source.text.length));
    }
    if (current.length > 0) items.push({ tokens: current, end });
    current = [];
    frames = [topFrame()];
    last = undefined;
  };
  const nesting = () => frames.length - 1 + frames.reduce((sum, f) => sum + f.ifs, 0);
  const atStatementStart = () =>
    top().kind === 'brace' && last !== undefined && (last === top().opener || isSeparator(last));

  for (let i = 0; i < lines.tokens.length; i++) {
    const token = lines.tokens[i]!;
    const lineBreak = lines.breakBefore[i];

    if (startsDefinition(lines, i) && (frames.length === 1 || startsLine(lines, i))) {
      finishItem(token);
    } else if (lineBreak && endsStatement(top(), last, token)) {
      if (frames.length === 1) finishItem(lineBreak);
      else separate(lineBreak);
    }

    if (matching.stray.has(token)) {
      reportStray(bag, file, token);
      continue;
    }
    if (token.tokenType === Semicolon) {
      if (frames.length === 1) finishItem(token);
      else separate(token);
      continue;
    }
    if (!skipping && token.tokenType === Arrow && (last === undefined || startsNothing(last))) {
      reportArrowWithoutStep(bag, file, token);
      continue;
    }
    const opener = matching.partner.get(token);
    if (!skipping && !opener && atStatementStart() && !canStartStatement(token)) {
      reportMisplaced(bag, file, token, top().entries);
      skipping = top();
    }

    if (closerFor.has(token.tokenType)) {
      const entries = current[0]?.tokenType === Train;
      const frame = frameFor(token, last, matching, entries);
      emit(token);
      if (frame) frames.push(frame);
      if (nesting() > MAX_NESTING) return tooDeep(bag, file, token);
    } else if (opener) {
      const at = frames.findLastIndex((f) => f.opener === opener);
      if (at > 0) {
        if (skipping && frames.indexOf(skipping) >= at) skipping = undefined;
        if (frames[at]!.kind === 'brace' && last !== opener) {
          separate(insertedSeparator(token.startOffset));
        }
        frames.length = at;
      }
      emit(token);
    } else {
      if (token.tokenType === If && !skipping) {
        top().ifs++;
        if (nesting() > MAX_NESTING) return tooDeep(bag, file, token);
      } else if (token.tokenType === Comma) {
        top().ifs = 0;
      }
      emit(token);
    }
  }
  finishItem(undefined);
  return { items, diagnostics: bag.items, tooDeep: false };
}

function topFrame(): Frame {
  return { kind: 'top', opener: undefined, entries: false, ifs: 0 };
}

/**
 * The frame an opening bracket pushes. Unclosed `(` and `[` push none, so their line breaks
 * stay significant; every `{` pushes one, so an unclosed body still holds its statements.
 */
function frameFor(
  token: IToken,
  last: IToken | undefined,
  matching: Matching,
  entries: boolean,
): Frame | undefined {
  if (token.tokenType === LCurly) {
    const kind = last?.tokenType === Import ? 'importBrace' : 'brace';
    return { kind, opener: token, entries, ifs: 0 };
  }
  if (!matching.partner.has(token)) return undefined;
  return { kind: 'paren', opener: token, entries: false, ifs: 0 };
}

/** Tokens that continue the statement of the line before when they start a line. */
const continuesLine: readonly TokenType[] = [Arrow, LCurly, Then, Else];

/** A line break ends a statement unless brackets, a `->` on either side or `continuesLine` continue it. */
function endsStatement(frame: Frame, last: IToken | undefined, next: IToken): boolean {
  if (frame.kind === 'paren' || frame.kind === 'importBrace') return false;
  return !continuesLine.includes(next.tokenType) && last?.tokenType !== Arrow;
}

function isSeparator(token: IToken): boolean {
  return tokenMatcher(token, Separator);
}

function insertedSeparator(offset: number): IToken {
  return createTokenInstance(Newline, '', offset, NaN, NaN, NaN, NaN, NaN);
}

/** Tokens after which a `->` has no step before it. */
const nothingBeforeArrow: readonly TokenType[] = [
  LCurly,
  LParen,
  LBracket,
  Comma,
  Equals,
  Arrow,
  Colon,
  Tilde,
  Return,
  Then,
  Else,
];

function startsNothing(last: IToken): boolean {
  return isSeparator(last) || nothingBeforeArrow.includes(last.tokenType);
}

/** The first tokens of statements (LANGUAGE §3) and of `train` entries (§6, all names). */
const statementStarts: readonly TokenType[] = [
  Identifier,
  NumberToken,
  StringLiteral,
  True,
  False,
  LParen,
  LBracket,
  SignOperator,
  Not,
  If,
  Return,
  Let,
];

function canStartStatement(token: IToken): boolean {
  return statementStarts.some((type) => tokenMatcher(token, type));
}

// ---------------------------------------------------------------- diagnostics

function reportStray(bag: DiagnosticBag, file: string, token: IToken): void {
  const opener = openerFor.get(token.tokenType);
  const openText = typeof opener?.LABEL === 'string' ? opener.LABEL : '';
  bag.error('NETC1020', tokenSpan(file, token), `unmatched \`${token.image}\``, {
    help: `remove it, or add the \`${openText}\` it was meant to close`,
  });
}

function reportArrowWithoutStep(bag: DiagnosticBag, file: string, token: IToken): void {
  bag.error('NETC1015', tokenSpan(file, token), '`->` has no step before it', {
    help: 'remove this `->`, or put the value or layer it starts from before it',
  });
}

function reportMisplaced(bag: DiagnosticBag, file: string, token: IToken, entries: boolean) {
  const found = quoteSourceText(token.image);
  if (entries) {
    bag.error(
      'NETC1021',
      tokenSpan(file, token),
      `expected a setting, \`noise\` or \`phase\` but found ${found}`,
      {
        help: 'settings are written `key = value`',
      },
    );
    return;
  }
  const help = misplacedHelp(token);
  bag.error('NETC1021', tokenSpan(file, token), `expected a statement but found ${found}`, {
    ...(help ? { help } : {}),
  });
}

function misplacedHelp(token: IToken): string | undefined {
  const type = token.tokenType;
  if (type === Then || type === Else) {
    return 'a line break ends the statement: wrap an `if` that spans lines in `( )`';
  }
  if (tokenMatcher(token, BinaryOperator) || type === And || type === Or) {
    return 'a line break ends the statement: wrap an expression that spans lines in `( )`';
  }
  if (reservedWords.includes(type)) {
    return `\`${token.image}\` is a reserved word and cannot be used as a name`;
  }
  return undefined;
}

function tooDeep(bag: DiagnosticBag, file: string, at: IToken): LayoutResult {
  bag.error('NETC5002', tokenSpan(file, at), `nesting deeper than ${MAX_NESTING} levels`, {
    notes: [
      at.tokenType === If
        ? `open brackets and \`if\` expressions together may nest at most ${MAX_NESTING} deep`
        : `brackets may be nested at most ${MAX_NESTING} deep`,
    ],
    help: 'split the expression with `let` bindings, constants or blocks',
  });
  return { items: [], diagnostics: bag.items, tooDeep: true };
}
