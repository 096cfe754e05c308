import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import textmate from 'vscode-textmate';
import oniguruma from 'vscode-oniguruma';

/*
 * Tokenizes `.net` source with the shipped TextMate grammar, through the same engine
 * VS Code uses (vscode-textmate on the Oniguruma wasm build).
 */

export interface Token {
  readonly text: string;
  /** Outermost first: `source.netc`, then any `meta.*` scopes, then the token's own scope. */
  readonly scopes: readonly string[];
  readonly line: number;
}

const grammarUrl = new URL('../../grammar/netc.tmLanguage.json', import.meta.url);
const require = createRequire(import.meta.url);

let grammarPromise: Promise<textmate.IGrammar> | undefined;

async function loadGrammar(): Promise<textmate.IGrammar> {
  const wasm = await readFile(require.resolve('vscode-oniguruma/release/onig.wasm'));
  await oniguruma.loadWASM(wasm);
  const registry = new textmate.Registry({
    onigLib: Promise.resolve({
      createOnigScanner: (patterns) => new oniguruma.OnigScanner(patterns),
      createOnigString: (text) => new oniguruma.OnigString(text),
    }),
    loadGrammar: async (scopeName) =>
      scopeName === 'source.netc'
        ? textmate.parseRawGrammar(await readFile(grammarUrl, 'utf8'), grammarUrl.pathname)
        : null,
  });
  const grammar = await registry.loadGrammar('source.netc');
  if (grammar === null) throw new Error('the grammar `source.netc` did not load');
  return grammar;
}

/** The grammar is loaded once per test file; Oniguruma's wasm may only be loaded once. */
export function netcGrammar(): Promise<textmate.IGrammar> {
  grammarPromise ??= loadGrammar();
  return grammarPromise;
}

export interface Tokenized {
  readonly tokens: readonly Token[];
  /** How many begin/end rules (bodies, parentheses, comments...) are still open after the last line. */
  readonly openRules: number;
}

/** Every non-blank token of `source`, in order, carrying the state across lines. */
export async function tokenizeSource(source: string): Promise<Tokenized> {
  const grammar = await netcGrammar();
  const tokens: Token[] = [];
  let state = textmate.INITIAL;
  source.split('\n').forEach((lineText, line) => {
    const result = grammar.tokenizeLine(lineText, state);
    for (const token of result.tokens) {
      const text = lineText.slice(token.startIndex, token.endIndex);
      if (text.trim() !== '') tokens.push({ text, scopes: token.scopes, line });
    }
    state = result.ruleStack;
  });
  return { tokens, openRules: state.depth - textmate.INITIAL.depth };
}

export async function tokenize(source: string): Promise<readonly Token[]> {
  return (await tokenizeSource(source)).tokens;
}

/** The innermost (most specific) scope of a token. */
export function innermostScope(token: Token): string {
  return token.scopes[token.scopes.length - 1] ?? '';
}

/**
 * Pairs each expected `[text, scope]` with the next token of that text after the previously
 * matched one, so repeated texts are matched in source order. Returns `[text, actual scope]`
 * pairs in the same shape, ready for `toEqual`; a missing token reports `<no such token>`.
 */
export function scopesInOrder(
  tokens: readonly Token[],
  expected: readonly (readonly [string, string])[],
): (readonly [string, string])[] {
  let from = 0;
  return expected.map(([text]) => {
    const index = tokens.findIndex((token, i) => i >= from && token.text === text);
    if (index < 0) return [text, '<no such token>'] as const;
    from = index + 1;
    return [text, innermostScope(tokens[index] as Token)] as const;
  });
}
