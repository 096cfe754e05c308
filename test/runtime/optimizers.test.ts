import { describe, expect, it } from 'vitest';
import type { Kernel } from '../../src/runtime/cpu/kernel.js';
import { optimizerKernels } from '../../src/runtime/cpu/kernels/optimizers.js';
import type { PrimAttrMap } from '../../src/runtime/program.js';
import { callKernel } from '../helpers/kernels.js';

/*
 * Each optimizer against steps worked out by hand from torch.optim's update rules: the
 * comments carry the arithmetic, the numbers are its results. Everything runs in float64,
 * so the tolerance only absorbs the rounding of the hand-written decimals.
 */

type OptimizerKind = keyof typeof optimizerKernels;

interface Run {
  /** The parameter after each step. */
  readonly params: number[][];
  /** The state tensors after the last step. */
  readonly state: number[][];
}

/**
 * Runs `grads.length` steps of one optimizer on a parameter `start` whose state tensors
 * (`stateCount` of them) start at `initialState` (zero by default), with t = 1, 2, …
 * `grad` may depend on the parameter (for the convergence tests).
 */
function runSteps<K extends OptimizerKind>(
  kind: K,
  attrs: PrimAttrMap[K],
  options: {
    readonly start: readonly number[];
    readonly lr: number;
    readonly stateCount: number;
    readonly steps: number;
    readonly grad: (param: readonly number[], t: number) => readonly number[];
    readonly initialState?: readonly (readonly number[])[];
  },
): Run {
  const kernel = optimizerKernels[kind] as Kernel<K>;
  const shape = [options.start.length];
  let param = [...options.start];
  let state: number[][] = Array.from({ length: options.stateCount }, (_, j) => [
    ...(options.initialState?.[j] ?? param.map(() => 0)),
  ]);
  const params: number[][] = [];
  for (let t = 1; t <= options.steps; t++) {
    const inputs = [param, options.grad(param, t), ...state].map((data) => ({ data, shape }));
    // Output 0 is the parameter (input 0), output j > 0 the state tensor j (input j + 1).
    const inPlace: Record<number, number> = { 0: 0 };
    for (let j = 1; j <= options.stateCount; j++) inPlace[j] = j + 1;
    const outputs = callKernel(
      kernel,
      attrs,
      inputs,
      inputs.filter((_, i) => i !== 1).map(() => shape),
      { ctx: { lr: options.lr, t }, inPlace },
    );
    param = Array.from(outputs[0]!);
    state = outputs.slice(1).map((b) => Array.from(b));
    params.push(param);
  }
  return { params, state };
}

/** Steps with a fixed list of gradients, one per step. */
function withGrads<K extends OptimizerKind>(
  kind: K,
  attrs: PrimAttrMap[K],
  start: readonly number[],
  lr: number,
  stateCount: number,
  grads: readonly (readonly number[])[],
): Run {
  return runSteps(kind, attrs, {
    start,
    lr,
    stateCount,
    steps: grads.length,
    grad: (_, t) => grads[t - 1]!,
  });
}

function expectSteps(actual: readonly number[][], expected: readonly number[][], tol = 1e-9) {
  expect(actual.length).toBe(expected.length);
  actual.forEach((step, t) =>
    step.forEach((value, i) => expect(Math.abs(value - expected[t]![i]!)).toBeLessThan(tol)),
  );
}

const sgd = (momentum = 0, nesterov = false, weightDecay = 0) => ({
  momentum,
  nesterov,
  weightDecay,
});

