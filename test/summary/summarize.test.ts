import { describe, expect, it } from 'vitest';
import { summarizeNetwork } from '../../src/compiler/summary.js';
import { chainNetwork } from './build.js';

/** 784 → dense(30) → sigmoid → dense(10): the seeds' MLP. */
const mlp = chainNetwork({
  name: 'MLP',
  doc: 'The seeds’ MLP.',
  input: [784],
  params: [
    { name: 'dense_0.weight', role: 'weight', shape: [30, 784] },
    { name: 'dense_0.bias', role: 'bias', shape: [30] },
    { name: 'dense_1.weight', role: 'weight', shape: [10, 30] },
    { name: 'dense_1.bias', role: 'bias', shape: [10] },
  ],
  nodes: [
    {
      op: 'dense',
      name: 'dense_0',
      shape: [30],
      params: { weight: 'dense_0.weight', bias: 'dense_0.bias' },
      macs: 23_520,
    },
    { op: 'sigmoid', name: 'sigmoid_0', shape: [30] },
    {
      op: 'dense',
      name: 'dense_1',
      shape: [10],
      params: { weight: 'dense_1.weight', bias: 'dense_1.bias' },
      macs: 300,
    },
  ],
});

describe('summarizeNetwork', () => {
  it('has one row per op, in graph order, with its output shape, parameters and multiply-adds', () => {
    expect(summarizeNetwork(mlp).layers).toEqual([
      { name: 'dense_0', op: 'dense', output: [30], params: 23_550, macs: 23_520 },
      { name: 'sigmoid_0', op: 'sigmoid', output: [30], params: 0, macs: 0 },
      { name: 'dense_1', op: 'dense', output: [10], params: 310, macs: 300 },
    ]);
  });

  it('totals parameters, their float32 bytes and multiply-adds, and names inputs and outputs', () => {
    const summary = summarizeNetwork(mlp);
    expect(summary).toMatchObject({
      name: 'MLP',
      doc: 'The seeds’ MLP.',
      inputs: { x: [784] },
      outputs: { output: [10] },
      params: 23_860,
      trainableParams: 23_860,
      nonTrainableParams: 0,
      buffers: 0,
      paramBytes: 95_440,
      macs: 23_820,
    });
  });

  it('counts a parameter shared by two layers once, on its first use, but its multiply-adds twice', () => {
    const siamese = chainNetwork({
      input: [8],
      params: [
        { name: 'enc.weight', role: 'weight', shape: [8, 8] },
        { name: 'enc.bias', role: 'bias', shape: [8] },
      ],
      nodes: [
        {
          op: 'dense',
          name: 'enc',
          shape: [8],
          params: { weight: 'enc.weight', bias: 'enc.bias' },
          macs: 64,
        },
        {
          op: 'dense',
          name: 'enc',
          shape: [8],
          params: { weight: 'enc.weight', bias: 'enc.bias' },
          macs: 64,
        },
      ],
    });
    const summary = summarizeNetwork(siamese);
    expect(summary.layers.map((l) => l.params)).toEqual([72, 0]);
    expect(summary.params).toBe(72);
    expect(summary.macs).toBe(128);
  });

  it('leaves batch norm running statistics out of the parameters and reports them as buffers', () => {
    const bn = chainNetwork({
      input: [16, 4, 4],
      params: [
        { name: 'batchnorm_0.weight', role: 'weight', shape: [16] },
        { name: 'batchnorm_0.bias', role: 'bias', shape: [16] },
        { name: 'batchnorm_0.running_mean', role: 'running_mean', shape: [16] },
        { name: 'batchnorm_0.running_var', role: 'running_var', shape: [16] },
      ],
      nodes: [
        {
          op: 'batchnorm',
          name: 'batchnorm_0',
          shape: [16, 4, 4],
          params: {
            weight: 'batchnorm_0.weight',
            bias: 'batchnorm_0.bias',
            running_mean: 'batchnorm_0.running_mean',
            running_var: 'batchnorm_0.running_var',
          },
          macs: 256,
        },
      ],
    });
    const summary = summarizeNetwork(bn);
    expect(summary.layers[0]!.params).toBe(32);
    expect(summary).toMatchObject({
      params: 32,
      trainableParams: 32,
      nonTrainableParams: 0,
      buffers: 32,
      paramBytes: 128,
    });
  });

  it('counts a parameter that is not trained as a non-trainable parameter, not a buffer', () => {
    const frozen = chainNetwork({
      input: [4],
      params: [
        { name: 'dense_0.weight', role: 'weight', shape: [2, 4], trainable: false },
        { name: 'dense_0.bias', role: 'bias', shape: [2] },
      ],
      nodes: [
        {
          op: 'dense',
          name: 'dense_0',
          shape: [2],
          params: { weight: 'dense_0.weight', bias: 'dense_0.bias' },
          macs: 8,
        },
      ],
    });
    expect(summarizeNetwork(frozen)).toMatchObject({
      params: 10,
      trainableParams: 2,
      nonTrainableParams: 8,
      buffers: 0,
    });
    expect(summarizeNetwork(frozen).layers[0]!.params).toBe(10);
  });

  it('gives a network without parameters zero everywhere and no doc when it has none', () => {
    const plain = chainNetwork({
      input: [3, 8, 8],
      nodes: [{ op: 'flatten', name: 'flatten_0', shape: [192] }],
    });
    const summary = summarizeNetwork(plain);
    expect(summary).not.toHaveProperty('doc');
    expect(summary).toMatchObject({ params: 0, macs: 0, paramBytes: 0, buffers: 0 });
    expect(summary.layers).toHaveLength(1);
  });
});
