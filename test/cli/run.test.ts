import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { encodeSafetensors, decodeSafetensors } from '../../src/runtime/weights/safetensors.js';
import { netc, project } from './harness.js';
import { writeFileSync } from 'node:fs';

const xor = readFileSync(new URL('../../examples/xor.net', import.meta.url), 'utf8');
const cpu = ['--backend', 'cpu'];

const f32 = (name: string, shape: number[], values: number[]) => ({
  name,
  dtype: 'F32' as const,
  shape,
  data: Float32Array.from(values),
});

describe('netc run', () => {
  const cwd = project({ 'xor.net': xor, 'wide/xor.net': xor.replace('dense(3)', 'dense(5)') });
  const write = (file: string, tensors: ReturnType<typeof f32>[]) =>
    writeFileSync(join(cwd, file), encodeSafetensors(tensors));
  const run = (input: string, output: string, weights = 'xor/weights.safetensors') =>
    netc(cwd, ['run', 'xor.net', '-w', weights, '-i', input, '-o', output, ...cpu]);

  beforeAll(async () => {
    expect((await netc(cwd, ['train', 'xor.net', '-o', 'xor', ...cpu])).code).toBe(0);
    expect((await netc(cwd, ['train', 'wide/xor.net', '-o', 'wide', ...cpu])).code).toBe(0);
    write('corners.safetensors', [f32('x', [4, 2], [0, 0, 0, 1, 1, 0, 1, 1])]);
    write('one.safetensors', [f32('x', [2], [1, 0])]);
    write('wrong.safetensors', [f32('x', [4, 3], Array(12).fill(0))]);
    write('typo.safetensors', [f32('X', [1, 2], [0, 1])]);
    write('extra.safetensors', [f32('x', [1, 2], [0, 1]), f32('y', [1], [0])]);
  });

  it('writes one F32 output per sample of a batch, under the output name', async () => {
    const { code, stdout, stderr } = await run('corners.safetensors', 'corners.out.safetensors');
    expect(code).toBe(0);
    expect(stdout).toBe('');
    expect(stderr).toBe('wrote `output` [4, 1] to `corners.out.safetensors`\n');
    const { tensors } = decodeSafetensors(readFileSync(join(cwd, 'corners.out.safetensors')));
    expect([...tensors.keys()]).toEqual(['output']);
    const output = tensors.get('output')!;
    expect(output.dtype).toBe('F32');
    expect(output.shape).toEqual([4, 1]);
    expect([...(output.data as Float32Array)].map((p) => (p > 0.5 ? 1 : 0))).toEqual([0, 1, 1, 0]);
  });

  it('takes exactly the declared shape as a batch of one', async () => {
    const { code } = await run('one.safetensors', 'one.out.safetensors');
    expect(code).toBe(0);
    const output = decodeSafetensors(readFileSync(join(cwd, 'one.out.safetensors'))).tensors.get(
      'output',
    )!;
    expect(output.shape).toEqual([1, 1]);
    expect((output.data as Float32Array)[0]).toBeGreaterThan(0.5);
  });

  it.each([
    [
      'wrong.safetensors',
      'error: `x` in `wrong.safetensors` has shape [4, 3], but `XOR` takes `x` [N, 2] (N samples; without N for one)\n',
    ],
    [
      'typo.safetensors',
      'error: `typo.safetensors` has a tensor `X`, which is not an input (did you mean `x`?); `XOR` takes `x` [N, 2] (N samples; without N for one)\n',
    ],
    [
      'extra.safetensors',
      'error: `extra.safetensors` has a tensor `y`, which is not an input; `XOR` takes `x` [N, 2] (N samples; without N for one)\n',
    ],
  ])('refuses the inputs of %s, saying what the network takes', async (input, message) => {
    const { code, stdout, stderr } = await run(input, 'never.safetensors');
    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(stderr).toBe(message);
  });

  it('refuses an input file without the input, listing the inputs', async () => {
    write('empty.safetensors', []);
    const { code, stderr } = await run('empty.safetensors', 'never.safetensors');
    expect(code).toBe(1);
    expect(stderr).toBe(
      'error: `empty.safetensors` has no tensor `x`; `XOR` takes `x` [N, 2] (N samples; without N for one)\n',
    );
  });

  it('refuses the weights of another network', async () => {
    const { code, stderr } = await run(
      'corners.safetensors',
      'never.safetensors',
      'wide/weights.safetensors',
    );
    expect(code).toBe(1);
    expect(stderr).toMatch(
      /^error: `wide\/weights\.safetensors` does not hold the weights of `XOR`: /,
    );
  });

  it('says why it cannot write the output', async () => {
    const { code, stderr } = await run('corners.safetensors', 'no/such/dir/out.safetensors');
    expect(code).toBe(1);
    expect(stderr).toBe(
      'error: cannot write `no/such/dir/out.safetensors`: no such file or directory\n',
    );
  });

  it.each([
    [
      ['xor.net', '-w', 'xor/weights.safetensors', '-o', 'x.safetensors'],
      "required option '-i, --input <file>' not specified",
    ],
    [
      ['xor.net', '-w', 'xor/weights.safetensors', '-i', 'none.safetensors', '-o', 'x.safetensors'],
      'error: cannot find `none.safetensors`\n',
    ],
    [
      [
        'xor.net',
        '-w',
        'xor/weights.safetensors',
        '-i',
        'one.safetensors',
        '-o',
        'x.safetensors',
        '-n',
        'XRO',
      ],
      'error: no network `XRO` in `xor.net` (did you mean `XOR`?); networks: `XOR`\n',
    ],
  ])('treats %j as a usage error', async (args, message) => {
    const { code, stderr } = await netc(cwd, ['run', ...args, ...cpu]);
    expect(code).toBe(2);
    expect(stderr).toContain(message);
  });
});
