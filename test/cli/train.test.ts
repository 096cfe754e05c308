import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { main, type CliIO } from '../../src/cli/main.js';
import { lossCurveSvg, ticks } from '../../src/cli/lossCurve.js';
import { createBackend } from '../../src/runtime/createBackend.js';
import { decodeCheckpoint } from '../../src/runtime/weights/checkpoint.js';
import { decodeSafetensors, encodeSafetensors } from '../../src/runtime/weights/safetensors.js';
import { netc, project, shapeError, type RunResult } from './harness.js';

const xor = readFileSync(new URL('../../examples/xor.net', import.meta.url), 'utf8');
const cpu = ['--backend', 'cpu'];
const hasWebgpu = await createBackend('webgpu').then(
  () => true,
  () => false,
);

/** A one-hidden-layer classifier of csv data, with any extra settings. */
function csvNet(csv: string, settings = ''): string {
  return [
    'network Tiny(x: [2]) -> [1] {',
    '  dense(3) -> tanh',
    '  dense(1) -> sigmoid',
    '}',
    '',
    'train Tiny {',
    `  data      = csv("${csv}", label="label")`,
    '  loss      = bce(output, label)',
    '  optimizer = sgd(lr=0.1)',
    '  epochs    = 2',
    settings,
    '}',
    '',
  ].join('\n');
}

/** The same network as xor.net under another name, for weights that do or do not fit. */
const other = xor.replaceAll('XOR', 'Other').replace('dense(3)', 'dense(5)');

const read = (cwd: string, file: string) => readFileSync(join(cwd, file));