describe('sgd_update', () => {
  it('steps against the gradient: p -= lr·g', () => {
    // lr 0.1. Step 1: [1, -2] - 0.1·[0.5, 0.25] = [0.95, -2.025].
    // Step 2: [0.95, -2.025] - 0.1·[0.2, -0.4] = [0.93, -1.985].
    const run = withGrads('sgd_update', sgd(), [1, -2], 0.1, 0, [
      [0.5, 0.25],
      [0.2, -0.4],
    ]);
    expectSteps(run.params, [
      [0.95, -2.025],
      [0.93, -1.985],
    ]);
  });

  it('adds weight decay to the gradient: g = grad + wd·p', () => {
    // lr 0.1, wd 0.1, grad 0.5. Step 1: g = 0.5 + 0.1·2 = 0.7, p = 2 - 0.07 = 1.93.
    // Step 2: g = 0.5 + 0.1·1.93 = 0.693, p = 1.93 - 0.0693 = 1.8607.
    const run = withGrads('sgd_update', sgd(0, false, 0.1), [2], 0.1, 0, [[0.5], [0.5]]);
    expectSteps(run.params, [[1.93], [1.8607]]);
  });

  it('accumulates momentum, the buffer starting as the first gradient', () => {
    // lr 0.1, momentum 0.9, grads 1, 0.5, -0.5.
    // Step 1: buf = 1 (the gradient itself), p = 1 - 0.1 = 0.9.
    // Step 2: buf = 0.9·1 + 0.5 = 1.4, p = 0.9 - 0.14 = 0.76.
    // Step 3: buf = 0.9·1.4 - 0.5 = 0.76, p = 0.76 - 0.076 = 0.684.
    const run = withGrads('sgd_update', sgd(0.9), [1], 0.1, 1, [[1], [0.5], [-0.5]]);
    expectSteps(run.params, [[0.9], [0.76], [0.684]]);
    expectSteps([run.state[0]!], [[0.76]]);
  });

  it('looks ahead with nesterov: direction = g + momentum·buf', () => {
    // lr 0.1, momentum 0.9, grads 1, 0.5, -0.5; buf as in the momentum case.
    // Step 1: buf = 1, direction = 1 + 0.9 = 1.9, p = 1 - 0.19 = 0.81.
    // Step 2: buf = 1.4, direction = 0.5 + 1.26 = 1.76, p = 0.81 - 0.176 = 0.634.
    // Step 3: buf = 0.76, direction = -0.5 + 0.684 = 0.184, p = 0.634 - 0.0184 = 0.6156.
    const run = withGrads('sgd_update', sgd(0.9, true), [1], 0.1, 1, [[1], [0.5], [-0.5]]);
    expectSteps(run.params, [[0.81], [0.634], [0.6156]]);
  });

  it('puts weight decay into the momentum buffer', () => {
    // lr 0.1, momentum 0.5, wd 0.1, grad 1.
    // Step 1: g = 1 + 0.1·1 = 1.1, buf = 1.1, p = 1 - 0.11 = 0.89.
    // Step 2: g = 1 + 0.089 = 1.089, buf = 0.55 + 1.089 = 1.639, p = 0.89 - 0.1639 = 0.7261.
    const run = withGrads('sgd_update', sgd(0.5, false, 0.1), [1], 0.1, 1, [[1], [1]]);
    expectSteps(run.params, [[0.89], [0.7261]]);
  });

  it('ignores whatever the velocity holds on the first step (t = 1)', () => {
    // PyTorch creates the buffer from the gradient: buf = 2, p = 1 - 0.1·2 = 0.8.
    const run = runSteps('sgd_update', sgd(0.9), {
      start: [1],
      lr: 0.1,
      stateCount: 1,
      steps: 1,
      grad: () => [2],
      initialState: [[5]],
    });
    expectSteps(run.params, [[0.8]]);
    expectSteps(run.state, [[2]]);
  });
});

describe('adagrad_update', () => {
  const adagrad = (eps = 1e-10, weightDecay = 0) => ({ eps, weightDecay });

  it('divides by the root of the summed squared gradients', () => {
    // lr 0.1. Step 1: sum = [0.09, 0.16], p = [1 - 0.1·0.3/0.3, -1 + 0.1·0.4/0.4] = [0.9, -0.9].
    // Step 2: sum = [0.25, 0.25], p = [0.9 - 0.1·0.4/0.5, -0.9 - 0.1·0.3/0.5] = [0.82, -0.96].
    // (eps = 1e-10 moves these by less than 1e-9.)
    const run = withGrads('adagrad_update', adagrad(), [1, -1], 0.1, 1, [
      [0.3, -0.4],
      [0.4, 0.3],
    ]);
    expectSteps(run.params, [
      [0.9, -0.9],
      [0.82, -0.96],
    ]);
    expectSteps(run.state, [[0.25, 0.25]]);
  });

  it('adds eps outside the square root', () => {
    // lr 0.1, eps 1, grad 3: sum = 9, p = 0 - 0.1·3/(sqrt(9) + 1) = -0.075.
    const run = withGrads('adagrad_update', adagrad(1), [0], 0.1, 1, [[3]]);
    expectSteps(run.params, [[-0.075]]);
  });

  it('adds weight decay to the gradient before accumulating it', () => {
    // lr 0.1, wd 0.5, grad 0.1. Step 1: g = 0.1 + 0.5 = 0.6, sum = 0.36, p = 1 - 0.1 = 0.9.
    // Step 2: g = 0.1 + 0.45 = 0.55, sum = 0.36 + 0.3025 = 0.6625, sqrt = 0.8139410298,
    // p = 0.9 - 0.055/0.8139410298 = 0.9 - 0.0675724628 = 0.8324275372.
    const run = withGrads('adagrad_update', adagrad(1e-10, 0.5), [1], 0.1, 1, [[0.1], [0.1]]);
    expectSteps(run.params, [[0.9], [0.8324275372]]);
  });
});

