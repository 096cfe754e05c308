import { describe, expect, it } from 'vitest';
import { diagnosticCodes } from '../../src/compiler/diagnostics/codes.js';
import { shapeCodes } from '../../src/compiler/diagnostics/codes/shapes.js';
import type { OpKind } from '../../src/compiler/ir/ops.js';
import { opTable } from '../../src/compiler/shapes/opTable.js';
import { bind } from './harness.js';

const ops = Object.keys(opTable) as OpKind[];

/** The signatures of LANGUAGE §5: argument names in order, required ones marked with `!`. */
const signatures: Record<OpKind, string> = {
  dense: 'units!, bias, init',
  conv2d: 'filters!, k!, stride, pad, dilation, groups, bias, pad_mode, init',
  conv_transpose2d: 'filters!, k!, stride, pad, output_pad, dilation, bias, init',
  maxpool: 'k!, stride, pad, antialias',
  avgpool: 'k!, stride, pad, antialias',
  global_avgpool: '',
  global_maxpool: '',
  flatten: '',
  reshape: 'shape!',
  upsample: 'scale, mode',
  relu: '',
  sigmoid: '',
  tanh: '',
  softplus: '',
  gelu: '',
  elu: 'alpha',
  leaky_relu: 'alpha',
  step: 'threshold',
  identity: '',
  softmax: 'axis',
  log_softmax: 'axis',
  dropout: 'p!',
  gaussian_noise: 'std!',
  batchnorm: 'momentum, eps',
  layernorm: 'eps',
  add: '',
  concat: 'axis',
  mul: '',
  sample_normal: '',
};

/** Values for the required arguments, so that every default can be exercised. */
const required: Record<string, unknown> = {
  units: 4,
  filters: 4,
  k: [1, 1],
  shape: [-1],
  p: 0.5,
  std: 0.1,
};

describe('the op table', () => {
  it('has a rule for exactly the v1 catalogue, each under its own kind', () => {
    expect(ops.sort()).toEqual((Object.keys(signatures) as OpKind[]).sort());
    for (const op of ops) expect(opTable[op].kind).toBe(op);
  });

  it.each(ops)('declares the arguments of `%s` with the names and order of the language', (op) => {
    const written = opTable[op].args
      .map((a) => `${a.name}${a.default === undefined ? '!' : ''}`)
      .join(', ');
    expect(written).toBe(signatures[op]);
  });

  it.each(ops)('documents `%s` and each of its arguments', (op) => {
    expect(opTable[op].doc.length).toBeGreaterThan(5);
    for (const arg of opTable[op].args) expect(arg.doc.length).toBeGreaterThan(5);
  });

  it.each(ops)('accepts the declared defaults of `%s`', (op) => {
    const raw = Object.fromEntries(
      opTable[op].args
        .filter((a) => a.default === undefined)
        .map((a) => [a.name, required[a.name]]),
    );
    expect(opTable[op].attrs(bind(op, raw as never)).ok).toBe(true);
  });

  it('gives add and concat two or more inputs, mul and sample_normal two, the rest one', () => {
    const arity = Object.fromEntries(ops.map((op) => [op, opTable[op].arity]));
    expect(ops.filter((op) => arity[op] === 'many').sort()).toEqual(['add', 'concat']);
    expect(ops.filter((op) => arity[op] === 'pair').sort()).toEqual(['mul', 'sample_normal']);
    expect(ops.filter((op) => arity[op] === 1)).toHaveLength(ops.length - 4);
  });

  it('initializes conv weights with `he` and dense weights with `glorot`', () => {
    const initOf = (op: OpKind) => opTable[op].args.find((a) => a.name === 'init')?.default;
    expect(initOf('conv2d')).toEqual({ kind: 'he' });
    expect(initOf('conv_transpose2d')).toEqual({ kind: 'he' });
    expect(initOf('dense')).toEqual({ kind: 'glorot' });
  });
});

describe('the shape diagnostic codes', () => {
  it('have short lowercase titles and are part of the catalogue', () => {
    for (const [code, info] of Object.entries(shapeCodes)) {
      expect(code).toMatch(/^NETC3\d{3}$/);
      expect(info.title).toMatch(/^[a-z][a-z0-9 `-]*$/);
      expect(diagnosticCodes).toHaveProperty(code);
    }
  });

  it('reserve NETC3050–3053 for problems the resolver finds', () => {
    expect(shapeCodes.NETC3050.title).toBe('shape ascription mismatch');
    expect(shapeCodes.NETC3051.title).toBe('declared output shape mismatch');
    expect(shapeCodes.NETC3052.title).toBe('wrong number of outputs');
    expect(shapeCodes.NETC3053.title).toBe('wrong number of inputs to op');
  });
});
