import type { PrimAttrMap, PrimKind } from '../../src/runtime/program.js';
import { generator, type OpCase, type Tolerance } from './harness.js';

/*
 * The kernel cases: every primitive WebGPU implements, forward and backward, on shapes that
 * include 1, primes and sizes that are not multiples of the workgroup (64) or the reduction
 * workgroup (256), plus one drawn at random per group.
 *
 * Tolerances (|gpu − cpu| ≤ atol + rtol·|cpu|; float32 ε ≈ 1.2e-7):
 * - `exact`: copies, products, one addition per element: both sides round once, or the GPU
 *   rounds a few times more in an n-ary sum: rtol 1e-6, atol 1e-7.
 * - `transcendental`: exp, log, erfc and tanh differ between the GPU's float32 builtins and
 *   the CPU's float64 functions by a few ulp (erfc's fit by up to 1e-6 relative, more in the
 *   far tail where atol takes over): rtol 1e-5, atol 1e-6.
 * - `sums`: reductions, dot products, losses and n-ary adds accumulate in float32 on the GPU but in
 *   float64 on the CPU; over n terms of magnitude ≤ 1 the float32 error grows like √n·ε
 *   typically and n·ε at worst (n ≤ 1100 here: 1.3e-4 of the sum of |terms|): rtol 1e-4,
 *   atol 1e-5 for the cancellation when the sum is near 0.
 * - `optimizer`: one update of parameters of magnitude ≤ 1 with float32 constants
 *   (1 − β, the bias corrections) that the CPU keeps in float64: rtol 1e-5, atol 1e-6.
 */

export const exact: Tolerance = { rtol: 1e-6, atol: 1e-7 };
export const transcendental: Tolerance = { rtol: 1e-5, atol: 1e-6 };
export const sums: Tolerance = { rtol: 1e-4, atol: 1e-5 };
export const optimizer: Tolerance = { rtol: 1e-5, atol: 1e-6 };

export interface NamedCase {
  readonly name: string;
  readonly case: OpCase;
  readonly tolerance: Tolerance;
}

const random = generator(20240611);

/** Element counts: 1, small primes, around the workgroup of 64 and the reduction of 256. */
const sizes = [1, 2, 7, 63, 64, 65, 257, 1031, random.int(100, 3000)];
const fewSizes = [1, 65, 1031];

/** Values an activation must survive, then uniform ones in [−range, range). */
function activationValues(n: number, seed: number, range = 8): number[] {
  const special = [0, 1e-4, -1e-4, 0.05, -0.05, 0.5, -0.5, 3, -3, 12, -12, 30, -30, 88, -88];
  return [
    ...special.slice(0, n),
    ...generator(seed).uniform(Math.max(0, n - special.length), -range, range),
  ];
}

function values(n: number, seed: number, lo = -1, hi = 1): number[] {
  return generator(seed).uniform(n, lo, hi);
}

function make<K extends PrimKind>(
  name: string,
  op: K,
  attrs: PrimAttrMap[K],
  inputs: OpCase['inputs'],
  outputShapes: OpCase['outputShapes'],
  tolerance: Tolerance,
  extra: Partial<Pick<OpCase, 'inPlace' | 'ctx'>> = {},
): NamedCase {
  return { name, case: { op, attrs, inputs, outputShapes, ...extra } as OpCase, tolerance };
}

const none = {} as Record<string, never>;

