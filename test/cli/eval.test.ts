import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { netc, project } from './harness.js';

const xor = readFileSync(new URL('../../examples/xor.net', import.meta.url), 'utf8');
const cpu = ['--backend', 'cpu'];

/** xor.net with a wider hidden layer: weights that do not fit `XOR`. */
const wide = xor.replace('dense(3)', 'dense(5)');

/** A regression section: no classes, so no confusion matrix. */
const identity = [
  'network Identity(x: [2]) -> [2] {',
  '  dense(2)',
  '}',
  '',
  'train Identity {',
  '  data      = xor',
  '  loss      = mse(output, x)',
  '  optimizer = sgd(lr=0.1)',
  '  epochs    = 2',
  '  metrics   = [mse]',
  '}',
  '',
].join('\n');

const noTest = [
  'network Tiny(x: [2]) -> [1] {',
  '  dense(1) -> sigmoid',
  '}',
  '',
  'train Tiny {',
  '  data      = csv("data.csv", label="label")',
  '  loss      = bce(output, label)',
  '  optimizer = sgd(lr=0.1)',
  '  epochs    = 1',
  '}',
  '',
].join('\n');

describe('netc eval', () => {
  const cwd = project({
    'xor.net': xor,
    'wide/xor.net': wide,
    'identity.net': identity,
    'tiny.net': noTest,
    'data.csv': 'a,b,label\n0,0,0\n1,1,1\n',
  });

  beforeAll(async () => {
    for (const [file, out] of [
      ['xor.net', 'xor'],
      ['wide/xor.net', 'wide'],
      ['identity.net', 'identity'],
      ['tiny.net', 'tiny'],
    ]) {
      const { code } = await netc(cwd, ['train', file!, '--out', out!, ...cpu]);
      expect(code).toBe(0);
    }
  });

  it('prints the test loss, the metrics and the confusion matrix', async () => {
    const { code, stdout } = await netc(cwd, [
      'eval',
      'xor.net',
      '-w',
      'xor/weights.safetensors',
      ...cpu,
    ]);
    expect(code).toBe(0);
    expect(stdout).toMatch(
      new RegExp(
        [
          '^test \\(200 samples\\): loss \\S+ {2}accuracy 1\\.0000',
          'confusion matrix \\(rows: true class, columns: predicted class\\)',
          ' {5}0 {3}1',
          '0 {2}100 {3}0',
          '1 {4}0 {1}100',
          '$',
        ].join('\n'),
      ),
    );
  });

  it('prints exactly loss, metrics and confusion with --json, as train scored the test set', async () => {
    const train = await netc(cwd, ['train', 'xor.net', '--json', '--out', 'again', ...cpu]);
    const argv = ['eval', 'xor.net', '--weights', 'again/weights.safetensors', '--json', ...cpu];
    const { code, stdout, stderr } = await netc(cwd, argv);
    expect(code).toBe(0);
    expect(stderr).toBe('');
    const result = JSON.parse(stdout);
    expect(Object.keys(result)).toEqual(['loss', 'metrics', 'confusion']);
    expect(result.loss).toBe(JSON.parse(train.stdout).test.loss);
    expect(result.metrics).toEqual({ accuracy: 1 });
    expect(result.confusion).toEqual([
      [100, 0],
      [0, 100],
    ]);
  });

  it('has no confusion matrix for a section that does not classify', async () => {
    const argv = ['eval', 'identity.net', '-w', 'identity/weights.safetensors', '--json', ...cpu];
    const { code, stdout } = await netc(cwd, argv);
    expect(code).toBe(0);
    const result = JSON.parse(stdout);
    expect(result.confusion).toBeNull();
    expect(Object.keys(result.metrics)).toEqual(['mse']);
  });

  it('refuses the weights of another network', async () => {
    const argv = ['eval', 'xor.net', '-w', 'wide/weights.safetensors', ...cpu];
    const { code, stdout, stderr } = await netc(cwd, argv);
    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(stderr).toBe(
      'error: `wide/weights.safetensors` does not hold the weights of `XOR`: `dense_0.bias` has shape [5] in the weights file but [3] in `XOR`\n',
    );
  });

  it('refuses a file that is not safetensors', async () => {
    const { code, stderr } = await netc(cwd, ['eval', 'xor.net', '-w', 'data.csv', ...cpu]);
    expect(code).toBe(1);
    expect(stderr).toMatch(/^error: `data\.csv`: /);
  });

  it('says so when the data has no test set', async () => {
    const argv = ['eval', 'tiny.net', '-w', 'tiny/weights.safetensors', ...cpu];
    const { code, stderr } = await netc(cwd, argv);
    expect(code).toBe(1);
    expect(stderr).toBe(
      'tiny.net: error: the data of `train Tiny` has no test set to evaluate on\n',
    );
  });

  it.each([
    [['xor.net'], "required option '-w, --weights <file>' not specified"],
    [['xor.net', '-w', 'missing.safetensors'], 'error: cannot find `missing.safetensors`\n'],
    [['missing.net', '-w', 'xor/weights.safetensors'], 'error: cannot find `missing.net`\n'],
    [
      ['xor.net', '-w', 'xor/weights.safetensors', '-n', 'Nope'],
      'no train section in `xor.net` trains `Nope`',
    ],
  ])('treats %j as a usage error', async (args, message) => {
    const { code, stdout, stderr } = await netc(cwd, ['eval', ...args]);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toContain(message);
  });
});
