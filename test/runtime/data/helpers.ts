import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll } from 'vitest';
import { dataFields } from '../../../src/compiler/train/dataSources.js';
import type { DataSource, FilePath } from '../../../src/compiler/train/trainConfig.js';
import { loadDataset } from '../../../src/runtime/data/load.js';

/*
 * Data files for tests, written to a fresh temporary folder that is removed after the
 * test file has run.
 */

export function tempFolder(): (name: string, content: string | Uint8Array) => FilePath {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'netc-data-'));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
  return (name, content) => {
    const resolved = path.join(dir, name);
    fs.writeFileSync(resolved, content);
    return { written: name, resolved };
  };
}

/** Loads a source with the fields the compiler derives for it. */
export function load(source: DataSource, seed = 1) {
  return loadDataset(source, dataFields(source), seed);
}

/** An IDX file: magic 0x000008NN, big-endian sizes, then the bytes. */
export function idxBytes(
  dims: readonly number[],
  data: ArrayLike<number>,
  magic?: number,
): Uint8Array {
  const bytes = new Uint8Array(4 + 4 * dims.length + data.length);
  const view = new DataView(bytes.buffer);
  view.setUint32(0, magic ?? 0x0800 | dims.length);
  dims.forEach((d, i) => view.setUint32(4 + 4 * i, d));
  bytes.set(Array.from(data), 4 + 4 * dims.length);
  return bytes;
}

export function mean(values: ArrayLike<number>): number {
  let sum = 0;
  for (let i = 0; i < values.length; i++) sum += values[i]!;
  return sum / values.length;
}

/** How many samples have each label. */
export function labelCounts(labels: ArrayLike<number>, classes: number): number[] {
  const counts = new Array<number>(classes).fill(0);
  for (let i = 0; i < labels.length; i++) counts[labels[i]!]!++;
  return counts;
}

/** Whether two arrays hold the same numbers (fast on millions of elements). */
export function sameNumbers(a: Float32Array, b: Float32Array): boolean {
  return (
    a.length === b.length &&
    Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(
      Buffer.from(b.buffer, b.byteOffset, b.byteLength),
    )
  );
}