function activations(): NamedCase[] {
  const unary: [PrimKind, object, Tolerance][] = [
    ['relu', none, exact],
    ['sigmoid', none, transcendental],
    ['tanh', none, transcendental],
    ['softplus', none, transcendental],
    ['gelu', none, transcendental],
    ['elu', { alpha: 1 }, transcendental],
    ['elu', { alpha: 0.3 }, transcendental],
    ['leaky_relu', { alpha: 0.01 }, exact],
    ['step', { threshold: 0.25 }, exact],
    ['identity', none, exact],
    ['scale', { factor: -2.5 }, exact],
  ];
  const out: NamedCase[] = [];
  for (const [op, attrs, tol] of unary) {
    for (const n of sizes) {
      const x = { data: activationValues(n, n), shape: [n] };
      out.push(
        make(`${op} ${JSON.stringify(attrs)} on [${n}]`, op, attrs as never, [x], [[n]], tol),
      );
    }
  }
  for (const n of fewSizes) {
    out.push(
      make(
        `reshape [${n}] to [1, ${n}]`,
        'reshape',
        none,
        [{ data: values(n, 3), shape: [n] }],
        [[1, n]],
        exact,
      ),
    );
  }
  // Gradients [a, dY] → [dX]; `a` is x or, for sigmoid and tanh, the forward output y.
  const grads: [PrimKind, object, Tolerance, 'x' | 'y'][] = [
    ['relu_grad', none, exact, 'x'],
    ['sigmoid_grad', none, exact, 'y'],
    ['tanh_grad', none, exact, 'y'],
    ['softplus_grad', none, transcendental, 'x'],
    ['gelu_grad', none, transcendental, 'x'],
    ['elu_grad', { alpha: 0.7 }, transcendental, 'x'],
    ['leaky_relu_grad', { alpha: 0.2 }, exact, 'x'],
  ];
  for (const [op, attrs, tol, a] of grads) {
    for (const n of sizes) {
      const saved =
        a === 'x' ? activationValues(n, n + 1) : values(n, n + 1, a === 'y' ? -1 : -8, 1);
      out.push(
        make(
          `${op} on [${n}]`,
          op,
          attrs as never,
          [
            { data: saved, shape: [n] },
            { data: values(n, n + 2), shape: [n] },
          ],
          [[n]],
          tol,
        ),
      );
    }
  }
  return out;
}

function structure(): NamedCase[] {
  const out: NamedCase[] = [];
  for (const n of fewSizes) {
    for (const k of [1, 2, 3]) {
      const inputs = Array.from({ length: k }, (_, j) => ({
        data: values(n, 10 * n + j),
        shape: [n],
      }));
      out.push(make(`add of ${k} on [${n}]`, 'add', none, inputs, [[n]], k > 2 ? sums : exact));
    }
    const ab = [
      { data: values(n, 5), shape: [n] },
      { data: values(n, 6), shape: [n] },
    ];
    out.push(make(`mul on [${n}]`, 'mul', none, ab, [[n]], exact));
    out.push(
      make(`add_scaled in place on [${n}]`, 'add_scaled', { alpha: 0.3 }, ab, [[n]], exact, {
        inPlace: { 0: 0 },
      }),
    );
    const w = { data: [0, ...values(n - 1, 7)], shape: [n] };
    out.push(
      make(
        `add_sign_scaled in place on [${n}]`,
        'add_sign_scaled',
        { alpha: -0.01 },
        [ab[0]!, w],
        [[n]],
        exact,
        { inPlace: { 0: 0 } },
      ),
    );
    out.push(make(`fill [${n}]`, 'fill', { value: 0.7 }, [], [[n]], exact));
  }
  // concat and slice along axis 0 and 1 of [C, H, W] with a batch in front.
  for (const [batch, parts, h, w] of [
    [1, [1], 1, 1],
    [2, [1, 3], 5, 7],
    [3, [4, 1, 2], 2, 65],
  ] as const) {
    const inputs = parts.map((c, j) => ({
      data: values(batch * c * h * w, 40 + j),
      shape: [batch, c, h, w],
    }));
    const total = parts.reduce((a, b) => a + b, 0);
    out.push(
      make(
        `concat of [${parts}] on axis 0`,
        'concat',
        { axis: 0 },
        inputs,
        [[batch, total, h, w]],
        exact,
      ),
    );
    const alongH = parts.map((c, j) => ({
      data: values(batch * h * c * w, 50 + j),
      shape: [batch, h, c, w],
    }));
    out.push(
      make(
        `concat of [${parts}] on axis 1`,
        'concat',
        { axis: 1 },
        alongH,
        [[batch, h, total, w]],
        exact,
      ),
    );
    const x = { data: values(batch * total * h * w, 60), shape: [batch, total, h, w] };
    const take = Math.max(1, total - 1);
    out.push(
      make(
        `slice of ${take} at ${total - take} on axis 0 of ${total}`,
        'slice',
        { axis: 0, start: total - take },
        [x],
        [[batch, take, h, w]],
        exact,
      ),
    );
  }
  for (const k of [1, 3]) {
    const terms = Array.from({ length: k }, (_, j) => ({ data: [j - 0.5], shape: [] }));
    out.push(
      make(
        `weighted_sum of ${k}`,
        'weighted_sum',
        { weights: terms.map((_, j) => 0.5 + j) },
        terms,
        [[]],
        exact,
      ),
    );
  }
  return out;
}

