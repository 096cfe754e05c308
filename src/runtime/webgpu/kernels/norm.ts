import { input, output, type Uniform, type WgslKernel } from './kernel.js';
import { groupDispatch } from './groups.js';
import { gridDispatch, sizeOf, type WgslFunction } from './shader.js';
import { around } from './structure.js';
import { forwardEpilogue } from './epilogue.js';

/*
 * Batch and layer normalization and their gradients (cpu/kernels/norm.ts). Batchnorm works
 * per channel, axis 1 of the run-time shape, over the batch and any spatial axes: around
 * axis 1 the tensor is [N, C, inner], so one code path serves [N, D] and [N, C, H, W].
 * Layernorm works per sample over all of its elements.
 *
 * Each statistic needs a sum over its channel or sample before anything can be written, so
 * those kernels run one workgroup per channel or sample (groups.ts) and sum in float32 with a
 * fixed-order tree, where the CPU sums in float64. Means and variances are two-pass, as on
 * the CPU. Layernorm's dgamma and dbeta sum over the batch instead, in a second dispatch with
 * one invocation per element of a sample.
 */

const u32 = (name: string, value: number): Uniform => ({ name, type: 'u32', value });
const f32 = (name: string, value: number): Uniform => ({ name, type: 'f32', value });

/** [N, C, inner] around axis 1; `count` values per channel. */
function channels(shape: readonly number[] | undefined) {
  const view = around(shape, 1);
  return {
    channels: view.length,
    count: view.outer * view.inner,
    uniforms: [
      u32('channels', view.length),
      u32('inner', view.inner),
      u32('count', view.outer * view.inner),
    ],
  };
}

/** Where value j (0 ≤ j < count) of channel c lives. */
const channelAt: WgslFunction = {
  code: `
fn channel_at(c: u32, j: u32) -> u32 {
  return ((j / u.inner) * u.channels + c) * u.inner + j % u.inner;
}`,
};

/** N samples of `width` elements each. */
function samples(shape: readonly number[] | undefined) {
  const batch = shape?.[0];
  if (batch === undefined) throw new Error('internal error: layernorm needs a batched tensor');
  return { batch, width: sizeOf(shape) / batch };
}

/**
 * Statements that set `mean` and `variance` (biased) of the `u.count` values `value(j)` of
 * one work item: the mean first, then the squared deviations from it.
 */
const moments = (value: (j: string) => string) => `
  var sum: f32 = 0.0;
  for (var j = lid; j < u.count; j = j + WG) {
    sum = sum + ${value('j')};
  }
  let mean = group_sum(lid, vec2<f32>(sum, 0.0)).x / f32(u.count);
  var squares: f32 = 0.0;
  for (var j = lid; j < u.count; j = j + WG) {
    let d = ${value('j')} - mean;
    squares = squares + d * d;
  }
  let variance = group_sum(lid, vec2<f32>(squares, 0.0)).x / f32(u.count);
  let invstd = 1.0 / sqrt(variance + u.eps);`;

/**
 * [x, gamma, beta, running_mean, running_var] → [y, mean, invstd, running_mean,
 * running_var]; the running statistics are the inputs, updated in place with the unbiased
 * variance (the biased one when a channel has a single value, as the CPU does).
 */
export const batchnormTrain: WgslKernel<'batchnorm_train'> = (call) => {
  const { momentum, eps } = call.attrs;
  const view = channels(call.inputShapes[0]);
  const epilogue = forwardEpilogue(call.attrs, call.inputShapes.length);
  return [
    groupDispatch(call, {
      label: 'batchnorm_train',
      operands: {
        x: input(0),
        gamma: input(1),
        beta: input(2),
        rm: input(3),
        rv: input(4),
        y: output(0),
        mean_out: output(1),
        invstd_out: output(2),
        rm_out: output(3),
        rv_out: output(4),
        ...epilogue.operands,
      },
      functions: [channelAt, ...epilogue.functions],
      uniforms: [
        ...view.uniforms,
        ...epilogue.uniforms,
        f32('eps', eps),
        f32('momentum', momentum),
        f32('keep', 1 - momentum),
        f32('unbias', view.count > 1 ? view.count / (view.count - 1) : 1),
      ],
      items: view.channels,
      body: (t) => `
        let c = item;
        ${moments((j) => `${t.x}[channel_at(c, ${j})]`)}
        for (var j = lid; j < u.count; j = j + WG) {
          let at = channel_at(c, j);
          ${t.y}[at] = ${epilogue.apply(`${t.gamma}[c] * (${t.x}[at] - mean) * invstd + ${t.beta}[c]`, 'at', t)};
        }
        if (lid == 0u) {
          ${t.mean_out}[c] = mean;
          ${t.invstd_out}[c] = invstd;
          ${t.rm_out}[c] = u.keep * ${t.rm}[c] + u.momentum * mean;
          ${t.rv_out}[c] = u.keep * ${t.rv}[c] + u.momentum * variance * u.unbias;
        }`,
    }),
  ];
};

/** [x, gamma, beta, running_mean, running_var] → [y], one invocation per element. */
export const batchnormInfer: WgslKernel<'batchnorm_infer'> = (call) => {
  const view = channels(call.inputShapes[0]);
  const epilogue = forwardEpilogue(call.attrs, call.inputShapes.length);
  return [
    gridDispatch(call, {
      label: 'batchnorm_infer',
      operands: {
        x: input(0),
        gamma: input(1),
        beta: input(2),
        rm: input(3),
        rv: input(4),
        y: output(0),
        ...epilogue.operands,
      },
      uniforms: [...view.uniforms, ...epilogue.uniforms, f32('eps', call.attrs.eps)],
      functions: epilogue.functions,
      invocations: sizeOf(call.inputShapes[0]),
      body: (t) => `
        let c = (idx / u.inner) % u.channels;
        let invstd = 1.0 / sqrt(${t.rv}[c] + u.eps);
        ${t.y}[idx] = ${epilogue.apply(`${t.gamma}[c] * (${t.x}[idx] - ${t.rm}[c]) * invstd + ${t.beta}[c]`, 'idx', t)};`,
    }),
  ];
};

