import type { Buffer } from '../kernel.js';

/*
 * Small readers shared by the spatial kernels. The interpreter hands a kernel exactly the
 * operands its instruction lists, so a missing operand or a shape of the wrong rank means the
 * compiler built a bad program: these throw and say so instead of computing garbage.
 */

/** Dimensions of a batched image tensor laid out [N, C, H, W]. */
export interface ImageDims {
  readonly n: number;
  readonly c: number;
  readonly h: number;
  readonly w: number;
}

/** Entry `index` of an operand list (buffers or shapes). */
export function operand<T>(list: readonly T[], index: number, op: string): T {
  const value = list[index];
  if (value === undefined) {
    throw new Error(`compiler bug: \`${op}\` is missing operand ${index}`);
  }
  return value;
}

/** Reads [N, C, H, W] from a run-time shape. */
export function imageDims(shape: readonly number[], op: string): ImageDims {
  if (shape.length !== 4) {
    throw new Error(`compiler bug: \`${op}\` expects an [N, C, H, W] tensor, got [${shape}]`);
  }
  const [n, c, h, w] = shape as readonly [number, number, number, number];
  return { n, c, h, w };
}

/**
 * Adds `bias[c]` to every element of channel c of a tensor [N, C, ...]. `plane` is the number
 * of elements per channel (H·W for images, 1 for vectors).
 */
export function addChannelBias(
  acc: Float64Array,
  bias: Buffer,
  batch: number,
  channels: number,
  plane: number,
): void {
  for (let n = 0; n < batch; n++) {
    for (let c = 0; c < channels; c++) {
      const start = (n * channels + c) * plane;
      for (let p = 0; p < plane; p++) acc[start + p]! += bias[c]!;
    }
  }
}