describe('netc train', () => {
  const cwd = project({
    'xor.net': xor,
    'other.net': other,
    'bad.net': shapeError,
    'nan.net': csvNet('nan.csv'),
    'nan.csv': 'a,b,label\n0,0,0\n0,NaN,1\n1,0,1\n',
    'two.net': xor + '\n' + other.split('\n\n').slice(1).join('\n\n'),
    'none.net': xor.split('train XOR')[0]!,
  });
  let json: RunResult;

  beforeAll(async () => {
    json = await netc(cwd, ['train', 'xor.net', '--json', ...cpu]);
  });

  it('trains xor.net to a test accuracy of 1 and prints only the result as JSON on stdout', () => {
    expect(json.code).toBe(0);
    const result = JSON.parse(json.stdout);
    expect(Object.keys(result)).toEqual(['loss', 'metrics', 'test']);
    expect(result.loss).toBeGreaterThan(0);
    expect(result.loss).toBeLessThan(0.01);
    expect(result.metrics).toEqual({});
    expect(Object.keys(result.test)).toEqual(['loss', 'accuracy']);
    expect(result.test.accuracy).toBe(1);
    expect(json.stdout.split('\n')).toHaveLength(2);
  });

  it('logs one line per epoch on stderr when stderr is not a terminal', () => {
    expect(json.stderr).not.toContain('\r');
    expect(json.stderr).toMatch(/^epoch {3}1\/200 {2}loss \d\.\d{4} {2}\d+\.\d{2}s$/m);
    expect(json.stderr).toMatch(/^epoch 200\/200 {2}loss /m);
    expect(json.stderr.match(/^epoch /gm)).toHaveLength(200);
    expect(json.stderr).toMatch(/^wrote runs\/XOR\/checkpoint\.safetensors, /m);
  });

  it('writes the weights of the trained network into runs/<network>', () => {
    const { tensors } = decodeSafetensors(read(cwd, 'runs/XOR/weights.safetensors'));
    expect([...tensors.keys()].sort()).toEqual([
      'dense_0.bias',
      'dense_0.weight',
      'dense_1.bias',
      'dense_1.weight',
    ]);
    expect(tensors.get('dense_0.weight')!.shape).toEqual([3, 2]);
  });

  it('writes a checkpoint of the last epoch, with the history', () => {
    const checkpoint = decodeCheckpoint(read(cwd, 'runs/XOR/checkpoint.safetensors'));
    expect(checkpoint.epoch).toBe(200);
    expect([...checkpoint.weights.keys()].sort()).toEqual([
      'XOR/dense_0.bias',
      'XOR/dense_0.weight',
      'XOR/dense_1.bias',
      'XOR/dense_1.weight',
    ]);
    expect((checkpoint.extra as { history: unknown[] }).history).toHaveLength(200);
  });

  it('writes metrics.json with every epoch and the test results', () => {
    const metrics = JSON.parse(read(cwd, 'runs/XOR/metrics.json').toString('utf8'));
    expect(metrics.section).toBe('XOR');
    expect(metrics.network).toBe('XOR');
    expect(metrics.epochs).toHaveLength(200);
    expect(Object.keys(metrics.epochs[0])).toEqual([
      'epoch',
      'loss',
      'phases',
      'validation',
      'seconds',
    ]);
    expect(metrics.epochs[199].loss).toBe(JSON.parse(json.stdout).loss);
    expect(metrics.test).toEqual(JSON.parse(json.stdout).test);
  });

  it('draws the loss curve as an SVG line chart', () => {
    const svg = read(cwd, 'runs/XOR/loss.svg').toString('utf8');
    expect(svg).toMatch(/^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
    expect(isBalancedXml(svg)).toBe(true);
    const points = svg.match(/<polyline [^>]*points="([^"]*)"/)![1]!.split(' ');
    expect(points).toHaveLength(200);
  });

  it('prints the test results as text on stdout without --json', async () => {
    const { code, stdout } = await netc(cwd, ['train', 'xor.net', '--out', 'text', ...cpu]);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^test: loss \S+ {2}accuracy 1\.0000\n$/);
    expect(existsSync(join(cwd, 'text/weights.safetensors'))).toBe(true);
  });

  it('redraws a progress line with the batch and the running loss on a terminal', async () => {
    let stderr = '';
    const io: CliIO = { stdout: () => {}, stderr: (t) => void (stderr += t), cwd, isTTY: true };
    const argv = ['train', 'xor.net', '--epochs', '2', '--out', 'tty', ...cpu];
    expect(await main(argv, io)).toBe(0);
    expect(stderr).toMatch(/\repoch 1\/2 \[[=> ]{24}\] {2}1\/13 {2}loss \d\.\d{4}\u001b\[K/);
    expect(stderr).toContain('\repoch 1/2 [========================] 13/13');
    expect(stderr).toMatch(/\r\u001b\[Kepoch 2\/2 {2}loss /);
  });

  it('honours --epochs and --batch', async () => {
    const argv = ['train', 'xor.net', '--epochs', '3', '--batch', '50', '--out', 'short', ...cpu];
    const { code, stderr } = await netc(cwd, argv);
    expect(code).toBe(0);
    expect(stderr.match(/^epoch /gm)).toHaveLength(3);
    const metrics = JSON.parse(read(cwd, 'short/metrics.json').toString('utf8'));
    expect(metrics.epochs).toHaveLength(3);
  });

  describe('with --resume', () => {
    it('continues a checkpoint to the same weights, bit for bit, as an uninterrupted run', async () => {
      const full = await netc(cwd, ['train', 'xor.net', '--epochs', '4', '-o', 'full', ...cpu]);
      const half = await netc(cwd, ['train', 'xor.net', '--epochs', '2', '-o', 'half', ...cpu]);
      const resumed = await netc(cwd, [
        'train',
        'xor.net',
        '--epochs',
        '4',
        '--resume',
        'half/checkpoint.safetensors',
        '-o',
        'resumed',
        ...cpu,
      ]);
      expect([full.code, half.code, resumed.code]).toEqual([0, 0, 0]);
      expect(resumed.stderr).toContain(
        'resuming from `half/checkpoint.safetensors` after epoch 2 of 4',
      );
      expect(resumed.stderr.match(/^epoch /gm)).toEqual(['epoch ', 'epoch ']);
      expect(read(cwd, 'resumed/weights.safetensors')).toEqual(
        read(cwd, 'full/weights.safetensors'),
      );
      const losses = (dir: string) =>
        JSON.parse(read(cwd, `${dir}/metrics.json`).toString('utf8')).epochs.map(
          (e: { loss: number }) => e.loss,
        );
      expect(losses('resumed')).toEqual(losses('full'));
    });

    it('refuses a checkpoint of another model', async () => {
      await netc(cwd, ['train', 'other.net', '--epochs', '1', '-o', 'other', ...cpu]);
      const argv = ['train', 'xor.net', '--resume', 'other/checkpoint.safetensors', ...cpu];
      const { code, stdout, stderr } = await netc(cwd, argv);
      expect(code).toBe(1);
      expect(stdout).toBe('');
      expect(stderr).toMatch(
        /^error: `other\/checkpoint\.safetensors`: this checkpoint belongs to a different model/m,
      );
      expect(stderr.trimEnd().split('\n').at(-1)).toMatch(/^error: /);
    });

    it('refuses a weights file that is not a checkpoint', async () => {
      const argv = ['train', 'xor.net', '--resume', 'runs/XOR/weights.safetensors', ...cpu];
      const { code, stderr } = await netc(cwd, argv);
      expect(code).toBe(1);
      expect(stderr).toContain('error: `runs/XOR/weights.safetensors`: not a netc checkpoint');
    });
  });

  describe('with weights to start from', () => {
    const transfer = (weights: string) =>
      xor.replace(
        'seed      = 7',
        `seed      = 7\n  weights   = "${weights}"\n  freeze    = [dense_0]`,
      );
    const tensor = (shape: number[]) => ({
      dtype: 'F32' as const,
      shape,
      data: new Float32Array(shape.reduce((a, b) => a * b, 1)).fill(0.25),
    });
    const dir = project({
      'all.net': transfer('all.safetensors'),
      'part.net': transfer('part.safetensors'),
    });

    beforeAll(() => {
      writeFileSync(
        join(dir, 'all.safetensors'),
        encodeSafetensors([
          { name: 'dense_0.weight', ...tensor([3, 2]) },
          { name: 'dense_0.bias', ...tensor([3]) },
          { name: 'dense_1.weight', ...tensor([1, 4]) },
          { name: 'head.bias', ...tensor([1]) },
        ]),
      );
      writeFileSync(
        join(dir, 'part.safetensors'),
        encodeSafetensors([{ name: 'dense_0.weight', ...tensor([3, 2]) }]),
      );
    });

    it('loads the tensors that match, says which were skipped, and keeps frozen ones fixed', async () => {
      const { code, stderr } = await netc(dir, ['train', 'all.net', '--epochs', '2', ...cpu]);
      expect(code).toBe(0);
      expect(stderr).toContain('weights: loaded 2 of 4 parameters of `XOR` from `all.safetensors`');
      expect(stderr).toContain('  loaded `dense_0.weight`\n');
      expect(stderr).toMatch(/ {2}skipped `dense_1\.weight`: shape \[1, 4\] differs/);
      expect(stderr).toContain('  skipped `head.bias`: `XOR` has no parameter of that name');
      const { tensors } = decodeSafetensors(read(dir, 'runs/XOR/weights.safetensors'));
      expect([...(tensors.get('dense_0.weight')!.data as Float32Array)]).toEqual(
        Array(6).fill(0.25),
      );
    });

    it('refuses to train when a frozen layer is not loaded whole', async () => {
      const { code, stderr } = await netc(dir, ['train', 'part.net', ...cpu]);
      expect(code).toBe(1);
      expect(stderr).toMatch(
        /^error: `dense_0` is frozen, but `part\.safetensors` has nothing to load into `dense_0\.bias`: /m,
      );
    });
  });

  describe('given bad input', () => {
    it.each([
      [['missing.net'], 2, 'error: cannot find `missing.net`\n'],
      [
        ['xor.net', '--network', 'XRO'],
        2,
        /no train section in `xor\.net` trains `XRO` \(did you mean `XOR`\?\); train sections: `XOR`/,
      ],
      [
        ['two.net'],
        2,
        'error: `two.net` has 2 train sections: `XOR`, `Other`; choose one with --network\n',
      ],
      [['none.net'], 1, 'error: `none.net` has no `train` section\n'],
      [['xor.net', '--epochs', '0'], 2, "error: option '--epochs <count>' argument '0' is invalid"],
      [['xor.net', '--backend', 'tpu'], 2, "argument 'tpu' is invalid"],
      [
        ['xor.net', '--resume', 'nothing.safetensors'],
        2,
        'error: cannot find `nothing.safetensors`\n',
      ],
    ])('train %j exits with %i and says why', async (args, code, message) => {
      const result = await netc(cwd, ['train', ...args]);
      expect(result.code).toBe(code);
      expect(result.stdout).toBe('');
      if (typeof message === 'string') expect(result.stderr).toContain(message);
      else expect(result.stderr).toMatch(message);
    });

    it('picks the section of two by its network', async () => {
      const argv = ['train', 'two.net', '--network', 'Other', '--epochs', '1', '--json', ...cpu];
      const { code, stdout } = await netc(cwd, argv);
      expect(code).toBe(0);
      expect(Object.keys(JSON.parse(stdout))).toEqual(['loss', 'metrics', 'test']);
      expect(existsSync(join(cwd, 'runs/Other/weights.safetensors'))).toBe(true);
    });

    it('prints the errors of a file as check does and exits 1', async () => {
      const { code, stdout, stderr } = await netc(cwd, ['train', 'bad.net']);
      expect(code).toBe(1);
      expect(stdout).toBe('');
      expect(stderr).toMatch(/^bad\.net:2:3 error NETC3\d{3}: /);
      expect(stderr).toMatch(/checked 1 file: 1 error, 0 warnings\n$/);
    });

    it('reports a number that is not finite in the data against the .net file', async () => {
      const { code, stdout, stderr } = await netc(cwd, ['train', 'nan.net', ...cpu]);
      expect(code).toBe(1);
      expect(stdout).toBe('');
      expect(stderr).toBe(
        'nan.net: error: `nan.csv`, line 3, column 2 (`b`): `NaN` is not a finite number\n',
      );
    });

    it.skipIf(hasWebgpu)(
      'refuses --backend webgpu with a clear error where WebGPU is unavailable',
      async () => {
        const { code, stdout, stderr } = await netc(cwd, [
          'train',
          'xor.net',
          '--backend',
          'webgpu',
        ]);
        expect(code).toBe(1);
        expect(stdout).toBe('');
        expect(stderr).toMatch(/^error: the WebGPU backend is unavailable: .+\n$/);
      },
    );

    it('says on stderr when --backend auto falls back to the CPU', async () => {
      const argv = ['train', 'xor.net', '--epochs', '1', '-o', 'auto'];
      const { code, stderr } = await netc(cwd, argv);
      expect(code).toBe(0);
      expect(stderr.split('\n')[0]).toMatch(/^netc: using the (CPU|WebGPU) backend/);
    });
  });
});

describe('lossCurveSvg', () => {
  const history = [
    { epoch: 1, loss: 0.9, validation: { loss: 1.0 } },
    { epoch: 2, loss: 0.5, validation: { loss: 0.7 } },
    { epoch: 3, loss: 0.3, validation: { loss: 0.6 } },
  ];

  it('draws training and validation losses as two lines with a legend', () => {
    const svg = lossCurveSvg(history, { title: 'A & B <test>' });
    expect(isBalancedXml(svg)).toBe(true);
    expect(svg.match(/<polyline /g)).toHaveLength(2);
    expect(svg).toContain('stroke-dasharray');
    expect(svg).toContain('>training</text>');
    expect(svg).toContain('>validation</text>');
    expect(svg).toContain('>A &#38; B &#60;test&#62;</text>');
    expect(svg).toContain('>epoch</text>');
    expect(svg).toContain('>loss</text>');
  });

  it('labels round ticks that cover the data, from 0 up', () => {
    const svg = lossCurveSvg(history);
    const labels = [...svg.matchAll(/text-anchor="end">([^<]*)</g)].map((m) => m[1]);
    expect(labels).toEqual(['0.0', '0.2', '0.4', '0.6', '0.8', '1.0']);
    const epochs = [...svg.matchAll(/text-anchor="middle">(\d+)</g)].map((m) => m[1]);
    expect(epochs).toEqual(['1', '2', '3']);
  });

  it('maps the first point to the left of the plot and the highest loss within it', () => {
    const svg = lossCurveSvg([
      { epoch: 1, loss: 2 },
      { epoch: 5, loss: 1 },
    ]);
    expect(svg).toMatch(/points="72,44 616,194"/);
    expect(svg).not.toContain('validation');
  });

  it('marks a single epoch with a dot, since a line of one point is invisible', () => {
    const svg = lossCurveSvg([{ epoch: 1, loss: 0.5 }]);
    expect(isBalancedXml(svg)).toBe(true);
    expect(svg).toContain('<circle ');
  });

  it('draws empty axes for an empty history and skips values that are not finite', () => {
    expect(lossCurveSvg([])).toContain('no epochs trained');
    const svg = lossCurveSvg([
      { epoch: 1, loss: Number.NaN },
      { epoch: 2, loss: 1 },
      { epoch: 3, loss: 0.5 },
    ]);
    expect(svg.match(/points="([^"]*)"/)![1]!.split(' ')).toHaveLength(2);
    expect(svg).not.toContain('NaN');
  });

  it.each([
    [0, 0.7, 6, false, [0, 0.2, 0.4, 0.6, 0.8]],
    [1, 200, 8, true, [0, 50, 100, 150, 200]],
    [1, 3, 8, true, [1, 2, 3]],
    [0, 3e-4, 6, false, [0, 5e-5, 1e-4, 1.5e-4, 2e-4, 2.5e-4, 3e-4]],
  ])('ticks(%d, %d, %d, %s) are %j', (min, max, count, integer, expected) => {
    expect(ticks(min, max, count, integer)).toEqual(expected);
  });
});

/** Every tag closed in order: enough to tell that a browser would parse it. */
function isBalancedXml(text: string): boolean {
  const open: string[] = [];
  for (const [tag] of text.matchAll(/<[^>]+>/g)) {
    if (tag.endsWith('/>')) continue;
    const name = /^<\/?([a-zA-Z]+)/.exec(tag)?.[1];
    if (!name) return false;
    if (tag.startsWith('</')) {
      if (open.pop() !== name) return false;
    } else {
      open.push(name);
    }
  }
  return open.length === 0;
}
