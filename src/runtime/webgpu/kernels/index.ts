import { pointwiseChain } from './chain.js';
import * as ct from './contrastive.js';
import * as epilogue from './epilogue.js';
import type { WgslKernelTable } from './kernel.js';
import * as linear from './linear.js';
import * as norm from './norm.js';
import * as opt from './optimizers.js';
import { pointwiseKernels } from './pointwise.js';
import * as random from './random.js';
import * as reduce from './reduce.js';
import * as sm from './softmax.js';
import { spatialKernels } from './spatial.js';
import * as st from './structure.js';

/**
 * The WGSL kernel of every primitive. The table stays `Partial` so that a primitive added to
 * the program contract without a kernel makes `run` fail with its name (and `auto` choose
 * the CPU) rather than the build; test/webgpu checks that every primitive has one.
 */
export const wgslKernels: WgslKernelTable = {
  ...pointwiseKernels,
  ...spatialKernels,
  add: st.add,
  weighted_sum: st.weightedSum,
  fill: st.fill,
  concat: st.concat,
  slice: st.slice,
  dense: linear.dense,
  dense_grad_input: linear.denseGradInput,
  dense_grad_weight: linear.denseGradWeight,
  bias_grad: reduce.biasGrad,
  activation_grad: epilogue.activationGrad,
  softmax: sm.softmax,
  log_softmax: sm.logSoftmax,
  softmax_grad: sm.softmaxGrad,
  log_softmax_grad: sm.logSoftmaxGrad,
  softmax_cross_entropy: sm.softmaxCrossEntropy,
  softmax_cross_entropy_grad: sm.softmaxCrossEntropyGrad,
  softmax_cross_entropy_with_grad: sm.softmaxCrossEntropyWithGrad,
  sigmoid_bce: reduce.sigmoidBce,
  sigmoid_bce_with_grad: reduce.sigmoidBceWithGrad,
  mse_loss: reduce.mseLoss,
  l1_loss: reduce.l1Loss,
  l1_activity: reduce.l1Activity,
  kl_normal: reduce.klNormal,
  kl_normal_grad: reduce.klNormalGrad,
  sum_squares: reduce.sumSquares,
  sum_abs: reduce.sumAbs,
  sgd_update: opt.sgdUpdate,
  adagrad_update: opt.adagradUpdate,
  adam_update: opt.adamUpdate,
  rmsprop_update: opt.rmspropUpdate,
  batchnorm_train: norm.batchnormTrain,
  batchnorm_infer: norm.batchnormInfer,
  batchnorm_grad: norm.batchnormGrad,
  layernorm: norm.layernorm,
  layernorm_grad: norm.layernormGrad,
  dropout: random.dropout,
  gaussian_noise: random.gaussianNoise,
  sample_normal: random.sampleNormal,
  sample_normal_grad_logvar: random.sampleNormalGradLogvar,
  random_normal: random.randomNormal,
  random_uniform: random.randomUniform,
  contrastive: ct.contrastive,
  contrastive_grad: ct.contrastiveGrad,
  pointwise_chain: pointwiseChain,
};
