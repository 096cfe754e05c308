import { describe, expect, it } from 'vitest';
import type { AnalysisResult } from '../../src/compiler/compile.js';
import type { Diagnostic } from '../../src/compiler/diagnostics/diagnostic.js';
import { diagnosticProblems } from './harness.js';

/* The checks the property tests rely on must themselves catch what they claim to. */

const text = 'network N(x: [4]) { dense(2) }';

function resultWith(diagnostic: Partial<Diagnostic>): AnalysisResult {
  const d: Diagnostic = {
    code: 'NETC2001',
    severity: 'error',
    message: 'unknown layer `x`',
    span: { file: 'main.net', start: 0, end: 7 },
    ...diagnostic,
  };
  return {
    networks: new Map(),
    allNetworks: new Map(),
    trains: [],
    diagnostics: [d],
    sources: new Map([['main.net', { path: 'main.net', text }]]),
  };
}

describe('diagnosticProblems', () => {
  it('accepts a diagnostic inside its file, up to the very end', () => {
    expect(diagnosticProblems(resultWith({}))).toEqual([]);
    const atEnd = { file: 'main.net', start: text.length, end: text.length };
    expect(diagnosticProblems(resultWith({ span: atEnd }))).toEqual([]);
  });

  it.each([
    [
      'a span past the end of the text',
      { span: { file: 'main.net', start: 3, end: text.length + 1 } },
    ],
    ['a span that ends before it starts', { span: { file: 'main.net', start: 5, end: 4 } }],
    ['a negative start', { span: { file: 'main.net', start: -1, end: 2 } }],
    ['a fractional offset', { span: { file: 'main.net', start: 0.5, end: 2 } }],
    ['a span in a file the compiler never read', { span: { file: 'other.net', start: 0, end: 0 } }],
    [
      'a label outside the text',
      { labels: [{ span: { file: 'main.net', start: 0, end: 999 }, message: 'here' }] },
    ],
    ['a call site in an unknown file', { callSites: [{ file: 'lib.net', start: 0, end: 1 }] }],
    ['a code missing from the catalogue', { code: 'NETC9999' as Diagnostic['code'] }],
    ['an empty message', { message: ' ' }],
  ] as const)('reports %s', (_name, change) => {
    expect(diagnosticProblems(resultWith(change))).toHaveLength(1);
  });
});
