import { describe, expect, it } from 'vitest';
import type { IRNetwork, IRNode } from '../../src/compiler/ir/ir.js';
import { printNetwork } from '../../src/compiler/ir/print.js';
import { verifyNetwork } from '../../src/compiler/ir/verify.js';
import { compileText, networkOf } from '../helpers/compileText.js';

const xor = `
network XOR(x: [2]) -> [1] {
  hidden: dense(3) -> sigmoid
  dense(1) -> sigmoid
}
`;

describe('the IR text form', () => {
  it('prints parameters, nodes and outputs in a stable order', () => {
    expect(printNetwork(networkOf(compileText(xor), 'XOR'))).toBe(
      [
        'network XOR',
        '  param hidden.weight [N,3,2] init=glorot regularized',
        '  param hidden.bias [N,3] init=zeros',
        '  param dense_0.weight [N,1,3] init=glorot regularized',
        '  param dense_0.bias [N,1] init=zeros',
        '  %0: [N,2] = input x',
        '  %1: [N,3] = dense(%0) name=hidden units=3 bias=true init=glorot weight=hidden.weight bias=hidden.bias macs=6',
        '  %2: [N,3] = sigmoid(%1) name=sigmoid_0',
        '  %3: [N,1] = dense(%2) name=dense_0 units=1 bias=true init=glorot weight=dense_0.weight bias=dense_0.bias macs=3',
        '  %4: [N,1] = sigmoid(%3) name=sigmoid_1',
        '  return output=%4',
        '',
      ].join('\n'),
    );
  });

  it('prints the same text for the same source', () => {
    expect(printNetwork(networkOf(compileText(xor), 'XOR'))).toBe(
      printNetwork(networkOf(compileText(xor), 'XOR')),
    );
  });

  it('marks buffers and resolved attributes', () => {
    const text = printNetwork(
      networkOf(
        compileText(`network N(x: [3, 8, 8]) { conv2d(4, 3, pad=same, bias=false) -> batchnorm }`),
        'N',
      ),
    );
    expect(text).toContain('buffer batchnorm_0.running_var [N,4] init=ones');
    expect(text).toContain('pad=(1,1)');
  });
});

describe('the IR verifier', () => {
  const good = networkOf(compileText(xor), 'XOR');

  it('accepts every network the compiler builds', () => {
    expect(verifyNetwork(good)).toEqual([]);
  });

  const corruptions: [string, (n: IRNetwork) => IRNetwork, string][] = [
    [
      'a node reading a later node',
      (n) => ({
        ...n,
        nodes: n.nodes.map((node, i) =>
          i === 1 ? ({ ...node, inputs: [3] } as unknown as IRNode) : node,
        ),
      }),
      'not an earlier node',
    ],
    [
      'ids out of order',
      (n) => ({ ...n, nodes: [n.nodes[1]!, n.nodes[0]!, ...n.nodes.slice(2)] }),
      'has id',
    ],
    [
      'a zero dimension',
      (n) => ({
        ...n,
        nodes: n.nodes.map((node, i) => (i === 2 ? { ...node, shape: [0] } : node)),
      }),
      'invalid shape',
    ],
    [
      'a duplicate parameter name',
      (n) => ({
        ...n,
        params: n.params.map((p, i) => (i === 1 ? { ...p, name: n.params[0]!.name } : p)),
      }),
      'used twice',
    ],
    ['a missing parameter', (n) => ({ ...n, params: n.params.slice(0, 2) }), 'missing parameter'],
    [
      'an output pointing nowhere',
      (n) => ({ ...n, outputs: [{ name: 'output', value: 99 }] }),
      'missing node',
    ],
  ];

  it.each(corruptions)('rejects %s', (_, corrupt, problem) => {
    expect(verifyNetwork(corrupt(good)).join('\n')).toContain(problem);
  });
});
