import { input, output, type Uniform, type WgslCall, type WgslKernel } from './kernel.js';
import * as m from './math.js';
import { gridDispatch, reduceDispatch, sizeOf } from './shader.js';
import { around } from './structure.js';

/*
 * softmax and log_softmax along one axis, their gradients, and the softmax cross-entropy
 * from logits (cpu/kernels/softmax.ts, crossEntropy.ts). One invocation per row (the
 * elements that differ only along the axis); every row is shifted by its maximum before
 * exponentiating, and v − max is formed before logSum is subtracted, as on the CPU.
 */

const u32 = (name: string, value: number): Uniform => ({ name, type: 'u32', value });
const f32 = (name: string, value: number): Uniform => ({ name, type: 'f32', value });

/** Row uniforms for `axis` of the unbatched shape of input 0, and the row count. */
function rows(call: WgslCall<'softmax' | 'log_softmax' | 'softmax_grad' | 'log_softmax_grad'>) {
  const view = around(call.inputShapes[0], call.attrs.axis + 1);
  return {
    count: view.outer * view.inner,
    uniforms: [u32('length', view.length), u32('inner', view.inner)],
  };
}

/** Statements that put row `idx`'s first element at `base` (elements are `u.inner` apart). */
const rowBase = `
  let base = (idx / u.inner) * u.length * u.inner + idx % u.inner;`;

/** Statements computing `mx` and `log_sum` of the row of `x` at `base`. */
const shiftedRow = (x: string) => `
  var mx = ${x}[base];
  for (var k = 1u; k < u.length; k = k + 1u) {
    mx = max(mx, ${x}[base + k * u.inner]);
  }
  var sum: f32 = 0.0;
  for (var k = 0u; k < u.length; k = k + 1u) {
    sum = sum + exp(${x}[base + k * u.inner] - mx);
  }
  let log_sum = log(sum);`;

function softmaxRows(log: boolean): WgslKernel<'softmax' | 'log_softmax'> {
  return (call) => {
    const { count, uniforms } = rows(call);
    return [
      gridDispatch(call, {
        label: call.op,
        operands: { x: input(0), y: output(0) },
        uniforms,
        invocations: count,
        body: (t) => `
          ${rowBase}
          ${shiftedRow(t.x)}
          for (var k = 0u; k < u.length; k = k + 1u) {
            let at = base + k * u.inner;
            let log_p = ${t.x}[at] - mx - log_sum;
            ${t.y}[at] = ${log ? 'log_p' : 'exp(log_p)'};
          }`,
      }),
    ];
  };
}

export const softmax: WgslKernel<'softmax'> = softmaxRows(false);
export const logSoftmax: WgslKernel<'log_softmax'> = softmaxRows(true);

/** From the output y: dX = y·(dY − Σ dY·y) per row. */
export const softmaxGrad: WgslKernel<'softmax_grad'> = (call) => {
  const { count, uniforms } = rows(call);
  return [
    gridDispatch(call, {
      label: 'softmax_grad',
      operands: { y: input(0), dy: input(1), dx: output(0) },
      uniforms,
      invocations: count,
      body: (t) => `
        ${rowBase}
        var dot: f32 = 0.0;
        for (var k = 0u; k < u.length; k = k + 1u) {
          dot = dot + ${t.dy}[base + k * u.inner] * ${t.y}[base + k * u.inner];
        }
        for (var k = 0u; k < u.length; k = k + 1u) {
          let at = base + k * u.inner;
          ${t.dx}[at] = ${t.y}[at] * (${t.dy}[at] - dot);
        }`,
    }),
  ];
};

/** From the output y = log softmax: dX = dY − e^y·Σ dY per row. */
export const logSoftmaxGrad: WgslKernel<'log_softmax_grad'> = (call) => {
  const { count, uniforms } = rows(call);
  return [
    gridDispatch(call, {
      label: 'log_softmax_grad',
      operands: { y: input(0), dy: input(1), dx: output(0) },
      uniforms,
      invocations: count,
      body: (t) => `
        ${rowBase}
        var total: f32 = 0.0;
        for (var k = 0u; k < u.length; k = k + 1u) {
          total = total + ${t.dy}[base + k * u.inner];
        }
        for (var k = 0u; k < u.length; k = k + 1u) {
          let at = base + k * u.inner;
          ${t.dx}[at] = ${t.dy}[at] - exp(${t.y}[at]) * total;
        }`,
    }),
  ];
};

type CrossEntropyKind =
  'softmax_cross_entropy' | 'softmax_cross_entropy_grad' | 'softmax_cross_entropy_with_grad';

/** Rows of K classes along the last axis, and the batch N. */
function classRows(call: WgslCall<CrossEntropyKind>) {
  const shape = call.inputShapes[0];
  const classes = shape?.[shape.length - 1] ?? 1;
  const batch = shape?.[0];
  if (batch === undefined) throw new Error('internal error: cross-entropy needs batched logits');
  return { count: sizeOf(shape) / classes, classes, batch };
}

/**
 * Row `r`'s class from a class-index target. A label that is not an integer in 0..K−1 is bad
 * data: the kernel makes the row NaN instead of reading out of bounds (the backend checks
 * labels that come straight from the caller before running, and reports them).
 */
const labelOf = (tgt: string) => `
  let label_value = ${tgt}[r];
  let label_ok = label_value >= 0.0 && label_value < f32(u.classes) && floor(label_value) == label_value;
  let label = select(0u, u32(label_value), label_ok);`;

