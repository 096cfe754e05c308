import { createTokenInstance, tokenMatcher, type IToken, type TokenType } from 'chevrotain';
import type { SourceFile } from '../source.js';
import { DiagnosticBag, type Diagnostic } from '../diagnostics/diagnostic.js';
import {
  Arrow,
  Block,
  BlockComment,
  Colon,
  Comma,
  Const,
  Else,
  Equals,
  Identifier,
  If,
  Import,
  LBracket,
  LCurly,
  LParen,
  Network,
  Newline,
  RBracket,
  RCurly,
  Return,
  RParen,
  Semicolon,
  Separator,
  Then,
  Tilde,
  Train,
  UnterminatedBlockComment,
} from './tokens.js';
import { tokenSpan } from './spans.js';
import { MAX_NESTING } from './limits.js';

/*
 * The layout rules of LANGUAGE §1, applied to the token stream before parsing:
 * - statements end at a newline or `;`; consecutive separators collapse;
 * - newlines inside `( )`, `[ ]` and `import { }` are ignored; directly inside other `{ }`
 *   they are significant;
 * - a line that ends with `->` or starts with `->` continues the statement, and so does a
 *   line that starts with `{` (no statement can start with one: `concat` + newline + `{`
 *   is `concat {`);
 * - a block comment spanning lines separates statements like a newline.
 * Brackets are matched first, so an unclosed `(` does not swallow the lines after it: its
 * newlines stay significant and the parser reports the missing `)` where the line ends.
 *
 * The file is cut into top-level items, one per definition, so that a broken definition
 * cannot hide the next one. A definition keyword at the start of a line always starts a
 * new item, even inside an unclosed `{`.
 *
 * Every statement inside `{ }` ends with a separator: one is inserted before a closing `}`
 * (and at the end of an item with unclosed braces), so the grammar can say
 * "statement separator+" without special cases.
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

/** True for separators the layout inserted (zero width, no source text of their own). */
export function isInsertedSeparator(token: IToken): boolean {
  return token.tokenType === Newline && token.image === '';
}

export function layOut(
  source: SourceFile,
  tokens: readonly IToken[],
  comments: readonly IToken[],
): LayoutResult {
  const lines = markLineBreaks(tokens, comments);
  const bag = new DiagnosticBag();
  const matching = matchBrackets(lines);
  if (matching.tooDeepAt) {
    reportTooDeep(bag, source.path, matching.tooDeepAt, 'brackets');
    return { items: [], diagnostics: bag.items, tooDeep: true };
  }
  return arrange(source, lines, matching, bag);
}

// ---------------------------------------------------------------- line breaks

interface Lines {
  /** Tokens without newlines. */
  readonly tokens: readonly IToken[];
  /** For each token, the line break just before it (a newline, or a comment spanning lines). */
  readonly breakBefore: readonly (IToken | undefined)[];
}

