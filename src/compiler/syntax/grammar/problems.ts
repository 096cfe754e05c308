import type { IParserErrorMessageProvider, TokenType } from 'chevrotain';

/*
 * Chevrotain reports a parse error as an exception whose `message` comes from an error
 * message provider. Ours writes no prose: it records what went wrong as JSON, and
 * parseDiagnostics.ts turns that into a diagnostic with the file's tokens at hand.
 */

export type ParseProblem =
  /** CONSUME found another token than the one the grammar requires. */
  | { readonly kind: 'mismatch'; readonly rule: string; readonly expected: readonly string[] }
  /** No alternative of an OR fits. */
  | {
      readonly kind: 'noViableAlternative';
      readonly rule: string;
      readonly expected: readonly string[];
    }
  /** AT_LEAST_ONE found no first iteration (here: a statement without a separator). */
  | { readonly kind: 'earlyExit'; readonly rule: string; readonly expected: readonly string[] }
  /** The definition ended but tokens remain. */
  | { readonly kind: 'redundant'; readonly rule: string; readonly expected: readonly string[] };

/** The names of the token types each path may start with, without duplicates. */
function firstTokenNames(paths: readonly (readonly TokenType[])[]): string[] {
  const names = new Set<string>();
  for (const path of paths) {
    const first = path[0];
    if (first) names.add(first.name);
  }
  return [...names];
}

export const problemRecorder: IParserErrorMessageProvider = {
  buildMismatchTokenMessage: ({ expected, ruleName }) =>
    JSON.stringify({ kind: 'mismatch', rule: ruleName, expected: [expected.name] }),
  buildNotAllInputParsedMessage: ({ ruleName }) =>
    JSON.stringify({ kind: 'redundant', rule: ruleName, expected: [] }),
  buildNoViableAltMessage: ({ expectedPathsPerAlt, ruleName }) =>
    JSON.stringify({
      kind: 'noViableAlternative',
      rule: ruleName,
      expected: firstTokenNames(expectedPathsPerAlt.flat()),
    }),
  buildEarlyExitMessage: ({ expectedIterationPaths, ruleName }) =>
    JSON.stringify({
      kind: 'earlyExit',
      rule: ruleName,
      expected: firstTokenNames(expectedIterationPaths),
    }),
};

/** Reads back what `problemRecorder` wrote; anything else is a generic unexpected token. */
export function readProblem(message: string): ParseProblem {
  try {
    const problem = JSON.parse(message) as ParseProblem;
    if (typeof problem === 'object' && problem !== null && 'kind' in problem) return problem;
  } catch {
    // fall through
  }
  return { kind: 'mismatch', rule: '', expected: [] };
}