function linear(): NamedCase[] {
  const out: NamedCase[] = [];
  for (const [rows, depth, units] of [
    [1, 1, 1],
    [3, 5, 7],
    [17, 33, 10],
    [32, 784, 30],
    [65, 3, 64],
  ] as const) {
    const x = { data: values(rows * depth, rows), shape: [rows, depth] };
    const w = { data: values(units * depth, depth), shape: [units, depth] };
    const b = { data: values(units, units), shape: [units] };
    const dy = { data: values(rows * units, units + 1), shape: [rows, units] };
    const dims = `${rows}×${depth} → ${units}`;
    out.push(
      make(`dense ${dims} with bias`, 'dense', { bias: true }, [x, w, b], [[rows, units]], sums),
    );
    out.push(
      make(`dense ${dims} without bias`, 'dense', { bias: false }, [x, w], [[rows, units]], sums),
    );
    out.push(
      make(`dense_grad_input ${dims}`, 'dense_grad_input', none, [dy, w], [[rows, depth]], sums),
    );
    out.push(
      make(`dense_grad_weight ${dims}`, 'dense_grad_weight', none, [dy, x], [[units, depth]], sums),
    );
    out.push(
      make(
        `dense_grad_weight ${dims} with biasGrad (db from the same dispatch)`,
        'dense_grad_weight',
        { biasGrad: true },
        [dy, x],
        [[units, depth], [units]],
        sums,
      ),
    );
    out.push(make(`bias_grad of [${rows}, ${units}]`, 'bias_grad', none, [dy], [[units]], sums));
  }
  const image = { data: values(3 * 5 * 7 * 11, 9), shape: [3, 5, 7, 11] };
  out.push(make('bias_grad of [3, 5, 7, 11]', 'bias_grad', none, [image], [[5]], sums));
  return out;
}

function softmaxes(): NamedCase[] {
  const out: NamedCase[] = [];
  for (const [shape, axis] of [
    [[1, 1], 0],
    [[5, 10], 0],
    [[3, 7, 65], 0],
    [[3, 7, 65], 1],
    [[2, 300], 0],
  ] as const) {
    const n = shape.reduce((a: number, b: number) => a * b, 1);
    // Large logits check the max shift: exp(1000) would overflow without it.
    const x = {
      data: values(n, n, -4, 4).map((v, i) => (i % 3 === 0 ? v + 1000 : v)),
      shape: [...shape],
    };
    const y = { data: values(n, n + 1, 0, 1), shape: [...shape] };
    const logY = { data: values(n, n + 2, -6, 0), shape: [...shape] };
    const dy = { data: values(n, n + 3), shape: [...shape] };
    const at = `[${shape}] along axis ${axis}`;
    out.push(make(`softmax ${at}`, 'softmax', { axis }, [x], [shape], transcendental));
    out.push(make(`log_softmax ${at}`, 'log_softmax', { axis }, [x], [shape], transcendental));
    out.push(make(`softmax_grad ${at}`, 'softmax_grad', { axis }, [y, dy], [shape], sums));
    out.push(
      make(`log_softmax_grad ${at}`, 'log_softmax_grad', { axis }, [logY, dy], [shape], sums),
    );
  }
  return out;
}

