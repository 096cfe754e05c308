import { describe, expect, it } from 'vitest';
import {
  compileText,
  diagnosticsAt,
  networkOf,
  outputShapes,
  parameterCount,
} from '../helpers/compileText.js';

describe('expansion of bodies into graphs', () => {
  it('infers LeNet-5 shapes through chains', () => {
    const net = networkOf(
      compileText(`
        network LeNet5(x: [1, 28, 28]) -> [10] {
          conv2d(6, 5, pad=2) -> tanh -> avgpool(2)     // [6, 14, 14]
          conv2d(16, 5) -> tanh -> avgpool(2) : [16, 5, 5]
          flatten
          dense(120) -> tanh
          dense(84) -> tanh
          dense(10)
        }
      `),
      'LeNet5',
    );
    expect(outputShapes(net)).toEqual({ output: [10] });
    expect(parameterCount(net)).toBe(61_706);
  });

  it('builds multi-output networks with named values', () => {
    const net = networkOf(
      compileText(`
        network VAE(x: [784]) -> (recon: [784], mu: [20], logvar: [20]) {
          h      = x -> dense(400) -> relu
          mu     = h -> dense(20)
          logvar = h -> dense(20)
          z      = sample_normal(mu, logvar)
          recon  = z -> dense(400) -> relu -> dense(784) -> sigmoid
          return recon, mu, logvar
        }
      `),
      'VAE',
    );
    expect(outputShapes(net)).toEqual({ recon: [784], mu: [20], logvar: [20] });
  });

  it('selects if/then/else branches at compile time from block parameters', () => {
    const source = `
      block ResBlock(c: int, stride: int = 1) {
        residual(shortcut = if stride == 1 then identity
                            else conv2d(c, 1, stride=stride, bias=false) -> batchnorm) {
          conv2d(c, 3, stride=stride, pad=1, bias=false) -> batchnorm -> relu
          conv2d(c, 3, pad=same, bias=false) -> batchnorm
        }
        relu
      }
      network N(x: [8, 16, 16]) { ResBlock(8) -> ResBlock(16, stride=2) }
    `;
    const net = networkOf(compileText(source), 'N');
    expect(outputShapes(net)).toEqual({ output: [16, 8, 8] });
    const convs = net.nodes.filter((n) => n.op === 'conv2d').map((n) => n.name);
    expect(convs).toEqual([
      'ResBlock_0.conv2d_0',
      'ResBlock_0.conv2d_1',
      'ResBlock_1.conv2d_0',
      'ResBlock_1.conv2d_1',
      'ResBlock_1.conv2d_2',
    ]);
  });

  it('concatenates inception branches along channels', () => {
    const net = networkOf(
      compileText(`
        block Inception(c1: int, c3r: int, c3: int, c5r: int, c5: int, pp: int) {
          concat {
            conv2d(c1, 1) -> relu
            conv2d(c3r, 1) -> relu -> conv2d(c3, 3, pad=same) -> relu
            conv2d(c5r, 1) -> relu -> conv2d(c5, 5, pad=same) -> relu
            maxpool(3, stride=1, pad=same) -> conv2d(pp, 1) -> relu
          }
        }
        network N(x: [192, 28, 28]) -> [256, 28, 28] { Inception(64, 96, 128, 16, 32, 32) }
      `),
      'N',
    );
    expect(parameterCount(net)).toBe(163_696);
  });

  it('grows channels with DenseNet-style concatenation of the input and a new branch', () => {
    const net = networkOf(
      compileText(`
        block DenseLayer(growth: int) {
          concat {
            identity
            batchnorm -> relu -> conv2d(growth, 3, pad=same, bias=false)
          }
        }
        network N(x: [16, 8, 8]) -> [64, 8, 8] { repeat(4) { DenseLayer(12) } }
      `),
      'N',
    );
    expect(net.nodes.filter((n) => n.op === 'concat').map((n) => n.shape[0])).toEqual([
      28, 40, 52, 64,
    ]);
  });

  it('unrolls repeat with its index bound', () => {
    const net = networkOf(
      compileText(`network N(x: [3]) { repeat(3, i) { dense(2 * (i + 1)) } }`),
      'N',
    );
    expect(outputShapes(net)).toEqual({ output: [6] });
  });

  it('evaluates constants, defaults and named arguments', () => {
    const net = networkOf(
      compileText(`
        const hidden = 2 * 16
        const classes = 10
        block Head(units: int, act: layer = relu) { dense(units) -> act }
        network N(x: [4]) -> [classes] { Head(hidden) -> Head(act = tanh, units = classes) }
      `),
      'N',
    );
    expect(net.nodes.slice(1).map((n) => n.op)).toEqual(['dense', 'relu', 'dense', 'tanh']);
  });

  it('accepts a layer-valued argument that is a group', () => {
    const net = networkOf(
      compileText(`
        block Wrap(inner: layer) { inner -> relu }
        network N(x: [4]) { Wrap((dense(3) -> dense(2))) }
      `),
      'N',
    );
    expect(outputShapes(net)).toEqual({ output: [2] });
  });

  it('inlines networks applied to values', () => {
    const net = networkOf(
      compileText(`
        network Pair(a: [4], b: [4]) -> [4] { add(a, b) }
        network N(x: [4], y: [4]) -> [4] { Pair(x, y) -> relu }
      `),
      'N',
    );
    expect(outputShapes(net)).toEqual({ output: [4] });
  });

  it('imports blocks and constants from other files', () => {
    const result = compileText(
      `import "./blocks.net"
       import { Width } from "./more.net"
       network N(x: [4]) -> [8] { Twice(Width) }`,
      {
        'blocks.net': `block Twice(d: int) { dense(d) -> dense(d) }`,
        'more.net': `const Width = 8\nconst Other = 1`,
      },
    );
    expect(diagnosticsAt(result)).toEqual([]);
    expect(outputShapes(networkOf(result, 'N'))).toEqual({ output: [8] });
  });

  it('counts continuing from the last binding as a use of it', () => {
    const result = compileText(`network N(x: [4]) -> [2] { h = x -> dense(3)\n relu -> dense(2) }`);
    expect(diagnosticsAt(result)).toEqual([]);
  });

  it('warns about values that are never used', () => {
    const result = compileText(`network N(x: [4]) { h = x -> dense(3)\n x -> dense(2) }`);
    expect(diagnosticsAt(result)).toEqual(['NETC2026@1:21']);
    expect(result.diagnostics[0]!.severity).toBe('warning');
    expect(result.networks.has('N')).toBe(true);
  });
});
