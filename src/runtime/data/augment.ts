import type { Shape } from '../../compiler/ir/ops.js';
import type { Augmentation } from '../../compiler/train/trainConfig.js';
import { randomUniform, streams } from '../rng.js';

/*
 * Augmentation of training batches of images [C, H, W], applied in the listed order. Every
 * random number is a pure function of (seed, stream `augment`, counter = step, index), so a
 * run repeats exactly and no state is kept between batches. For sample s of the batch,
 * image field f (of F) and augmentation k (of A), draw d (at most 2) is at index
 * ((s·F + f)·A + k)·2 + d. The result is a new array; the batch is not changed.
 */

export interface AugmentDraws {
  readonly seed: number;
  /** The training step (batch number counted over the whole run). */
  readonly step: number;
  /** Which image field of the batch this is, of `fields` (pairs have two: `x1`, `x2`). */
  readonly field?: number;
  readonly fields?: number;
}

/** Augments `count` images of `shape` ([C, H, W]) stored one after another. */
export function augmentImages(
  images: Float32Array,
  shape: Shape,
  count: number,
  augmentations: readonly Augmentation[],
  draws: AugmentDraws,
): Float32Array {
  if (shape.length !== 3) {
    throw new Error(
      `internal error: augmentation needs images [C, H, W], got [${shape.join(', ')}]`,
    );
  }
  const [channels, height, width] = shape as readonly [number, number, number];
  const size = channels * height * width;
  const field = draws.field ?? 0;
  const fields = draws.fields ?? 1;
  let current = images;
  augmentations.forEach((augmentation, k) => {
    const next = new Float32Array(current.length);
    for (let s = 0; s < count; s++) {
      const base = ((s * fields + field) * augmentations.length + k) * 2;
      const draw = (d: number) => randomUniform(draws.seed, streams.augment, draws.step, base + d);
      const image = current.subarray(s * size, (s + 1) * size);
      const out = next.subarray(s * size, (s + 1) * size);
      switch (augmentation.kind) {
        case 'shift': {
          const p = augmentation.pixels;
          const dx = Math.floor(draw(0) * (2 * p + 1)) - p;
          const dy = Math.floor(draw(1) * (2 * p + 1)) - p;
          shiftImage(image, out, channels, height, width, dx, dy);
          break;
        }
        case 'flip_horizontal':
          if (draw(0) < 0.5) flipImage(image, out, channels * height, width);
          else out.set(image);
          break;
        case 'brightness': {
          const offset = (2 * draw(0) - 1) * augmentation.delta;
          for (let i = 0; i < size; i++) out[i] = image[i]! + offset;
          break;
        }
      }
    }
    current = next;
  });
  return augmentations.length ? current : images.slice();
}

/**
 * Augments the image fields of a batch (`images`: their names and shapes, in a fixed order
 * that numbers them for the random draws); other fields are returned as they are.
 */
export function augmentBatch(
  batch: Readonly<Record<string, Float32Array>>,
  count: number,
  images: readonly { readonly name: string; readonly shape: Shape }[],
  augmentations: readonly Augmentation[],
  seed: number,
  step: number,
): Record<string, Float32Array> {
  const result = { ...batch };
  images.forEach(({ name, shape }, field) => {
    const data = batch[name];
    if (!data) throw new Error(`internal error: no image field \`${name}\` in the batch`);
    result[name] = augmentImages(data, shape, count, augmentations, {
      seed,
      step,
      field,
      fields: images.length,
    });
  });
  return result;
}

/** out[c, y, x] = image[c, y - dy, x - dx], 0 where that falls outside the image. */
function shiftImage(
  image: Float32Array,
  out: Float32Array,
  channels: number,
  height: number,
  width: number,
  dx: number,
  dy: number,
): void {
  for (let c = 0; c < channels; c++) {
    for (let y = 0; y < height; y++) {
      const sy = y - dy;
      if (sy < 0 || sy >= height) continue;
      for (let x = 0; x < width; x++) {
        const sx = x - dx;
        if (sx >= 0 && sx < width)
          out[(c * height + y) * width + x] = image[(c * height + sy) * width + sx]!;
      }
    }
  }
}

/** Mirrors every row of `rows` rows left-right. */
function flipImage(image: Float32Array, out: Float32Array, rows: number, width: number): void {
  for (let r = 0; r < rows; r++) {
    for (let x = 0; x < width; x++) out[r * width + x] = image[r * width + width - 1 - x]!;
  }
}