function losses(): NamedCase[] {
  const out: NamedCase[] = [];
  for (const [batch, classes] of [
    [1, 1],
    [1, 10],
    [32, 10],
    [7, 257],
    [300, 3],
  ] as const) {
    const n = batch * classes;
    const logits = {
      data: values(n, n, -6, 6).map((v, i) => (i % 5 === 0 ? v + 500 : v)),
      shape: [batch, classes],
    };
    const labels = {
      data: Array.from({ length: batch }, (_, r) => (r * 7) % classes),
      shape: [batch],
    };
    const raw = values(n, n + 1, 0, 1);
    const dist = { data: raw, shape: [batch, classes] };
    const at = `[${batch}, ${classes}]`;
    out.push(
      make(
        `softmax_cross_entropy with indices ${at}`,
        'softmax_cross_entropy',
        { target: 'index' },
        [logits, labels],
        [[]],
        sums,
      ),
    );
    out.push(
      make(
        `softmax_cross_entropy with a distribution ${at}`,
        'softmax_cross_entropy',
        { target: 'distribution' },
        [logits, dist],
        [[]],
        sums,
      ),
    );
    out.push(
      make(
        `softmax_cross_entropy_grad with indices ${at}`,
        'softmax_cross_entropy_grad',
        { target: 'index', weight: 0.5 },
        [logits, labels],
        [[batch, classes]],
        transcendental,
      ),
    );
    out.push(
      make(
        `softmax_cross_entropy_grad with a distribution ${at}`,
        'softmax_cross_entropy_grad',
        { target: 'distribution', weight: 2 },
        [logits, dist],
        [[batch, classes]],
        sums,
      ),
    );
    // The fused loss and gradient: `sums` for both outputs (the loss is a float32 sum).
    for (const [target, tgt, weight] of [
      ['index', labels, 0.5],
      ['distribution', dist, 2],
    ] as const) {
      out.push(
        make(
          `softmax_cross_entropy_with_grad with ${target} targets ${at}`,
          'softmax_cross_entropy_with_grad',
          { target, weight },
          [logits, tgt],
          [[], [batch, classes]],
          sums,
        ),
      );
    }
  }
  for (const [batch, d] of [
    [1, 1],
    [16, 1],
    [7, 37],
    [3, 1031],
  ] as const) {
    const n = batch * d;
    const shape = [batch, d];
    const pred = { data: activationValues(n, n), shape };
    const target = { data: values(n, n + 1, 0, 1), shape };
    const logvar = { data: values(n, n + 2, -3, 3), shape };
    const at = `[${batch}, ${d}]`;
    out.push(make(`sigmoid_bce ${at}`, 'sigmoid_bce', none, [pred, target], [[]], sums));
    out.push(
      make(
        `sigmoid_bce_with_grad ${at}`,
        'sigmoid_bce_with_grad',
        { weight: 0.5 },
        [pred, target],
        [[], shape],
        sums,
      ),
    );
    out.push(
      make(
        `sigmoid_bce_grad ${at}`,
        'sigmoid_bce_grad',
        { weight: 0.5 },
        [pred, target],
        [shape],
        transcendental,
      ),
    );
    out.push(make(`mse_loss ${at}`, 'mse_loss', none, [pred, target], [[]], sums));
    out.push(
      make(`mse_loss_grad ${at}`, 'mse_loss_grad', { weight: 3 }, [pred, target], [shape], exact),
    );
    out.push(make(`l1_loss ${at}`, 'l1_loss', none, [pred, target], [[]], sums));
    out.push(
      make(`l1_loss_grad ${at}`, 'l1_loss_grad', { weight: 1 }, [pred, target], [shape], exact),
    );
    out.push(make(`l1_activity ${at}`, 'l1_activity', none, [pred], [[]], sums));
    out.push(
      make(`l1_activity_grad ${at}`, 'l1_activity_grad', { weight: 0.1 }, [pred], [shape], exact),
    );
    out.push(make(`kl_normal ${at}`, 'kl_normal', none, [target, logvar], [[]], sums));
    out.push(
      make(
        `kl_normal_grad ${at}`,
        'kl_normal_grad',
        { weight: 1 },
        [target, logvar],
        [shape, shape],
        transcendental,
      ),
    );
  }
  for (const sizesOf of [[[1]], [[7, 13], [300]], [[1031], [1], [64, 5]]]) {
    const inputs = sizesOf.map((shape, j) => ({
      data: values(
        shape.reduce((a, b) => a * b, 1),
        70 + j,
      ),
      shape,
    }));
    const what = sizesOf.map((s) => `[${s}]`).join(', ');
    out.push(make(`sum_squares of ${what}`, 'sum_squares', none, inputs, [[]], sums));
    out.push(make(`sum_abs of ${what}`, 'sum_abs', none, inputs, [[]], sums));
  }
  return out;
}

