/*
 * The error function to float64 accuracy (GELU needs the normal CDF Φ). JavaScript has no
 * Math.erf, and the usual short rational approximations stop near 1e-7, too coarse for an
 * oracle. Two classical expansions cover the real line, each where it converges fast and
 * without cancellation:
 *
 * - |x| < 1.5: erf(x) = (2/√π)·e^(−x²)·Σₙ (2x²)ⁿ·x / (1·3·5···(2n+1)). Every term is
 *   positive, so, unlike the alternating Taylor series, no digits cancel. The terms grow
 *   while 2n+1 < 2x² and then fall geometrically; at x = 1.5 about 40 are needed.
 * - x ≥ 1.5: Laplace's continued fraction
 *   erfc(x) = (e^(−x²)/√π) · 1/(x + (1/2)/(x + (2/2)/(x + (3/2)/(x + ...)))),
 *   evaluated backwards from a fixed depth. The cut-off tail matters less the larger x
 *   is: depth 120 is within 1e-16 (relative) of erfc from x = 1.25 on, and 1e-12 already
 *   at x = 1 (measured against 40-digit values); the tests pin values on both sides.
 *
 * erfc is computed directly in the tail, so Φ(x) for very negative x keeps its relative
 * precision instead of being 1 − (almost 1).
 */

const TWO_OVER_SQRT_PI = 1.1283791670955126;
const ONE_OVER_SQRT_PI = 0.5641895835477563;
const SERIES_LIMIT = 1.5;
const FRACTION_DEPTH = 120;

/** The positive series above, for 0 ≤ x < SERIES_LIMIT. */
function erfSeries(x: number): number {
  const twoXSquared = 2 * x * x;
  let term = x;
  let sum = x;
  // A bound on the loop only guards against a NaN never meeting the stopping test.
  for (let n = 1; n < 500; n++) {
    term *= twoXSquared / (2 * n + 1);
    sum += term;
    if (term <= sum * 1e-17) break;
  }
  return TWO_OVER_SQRT_PI * Math.exp(-x * x) * sum;
}

/** The continued fraction above, for x ≥ SERIES_LIMIT. */
function erfcFraction(x: number): number {
  let tail = x;
  for (let k = FRACTION_DEPTH; k >= 1; k--) tail = x + k / 2 / tail;
  return (ONE_OVER_SQRT_PI * Math.exp(-x * x)) / tail;
}

export function erf(x: number): number {
  if (x < 0) return -erf(-x);
  if (x < SERIES_LIMIT) return erfSeries(x);
  return 1 - erfcFraction(x);
}

/** 1 − erf(x), accurate in relative terms for large positive x. */
export function erfc(x: number): number {
  if (x < SERIES_LIMIT) return 1 - erf(x);
  return erfcFraction(x);
}

/** Φ(x), the standard normal CDF, as ½·erfc(−x/√2). */
export function normalCdf(x: number): number {
  return 0.5 * erfc(-x * Math.SQRT1_2);
}

/** φ(x), the standard normal density. */
export function normalPdf(x: number): number {
  return Math.exp(-0.5 * x * x) * ONE_OVER_SQRT_PI * Math.SQRT1_2;
}
