import type { Kernel, KernelCall } from '../kernel.js';
import { randomNormal, randomUniform, streams } from '../../rng.js';
import { input, output } from './layout.js';

/*
 * Kernels that draw random numbers, and the reparameterization gradient. Element i of an
 * instruction's draw is randomUniform/randomNormal(seed, instrBase + stream, step, i), i
 * the flat index in the whole batched tensor, so the GPU kernels reproduce these bits and
 * the numbers do not depend on the order elements are computed in.
 */

type RandomKind =
  'dropout' | 'gaussian_noise' | 'sample_normal' | 'random_normal' | 'random_uniform';

function uniformAt(call: KernelCall<RandomKind>, index: number): number {
  return randomUniform(call.ctx.seed, streams.instrBase + call.attrs.stream, call.ctx.step, index);
}

function normalAt(call: KernelCall<RandomKind>, index: number): number {
  return randomNormal(call.ctx.seed, streams.instrBase + call.attrs.stream, call.ctx.step, index);
}

/** Inverted dropout: drop where uniform < p, scale survivors by 1/(1 − p); mask saved for backward. */
export const dropout: Kernel<'dropout'> = (call) => {
  const x = input(call, 0);
  const y = output(call, 0);
  const mask = output(call, 1);
  const keep = 1 / (1 - call.attrs.p);
  for (let i = 0; i < y.length; i++) {
    const m = uniformAt(call, i) < call.attrs.p ? 0 : keep;
    mask[i] = m;
    y[i] = x[i]! * m;
  }
};

export const gaussianNoise: Kernel<'gaussian_noise'> = (call) => {
  const x = input(call, 0);
  const y = output(call, 0);
  for (let i = 0; i < y.length; i++) y[i] = x[i]! + call.attrs.std * normalAt(call, i);
};

/** z = mu + e^(logvar/2)·eps; eps is an output because the backward pass needs it. */
export const sampleNormal: Kernel<'sample_normal'> = (call) => {
  const mu = input(call, 0);
  const logvar = input(call, 1);
  const z = output(call, 0);
  const eps = output(call, 1);
  for (let i = 0; i < z.length; i++) {
    const e = normalAt(call, i);
    eps[i] = e;
    z[i] = mu[i]! + Math.exp(logvar[i]! / 2) * e;
  }
};

/** dz/dlogvar = eps·e^(logvar/2)/2 (the gradient for mu is dZ itself and needs no kernel). */
export const sampleNormalGradLogvar: Kernel<'sample_normal_grad_logvar'> = (call) => {
  const logvar = input(call, 0);
  const eps = input(call, 1);
  const dZ = input(call, 2);
  const dLogvar = output(call, 0);
  for (let i = 0; i < dLogvar.length; i++) {
    dLogvar[i] = (dZ[i]! * eps[i]! * Math.exp(logvar[i]! / 2)) / 2;
  }
};

export const randomNormalKernel: Kernel<'random_normal'> = (call) => {
  const { mean, std } = call.attrs;
  const y = output(call, 0);
  for (let i = 0; i < y.length; i++) y[i] = mean + std * normalAt(call, i);
};

export const randomUniformKernel: Kernel<'random_uniform'> = (call) => {
  const { low, high } = call.attrs;
  const y = output(call, 0);
  for (let i = 0; i < y.length; i++) y[i] = low + (high - low) * uniformAt(call, i);
};
