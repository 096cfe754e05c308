import { log1p } from './math.js';
import type { WgslFunction } from './shader.js';

/*
 * rng.ts in WGSL. The words are integer arithmetic only, and u32 multiplication wraps modulo
 * 2^32 as Math.imul does, so `random_word_` returns the very bits of `randomWord` for the
 * same (seed, stream, counter, index), and `random_uniform_` the very value of
 * `randomUniform` (a 24-bit integer over 2^24 is exact in float32). Arguments are the u32
 * words of the TypeScript numbers (a u32 uniform stores them modulo 2^32, which is what
 * Math.imul and ^ see); the + 1 of each word wraps the same way on both sides.
 *
 * `random_normal_` draws the same two words as `randomNormal` but evaluates Box–Muller in
 * float32 with the device's log, sqrt and cos, so it matches to about 1e-6 absolute, not bit
 * for bit (the tests state the tolerance). Two rewrites keep float32 from losing more:
 * u1 = (w1 + 1)/(2^24 + 1) is no float32 (2^24 + 1 rounds to 2^24, which would make u1 = 1
 * and the sample 0), so −log u1 is computed as log1p((2^24 − w1)/(w1 + 1)), exact integers
 * divided once; and cos(2π·u2) as −cos(2π·(u2 − ½)), whose argument lies in [−π, π), where
 * device cosines are most accurate.
 */

/** The murmur3 finalizer. */
export const fmix32: WgslFunction = {
  code: `
fn fmix32_(word: u32) -> u32 {
  var h = word;
  h = h ^ (h >> 16u);
  h = h * 0x85ebca6bu;
  h = h ^ (h >> 13u);
  h = h * 0xc2b2ae35u;
  h = h ^ (h >> 16u);
  return h;
}`,
};

/** randomWord(seed, stream, counter, index). */
export const randomWord: WgslFunction = {
  code: `
fn random_word_(seed: u32, stream: u32, counter: u32, index: u32) -> u32 {
  var h = fmix32_(seed ^ 0x9e3779b9u);
  h = fmix32_(h ^ ((stream + 1u) * 0x85ebca77u));
  h = fmix32_(h ^ ((counter + 1u) * 0xc2b2ae3du));
  return fmix32_(h ^ ((index + 1u) * 0x27d4eb2fu));
}`,
  uses: [fmix32],
};

/** randomUniform: in [0, 1), 24 bits. */
export const randomUniform: WgslFunction = {
  code: `
fn random_uniform_(seed: u32, stream: u32, counter: u32, index: u32) -> f32 {
  return f32(random_word_(seed, stream, counter, index) >> 8u) / 16777216.0;
}`,
  uses: [randomWord],
};

/** randomNormal: words 2·index and 2·index + 1 (both modulo 2^32, as on the CPU). */
export const randomNormal: WgslFunction = {
  code: `
fn random_normal_(seed: u32, stream: u32, counter: u32, index: u32) -> f32 {
  let w1 = random_word_(seed, stream, counter, 2u * index) >> 8u;
  let w2 = random_word_(seed, stream, counter, 2u * index + 1u) >> 8u;
  let minus_log_u1 = log1p_(f32(16777216u - w1) / f32(w1 + 1u));
  let centered = f32(w2) / 16777216.0 - 0.5;
  return -sqrt(2.0 * minus_log_u1) * cos(6.283185307179586 * centered);
}`,
  uses: [randomWord, log1p],
};
