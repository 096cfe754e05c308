import { describe, expect, it } from 'vitest';
import { compileText, networkOf, paramNames } from '../helpers/compileText.js';

const convBN = `
block ConvBN(out: int, stride: int = 1) {
  conv2d(out, 3, stride=stride, pad=same, bias=false)
  batchnorm
  relu
}
`;

describe('stable layer names (LANGUAGE §3)', () => {
  it('counts unnamed layers per op kind', () => {
    const net = networkOf(
      compileText(`network N(x: [4]) { dense(3) -> relu -> dense(2) -> relu }`),
      'N',
    );
    expect(paramNames(net)).toEqual([
      'dense_0.weight',
      'dense_0.bias',
      'dense_1.weight',
      'dense_1.bias',
    ]);
    expect(net.nodes.slice(1).map((n) => n.name)).toEqual([
      'dense_0',
      'relu_0',
      'dense_1',
      'relu_1',
    ]);
  });

  it('uses the given name for a named layer', () => {
    const net = networkOf(compileText(`network N(x: [1, 8, 8]) { c1: conv2d(2, 3) -> relu }`), 'N');
    expect(paramNames(net)).toEqual(['c1.weight', 'c1.bias']);
  });

  it('nests block instance parameters under the instance name', () => {
    const net = networkOf(
      compileText(`${convBN}\nnetwork N(x: [3, 8, 8]) { ConvBN(4) -> ConvBN(8) }`),
      'N',
    );
    expect(paramNames(net)).toEqual([
      'ConvBN_0.conv2d_0.weight',
      'ConvBN_0.batchnorm_0.weight',
      'ConvBN_0.batchnorm_0.bias',
      'ConvBN_0.batchnorm_0.running_mean',
      'ConvBN_0.batchnorm_0.running_var',
      'ConvBN_1.conv2d_0.weight',
      'ConvBN_1.batchnorm_0.weight',
      'ConvBN_1.batchnorm_0.bias',
      'ConvBN_1.batchnorm_0.running_mean',
      'ConvBN_1.batchnorm_0.running_var',
    ]);
  });

  it('names a block instance with its layer name', () => {
    const net = networkOf(
      compileText(`${convBN}\nnetwork N(x: [3, 8, 8]) { stem: ConvBN(4) }`),
      'N',
    );
    expect(paramNames(net)[0]).toBe('stem.conv2d_0.weight');
  });

  it('opens no naming scope for residual, concat and groups', () => {
    const net = networkOf(
      compileText(`network N(x: [4, 8, 8]) {
        residual { r1: conv2d(4, 3, pad=same) }
        concat { conv2d(2, 1); (conv2d(2, 1) -> relu) }
      }`),
      'N',
    );
    expect(paramNames(net).filter((n) => n.endsWith('weight'))).toEqual([
      'r1.weight',
      'conv2d_0.weight',
      'conv2d_1.weight',
    ]);
  });

  it('appends the iteration index to names inside repeat', () => {
    const net = networkOf(
      compileText(`network N(x: [4]) { repeat(3) { c: dense(4) -> relu } }`),
      'N',
    );
    expect(paramNames(net).filter((n) => n.endsWith('weight'))).toEqual([
      'c_0.weight',
      'c_1.weight',
      'c_2.weight',
    ]);
  });

  it('counts unnamed layers across repeat iterations', () => {
    const net = networkOf(compileText(`network N(x: [4]) { repeat(2) { dense(4) } }`), 'N');
    expect(paramNames(net).filter((n) => n.endsWith('weight'))).toEqual([
      'dense_0.weight',
      'dense_1.weight',
    ]);
  });

  it('nests names of a network used as a layer under its layer name', () => {
    const net = networkOf(
      compileText(`
        network Features(x: [1, 8, 8]) -> [2, 6, 6] { conv2d(2, 3) -> relu }
        network Classifier(x: [1, 8, 8]) -> [10] { features: Features -> flatten -> dense(10) }
      `),
      'Classifier',
    );
    expect(paramNames(net)).toEqual([
      'features.conv2d_0.weight',
      'features.conv2d_0.bias',
      'dense_0.weight',
      'dense_0.bias',
    ]);
  });

  it('gives the same names for the same source every time', () => {
    const source = `${convBN}\nnetwork N(x: [3, 8, 8]) { repeat(2, i) { ConvBN(4 * (i + 1)) } -> global_avgpool -> dense(2) }`;
    expect(paramNames(networkOf(compileText(source), 'N'))).toEqual(
      paramNames(networkOf(compileText(source), 'N')),
    );
  });
});

describe('shared weights', () => {
  it('shares the parameters of a let instance between its uses', () => {
    const result = compileText(`
      block Encoder(d: int) { flatten -> dense(d) -> relu }
      network Siamese(a: [1, 4, 4], b: [1, 4, 4]) -> (ea: [8], eb: [8]) {
        let enc = Encoder(8)
        ea = a -> enc
        eb = b -> enc
        return ea, eb
      }
    `);
    const net = networkOf(result, 'Siamese');
    expect(paramNames(net)).toEqual(['enc.dense_0.weight', 'enc.dense_0.bias']);
    const dense = net.nodes.flatMap((n) => (n.op === 'dense' ? [n.params] : []));
    expect(dense).toHaveLength(2);
    expect(dense[0]).toEqual(dense[1]);
  });

  it('makes two instances from two plain calls', () => {
    const net = networkOf(
      compileText(`
        block Encoder(d: int) { dense(d) }
        network N(a: [4], b: [4]) -> (ea: [8], eb: [8]) {
          ea = a -> Encoder(8)
          eb = b -> Encoder(8)
          return ea, eb
        }
      `),
      'N',
    );
    expect(paramNames(net)).toEqual([
      'Encoder_0.dense_0.weight',
      'Encoder_0.dense_0.bias',
      'Encoder_1.dense_0.weight',
      'Encoder_1.dense_0.bias',
    ]);
  });
});
