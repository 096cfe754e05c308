import { describe, expect, it } from 'vitest';
import { renderSummaryText, summarizeNetwork, summaryJson } from '../../src/compiler/summary.js';
import { batchedShape } from '../../src/compiler/summary/table.js';
import { formatBytes, formatShortCount, withThousands } from '../../src/compiler/summary/units.js';
import { chainNetwork } from './build.js';

const conv = chainNetwork({
  name: 'Tiny',
  doc: 'A tiny CNN.\nTwo lines of doc.',
  input: [1, 28, 28],
  params: [
    { name: 'c1.weight', role: 'weight', shape: [6, 1, 5, 5] },
    { name: 'c1.bias', role: 'bias', shape: [6] },
    { name: 'bn.weight', role: 'weight', shape: [6] },
    { name: 'bn.bias', role: 'bias', shape: [6] },
    { name: 'bn.running_mean', role: 'running_mean', shape: [6] },
    { name: 'bn.running_var', role: 'running_var', shape: [6] },
    { name: 'dense_0.weight', role: 'weight', shape: [1000, 4704] },
    { name: 'dense_0.bias', role: 'bias', shape: [1000] },
  ],
  nodes: [
    {
      op: 'conv2d',
      name: 'c1',
      shape: [6, 28, 28],
      params: { weight: 'c1.weight', bias: 'c1.bias' },
      macs: 117_600,
    },
    {
      op: 'batchnorm',
      name: 'bn',
      shape: [6, 28, 28],
      params: {
        weight: 'bn.weight',
        bias: 'bn.bias',
        running_mean: 'bn.running_mean',
        running_var: 'bn.running_var',
      },
      macs: 4_704,
    },
    { op: 'flatten', name: 'flatten_0', shape: [4704] },
    {
      op: 'dense',
      name: 'dense_0',
      shape: [1000],
      params: { weight: 'dense_0.weight', bias: 'dense_0.bias' },
      macs: 4_704_000,
    },
  ],
});

describe('renderSummaryText', () => {
  it('prints a heading with the doc comment, a table with batched shapes, and totals', () => {
    expect(renderSummaryText(summarizeNetwork(conv))).toBe(
      [
        'Network Tiny',
        '  A tiny CNN.',
        '  Two lines of doc.',
        'Inputs:  x [N, 1, 28, 28]',
        'Outputs: output [N, 1000]',
        '',
        'Layer      Op         Output shape       Params  Mult-adds',
        '----------------------------------------------------------',
        'c1         conv2d     [N, 6, 28, 28]        156    117,600',
        'bn         batchnorm  [N, 6, 28, 28]         12      4,704',
        'flatten_0  flatten    [N, 4704]               0          0',
        'dense_0    dense      [N, 1000]       4,705,000  4,704,000',
        '==========================================================',
        'Total params:         4,705,168 (17.9 MiB)',
        'Trainable params:     4,705,168',
        'Non-trainable params: 0',
        'Buffers:              12 (48 B, not parameters)',
        'Mult-adds:            4,826,304 per sample (4.83 M)',
        '',
      ].join('\n'),
    );
  });

  it('leaves out the doc and buffer lines when there are none', () => {
    const plain = chainNetwork({ input: [4], nodes: [{ op: 'relu', name: 'relu_0', shape: [4] }] });
    const text = renderSummaryText(summarizeNetwork(plain));
    expect(text).not.toContain('Buffers');
    expect(text.split('\n').slice(0, 3)).toEqual([
      'Network Net',
      'Inputs:  x [N, 4]',
      'Outputs: output [N, 4]',
    ]);
    expect(text).toContain('Total params:         0 (0 B)\n');
    expect(text).toContain('Mult-adds:            0 per sample\n');
  });
});

describe('summaryJson', () => {
  it('prints exactly the documented keys with unbatched shapes', () => {
    const parsed = JSON.parse(summaryJson([summarizeNetwork(conv)]));
    expect(Object.keys(parsed)).toEqual(['networks']);
    const [network] = parsed.networks;
    expect(Object.keys(network)).toEqual(['name', 'inputs', 'outputs', 'params', 'macs', 'layers']);
    expect(network).toMatchObject({
      name: 'Tiny',
      inputs: { x: [1, 28, 28] },
      outputs: { output: [1000] },
      params: 4_705_168,
      macs: 4_826_304,
    });
    expect(network.layers[0]).toEqual({
      name: 'c1',
      op: 'conv2d',
      output: [6, 28, 28],
      params: 156,
      macs: 117_600,
    });
    for (const layer of network.layers)
      expect(Object.keys(layer)).toEqual(['name', 'op', 'output', 'params', 'macs']);
  });

  it('writes each shape on one line', () => {
    const text = summaryJson([summarizeNetwork(conv)]);
    expect(text).toContain('"output": [6, 28, 28],');
    expect(text).toContain('"x": [1, 28, 28]');
  });

  it('prints an empty list for no networks', () => {
    expect(JSON.parse(summaryJson([]))).toEqual({ networks: [] });
  });
});

describe('number formatting', () => {
  it.each([
    [0, '0'],
    [999, '999'],
    [1000, '1,000'],
    [138_357_544, '138,357,544'],
    [-1234, '-1,234'],
    [Number.MAX_SAFE_INTEGER, '9,007,199,254,740,991'],
  ])('writes %d as %s', (value, text) => {
    expect(withThousands(value)).toBe(text);
  });

  it.each([
    [0, '0 B'],
    [1023, '1023 B'],
    [1024, '1.0 KiB'],
    [246_824, '241.0 KiB'],
    [553_430_176, '527.8 MiB'],
    [5 * 1024 ** 3, '5.0 GiB'],
  ])('writes %d bytes as %s', (bytes, text) => {
    expect(formatBytes(bytes)).toBe(text);
  });

  it.each([
    [999, '999'],
    [1_000, '1.00 K'],
    [4_826_304, '4.83 M'],
    [15_470_264_320, '15.47 G'],
  ])('shortens %d to %s', (value, text) => {
    expect(formatShortCount(value)).toBe(text);
  });

  it('writes shapes with the symbolic batch dimension first', () => {
    expect(batchedShape([6, 28, 28])).toBe('[N, 6, 28, 28]');
    expect(batchedShape([])).toBe('[N]');
  });
});
