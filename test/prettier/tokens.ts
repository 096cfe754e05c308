/*
 * An independent tokenizer for the formatter's safety check: formatting may change
 * whitespace, turn `;` into line breaks, add or drop a trailing comma before a closing
 * bracket and re-escape strings, but must keep every other token and every comment.
 */

export interface TokenStreams {
  /** Code tokens; strings as their decoded values. */
  readonly code: readonly string[];
  /** Comment texts (line comments without trailing spaces), in order. */
  readonly comments: readonly string[];
}

const patterns: readonly (readonly [
  kind: 'skip' | 'comment' | 'string' | 'code',
  pattern: RegExp,
])[] = [
  ['skip', /[\s;]+/y],
  ['comment', /\/\/[^\r\n]*/y],
  ['comment', /\/\*[\s\S]*?\*\//y],
  ['string', /"(?:[^"\\\r\n]|\\[^\r\n])*"/y],
  ['code', /(?:\d+(?:\.\d+)?|\.\d+)(?:[eE][+-]?\d+)?/y],
  ['code', /[A-Za-z_][A-Za-z0-9_]*/y],
  ['code', /(?:->|==|!=|<=|>=|[-+*/%<>=~:,()[\]{}])/y],
];

const escapes: Readonly<Record<string, string>> = { n: '\n', t: '\t', '"': '"', '\\': '\\' };

function matchAt(pattern: RegExp, text: string, at: number): string | undefined {
  pattern.lastIndex = at;
  return pattern.exec(text)?.[0];
}

function decodeString(literal: string): string {
  return literal.slice(1, -1).replace(/\\(.)/g, (_, ch: string) => escapes[ch] ?? ch);
}

/** Start and end offsets of every code token (not comments, strings included). */
export function codeTokenSpans(text: string): { start: number; end: number }[] {
  const spans: { start: number; end: number }[] = [];
  scan(text, (kind, start, end) => {
    if (kind === 'code' || kind === 'string') spans.push({ start, end });
  });
  return spans;
}

export function tokenStreams(text: string): TokenStreams {
  const code: string[] = [];
  const comments: string[] = [];
  scan(text, (kind, start, end) => {
    const found = text.slice(start, end);
    if (kind === 'comment') comments.push(found.startsWith('//') ? found.trimEnd() : found);
    else if (kind === 'string') code.push(`string:${decodeString(found)}`);
    else if (kind === 'code') code.push(found);
  });
  return { code: withoutTrailingCommas(code), comments };
}

function scan(
  text: string,
  visit: (kind: 'comment' | 'string' | 'code', start: number, end: number) => void,
): void {
  let at = 0;
  while (at < text.length) {
    const match = patterns
      .map(([kind, pattern]) => [kind, matchAt(pattern, text, at)] as const)
      .find(([, found]) => found);
    if (!match?.[1]) throw new Error(`cannot tokenize: ${text.slice(at, at + 20)}`);
    const [kind, found] = match;
    if (kind !== 'skip') visit(kind, at, at + found.length);
    at += found.length;
  }
}

function withoutTrailingCommas(tokens: readonly string[]): string[] {
  return tokens.filter(
    (token, i) => !(token === ',' && [')', ']', '}'].includes(tokens[i + 1] ?? '')),
  );
}