describe('adam_update', () => {
  const adam = (weightDecay = 0, decoupled = false) => ({
    beta1: 0.9,
    beta2: 0.999,
    eps: 1e-8,
    weightDecay,
    decoupled,
  });

  it('corrects the bias of both moments', () => {
    // lr 0.1, grads 0.5 then -0.25.
    // Step 1: m = 0.05, v = 0.00025; m̂ = 0.05/0.1 = 0.5, sqrt(v̂) = sqrt(0.00025/0.001) = 0.5,
    // p = 1 - 0.1·0.5/(0.5 + 1e-8) = 0.900000002.
    // Step 2: m = 0.045 - 0.025 = 0.02, v = 0.00024975 + 0.0000625 = 0.00031225;
    // m̂ = 0.02/0.19 = 0.1052631579, v̂ = 0.00031225/0.001999 = 0.1562031016,
    // sqrt(v̂) = 0.3952253808, p = 0.900000002 - 0.1·0.1052631579/0.3952253808
    // = 0.900000002 - 0.0266337033 = 0.8733662987.
    const run = withGrads('adam_update', adam(), [1], 0.1, 2, [[0.5], [-0.25]]);
    expectSteps(run.params, [[0.900000002], [0.8733662987]]);
    expectSteps(run.state, [[0.02], [0.00031225]]);
  });

  it('adds coupled weight decay to the gradient (adam)', () => {
    // lr 0.1, wd 0.1, grad 0.5. Step 1: g = 0.5 + 0.2 = 0.7, the first step moves by lr:
    // p = 2 - 0.1·0.7/(0.7 + 1e-8) = 1.9000000014.
    // Step 2: g = 0.5 + 0.19 = 0.69, m = 0.063 + 0.069 = 0.132,
    // v = 0.00048951 + 0.0004761 = 0.00096561; m̂ = 0.132/0.19 = 0.6947368422,
    // sqrt(v̂) = sqrt(0.00096561/0.001999) = 0.6950154843,
    // p = 1.9000000014 - 0.1·0.6947368422/0.6950154843 = 1.9000000014 - 0.0999599071
    // = 1.8000400944.
    const run = withGrads('adam_update', adam(0.1), [2], 0.1, 2, [[0.5], [0.5]]);
    expectSteps(run.params, [[1.9000000014], [1.8000400944]]);
  });

  it('shrinks the parameter before the step with decoupled weight decay (adamw)', () => {
    // lr 0.1, wd 0.1, grad 0.5 each step, so m̂ = 0.5 and sqrt(v̂) = 0.5 and the Adam step is
    // 0.1·0.5/(0.5 + 1e-8) = 0.099999998 both times.
    // Step 1: p = 2·(1 - 0.01) - 0.099999998 = 1.880000002.
    // Step 2: p = 1.880000002·0.99 - 0.099999998 = 1.76120000398.
    const run = withGrads('adam_update', adam(0.1, true), [2], 0.1, 2, [[0.5], [0.5]]);
    expectSteps(run.params, [[1.880000002], [1.761200004]]);
  });
});

describe('rmsprop_update', () => {
  const rmsprop = (momentum = 0, weightDecay = 0) => ({
    alpha: 0.99,
    eps: 1e-8,
    momentum,
    weightDecay,
  });

  it('divides by the root of the running squared average', () => {
    // lr 0.01, grad 1. Step 1: sq = 0.01, avg = 0.1 + 1e-8, p = 1 - 0.01/avg = 0.90000001.
    // Step 2: sq = 0.0099 + 0.01 = 0.0199, avg = sqrt(0.0199) + 1e-8 = 0.1410673698,
    // p = 0.90000001 - 0.01/avg = 0.90000001 - 0.0708881155 = 0.8291118945.
    const run = withGrads('rmsprop_update', rmsprop(), [1], 0.01, 1, [[1], [1]]);
    expectSteps(run.params, [[0.90000001], [0.8291118945]]);
    expectSteps(run.state, [[0.0199]]);
  });

  it('keeps a momentum buffer of scaled gradients', () => {
    // lr 0.01, momentum 0.9, grad 1. Step 1: buf = 1/(0.1 + 1e-8) = 9.999999, p = 0.90000001.
    // Step 2: avg = 0.1410673698, buf = 0.9·9.999999 + 1/avg = 8.9999991 + 7.0888115476
    // = 16.0888106476, p = 0.90000001 - 0.160888106476 = 0.7391119035.
    const run = withGrads('rmsprop_update', rmsprop(0.9), [1], 0.01, 2, [[1], [1]]);
    expectSteps(run.params, [[0.90000001], [0.7391119035]]);
  });

  it('adds weight decay to the gradient', () => {
    // lr 0.01, wd 0.1, grad 0. Step 1: g = 0.1, sq = 0.0001, p = 1 - 0.01·0.1/(0.01 + 1e-8)
    // = 0.9000001. Step 2: g = 0.1·0.9000001 = 0.09000001, sq = 0.000099 + 0.01·g²
    // = 0.000180000018, avg = 0.0134164185, p = 0.9000001 - 0.01·g/avg
    // = 0.9000001 - 0.0670819934 = 0.8329181066.
    const run = withGrads('rmsprop_update', rmsprop(0, 0.1), [1], 0.01, 1, [[0], [0]]);
    expectSteps(run.params, [[0.9000001], [0.8329181066]]);
  });
});