function markLineBreaks(tokens: readonly IToken[], comments: readonly IToken[]): Lines {
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

function startsLine(lines: Lines, index: number): boolean {
  return index === 0 || lines.breakBefore[index] !== undefined;
}

const definitionKeywords: readonly TokenType[] = [Import, Const, Block, Network];

/** `import`, `const`, `block`, `network`, or `train` followed by a name. */
function startsDefinition(lines: Lines, index: number): boolean {
  const token = lines.tokens[index]!;
  if (definitionKeywords.includes(token.tokenType)) return true;
  const next = lines.tokens[index + 1];
  return token.tokenType === Train && next !== undefined && tokenMatcher(next, Identifier);
}

// ---------------------------------------------------------------- bracket matching

const closerFor = new Map<TokenType, TokenType>([
  [LParen, RParen],
  [LBracket, RBracket],
  [LCurly, RCurly],
]);
const openerFor = new Map<TokenType, TokenType>([...closerFor].map(([o, c]) => [c, o]));

interface Matching {
  /** Opener → closer and closer → opener, for matched pairs only. */
  readonly partner: ReadonlyMap<IToken, IToken>;
  /** Closers that match no opener. */
  readonly stray: ReadonlySet<IToken>;
  readonly tooDeepAt?: IToken;
}

/**
 * A `}` closes the nearest open `{`, abandoning unclosed `(` and `[` inside it; a `)` or `]`
 * closes only an opener inside the innermost `{`. A definition keyword at the start of a
 * line abandons everything still open.
 */
function matchBrackets(lines: Lines): Matching {
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

// ---------------------------------------------------------------- arranging items

type FrameKind = 'top' | 'paren' | 'brace' | 'importBrace';

interface Frame {
  readonly kind: FrameKind;
  readonly opener: IToken | undefined;
  /** `if`s in the current statement of this frame: each one nests the parse one level deeper. */
  ifs: number;
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
  let last: IToken | undefined;

  const top = () => frames[frames.length - 1]!;
  const emit = (token: IToken) => {
    current.push(token);
    last = token;
  };
  const separate = (token: IToken) => {
    if (last === undefined || tokenMatcher(last, Separator)) return;
    emit(token);
    top().ifs = 0;
  };
  const finishItem = (end: IToken | undefined) => {
    if (frames.some((f) => f.kind === 'brace')) {
      separate(insertedSeparator(end?.startOffset ?? source.text.length));
    }
    if (current.length > 0) items.push({ tokens: current, end });
    current = [];
    frames = [topFrame()];
    last = undefined;
  };
  const nesting = () => frames.length - 1 + frames.reduce((sum, f) => sum + f.ifs, 0);

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
      bag.error('NETC1020', tokenSpan(file, token), `unmatched \`${token.image}\``, {
        help: `remove it, or add the \`${openingText(token)}\` it was meant to close`,
      });
      continue;
    }
    if (token.tokenType === Semicolon) {
      if (frames.length === 1) finishItem(token);
      else separate(token);
      continue;
    }
    if (token.tokenType === Arrow && (last === undefined || startsNothing(last))) {
      bag.error('NETC1015', tokenSpan(file, token), '`->` has no step before it', {
        help: 'remove this `->`, or put the value or layer it starts from before it',
      });
      continue;
    }
    if (closerFor.has(token.tokenType)) {
      const frame = frameFor(token, last, matching);
      if (frame) frames.push(frame);
      emit(token);
      if (nesting() > MAX_NESTING) return tooDeep(bag, file, token);
      continue;
    }
    const opener = matching.partner.get(token);
    if (opener) {
      const at = frames.findLastIndex((f) => f.opener === opener);
      if (at > 0) {
        if (frames[at]!.kind === 'brace' && last !== opener) {
          separate(insertedSeparator(token.startOffset));
        }
        frames.length = at;
      }
      emit(token);
      continue;
    }
    if (token.tokenType === If) {
      top().ifs++;
      if (nesting() > MAX_NESTING) return tooDeep(bag, file, token);
    } else if (token.tokenType === Comma) {
      top().ifs = 0;
    }
    emit(token);
  }
  finishItem(undefined);
  return { items, diagnostics: bag.items, tooDeep: false };
}

function topFrame(): Frame {
  return { kind: 'top', opener: undefined, ifs: 0 };
}

/** A line break ends a statement unless brackets, a `->` on either side or a `{` continue it. */
function endsStatement(frame: Frame, last: IToken | undefined, next: IToken): boolean {
  if (frame.kind === 'paren' || frame.kind === 'importBrace') return false;
  return next.tokenType !== Arrow && next.tokenType !== LCurly && last?.tokenType !== Arrow;
}

function startsNothing(last: IToken): boolean {
  return tokenMatcher(last, Separator) || nothingBeforeArrow.includes(last.tokenType);
}

/**
 * The frame an opening bracket pushes. Unclosed `(` and `[` push none, so their line breaks
 * stay significant; every `{` pushes one, so an unclosed body still holds its statements.
 */
function frameFor(token: IToken, last: IToken | undefined, matching: Matching): Frame | undefined {
  if (token.tokenType === LCurly) {
    const kind = last?.tokenType === Import ? 'importBrace' : 'brace';
    return { kind, opener: token, ifs: 0 };
  }
  return matching.partner.has(token) ? { kind: 'paren', opener: token, ifs: 0 } : undefined;
}

function insertedSeparator(offset: number): IToken {
  return createTokenInstance(Newline, '', offset, NaN, NaN, NaN, NaN, NaN);
}

function openingText(closer: IToken): string {
  const opener = openerFor.get(closer.tokenType);
  return typeof opener?.LABEL === 'string' ? opener.LABEL : '';
}

function tooDeep(bag: DiagnosticBag, file: string, at: IToken): LayoutResult {
  reportTooDeep(bag, file, at, at.tokenType === If ? 'ifs' : 'brackets');
  return { items: [], diagnostics: bag.items, tooDeep: true };
}

function reportTooDeep(bag: DiagnosticBag, file: string, at: IToken, what: 'brackets' | 'ifs') {
  bag.error('NETC5002', tokenSpan(file, at), `nesting deeper than ${MAX_NESTING} levels`, {
    notes: [
      what === 'brackets'
        ? `brackets may be nested at most ${MAX_NESTING} deep`
        : `open brackets and \`if\` expressions together may nest at most ${MAX_NESTING} deep`,
    ],
    help: 'split the expression with `let` bindings, constants or blocks',
  });
}