/**
 * [x, gamma, mean, invstd, dY] → [dX, dgamma, dbeta] per channel over its m values:
 * dbeta = Σ dY, dgamma = Σ dY·x̂, dX = gamma·invstd/m·(m·dY − dbeta − x̂·dgamma).
 */
export const batchnormGrad: WgslKernel<'batchnorm_grad'> = (call) => {
  const view = channels(call.inputShapes[0]);
  return [
    groupDispatch(call, {
      label: 'batchnorm_grad',
      operands: {
        x: input(0),
        gamma: input(1),
        mean: input(2),
        invstd: input(3),
        dy: input(4),
        dx: output(0),
        dgamma: output(1),
        dbeta: output(2),
      },
      functions: [channelAt],
      uniforms: view.uniforms,
      items: view.channels,
      body: (t) => `
        let c = item;
        let mean = ${t.mean}[c];
        let invstd = ${t.invstd}[c];
        var share = vec2<f32>(0.0, 0.0);
        for (var j = lid; j < u.count; j = j + WG) {
          let at = channel_at(c, j);
          share = share + vec2<f32>(${t.dy}[at], ${t.dy}[at] * (${t.x}[at] - mean) * invstd);
        }
        let sums = group_sum(lid, share);
        let m = f32(u.count);
        let factor = ${t.gamma}[c] * invstd / m;
        for (var j = lid; j < u.count; j = j + WG) {
          let at = channel_at(c, j);
          let xhat = (${t.x}[at] - mean) * invstd;
          ${t.dx}[at] = factor * (m * ${t.dy}[at] - sums.x - xhat * sums.y);
        }
        if (lid == 0u) {
          ${t.dgamma}[c] = sums.y;
          ${t.dbeta}[c] = sums.x;
        }`,
    }),
  ];
};

/** [x, gamma, beta] → [y, mean, invstd], one workgroup per sample. */
export const layernorm: WgslKernel<'layernorm'> = (call) => {
  const { batch, width } = samples(call.inputShapes[0]);
  return [
    groupDispatch(call, {
      label: 'layernorm',
      operands: {
        x: input(0),
        gamma: input(1),
        beta: input(2),
        y: output(0),
        mean_out: output(1),
        invstd_out: output(2),
      },
      uniforms: [u32('count', width), f32('eps', call.attrs.eps)],
      items: batch,
      body: (t) => `
        let base = item * u.count;
        ${moments((j) => `${t.x}[base + ${j}]`)}
        for (var j = lid; j < u.count; j = j + WG) {
          ${t.y}[base + j] = ${t.gamma}[j] * (${t.x}[base + j] - mean) * invstd + ${t.beta}[j];
        }
        if (lid == 0u) {
          ${t.mean_out}[item] = mean;
          ${t.invstd_out}[item] = invstd;
        }`,
    }),
  ];
};

/**
 * [x, gamma, mean, invstd, dY] → [dX, dgamma, dbeta]. Per sample, with g = dY·gamma over its
 * m elements: dX = invstd/m·(m·g − Σ g − x̂·Σ g·x̂) (one workgroup per sample); then
 * dgamma = Σ over N of dY·x̂ and dbeta = Σ over N of dY (one invocation per element).
 */
export const layernormGrad: WgslKernel<'layernorm_grad'> = (call) => {
  const { batch, width } = samples(call.inputShapes[0]);
  return [
    groupDispatch(call, {
      label: 'layernorm_grad (dX)',
      operands: {
        x: input(0),
        gamma: input(1),
        mean: input(2),
        invstd: input(3),
        dy: input(4),
        dx: output(0),
      },
      uniforms: [u32('count', width)],
      items: batch,
      body: (t) => `
        let base = item * u.count;
        let mean = ${t.mean}[item];
        let invstd = ${t.invstd}[item];
        var share = vec2<f32>(0.0, 0.0);
        for (var j = lid; j < u.count; j = j + WG) {
          let g = ${t.dy}[base + j] * ${t.gamma}[j];
          share = share + vec2<f32>(g, g * (${t.x}[base + j] - mean) * invstd);
        }
        let sums = group_sum(lid, share);
        let m = f32(u.count);
        for (var j = lid; j < u.count; j = j + WG) {
          let g = ${t.dy}[base + j] * ${t.gamma}[j];
          let xhat = (${t.x}[base + j] - mean) * invstd;
          ${t.dx}[base + j] = invstd / m * (m * g - sums.x - xhat * sums.y);
        }`,
    }),
    gridDispatch(call, {
      label: 'layernorm_grad (dgamma, dbeta)',
      operands: {
        x: input(0),
        mean: input(2),
        invstd: input(3),
        dy: input(4),
        dgamma: output(1),
        dbeta: output(2),
      },
      uniforms: [u32('batch', batch), u32('width', width)],
      invocations: width,
      body: (t) => `
        var dgamma: f32 = 0.0;
        var dbeta: f32 = 0.0;
        for (var n = 0u; n < u.batch; n = n + 1u) {
          let at = n * u.width + idx;
          let xhat = (${t.x}[at] - ${t.mean}[n]) * ${t.invstd}[n];
          dgamma = dgamma + ${t.dy}[at] * xhat;
          dbeta = dbeta + ${t.dy}[at];
        }
        ${t.dgamma}[idx] = dgamma;
        ${t.dbeta}[idx] = dbeta;`,
    }),
  ];
};