function optimizers(): NamedCase[] {
  const out: NamedCase[] = [];
  for (const n of [1, 65, 1031]) {
    const p = { data: values(n, 1), shape: [n] };
    const g = { data: values(n, 2), shape: [n] };
    const s1 = { data: values(n, 3), shape: [n] };
    const sq = { data: values(n, 4, 0, 1), shape: [n] };
    const at = `on [${n}]`;
    const sgd = (attrs: PrimAttrMap['sgd_update'], t: number) => {
      const momentum = attrs.momentum > 0;
      out.push(
        make(
          `sgd_update ${JSON.stringify(attrs)} at t=${t} ${at}`,
          'sgd_update',
          attrs,
          momentum ? [p, g, s1] : [p, g],
          momentum ? [[n], [n]] : [[n]],
          optimizer,
          {
            inPlace: momentum ? { 0: 0, 1: 2 } : { 0: 0 },
            ctx: { lr: 0.05, t },
          },
        ),
      );
    };
    sgd({ momentum: 0, nesterov: false, weightDecay: 0 }, 1);
    sgd({ momentum: 0, nesterov: false, weightDecay: 0.01 }, 4);
    sgd({ momentum: 0.9, nesterov: false, weightDecay: 0 }, 1);
    sgd({ momentum: 0.9, nesterov: true, weightDecay: 1e-3 }, 5);
    out.push(
      make(
        `adagrad_update ${at}`,
        'adagrad_update',
        { eps: 1e-10, weightDecay: 0.01 },
        [p, g, sq],
        [[n], [n]],
        optimizer,
        {
          inPlace: { 0: 0, 1: 2 },
          ctx: { lr: 0.1, t: 3 },
        },
      ),
    );
    for (const [decoupled, weightDecay, t] of [
      [false, 0, 1],
      [false, 0.01, 7],
      [true, 0.01, 2],
    ] as const) {
      out.push(
        make(
          `adam_update decoupled=${decoupled} wd=${weightDecay} t=${t} ${at}`,
          'adam_update',
          { beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay, decoupled },
          [p, g, s1, sq],
          [[n], [n], [n]],
          optimizer,
          { inPlace: { 0: 0, 1: 2, 2: 3 }, ctx: { lr: 1e-3, t } },
        ),
      );
    }
    for (const momentum of [0, 0.9]) {
      out.push(
        make(
          `rmsprop_update momentum=${momentum} ${at}`,
          'rmsprop_update',
          { alpha: 0.99, eps: 1e-8, momentum, weightDecay: 0.001 },
          momentum > 0 ? [p, g, sq, s1] : [p, g, sq],
          momentum > 0 ? [[n], [n], [n]] : [[n], [n]],
          optimizer,
          {
            inPlace: momentum > 0 ? { 0: 0, 1: 2, 2: 3 } : { 0: 0, 1: 2 },
            ctx: { lr: 0.01, t: 2 },
          },
        ),
      );
    }
  }
  return [...out, ...optimizerGroups([1, 65, 7, 1031])];
}

/** Every optimizer and state variant, with the run context each is tested at. */
const optimizerVariants: readonly {
  readonly op: PrimKind;
  readonly attrs: object;
  /** Per state tensor: whether it must be non-negative (squares). */
  readonly state: readonly boolean[];
  readonly ctx: { readonly lr: number; readonly t: number };
}[] = [
  {
    op: 'sgd_update',
    attrs: { momentum: 0, nesterov: false, weightDecay: 0.01 },
    state: [],
    ctx: { lr: 0.05, t: 4 },
  },
  {
    op: 'sgd_update',
    attrs: { momentum: 0.9, nesterov: false, weightDecay: 0 },
    state: [false],
    ctx: { lr: 0.05, t: 1 },
  },
  {
    op: 'sgd_update',
    attrs: { momentum: 0.9, nesterov: true, weightDecay: 1e-3 },
    state: [false],
    ctx: { lr: 0.05, t: 5 },
  },
  {
    op: 'adagrad_update',
    attrs: { eps: 1e-10, weightDecay: 0.01 },
    state: [true],
    ctx: { lr: 0.1, t: 3 },
  },
  {
    op: 'adam_update',
    attrs: { beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0.01, decoupled: false },
    state: [false, true],
    ctx: { lr: 1e-3, t: 7 },
  },
  {
    op: 'adam_update',
    attrs: { beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0.01, decoupled: true },
    state: [false, true],
    ctx: { lr: 1e-3, t: 2 },
  },
  {
    op: 'rmsprop_update',
    attrs: { alpha: 0.99, eps: 1e-8, momentum: 0, weightDecay: 0.001 },
    state: [true],
    ctx: { lr: 0.01, t: 2 },
  },
  {
    op: 'rmsprop_update',
    attrs: { alpha: 0.99, eps: 1e-8, momentum: 0.9, weightDecay: 0.001 },
    state: [true, false],
    ctx: { lr: 0.01, t: 2 },
  },
];

/**
 * Multi-parameter updates (after optimizer fusion): one instruction over parameters of the
 * given sizes, groups [param, grad, ...state] in place, every value distinct per parameter
 * so that a group updated with another's tensors or offsets fails. The CPU kernel loops over
 * the groups; WebGPU runs as many per dispatch as the device binds.
 */
