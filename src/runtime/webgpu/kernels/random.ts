import { streams } from '../../rng.js';
import { input, output, type Uniform, type WgslCall, type WgslKernel } from './kernel.js';
import { gridDispatch, sizeOf } from './shader.js';
import * as rng from './rngWgsl.js';

/*
 * Kernels that draw random numbers, and the reparameterization gradient
 * (cpu/kernels/random.ts): one invocation per element. Element i of an instruction's draw is
 * word i of the stream (seed, instrBase + stream, step), i the flat index in the whole
 * batched tensor, computed by the WGSL port of rng.ts (rngWgsl.ts). The seed and step come
 * from the run context, so one pipeline and one plan serve every step.
 *
 * Uniform draws and the dropout mask are the CPU's bits. Dropout compares integers: uniform
 * < p, with uniform = w/2^24 for the 24-bit integer w, holds exactly when w < ⌈p·2^24⌉
 * (computed in float64 on the host), whereas comparing with p rounded to float32 would
 * disagree when a draw falls between the two. Normal draws agree to the tolerance stated in
 * rngWgsl.ts; what the kernels add to them is float32 arithmetic.
 */

const u32 = (name: string, value: Uniform['value']): Uniform => ({ name, type: 'u32', value });
const f32 = (name: string, value: number): Uniform => ({ name, type: 'f32', value });

type RandomKind =
  'dropout' | 'gaussian_noise' | 'sample_normal' | 'random_normal' | 'random_uniform';

/** Which stream: the seed and step of the run, the instruction's stream. */
function keyUniforms(call: WgslCall<RandomKind>): Uniform[] {
  return [
    u32('seed', (ctx) => ctx.seed),
    u32('stream', streams.instrBase + call.attrs.stream),
    u32('counter', (ctx) => ctx.step),
  ];
}

/** The first three arguments of the rngWgsl.ts functions, from `keyUniforms`. */
const KEY = 'u.seed, u.stream, u.counter';

/** [x] → [y, mask]: mask = 0 where uniform < p, else 1/(1 − p); y = x·mask. */
export const dropout: WgslKernel<'dropout'> = (call) => {
  const { p } = call.attrs;
  const threshold = Math.min(16777216, Math.max(0, Math.ceil(p * 16777216)));
  return [
    gridDispatch(call, {
      label: 'dropout',
      operands: { x: input(0), y: output(0), mask: output(1) },
      functions: [rng.randomWord],
      uniforms: [...keyUniforms(call), u32('threshold', threshold), f32('keep', 1 / (1 - p))],
      invocations: sizeOf(call.outputShapes[0]),
      body: (t) => `
        let drawn = random_word_(${KEY}, idx) >> 8u;
        let m = select(u.keep, 0.0, drawn < u.threshold);
        ${t.mask}[idx] = m;
        ${t.y}[idx] = ${t.x}[idx] * m;`,
    }),
  ];
};

/** [x] → [y] = x + std·normal. */
export const gaussianNoise: WgslKernel<'gaussian_noise'> = (call) => [
  gridDispatch(call, {
    label: 'gaussian_noise',
    operands: { x: input(0), y: output(0) },
    functions: [rng.randomNormal],
    uniforms: [...keyUniforms(call), f32('stddev', call.attrs.std)],
    invocations: sizeOf(call.outputShapes[0]),
    body: (t) => `${t.y}[idx] = ${t.x}[idx] + u.stddev * random_normal_(${KEY}, idx);`,
  }),
];

/** [mu, logvar] → [z, eps]: z = mu + e^(logvar/2)·eps; eps is kept for the backward pass. */
export const sampleNormal: WgslKernel<'sample_normal'> = (call) => [
  gridDispatch(call, {
    label: 'sample_normal',
    operands: { mu: input(0), lv: input(1), z: output(0), eps: output(1) },
    functions: [rng.randomNormal],
    uniforms: keyUniforms(call),
    invocations: sizeOf(call.outputShapes[0]),
    body: (t) => `
      let e = random_normal_(${KEY}, idx);
      ${t.eps}[idx] = e;
      ${t.z}[idx] = ${t.mu}[idx] + exp(${t.lv}[idx] / 2.0) * e;`,
  }),
];

/** [logvar, eps, dZ] → [dLogvar] = dZ·eps·e^(logvar/2)/2. */
export const sampleNormalGradLogvar: WgslKernel<'sample_normal_grad_logvar'> = (call) => [
  gridDispatch(call, {
    label: 'sample_normal_grad_logvar',
    operands: { lv: input(0), eps: input(1), dz: input(2), dlv: output(0) },
    invocations: sizeOf(call.outputShapes[0]),
    body: (t) => `
      ${t.dlv}[idx] = ${t.dz}[idx] * ${t.eps}[idx] * exp(${t.lv}[idx] / 2.0) / 2.0;`,
  }),
];

/** [] → [y] = mean + std·normal. */
export const randomNormal: WgslKernel<'random_normal'> = (call) => [
  gridDispatch(call, {
    label: 'random_normal',
    operands: { y: output(0) },
    functions: [rng.randomNormal],
    uniforms: [...keyUniforms(call), f32('mean', call.attrs.mean), f32('stddev', call.attrs.std)],
    invocations: sizeOf(call.outputShapes[0]),
    body: (t) => `${t.y}[idx] = u.mean + u.stddev * random_normal_(${KEY}, idx);`,
  }),
];

/**
 * [] → [y] = low + (high − low)·uniform; the CPU's bits whenever that arithmetic is exact in
 * float32 (a power-of-two range such as [0, 1) or [−2, 2)), else within a few ulps.
 */
export const randomUniform: WgslKernel<'random_uniform'> = (call) => [
  gridDispatch(call, {
    label: 'random_uniform',
    operands: { y: output(0) },
    functions: [rng.randomUniform],
    uniforms: [
      ...keyUniforms(call),
      f32('low', call.attrs.low),
      f32('span', call.attrs.high - call.attrs.low),
    ],
    invocations: sizeOf(call.outputShapes[0]),
    body: (t) => `${t.y}[idx] = u.low + u.span * random_uniform_(${KEY}, idx);`,
  }),
];
