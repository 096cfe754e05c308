import { expect } from 'vitest';
import type { Feeds } from '../../src/runtime/model.js';
import type { Program } from '../../src/runtime/program.js';

/*
 * What the tests of fused against unfused programs share: deterministic feeds for a program,
 * and the comparison at 1e-9 relative (float64 runs that reorder a few operations).
 */

export function feedsFor(program: Program, n: number, seed: number): Feeds {
  let s = seed;
  const next = () => (s = (Math.imul(s, 1103515245) + 12345) >>> 0) / 2 ** 32;
  const feeds: Record<string, Float32Array> = {};
  for (const decl of program.tensors) {
    if (decl.storage !== 'feed' || feeds[decl.name]) continue;
    const size = (decl.batched ? n : 1) * decl.shape.reduce((a, d) => a * d, 1);
    // Labels are class indices; anything else gets values in [0, 1).
    const classes = decl.name === 'label' ? 10 : 0;
    feeds[decl.name] = Float32Array.from({ length: size }, () =>
      classes ? Math.floor(next() * classes) : next(),
    );
  }
  return feeds;
}

export function close(a: ArrayLike<number>, b: ArrayLike<number>, what: string): void {
  expect(a.length, what).toBe(b.length);
  for (let i = 0; i < a.length; i++) {
    const tolerance = 1e-9 * Math.max(1, Math.abs(b[i]!));
    if (!(Math.abs(a[i]! - b[i]!) <= tolerance))
      expect.fail(`${what}[${i}]: fused ${a[i]} vs unfused ${b[i]}`);
  }
}
