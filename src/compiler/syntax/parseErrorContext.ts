import { EOF, tokenMatcher, type IRecognitionException, type IToken } from 'chevrotain';
import type { SourceFile, Span } from '../source.js';
import { Newline } from './tokens.js';
import { readProblem, type ParseProblem } from './grammar/problems.js';
import { isInsertedSeparator, type TopLevelItem } from './layout.js';
import { quoteSourceText } from './describe.js';
import { isRealToken, pointSpan, tokenSpan } from './spans.js';

/** What a parse error is about, gathered from chevrotain's exception and the parsed item. */
export interface ParseErrorContext {
  readonly problem: ParseProblem;
  /** What the parser found instead of what it expected. */
  readonly found: Found;
  /** The token before the error, if any. */
  readonly previous: IToken | undefined;
  /** The error happened inside a `train` section. */
  readonly inTrain: boolean;
  /** The innermost bracket open at the error, if it is of the given kind. */
  readonly openBracket: (kind: 'LParen' | 'LBracket' | 'LCurly') => IToken | undefined;
  readonly file: string;
  /**
   * For tokens left over after a complete definition: the last token of the definition,
   * when a line break separates it from `found` (then the first token of the next line).
   */
  readonly endedBefore: IToken | undefined;
}

export interface Found {
  /** "`relu`", "end of line", "end of file". */
  readonly words: string;
  readonly span: Span;
  /** The token found, when it is a real one. */
  readonly token: IToken | undefined;
}

export function parseErrorContext(
  error: IRecognitionException,
  item: TopLevelItem,
  source: SourceFile,
): ParseErrorContext {
  const problem = readProblem(error.message);
  const leftover = problem.kind === 'redundant' ? afterLineBreaks(error.token, item) : undefined;
  return {
    problem,
    found: describeFound(leftover?.token ?? error.token, item, source),
    endedBefore: leftover?.endedBefore,
    previous: (error as { previousToken?: IToken }).previousToken,
    inTrain: error.context?.ruleStack?.includes('trainBlock') ?? false,
    openBracket: (kind) => innermostOpenBracket(item.tokens, error.token, kind),
    file: source.path,
  };
}

function describeFound(token: IToken, item: TopLevelItem, source: SourceFile): Found {
  const file = source.path;
  if (tokenMatcher(token, EOF)) return describeEnd(item.end, source);
  if (isInsertedSeparator(token)) {
    // The layout inserts separators before a `}` and at the end of an item with unclosed braces.
    if (source.text[token.startOffset] === '}') {
      const span = { file, start: token.startOffset, end: token.startOffset + 1 };
      return { words: '`}`', span, token: undefined };
    }
    return describeEnd(item.end, source);
  }
  if (token.tokenType === Newline) {
    return { words: 'end of line', span: pointSpan(file, token.startOffset), token };
  }
  return { words: quoteSourceText(token.image), span: tokenSpan(file, token), token };
}

/**
 * When `token` is a line break, the first real token after the breaks that follow it and the
 * last real token before it; undefined when `token` is not a line break or nothing follows.
 */
function afterLineBreaks(
  token: IToken,
  item: TopLevelItem,
): { readonly token: IToken; readonly endedBefore: IToken | undefined } | undefined {
  const index = item.tokens.indexOf(token);
  if (index < 0 || token.tokenType !== Newline) return undefined;
  const next = item.tokens.slice(index).find((t) => t.tokenType !== Newline && isRealToken(t));
  if (!next) return undefined;
  const before = item.tokens
    .slice(0, index)
    .filter((t) => isRealToken(t) && t.tokenType !== Newline);
  return { token: next, endedBefore: before[before.length - 1] };
}

/** The end of a top-level item: what the layout cut it at. */
function describeEnd(end: IToken | undefined, source: SourceFile): Found {
  const file = source.path;
  if (end === undefined) {
    return { words: 'end of file', span: pointSpan(file, source.text.length), token: undefined };
  }
  if (end.tokenType === Newline) {
    return { words: 'end of line', span: pointSpan(file, end.startOffset), token: undefined };
  }
  return { words: quoteSourceText(end.image), span: tokenSpan(file, end), token: undefined };
}

const openers = new Set(['LParen', 'LBracket', 'LCurly']);
const closers = new Set(['RParen', 'RBracket', 'RCurly']);

function innermostOpenBracket(
  tokens: readonly IToken[],
  at: IToken,
  kind: string,
): IToken | undefined {
  const index = tokens.indexOf(at);
  let depth = 0;
  for (let i = (index < 0 ? tokens.length : index) - 1; i >= 0; i--) {
    const token = tokens[i]!;
    const name = token.tokenType.name;
    if (closers.has(name)) depth++;
    else if (openers.has(name)) {
      if (depth > 0) depth--;
      else return name === kind && isRealToken(token) ? token : undefined;
    }
  }
  return undefined;
}
