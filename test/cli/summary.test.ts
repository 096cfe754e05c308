import { describe, expect, it } from 'vitest';
import { good, netc, project, shapeError, unusedInput } from './harness.js';

const two = [
  'network Encoder(x: [16]) -> [4] {',
  '  dense(4)',
  '}',
  '',
  'network Decoder(z: [4]) -> [16] {',
  '  dense(16) -> sigmoid',
  '}',
  '',
].join('\n');

describe('netc summary', () => {
  const cwd = project({
    'good.net': good,
    'bad.net': shapeError,
    'warn.net': unusedInput,
    'two.net': two,
    'none.net': '',
  });

  it('prints a table with batched shapes, totals and the doc comment, and exits 0', async () => {
    const { code, stdout, stderr } = await netc(cwd, ['summary', 'good.net']);
    expect(code).toBe(0);
    expect(stderr).toBe('');
    expect(stdout).toMatch(/^Network MLP\n  A small classifier\.\nInputs: {2}x \[N, 784\]\n/);
    expect(stdout).toMatch(/dense_0 +dense +\[N, 30\] +23,550 +23,520\n/);
    expect(stdout).toContain('Total params:         23,860 (93.2 KiB)\n');
  });

  it('prints JSON with exactly the documented shape for --json', async () => {
    const { code, stdout } = await netc(cwd, ['summary', '--json', 'good.net']);
    expect(code).toBe(0);
    const parsed = JSON.parse(stdout);
    expect(parsed.networks).toHaveLength(1);
    expect(parsed.networks[0]).toMatchObject({
      name: 'MLP',
      inputs: { x: [784] },
      params: 23_860,
      macs: 23_820,
    });
    expect(Object.values(parsed.networks[0].outputs)).toEqual([[10]]);
    expect(parsed.networks[0].layers.map((l: { op: string }) => l.op)).toEqual([
      'dense',
      'sigmoid',
      'dense',
    ]);
  });

  it('prints every network of the file, in order', async () => {
    const { stdout } = await netc(cwd, ['summary', 'two.net']);
    expect(stdout.match(/^Network \w+$/gm)).toEqual(['Network Encoder', 'Network Decoder']);
  });

  it.each([['--network'], ['-n']])('prints only the network chosen with %s', async (flag) => {
    const { code, stdout } = await netc(cwd, ['summary', 'two.net', flag, 'Decoder', '--json']);
    expect(code).toBe(0);
    expect(JSON.parse(stdout).networks.map((n: { name: string }) => n.name)).toEqual(['Decoder']);
  });

  it('rejects an unknown network with exit code 2, a suggestion and the available names', async () => {
    const { code, stdout, stderr } = await netc(cwd, ['summary', 'two.net', '--network', 'Decodr']);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toBe(
      'error: no network `Decodr` in `two.net`; did you mean `Decoder`?\n  available: `Encoder`, `Decoder`\n',
    );
  });

  it('lists the available names without a suggestion when nothing is close', async () => {
    const { code, stderr } = await netc(cwd, ['summary', 'two.net', '--network', 'ResNet']);
    expect(code).toBe(2);
    expect(stderr).not.toContain('did you mean');
    expect(stderr).toContain('available: `Encoder`, `Decoder`');
  });

  it('prints the errors of a file that does not check, and exits 1 without a summary', async () => {
    const { code, stdout, stderr } = await netc(cwd, ['summary', 'bad.net']);
    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(stderr).toMatch(/^bad\.net:2:3 error NETC3/);
    expect(stderr).toMatch(/checked 1 file: 1 error, 0 warnings\n$/);
  });

  it('prints warnings on stderr and the summary on stdout', async () => {
    const { code, stdout, stderr } = await netc(cwd, ['summary', 'warn.net']);
    expect(code).toBe(0);
    expect(stderr).toMatch(/warning NETC/);
    expect(stdout).toMatch(/^Network W\n/);
  });

  it('says so when the file defines no networks', async () => {
    expect(await netc(cwd, ['summary', 'none.net'])).toEqual({
      code: 0,
      stdout: '',
      stderr: '`none.net` defines no networks\n',
    });
    expect(JSON.parse((await netc(cwd, ['summary', 'none.net', '--json'])).stdout)).toEqual({
      networks: [],
    });
  });
});
