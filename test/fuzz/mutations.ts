import fc from 'fast-check';

/*
 * Token-level mutations of a source file. Tokens are found by a small tokenizer of its own
 * (not the compiler's), so a lexer bug cannot hide itself from these tests.
 */

export interface Token {
  readonly text: string;
  readonly start: number;
  readonly end: number;
}

const tokenPattern =
  /\/\/[^\n]*|\/\*[\s\S]*?\*\/|"(?:\\.|[^"\\\n])*"?|\d+(?:\.\d*)?(?:[eE][+-]?\d+)?|[A-Za-z_]\w*|->|==|!=|<=|>=|\S/g;

/** Significant tokens: comments and whitespace are skipped (they are mutated only as text around tokens). */
export function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  for (const match of text.matchAll(tokenPattern)) {
    const word = match[0];
    if (word.startsWith('//') || word.startsWith('/*')) continue;
    tokens.push({ text: word, start: match.index, end: match.index + word.length });
  }
  return tokens;
}

/** Punctuation and words that are easy to mistype into a file. */
const insertions = [
  '(',
  ')',
  '[',
  ']',
  '{',
  '}',
  ',',
  ':',
  ';',
  '=',
  '->',
  '~',
  '.',
  '+',
  '-',
  '*',
  '/',
  '"',
  '/*',
  '\n',
  '0',
  '-1',
  '1e999',
  'if',
  'then',
  'else',
  'return',
  'let',
  'network',
  'x',
];

export type Mutation =
  | { readonly kind: 'delete'; readonly at: number }
  | { readonly kind: 'duplicate'; readonly at: number }
  | { readonly kind: 'swap'; readonly at: number; readonly with: number }
  | { readonly kind: 'replace'; readonly at: number; readonly by: number }
  | { readonly kind: 'insert'; readonly at: number; readonly text: string };

/** One random mutation; positions are fractions, scaled to the token count when applied. */
export const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.nat().map((at) => ({ kind: 'delete' as const, at })),
  fc.nat().map((at) => ({ kind: 'duplicate' as const, at })),
  fc
    .tuple(fc.nat(), fc.oneof(fc.constant(1), fc.nat()))
    .map(([at, w]) => ({ kind: 'swap' as const, at, with: w })),
  fc.tuple(fc.nat(), fc.nat()).map(([at, by]) => ({ kind: 'replace' as const, at, by })),
  fc
    .tuple(fc.nat(), fc.constantFrom(...insertions))
    .map(([at, text]) => ({ kind: 'insert' as const, at, text })),
);

/** Applies a mutation to `text`, whose tokens are `tokens`. */
export function applyMutation(text: string, tokens: readonly Token[], m: Mutation): string {
  if (tokens.length === 0) return text;
  const token = (n: number) => tokens[n % tokens.length]!;
  const t = token(m.at);
  switch (m.kind) {
    case 'delete':
      return text.slice(0, t.start) + text.slice(t.end);
    case 'duplicate':
      return text.slice(0, t.end) + ' ' + t.text + text.slice(t.end);
    case 'replace':
      return text.slice(0, t.start) + token(m.by).text + text.slice(t.end);
    case 'insert':
      return text.slice(0, t.start) + m.text + text.slice(t.start);
    case 'swap': {
      const other = token(m.at + Math.max(1, m.with));
      const [first, second] = t.start <= other.start ? [t, other] : [other, t];
      if (first === second) return text;
      return (
        text.slice(0, first.start) +
        second.text +
        text.slice(first.end, second.start) +
        first.text +
        text.slice(second.end)
      );
    }
  }
}

/** Applies mutations one after the other, re-tokenizing in between. */
export function mutate(text: string, mutations: readonly Mutation[]): string {
  return mutations.reduce((current, m) => applyMutation(current, tokenize(current), m), text);
}
