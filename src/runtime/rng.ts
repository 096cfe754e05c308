/*
 * Counter-based random numbers: every number is a pure function of (seed, stream, counter,
 * index), built only from 32-bit integer multiplies, xors and shifts, so the WebGPU kernels
 * compute the very same bits in WGSL and a run does not depend on the order in which
 * elements are produced. The mixer is the murmur3 finalizer applied to a running hash of
 * the four words; it passes the statistical checks in test/runtime/rng.test.ts, which is all
 * that training needs (this is not a cryptographic generator).
 */

function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** A uniformly distributed 32-bit word for (seed, stream, counter, index). */
export function randomWord(seed: number, stream: number, counter: number, index: number): number {
  let h = fmix32((seed ^ 0x9e3779b9) >>> 0);
  h = fmix32((h ^ Math.imul(stream + 1, 0x85ebca77)) >>> 0);
  h = fmix32((h ^ Math.imul(counter + 1, 0xc2b2ae3d)) >>> 0);
  return fmix32((h ^ Math.imul(index + 1, 0x27d4eb2f)) >>> 0);
}

/** Uniform in [0, 1) with 24 bits, exactly representable in float32. */
export function randomUniform(
  seed: number,
  stream: number,
  counter: number,
  index: number,
): number {
  return (randomWord(seed, stream, counter, index) >>> 8) / 16777216;
}

/**
 * Standard normal by Box–Muller from two words of the stream (indices 2i and 2i+1), so
 * element i needs no other element. `u1` is kept away from 0 so the log is finite.
 */
export function randomNormal(seed: number, stream: number, counter: number, index: number): number {
  const u1 = ((randomWord(seed, stream, counter, 2 * index) >>> 8) + 1) / 16777217;
  const u2 = (randomWord(seed, stream, counter, 2 * index + 1) >>> 8) / 16777216;
  return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
}

/** A permutation of 0..n-1 (Fisher–Yates driven by the counter-based words). */
export function randomPermutation(
  n: number,
  seed: number,
  stream: number,
  counter: number,
): Uint32Array {
  const order = new Uint32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  for (let i = n - 1; i > 0; i--) {
    // Multiply-shift keeps the draw unbiased enough for n far below 2^32.
    const j = Math.floor((randomWord(seed, stream, counter, i) / 4294967296) * (i + 1));
    const t = order[i]!;
    order[i] = order[j]!;
    order[j] = t;
  }
  return order;
}

/** Well-known stream numbers, so independent uses of one seed never share numbers. */
export const streams = {
  /** Parameter initialization: stream = initBase + parameter index. */
  initBase: 1 << 20,
  /** Shuffling the training set (counter = epoch). */
  shuffle: 1,
  /** Splitting off the validation set. */
  validation: 2,
  /** Data augmentation (counter = step). */
  augment: 3,
  /** Toy data generators (xor, moons, spirals). */
  toyData: 4,
  /** Random instructions of programs: stream = instrBase + instruction stream attribute. */
  instrBase: 1 << 16,
} as const;
