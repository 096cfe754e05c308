import { randomNormal, randomUniform, streams } from '../rng.js';
import type { SourceSamples } from './sourceSamples.js';

/*
 * The toy 2-D problems, generated from the counter-based RNG (stream `toyData`, counter 0
 * for the training set and 1 for the test set, which is a second draw of the same size).
 * Sample i owns the words 8i..8i+7 of its counter: uniform draw j is word 8i + j (j < 4) and
 * normal draw j takes words 8i + 4 + 2j and 8i + 5 + 2j (Box–Muller). Samples come in class
 * order; the trainer shuffles batches, so the order carries no information.
 */

export type ToySource =
  | { readonly kind: 'xor'; readonly n: number; readonly noise: number }
  | { readonly kind: 'moons'; readonly n: number; readonly noise: number }
  | {
      readonly kind: 'spirals';
      readonly n: number;
      readonly classes: number;
      readonly noise: number;
    };

type Draw = (i: number, j: number) => number;
type Point = readonly [x: number, y: number, label: number];

/** The training set (`part` 0) or the test set (`part` 1) of a toy source. */
export function toySamples(source: ToySource, seed: number, part: 0 | 1): SourceSamples {
  const x = new Float32Array(source.n * 2);
  const labels = new Float32Array(source.n);
  const uniform: Draw = (i, j) => randomUniform(seed, streams.toyData, part, 8 * i + j);
  const normal: Draw = (i, j) => randomNormal(seed, streams.toyData, part, 4 * i + 2 + j);
  for (let i = 0; i < source.n; i++) {
    const [px, py, label] = toyPoint(source, i, uniform, normal);
    x[2 * i] = px;
    x[2 * i + 1] = py;
    labels[i] = label;
  }
  return { count: source.n, features: [{ shape: [2], data: x }], labels };
}

function toyPoint(source: ToySource, i: number, uniform: Draw, normal: Draw): Point {
  switch (source.kind) {
    case 'xor':
      return xorPoint(source.noise, i, normal);
    case 'moons':
      return moonPoint(source.n, source.noise, i, uniform, normal);
    case 'spirals':
      return spiralPoint(source.classes, source.noise, i, uniform, normal);
  }
}

/**
 * Point i sits at corner i mod 4 of the unit square ((0,0), (0,1), (1,0), (1,1)) plus
 * Gaussian jitter of std `noise` on each coordinate; the label is the XOR of the corner's
 * coordinates, so the classes are balanced (exactly when n is a multiple of 4).
 */
function xorPoint(noise: number, i: number, normal: Draw): Point {
  const cx = (i >> 1) & 1;
  const cy = i & 1;
  return [cx + noise * normal(i, 0), cy + noise * normal(i, 1), cx ^ cy];
}

/**
 * scikit-learn's `make_moons`: the first floor(n/2) points (label 0) on the upper half
 * circle (cos t, sin t), the others (label 1) on the lower one (1 - cos t, 1/2 - sin t),
 * t in [0, π], plus Gaussian jitter of std `noise`. Unlike scikit-learn, which spaces t
 * evenly, t is drawn uniformly, so the test set is a fresh draw even without noise.
 */
function moonPoint(n: number, noise: number, i: number, uniform: Draw, normal: Draw): Point {
  const t = Math.PI * uniform(i, 0);
  const outer = i < Math.floor(n / 2);
  const px = outer ? Math.cos(t) : 1 - Math.cos(t);
  const py = outer ? Math.sin(t) : 0.5 - Math.sin(t);
  return [px + noise * normal(i, 0), py + noise * normal(i, 1), outer ? 0 : 1];
}

/**
 * `classes` arms (CS231n's spiral data, with the arms spread evenly around the circle):
 * point i belongs to arm c = i mod classes; at a radius r drawn uniformly in [0, 1] the arm
 * is at angle θ = 2πc/classes + 4r, jittered by Gaussian noise of std `noise` (radians), and
 * the point is r·(sin θ, cos θ). The arms differ in size by at most one point.
 */
function spiralPoint(
  classes: number,
  noise: number,
  i: number,
  uniform: Draw,
  normal: Draw,
): Point {
  const arm = i % classes;
  const r = uniform(i, 0);
  const theta = (2 * Math.PI * arm) / classes + 4 * r + noise * normal(i, 0);
  return [r * Math.sin(theta), r * Math.cos(theta), arm];
}
