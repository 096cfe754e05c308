import type { OpTable } from './opSpec.js';
import {
  elu,
  gelu,
  identity,
  leaky_relu,
  log_softmax,
  relu,
  sigmoid,
  softmax,
  softplus,
  step,
  tanh,
} from './ops/activations.js';
import { add, concat, mul, sample_normal } from './ops/combine.js';
import { conv2d, conv_transpose2d } from './ops/conv.js';
import { dense } from './ops/dense.js';
import { batchnorm, layernorm } from './ops/norm.js';
import { avgpool, global_avgpool, global_maxpool, maxpool } from './ops/pool.js';
import { dropout, gaussian_noise } from './ops/regularization.js';
import { flatten, reshape, upsample } from './ops/reshape.js';

/** The shape rule of every v1 op (LANGUAGE §5). Typed so that a missing op fails the build. */
export const opTable: OpTable = {
  dense,
  conv2d,
  conv_transpose2d,
  maxpool,
  avgpool,
  global_avgpool,
  global_maxpool,
  flatten,
  reshape,
  upsample,
  relu,
  sigmoid,
  tanh,
  softplus,
  gelu,
  elu,
  leaky_relu,
  step,
  identity,
  softmax,
  log_softmax,
  dropout,
  gaussian_noise,
  batchnorm,
  layernorm,
  add,
  concat,
  mul,
  sample_normal,
};