describe('optimizers minimize f(w) = ½‖w − c‖²', () => {
  const c = [3, -2, 0.5];
  const cases: [string, () => Run][] = [
    ['sgd', () => converge('sgd_update', sgd(), 0.1, 0)],
    ['sgd with momentum', () => converge('sgd_update', sgd(0.9), 0.1, 1)],
    ['sgd with nesterov momentum', () => converge('sgd_update', sgd(0.9, true), 0.1, 1)],
    ['adagrad', () => converge('adagrad_update', { eps: 1e-10, weightDecay: 0 }, 1, 1)],
    [
      'adam',
      () =>
        converge(
          'adam_update',
          { beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0, decoupled: false },
          0.1,
          2,
        ),
    ],
    [
      'adamw',
      () =>
        converge(
          'adam_update',
          { beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 1e-3, decoupled: true },
          0.1,
          2,
        ),
    ],
    [
      'rmsprop',
      () =>
        converge(
          'rmsprop_update',
          { alpha: 0.99, eps: 1e-8, momentum: 0, weightDecay: 0 },
          0.01,
          1,
        ),
    ],
    [
      'rmsprop with momentum',
      () =>
        converge(
          'rmsprop_update',
          { alpha: 0.99, eps: 1e-8, momentum: 0.9, weightDecay: 0 },
          0.01,
          2,
        ),
    ],
  ];

  function converge<K extends OptimizerKind>(
    kind: K,
    attrs: PrimAttrMap[K],
    lr: number,
    stateCount: number,
  ): Run {
    return runSteps(kind, attrs, {
      start: [0, 0, 0],
      lr,
      stateCount,
      steps: 1000,
      grad: (w) => w.map((wi, i) => wi - c[i]!),
    });
  }

  it.each(cases)('%s ends within 0.01 of c after 1000 steps', (_, run) => {
    const last = run().params.at(-1)!;
    const distance = Math.hypot(...last.map((wi, i) => wi - c[i]!));
    expect(distance).toBeLessThan(0.01);
  });
});

describe('optimizer kernels', () => {
  it('write separate output buffers when the update is not in place', () => {
    const attrs = { beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0, decoupled: false };
    const shape = [2];
    const [p, m, v] = callKernel(
      optimizerKernels.adam_update,
      attrs,
      [
        { data: [1, 1], shape },
        { data: [0.5, 0.5], shape },
        { data: [0, 0], shape },
        { data: [0, 0], shape },
      ],
      [shape, shape, shape],
      { ctx: { lr: 0.1, t: 1 } },
    );
    expectSteps(
      [Array.from(p!), Array.from(m!), Array.from(v!)],
      [
        [0.900000002, 0.900000002],
        [0.05, 0.05],
        [0.00025, 0.00025],
      ],
    );
  });

  it('update float32 tensors', () => {
    const shape = [2];
    const [p] = callKernel(
      optimizerKernels.sgd_update,
      sgd(),
      [
        { data: [1, -2], shape },
        { data: [0.5, 0.25], shape },
      ],
      [shape],
      { ctx: { lr: 0.1, t: 1 }, precision: 'float32', inPlace: { 0: 0 } },
    );
    expect(p).toBeInstanceOf(Float32Array);
    expect(Array.from(p!)).toEqual([Math.fround(0.95), Math.fround(-2.025)]);
  });

  it('reject a step count below 1 as an internal error', () => {
    const shape = [1];
    const call = () =>
      callKernel(
        optimizerKernels.adam_update,
        { beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0, decoupled: false },
        [1, 2, 3, 4].map(() => ({ data: [0], shape })),
        [shape, shape, shape],
        { ctx: { t: 0 } },
      );
    expect(call).toThrow(/internal error/);
  });
});
