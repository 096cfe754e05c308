import { fork } from 'node:child_process';
import { mkdtemp, readFile, readdir, rm, stat, writeFile, chmod } from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  decodeCheckpoint,
  encodeCheckpoint,
  isTemporaryOf,
  readCheckpoint,
  writeCheckpoint,
  writeFileAtomic,
  type CheckpointInput,
} from '../../../src/runtime/weights/checkpoint.js';
import {
  WeightsFormatError,
  decodeSafetensors,
  encodeSafetensors,
} from '../../../src/runtime/weights/safetensors.js';

const root = path.resolve(import.meta.dirname, '../../..');
const child = path.join(import.meta.dirname, 'crash-writer.child.ts');

function sample(overrides: Partial<CheckpointInput> = {}): CheckpointInput {
  return {
    weights: {
      'dense_0.weight': { shape: [2, 3], data: new Float32Array([1, 2, 3, 4, 5, 6]) },
      'dense_0.bias': { shape: [2], data: new Float32Array([0.5, -0.5]) },
    },
    optimizerState: new Map([
      ['adam.m.dense_0.weight', { dtype: 'F32', shape: [2, 3], data: new Float32Array(6) }],
      ['adam.t', { dtype: 'I64', shape: [], data: new BigInt64Array([7n]) }],
    ] as const),
    step: 120,
    epoch: 3,
    rngState: { seed: 42, counters: [1, 2, 3], name: 'philox' },
    modelHash: 'sha256:0f1e2d',
    extra: { bestLoss: 0.25, history: [1, 0.5] },
    ...overrides,
  };
}

/** Rewrites a checkpoint's metadata (and tensors) to build invalid ones. */
function tampered(
  edit: (metadata: Record<string, string>) => void,
  tensors = decodeSafetensors(encodeCheckpoint(sample())).tensors,
): Uint8Array {
  const { metadata } = decodeSafetensors(encodeCheckpoint(sample()));
  const copy = { ...metadata! };
  edit(copy);
  return encodeSafetensors(
    [...tensors].map(([name, t]) => ({ name, ...t })),
    copy,
  );
}

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'netc-weights-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('checkpoint container', () => {
  it('round-trips weights, optimizer state, counters, RNG state and extra', () => {
    const bytes = encodeCheckpoint(sample());
    const back = decodeCheckpoint(bytes);
    expect(back.step).toBe(120);
    expect(back.epoch).toBe(3);
    expect(back.modelHash).toBe('sha256:0f1e2d');
    expect(back.rngState).toEqual({ seed: 42, counters: [1, 2, 3], name: 'philox' });
    expect(back.extra).toEqual({ bestLoss: 0.25, history: [1, 0.5] });
    expect([...back.weights.keys()].sort()).toEqual(['dense_0.bias', 'dense_0.weight']);
    expect(back.weights.get('dense_0.weight')).toEqual({
      shape: [2, 3],
      data: new Float32Array([1, 2, 3, 4, 5, 6]),
    });
    expect(back.optimizerState.get('adam.t')!.dtype).toBe('I64');
    expect([...back.optimizerState.get('adam.t')!.data]).toEqual([7n]);
    // Deterministic bytes.
    expect([...encodeCheckpoint(sample())]).toEqual([...bytes]);
  });

  it('is a plain safetensors file with prefixed tensor names and string metadata', () => {
    const { tensors, metadata } = decodeSafetensors(encodeCheckpoint(sample()));
    expect([...tensors.keys()].sort()).toEqual([
      'optimizer/adam.m.dense_0.weight',
      'optimizer/adam.t',
      'weights/dense_0.bias',
      'weights/dense_0.weight',
    ]);
    expect(metadata).toEqual({
      netc_format: 'netc.checkpoint',
      netc_format_version: '1',
      model_hash: 'sha256:0f1e2d',
      step: '120',
      epoch: '3',
      rng_state: '{"seed":42,"counters":[1,2,3],"name":"philox"}',
      extra: '{"bestLoss":0.25,"history":[1,0.5]}',
    });
  });

  it('defaults extra to null', () => {
    const { extra, ...rest } = sample();
    void extra;
    expect(decodeCheckpoint(encodeCheckpoint(rest)).extra).toBeNull();
  });

  it('refuses to write what it could not read back', () => {
    const cases: [Partial<CheckpointInput>, RegExp][] = [
      [{ step: -1 }, /step must be a non-negative integer, got -1/],
      [{ epoch: 1.5 }, /epoch must be a non-negative integer, got 1.5/],
      [{ modelHash: '' }, /modelHash must be a non-empty string/],
      [{ rngState: { s: NaN } }, /rngState.s is NaN, which JSON cannot represent/],
      [{ rngState: [1, undefined] as never }, /rngState\[1\] is undefined/],
      [
        { extra: { when: new Date(0) } as never },
        /extra.when is not a plain object \(it is a Date\)/,
      ],
      [
        { weights: { w: { shape: [1], data: new Float64Array(1) as never } } },
        /weight `w`: data must be a Float32Array/,
      ],
    ];
    for (const [override, message] of cases) {
      expect(() => encodeCheckpoint(sample(override))).toThrow(WeightsFormatError);
      expect(() => encodeCheckpoint(sample(override))).toThrow(message);
    }
  });

  it('refuses files that are not valid checkpoints', () => {
    const weightsOnly = encodeSafetensors([
      { name: 'w', dtype: 'F32', shape: [1], data: new Float32Array(1) },
    ]);
    const badTensors = decodeSafetensors(
      encodeSafetensors([
        { name: 'weights/w', dtype: 'F16', shape: [1], data: new Uint16Array(1) },
      ]),
    ).tensors;
    const strayTensor = decodeSafetensors(
      encodeSafetensors([{ name: 'w', dtype: 'F32', shape: [1], data: new Float32Array(1) }]),
    ).tensors;
    const cases: [Uint8Array, RegExp][] = [
      [weightsOnly, /not a netc checkpoint: the safetensors header has no __metadata__/],
      [
        tampered((m) => (m.netc_format = 'other')),
        /netc_format is "other", expected "netc.checkpoint"/,
      ],
      [tampered((m) => delete m.netc_format), /netc_format is null/],
      [tampered((m) => (m.netc_format_version = '2')), /format version "2" is not supported/],
      [tampered((m) => delete m.rng_state), /checkpoint metadata has no `rng_state`/],
      [tampered((m) => (m.color = 'red')), /unknown key `color`/],
      [tampered((m) => (m.step = '01')), /`step` must be a non-negative decimal integer, got "01"/],
      [tampered((m) => (m.epoch = '-1')), /`epoch` must be a non-negative decimal integer/],
      [tampered((m) => (m.step = '99999999999999999')), /`step` must be a non-negative decimal/],
      [tampered((m) => (m.rng_state = '{seed:1}')), /`rng_state` is not valid JSON/],
      [tampered((m) => (m.model_hash = '')), /`model_hash` is empty/],
      [
        tampered(() => undefined, badTensors),
        /tensor `weights\/w`: weights must be F32, found F16/,
      ],
      [tampered(() => undefined, strayTensor), /tensor `w` is neither `weights\/<name>` nor/],
      [encodeCheckpoint(sample()).subarray(0, 600), /run past the end of the file/],
    ];
    for (const [bytes, message] of cases) {
      expect(() => decodeCheckpoint(bytes)).toThrow(WeightsFormatError);
      expect(() => decodeCheckpoint(bytes)).toThrow(message);
    }
  });
});

