import { describe, expect, it } from 'vitest';
import { parser } from '../../src/compiler/syntax/parser.js';
import { parseSource } from '../../src/compiler/syntax/parse.js';

describe('the parser instance', () => {
  it('serializes its grammar for railroad diagrams', () => {
    const rules = parser.getSerializedGastProductions();
    const names = rules.map((rule) => ('name' in rule ? rule.name : ''));
    expect(names).toEqual(
      expect.arrayContaining([
        'definition',
        'importDefinition',
        'constDefinition',
        'blockDefinition',
        'networkDefinition',
        'trainDefinition',
        'body',
        'statement',
        'expression',
        'step',
        'ifExpression',
        'operation',
        'operand',
        'call',
        'arguments',
        'list',
        'noiseDeclaration',
        'phaseDeclaration',
      ]),
    );
    expect(JSON.stringify(rules)).toContain('"label":"->"');
  });

  it('is reused: parsing one file leaves nothing behind for the next', () => {
    const broken = parseSource({ path: 'a.net', text: 'const a = f(1 2' });
    const fine = parseSource({ path: 'b.net', text: 'const b = f(1, 2)' });
    expect(broken.diagnostics.length).toBeGreaterThan(0);
    expect(fine.diagnostics).toEqual([]);
    expect(parser.errors).toEqual([]);
  });

  it('reports spans in the file it parses', () => {
    const { diagnostics } = parseSource({ path: 'dir/c.net', text: 'const c = @' });
    expect(diagnostics[0]?.span.file).toBe('dir/c.net');
  });
});
