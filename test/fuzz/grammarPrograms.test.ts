import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { assertCompilesSafely, seed } from './harness.js';
import { library, program, wellTypedProgram } from './programs.js';

/*
 * (b) Random programs that are syntactically valid by construction: the compiler never throws,
 * reports no syntax error, and every diagnostic it gives has a valid span and a known code.
 */

describe('the compiler on grammar-generated programs', () => {
  it('never throws and gives only valid diagnostics', () => {
    fc.assert(
      fc.property(program, (text) => {
        assertCompilesSafely(text, { 'lib.net': library });
      }),
      { seed, numRuns: 300 },
    );
  });

  it('reports no syntax error for a program the grammar generator wrote', () => {
    fc.assert(
      fc.property(program, (text) => {
        const { result } = assertCompilesSafely(text, { 'lib.net': library });
        const syntax = result.diagnostics.filter((d) => d.code.startsWith('NETC1'));
        expect(syntax.map((d) => `${d.code} ${d.message}`)).toEqual([]);
      }),
      { seed: seed + 1, numRuns: 150 },
    );
  });
});

describe('the compiler on generated well-typed programs', () => {
  it('compiles every one without errors, with its network and train section', () => {
    fc.assert(
      fc.property(wellTypedProgram, (text) => {
        const { result } = assertCompilesSafely(text);
        const errors = result.diagnostics.filter((d) => d.severity === 'error');
        expect(errors.map((d) => `${d.code} ${d.message}`)).toEqual([]);
        expect([...result.networks.keys()]).toEqual(['Net']);
        expect(result.trains).toHaveLength(1);
      }),
      { seed, numRuns: 200 },
    );
  });
});