export function optimizerGroups(sizes: readonly number[]): NamedCase[] {
  return optimizerVariants.map((v) => {
    const width = 2 + v.state.length;
    const inputs = sizes.flatMap((n, k) => {
      const shape = [n];
      const seed = 100 * (k + 1);
      return [
        { data: values(n, seed), shape },
        { data: values(n, seed + 1), shape },
        ...v.state.map((positive, j) => ({
          data: values(n, seed + 2 + j, positive ? 0 : -1, 1),
          shape,
        })),
      ];
    });
    const inPlace: Record<number, number> = {};
    const outputShapes: number[][] = [];
    sizes.forEach((n, k) => {
      for (let j = 0; j <= v.state.length; j++) {
        inPlace[outputShapes.length] = k * width + (j === 0 ? 0 : j + 1);
        outputShapes.push([n]);
      }
    });
    return make(
      `${v.op} ${JSON.stringify(v.attrs)} over ${sizes.length} parameters [${sizes}]`,
      v.op,
      v.attrs as never,
      inputs,
      outputShapes,
      optimizer,
      { inPlace, ctx: v.ctx },
    );
  });
}

/** The primitives of the backend's first step, which these cases must all cover. */
export const foundationOps: readonly PrimKind[] = [
  ...(['relu', 'sigmoid', 'tanh', 'softplus', 'gelu', 'elu', 'leaky_relu', 'step'] as const),
  ...(['relu_grad', 'sigmoid_grad', 'tanh_grad', 'softplus_grad', 'gelu_grad'] as const),
  ...(['elu_grad', 'leaky_relu_grad', 'identity', 'reshape', 'scale', 'mul', 'add'] as const),
  ...(['fill', 'concat', 'slice', 'weighted_sum', 'sum_squares', 'sum_abs'] as const),
  ...(['add_scaled', 'add_sign_scaled', 'dense', 'dense_grad_input', 'dense_grad_weight'] as const),
  ...(['bias_grad', 'softmax', 'log_softmax', 'softmax_grad', 'log_softmax_grad'] as const),
  ...(['softmax_cross_entropy', 'softmax_cross_entropy_grad', 'sigmoid_bce'] as const),
  ...(['sigmoid_bce_grad', 'mse_loss', 'mse_loss_grad', 'l1_loss', 'l1_loss_grad'] as const),
  ...(['l1_activity', 'l1_activity_grad', 'kl_normal', 'kl_normal_grad'] as const),
  ...(['sgd_update', 'adagrad_update', 'adam_update', 'rmsprop_update'] as const),
];

export function kernelCases(): NamedCase[] {
  return [
    ...activations(),
    ...structure(),
    ...linear(),
    ...softmaxes(),
    ...losses(),
    ...optimizers(),
  ];
}

/** Cases that split into several dispatches or need a 2-D grid under tight limits. */
export function limitCases(): NamedCase[] {
  const n = 1031;
  const many = (k: number, shape: number[]) =>
    Array.from({ length: k }, (_, j) => ({
      data: values(
        shape.reduce((a, b) => a * b, 1),
        90 + j,
      ),
      shape,
    }));
  return [
    // 4 buffers per dispatch: one Adam or momentum parameter, two plain SGD ones at a time.
    ...optimizerGroups([3, 1031, 1, 65, 2]).map((c) => ({
      ...c,
      name: `${c.name}, several dispatches`,
    })),
    make(
      'dense_grad_weight 65×33 → 70 with biasGrad on a 2-D grid',
      'dense_grad_weight',
      { biasGrad: true },
      [
        { data: values(65 * 70, 4), shape: [65, 70] },
        { data: values(65 * 33, 5), shape: [65, 33] },
      ],
      [[70, 33], [70]],
      sums,
    ),
    make(
      'relu on a 2-D grid',
      'relu',
      none,
      [{ data: activationValues(n, 1), shape: [n] }],
      [[n]],
      exact,
    ),
    make('add of 7 in 3 dispatches', 'add', none, many(7, [n]), [[n]], sums),
    make(
      'concat of 5 in 2 dispatches',
      'concat',
      { axis: 0 },
      many(5, [2, 3, 5]),
      [[2, 15, 5]],
      exact,
    ),
    make('sum_squares of 6 in 2 dispatches', 'sum_squares', none, many(6, [n]), [[]], sums),
    make(
      'weighted_sum of 5 in 2 dispatches',
      'weighted_sum',
      { weights: [1, -2, 3, 0.5, 0.25] },
      many(5, []),
      [[]],
      exact,
    ),
    make(
      'dense 65×33 → 70 on a 2-D grid',
      'dense',
      { bias: true },
      [
        { data: values(65 * 33, 1), shape: [65, 33] },
        { data: values(70 * 33, 2), shape: [70, 33] },
        { data: values(70, 3), shape: [70] },
      ],
      [[65, 70]],
      sums,
    ),
  ];
}
