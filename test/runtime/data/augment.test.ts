import { describe, expect, it } from 'vitest';
import type { Augmentation } from '../../../src/compiler/train/trainConfig.js';
import { augmentBatch, augmentImages } from '../../../src/runtime/data/augment.js';

const shape = [1, 5, 5] as const;
const size = 25;

/** `count` images whose pixel p of image s is s + p/100 (so every pixel is distinct). */
function images(count: number, channels = 1): Float32Array {
  return Float32Array.from(
    { length: count * channels * size },
    (_, i) => Math.floor(i / (channels * size)) + (i % (channels * size)) / 100,
  );
}

const run = (augmentations: Augmentation[], step = 0, seed = 1, count = 8) =>
  augmentImages(images(count), shape, count, augmentations, { seed, step });

describe('augmentation', () => {
  const all: Augmentation[] = [
    { kind: 'shift', pixels: 2 },
    { kind: 'flip_horizontal' },
    { kind: 'brightness', delta: 0.1 },
  ];

  it('keeps the batch size and does not change its input', () => {
    const input = images(8);
    const copy = input.slice();
    expect(augmentImages(input, shape, 8, all, { seed: 1, step: 0 }).length).toBe(input.length);
    expect(input).toEqual(copy);
  });

  it('is deterministic per (seed, step) and differs between steps and seeds', () => {
    expect(run(all, 3)).toEqual(run(all, 3));
    expect(run(all, 4)).not.toEqual(run(all, 3));
    expect(run(all, 3, 2)).not.toEqual(run(all, 3));
  });

  it('shifts by whole pixels within the bound, filling with 0', () => {
    const out = run([{ kind: 'shift', pixels: 1 }], 0, 1, 50);
    const input = images(50);
    const moves = new Set<string>();
    for (let s = 0; s < 50; s++) {
      const found = [-1, 0, 1]
        .flatMap((dy) => [-1, 0, 1].map((dx) => [dx, dy] as const))
        .filter(([dx, dy]) => {
          for (let y = 0; y < 5; y++) {
            for (let x = 0; x < 5; x++) {
              const [sx, sy] = [x - dx, y - dy];
              const inside = sx >= 0 && sx < 5 && sy >= 0 && sy < 5;
              const want = inside ? input[s * size + sy * 5 + sx]! : 0;
              if (out[s * size + y * 5 + x] !== want) return false;
            }
          }
          return true;
        });
      expect(found).toHaveLength(1);
      moves.add(found[0]!.join());
    }
    expect(moves.size).toBe(9);
  });

  it('mirrors about half of the images left-right and leaves the others', () => {
    const out = run([{ kind: 'flip_horizontal' }], 0, 1, 200);
    const input = images(200);
    let flipped = 0;
    for (let s = 0; s < 200; s++) {
      const row = (a: Float32Array) => Array.from(a.subarray(s * size, s * size + 5));
      if (row(out)[0] === row(input)[4]) {
        flipped++;
        expect(row(out)).toEqual(row(input).reverse());
      } else expect(row(out)).toEqual(row(input));
    }
    expect(flipped).toBeGreaterThan(70);
    expect(flipped).toBeLessThan(130);
  });

  it('adds one offset within [-delta, delta] to every pixel of an image', () => {
    const out = run([{ kind: 'brightness', delta: 0.1 }], 0, 1, 100);
    const input = images(100);
    const offsets = new Set<number>();
    for (let s = 0; s < 100; s++) {
      const offset = out[s * size]! - input[s * size]!;
      expect(Math.abs(offset)).toBeLessThanOrEqual(0.1 + 1e-6);
      for (let p = 1; p < size; p++)
        expect(out[s * size + p]! - input[s * size + p]!).toBeCloseTo(offset, 5);
      offsets.add(Math.round(offset * 1e4));
    }
    expect(offsets.size).toBeGreaterThan(90);
  });

  it('moves every channel of an image alike', () => {
    const one = images(4);
    const three = new Float32Array(4 * 3 * size);
    for (let s = 0; s < 4; s++) {
      for (let c = 0; c < 3; c++)
        three.set(one.subarray(s * size, (s + 1) * size), (s * 3 + c) * size);
    }
    const moves: Augmentation[] = [{ kind: 'shift', pixels: 2 }, { kind: 'flip_horizontal' }];
    const out = augmentImages(three, [3, 5, 5], 4, moves, { seed: 1, step: 0 });
    for (let s = 0; s < 4; s++) {
      const channel = (c: number) => out.subarray((s * 3 + c) * size, (s * 3 + c + 1) * size);
      expect(channel(1)).toEqual(channel(0));
      expect(channel(2)).toEqual(channel(0));
    }
  });

  it('augments the image fields of a batch independently and leaves the others', () => {
    const batch = { x1: images(8), x2: images(8), same: new Float32Array(8) };
    const fields = [
      { name: 'x1', shape },
      { name: 'x2', shape },
    ];
    const out = augmentBatch(batch, 8, fields, all, 1, 0);
    expect(out.same).toBe(batch.same);
    expect(out.x1).not.toEqual(out.x2);
    expect(out.x1!.length).toBe(batch.x1.length);
    expect(augmentBatch(batch, 8, fields, all, 1, 0)).toEqual(out);
  });
});