describe('readCheckpoint', () => {
  it('reads a checkpoint of the expected model', async () => {
    const file = path.join(dir, 'run.ckpt.safetensors');
    await writeCheckpoint(file, sample());
    const back = await readCheckpoint(file, 'sha256:0f1e2d');
    expect(back.step).toBe(120);
  });

  it('refuses a checkpoint of a different model', async () => {
    const file = path.join(dir, 'run.ckpt.safetensors');
    await writeCheckpoint(file, sample());
    const attempt = readCheckpoint(file, 'sha256:ffffff');
    await expect(attempt).rejects.toBeInstanceOf(WeightsFormatError);
    await expect(attempt).rejects.toThrow(
      `${file}: this checkpoint belongs to a different model: it was saved for model hash ` +
        `sha256:0f1e2d but the model being trained has hash sha256:ffffff`,
    );
  });

  it('names the file in format errors and passes I/O errors on', async () => {
    const file = path.join(dir, 'broken.safetensors');
    await writeFile(file, new Uint8Array([1, 2, 3]));
    await expect(readCheckpoint(file, 'x')).rejects.toThrow(
      `${file}: file is 3 bytes long, too short`,
    );
    await expect(readCheckpoint(path.join(dir, 'missing'), 'x')).rejects.toMatchObject({
      code: 'ENOENT',
    });
  });
});

