import { describe, expect, it } from 'vitest';
import type { Kernel } from '../../src/runtime/cpu/kernel.js';
import { optimizerKernels } from '../../src/runtime/cpu/kernels/optimizers.js';
import type { PrimAttrMap } from '../../src/runtime/program.js';
import { runtimeShapeRules, type RuntimeShapeRule } from '../../src/runtime/runtimeShapes.js';
import { callKernel, testValues } from '../helpers/kernels.js';

/*
 * Multi-parameter optimizer instructions (after optimizer fusion): inputs are groups
 * [param, grad, ...state] one after another, outputs groups [param, ...state]. For every
 * optimizer and state variant, several steps of one instruction over three parameters of
 * different sizes must give exactly (float64, the same operations) what one instruction per
 * parameter gives, step by step; gradients and initial states differ between parameters, so
 * an update that reads another group's tensors fails.
 */

type OptimizerKind = keyof typeof optimizerKernels;

interface Variant<K extends OptimizerKind = OptimizerKind> {
  readonly op: K;
  readonly attrs: PrimAttrMap[K];
  /** State tensors per parameter, and which of them must stay non-negative. */
  readonly state: readonly ('signed' | 'positive')[];
}

const variants: Variant[] = [
  { op: 'sgd_update', attrs: { momentum: 0, nesterov: false, weightDecay: 0 }, state: [] },
  { op: 'sgd_update', attrs: { momentum: 0, nesterov: false, weightDecay: 0.01 }, state: [] },
  {
    op: 'sgd_update',
    attrs: { momentum: 0.9, nesterov: false, weightDecay: 0 },
    state: ['signed'],
  },
  {
    op: 'sgd_update',
    attrs: { momentum: 0.8, nesterov: true, weightDecay: 1e-3 },
    state: ['signed'],
  },
  { op: 'adagrad_update', attrs: { eps: 1e-10, weightDecay: 0.01 }, state: ['positive'] },
  ...(
    [
      [false, 0],
      [false, 0.01],
      [true, 0.01],
    ] as const
  ).map(([decoupled, weightDecay]): Variant => ({
    op: 'adam_update',
    attrs: { beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay, decoupled },
    state: ['signed', 'positive'],
  })),
  {
    op: 'rmsprop_update',
    attrs: { alpha: 0.99, eps: 1e-8, momentum: 0, weightDecay: 0.001 },
    state: ['positive'],
  },
  {
    op: 'rmsprop_update',
    attrs: { alpha: 0.9, eps: 1e-8, momentum: 0.5, weightDecay: 0 },
    state: ['positive', 'signed'],
  },
];

const sizes = [1, 7, 13];
const steps = 4;
const lr = 0.05;

/** A parameter's tensors: param first, then its state. */
type Tensors = number[][];

function initial(v: Variant, n: number, seed: number): Tensors {
  return [
    testValues(n, seed),
    ...v.state.map((kind, j) => {
      const values = testValues(n, seed + 10 + j);
      return kind === 'positive' ? values.map((x) => (x + 1) / 2) : values;
    }),
  ];
}

const gradient = (n: number, seed: number, t: number) => testValues(n, 1000 * t + seed);

/** One instruction over `groups` (param, ...state each) at step t, in place; returns them. */
function step(v: Variant, groups: readonly Tensors[], seeds: readonly number[], t: number) {
  const inputs = groups.flatMap((g, k) => {
    const shape = [g[0]!.length];
    const [param, ...state] = g;
    return [param!, gradient(shape[0]!, seeds[k]!, t), ...state].map((data) => ({ data, shape }));
  });
  const width = 2 + v.state.length;
  // Output j of group k is input (k·width + j), skipping the gradient.
  const inPlace: Record<number, number> = {};
  groups.forEach((_, k) => {
    for (let j = 0; j <= v.state.length; j++) {
      inPlace[k * (1 + v.state.length) + j] = k * width + (j === 0 ? 0 : j + 1);
    }
  });
  const rule = runtimeShapeRules[v.op] as RuntimeShapeRule<OptimizerKind>;
  const shapes = rule(
    v.attrs,
    inputs.map((i) => i.shape),
    [],
  );
  const kernel = optimizerKernels[v.op] as Kernel<OptimizerKind>;
  const outputs = callKernel(kernel, v.attrs, inputs, shapes, { ctx: { lr, t }, inPlace });
  const per = 1 + v.state.length;
  return groups.map((_, k) => outputs.slice(k * per, (k + 1) * per).map((b) => Array.from(b)));
}

describe('a multi-parameter optimizer instruction equals one instruction per parameter', () => {
  for (const v of variants) {
    it(`${v.op} ${JSON.stringify(v.attrs)}`, () => {
      const seeds = sizes.map((_, k) => 31 * (k + 1));
      let fused = sizes.map((n, k) => initial(v, n, seeds[k]!));
      let apart = fused.map((g) => g.map((x) => [...x]));
      for (let t = 1; t <= steps; t++) {
        fused = step(v, fused, seeds, t);
        apart = apart.map((g, k) => step(v, [g], [seeds[k]!], t)[0]!);
        expect(fused).toEqual(apart);
      }
      // The updates did move every parameter.
      fused.forEach((g, k) => expect(g[0]).not.toEqual(initial(v, sizes[k]!, seeds[k]!)[0]));
    });
  }

  it('refuses operand lists that do not cut into whole groups', () => {
    const adam = variants.find((v) => v.op === 'adam_update')!;
    const shape = [2];
    const five = Array.from({ length: 5 }, () => ({ data: [0.5, 0.5], shape }));
    const kernel = optimizerKernels.adam_update as Kernel<OptimizerKind>;
    expect(() => callKernel(kernel, adam.attrs, five, [shape, shape, shape])).toThrow(
      /groups of 4 inputs and 3 outputs, got 5 and 3/,
    );
    const rule = runtimeShapeRules.adam_update as RuntimeShapeRule<'adam_update'>;
    expect(() =>
      rule(
        adam.attrs as PrimAttrMap['adam_update'],
        five.map((i) => i.shape),
        [],
      ),
    ).toThrow(/groups of 4 inputs/);
  });

  it('the run-time shape rule gives each group its own parameter shape', () => {
    const rule = runtimeShapeRules.sgd_update;
    const attrs = { momentum: 0.9, nesterov: false, weightDecay: 0 };
    expect(rule(attrs, [[2, 3], [2, 3], [2, 3], [5], [5], [5]], [])).toEqual([
      [2, 3],
      [2, 3],
      [5],
      [5],
    ]);
    expect(() => rule(attrs, [[2, 3], [2, 3], [2, 3], [5], [4], [5]], [])).toThrow(
      /group 2, input 2 vs its param/,
    );
  });
});
