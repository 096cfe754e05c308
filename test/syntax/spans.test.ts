import { describe, expect, it } from 'vitest';
import type { Program } from '../../src/compiler/syntax/ast.js';
import { parse, spanText } from './helpers.js';

interface Node {
  readonly kind: string;
  readonly span: { start: number; end: number };
}

function isNode(value: unknown): value is Node {
  return typeof value === 'object' && value !== null && 'kind' in value && 'span' in value;
}

function children(node: Node): Node[] {
  return Object.entries(node)
    .filter(([key]) => key !== 'comments')
    .flatMap(([, value]) => (Array.isArray(value) ? value : [value]))
    .filter(isNode);
}

function allNodes(program: Program): Node[] {
  const out: Node[] = [];
  const pending: Node[] = [program];
  for (let node = pending.pop(); node; node = pending.pop()) {
    out.push(node);
    pending.push(...children(node));
  }
  return out;
}

/** `kind: source text` of every node, in a stable order. */
function nodeTexts(text: string): string[] {
  const { program, diagnostics } = parse(text);
  expect(diagnostics).toEqual([]);
  return allNodes(program)
    .filter((n) => n.kind !== 'Program')
    .sort((a, b) => a.span.start - b.span.start || b.span.end - a.span.end)
    .map((n) => `${n.kind}: ${spanText(text, n.span)}`);
}

describe('spans', () => {
  it('cover exactly the source of each node of an expression', () => {
    expect(nodeTexts('const c = -a * (b + 1) -> f(x, k=[1, 2])')).toEqual([
      'Const: const c = -a * (b + 1) -> f(x, k=[1, 2])',
      'Identifier: c',
      'Chain: -a * (b + 1) -> f(x, k=[1, 2])',
      'Binary: -a * (b + 1)',
      'Unary: -a',
      'Name: a',
      'Group: (b + 1)',
      'Binary: b + 1',
      'Name: b',
      'Number: 1',
      'Call: f(x, k=[1, 2])',
      'Identifier: f',
      'PositionalArg: x',
      'Name: x',
      'NamedArg: k=[1, 2]',
      'Identifier: k',
      'List: [1, 2]',
      'Number: 1',
      'Number: 2',
    ]);
  });

  it('cover named layers, ascriptions, ifs, tuples and bodies', () => {
    const text = 'block B {\n  c1: conv(3) : [3] -> if t then (1, 2) else concat { a }\n}';
    expect(nodeTexts(text)).toEqual([
      'Block: block B {\n  c1: conv(3) : [3] -> if t then (1, 2) else concat { a }\n}',
      'Identifier: B',
      'Body: {\n  c1: conv(3) : [3] -> if t then (1, 2) else concat { a }\n}',
      'Step: c1: conv(3) : [3] -> if t then (1, 2) else concat { a }',
      'Chain: c1: conv(3) : [3] -> if t then (1, 2) else concat { a }',
      'Ascribed: c1: conv(3) : [3]',
      'NamedLayer: c1: conv(3)',
      'Identifier: c1',
      'Call: conv(3)',
      'Identifier: conv',
      'PositionalArg: 3',
      'Number: 3',
      'List: [3]',
      'Number: 3',
      'If: if t then (1, 2) else concat { a }',
      'Name: t',
      'Tuple: (1, 2)',
      'Number: 1',
      'Number: 2',
      'Call: concat { a }',
      'Identifier: concat',
      'Body: { a }',
      'Step: a',
      'Name: a',
    ]);
  });

  it('cover definitions, parameters, inputs, outputs and statements', () => {
    const text =
      'import { A } from "a.net"\nblock B(p: int = 1) { let e = E(p); return e }\n' +
      'network N(x: [1]) -> (y: [2]) { h = x }';
    expect(nodeTexts(text)).toEqual([
      'Import: import { A } from "a.net"',
      'Identifier: A',
      'String: "a.net"',
      'Block: block B(p: int = 1) { let e = E(p); return e }',
      'Identifier: B',
      'BlockParam: p: int = 1',
      'Identifier: p',
      'TypeRef: int',
      'Number: 1',
      'Body: { let e = E(p); return e }',
      'Let: let e = E(p)',
      'Identifier: e',
      'Call: E(p)',
      'Identifier: E',
      'PositionalArg: p',
      'Name: p',
      'Return: return e',
      'Name: e',
      'Network: network N(x: [1]) -> (y: [2]) { h = x }',
      'Identifier: N',
      'NetworkInput: x: [1]',
      'Identifier: x',
      'List: [1]',
      'Number: 1',
      'NetworkOutput: y: [2]',
      'Identifier: y',
      'List: [2]',
      'Number: 2',
      'Body: { h = x }',
      'Bind: h = x',
      'Identifier: h',
      'Name: x',
    ]);
  });

  it('cover train entries', () => {
    const text = 'train T {\n  noise z: [1] ~ normal\n  phase p(steps=1) { update = D }\n}';
    expect(nodeTexts(text)).toEqual([
      'Train: train T {\n  noise z: [1] ~ normal\n  phase p(steps=1) { update = D }\n}',
      'Identifier: T',
      'Noise: noise z: [1] ~ normal',
      'Identifier: z',
      'List: [1]',
      'Number: 1',
      'Name: normal',
      'Phase: phase p(steps=1) { update = D }',
      'Identifier: p',
      'NamedArg: steps=1',
      'Identifier: steps',
      'Number: 1',
      'Setting: update = D',
      'Identifier: update',
      'Name: D',
    ]);
  });

  it('of the program cover the whole file', () => {
    const text = '// only a comment\n';
    expect(parse(text).program.span).toEqual({ file: 'test.net', start: 0, end: text.length });
  });

  it('lie inside their parents, even after error recovery', () => {
    const text = 'network N(x: [1]) {\n  f(1 2) -> (3 +)\n  g(,) -> [1,, 2]\n  if a then\n}\n';
    const { program } = parse(text);
    const pending: Node[] = [program];
    for (let node = pending.pop(); node; node = pending.pop()) {
      expect(node.span.start).toBeLessThanOrEqual(node.span.end);
      for (const child of children(node)) {
        expect(child.span.start).toBeGreaterThanOrEqual(node.span.start);
        expect(child.span.end).toBeLessThanOrEqual(node.span.end);
        pending.push(child);
      }
    }
  });
});