describe('writeFileAtomic', () => {
  it('replaces the target, keeps its permissions and leaves no temporary file', async () => {
    const file = path.join(dir, 'w.bin');
    await writeFileAtomic(file, new Uint8Array([1, 2, 3]));
    if (process.platform !== 'win32') await chmod(file, 0o640);
    await writeFileAtomic(file, new Uint8Array(300_000).fill(9), { chunkSize: 4096 });
    const back = await readFile(file);
    expect(back.length).toBe(300_000);
    expect(back.every((b) => b === 9)).toBe(true);
    if (process.platform !== 'win32') expect((await stat(file)).mode & 0o777).toBe(0o640);
    expect(await readdir(dir)).toEqual(['w.bin']);
    await writeFileAtomic(file, new Uint8Array(0));
    expect((await readFile(file)).length).toBe(0);
  });

  it('removes the temporary file and keeps the target when writing fails', async () => {
    const file = path.join(dir, 'w.bin');
    await writeFileAtomic(file, new Uint8Array([1, 2, 3]));
    const failing = writeFileAtomic(file, new Uint8Array(10_000), {
      chunkSize: 1000,
      onChunk: (written) => {
        if (written === 3000) throw new Error('disk full');
      },
    });
    await expect(failing).rejects.toThrow('disk full');
    expect([...(await readFile(file))]).toEqual([1, 2, 3]);
    expect(await readdir(dir)).toEqual(['w.bin']);
    await expect(
      writeFileAtomic(path.join(dir, 'no', 'such', 'dir'), new Uint8Array(1)),
    ).rejects.toMatchObject({ code: 'ENOENT' });
    expect(await readdir(dir)).toEqual(['w.bin']);
  });
});

interface ChildResult {
  signal: NodeJS.Signals | null;
  code: number | null;
  firstChunk: { written: number; total: number } | undefined;
  done: boolean;
}

/** Runs the crash writer and SIGKILLs it as soon as it reports its first chunk. */
function runAndKill(target: string, mode: 'pause' | 'race', floats: number): Promise<ChildResult> {
  return new Promise((resolve, reject) => {
    const proc = fork(child, [target, mode, String(floats)], {
      cwd: root,
      execArgv: ['--import', 'tsx'],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    const result: ChildResult = { signal: null, code: null, firstChunk: undefined, done: false };
    proc.on('message', (message: { written?: number; total?: number; done?: boolean }) => {
      if (message.done) result.done = true;
      else if (!result.firstChunk) {
        result.firstChunk = { written: message.written!, total: message.total! };
        proc.kill('SIGKILL');
      }
    });
    proc.on('error', reject);
    proc.on('exit', (code, signal) => {
      result.code = code;
      result.signal = signal;
      resolve(result);
    });
  });
}

describe('a crash while saving a checkpoint', () => {
  const floats = 2 << 20; // two 8 MiB tensors: a 16 MiB checkpoint written in 64 KiB chunks

  async function saveOld(target: string): Promise<Buffer> {
    await writeCheckpoint(target, sample({ modelHash: 'model-A', step: 1 }));
    return readFile(target);
  }

  it('leaves the previous checkpoint loadable when killed mid-write', async () => {
    const target = path.join(dir, 'run.ckpt');
    const old = await saveOld(target);
    const result = await runAndKill(target, 'pause', floats);
    expect(result.signal).toBe('SIGKILL');
    expect(result.done).toBe(false);
    expect(result.firstChunk!.written).toBe(1 << 16);
    expect(result.firstChunk!.total).toBeGreaterThan(16 << 20);

    // The target is the old file, byte for byte, and still a valid checkpoint.
    expect((await readFile(target)).equals(old)).toBe(true);
    expect((await readCheckpoint(target, 'model-A')).step).toBe(1);

    // What the killed writer left is a partial temporary beside it, never the target.
    const names = (await readdir(dir)).sort();
    expect(names).toHaveLength(2);
    const temporary = names.find((n) => n !== 'run.ckpt')!;
    expect(isTemporaryOf(target, temporary)).toBe(true);
    const partial = (await stat(path.join(dir, temporary))).size;
    expect(partial).toBeGreaterThan(0);
    expect(partial).toBeLessThan(result.firstChunk!.total);
  });

  it('leaves the old or the complete new checkpoint when killed at any moment', async () => {
    for (let round = 0; round < 3; round++) {
      const target = path.join(dir, `race-${round}.ckpt`);
      await saveOld(target);
      const result = await runAndKill(target, 'race', floats >> round);
      expect(result.firstChunk).toBeDefined();
      // Whether the kill landed before or after the rename, the target is a whole checkpoint.
      const back = await readCheckpoint(target, 'model-A');
      expect([1, 2]).toContain(back.step);
      if (back.step === 2) expect(back.weights.get('big')!.data.length).toBe(floats >> round);
      const names = await readdir(dir);
      const temporary = (n: string): boolean =>
        names.some((t) => !t.startsWith('.') && isTemporaryOf(path.join(dir, t), n));
      expect(names.filter((n) => !temporary(n)).sort()).toEqual(
        Array.from({ length: round + 1 }, (_, i) => `race-${i}.ckpt`),
      );
    }
  });
});