/** Σ over rows of −Σ_k t_k·log softmax(x)_k, divided by N. */
export const softmaxCrossEntropy: WgslKernel<'softmax_cross_entropy'> = (call) => {
  const { count, classes, batch } = classRows(call);
  const index = call.attrs.target === 'index';
  return [
    reduceDispatch(call, {
      label: 'softmax_cross_entropy',
      operands: { x: input(0), tgt: input(1), y: output(0) },
      functions: [m.nan],
      uniforms: [
        u32('rows', count),
        u32('classes', classes),
        u32('length', classes),
        u32('inner', 1),
        f32('batch', batch),
      ],
      body: (t) => `
        for (var r = lid; r < u.rows; r = r + WG) {
          let base = r * u.classes;
          ${shiftedRow(t.x)}
          ${
            index
              ? `${labelOf(t.tgt)}
          acc = acc + select(nan_(), log_sum - (${t.x}[base + label] - mx), label_ok);`
              : `for (var k = 0u; k < u.classes; k = k + 1u) {
            acc = acc + ${t.tgt}[base + k] * (log_sum - (${t.x}[base + k] - mx));
          }`
          }
        }`,
      finish: (t) => `${t.y}[0] = total / u.batch;`,
    }),
  ];
};

/** weight/N·(softmax(x)·Σ_k t_k − t) per row; one invocation per row. */
export const softmaxCrossEntropyGrad: WgslKernel<'softmax_cross_entropy_grad'> = (call) => {
  const { count, classes, batch } = classRows(call);
  const index = call.attrs.target === 'index';
  return [
    gridDispatch(call, {
      label: 'softmax_cross_entropy_grad',
      operands: { x: input(0), tgt: input(1), dx: output(0) },
      functions: [m.nan],
      uniforms: [
        u32('classes', classes),
        u32('length', classes),
        u32('inner', 1),
        f32('factor', call.attrs.weight / batch),
      ],
      invocations: count,
      body: (t) => `
        let r = idx;
        let base = r * u.classes;
        ${shiftedRow(t.x)}
        ${
          index
            ? `${labelOf(t.tgt)}
        for (var k = 0u; k < u.classes; k = k + 1u) {
          let p = exp(${t.x}[base + k] - mx - log_sum);
          let hit = select(0.0, 1.0, k == label);
          ${t.dx}[base + k] = select(nan_(), u.factor * (p - hit), label_ok);
        }`
            : `var mass: f32 = 0.0;
        for (var k = 0u; k < u.classes; k = k + 1u) {
          mass = mass + ${t.tgt}[base + k];
        }
        for (var k = 0u; k < u.classes; k = k + 1u) {
          let p = exp(${t.x}[base + k] - mx - log_sum);
          ${t.dx}[base + k] = u.factor * (p * mass - ${t.tgt}[base + k]);
        }`
        }`,
    }),
  ];
};

/**
 * [logits, target] → [loss, dLogits]: the two kernels above in one dispatch. The loss sums
 * over every row of the batch, and a dispatch has no scratch memory in which workgroups could
 * combine partial sums, so this is ONE workgroup (shader.ts's reduction): its REDUCE_SIZE
 * invocations stride over the rows, so any batch size is covered, each writing the gradient
 * of the rows it visits from the max and log-sum it computed for the loss. The loss is
 * summed in the order of softmax_cross_entropy's and the gradient with
 * softmax_cross_entropy_grad's formulas: the same float32 operations as the two kernels.
 */
export const softmaxCrossEntropyWithGrad: WgslKernel<'softmax_cross_entropy_with_grad'> = (
  call,
) => {
  const { count, classes, batch } = classRows(call);
  const index = call.attrs.target === 'index';
  return [
    reduceDispatch(call, {
      label: 'softmax_cross_entropy_with_grad',
      operands: { x: input(0), tgt: input(1), y: output(0), dx: output(1) },
      functions: [m.nan],
      uniforms: [
        u32('rows', count),
        u32('classes', classes),
        u32('length', classes),
        u32('inner', 1),
        f32('batch', batch),
        f32('factor', call.attrs.weight / batch),
      ],
      body: (t) => `
        for (var r = lid; r < u.rows; r = r + WG) {
          let base = r * u.classes;
          ${shiftedRow(t.x)}
          ${
            index
              ? `${labelOf(t.tgt)}
          acc = acc + select(nan_(), log_sum - (${t.x}[base + label] - mx), label_ok);
          for (var k = 0u; k < u.classes; k = k + 1u) {
            let p = exp(${t.x}[base + k] - mx - log_sum);
            let hit = select(0.0, 1.0, k == label);
            ${t.dx}[base + k] = select(nan_(), u.factor * (p - hit), label_ok);
          }`
              : `var mass: f32 = 0.0;
          for (var k = 0u; k < u.classes; k = k + 1u) {
            acc = acc + ${t.tgt}[base + k] * (log_sum - (${t.x}[base + k] - mx));
            mass = mass + ${t.tgt}[base + k];
          }
          for (var k = 0u; k < u.classes; k = k + 1u) {
            let p = exp(${t.x}[base + k] - mx - log_sum);
            ${t.dx}[base + k] = u.factor * (p * mass - ${t.tgt}[base + k]);
          }`
          }
        }`,
      finish: (t) => `${t.y}[0] = total / u.batch;`,
    }),
  ];
};
