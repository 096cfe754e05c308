import type { KernelTable } from '../kernel.js';
import * as act from './activations.js';
import { pointwiseChain } from './chain.js';
import { contrastive, contrastiveGrad } from './contrastive.js';
import * as ce from './crossEntropy.js';
import * as loss from './losses.js';
import * as norm from './norm.js';
import * as rand from './random.js';
import * as reg from './regularize.js';
import * as sm from './softmax.js';
import * as st from './structure.js';

/*
 * The CPU reference kernels for every primitive that is not a convolution, pooling,
 * resampling, dense layer or optimizer update. Typed as a Pick of the full table, so a
 * primitive listed in `PointwiseKind` without a kernel here does not compile.
 */

export type PointwiseKind =
  // forward
  | 'reshape'
  | 'relu'
  | 'sigmoid'
  | 'tanh'
  | 'softplus'
  | 'gelu'
  | 'elu'
  | 'leaky_relu'
  | 'step'
  | 'identity'
  | 'softmax'
  | 'log_softmax'
  | 'dropout'
  | 'gaussian_noise'
  | 'batchnorm_train'
  | 'batchnorm_infer'
  | 'layernorm'
  | 'add'
  | 'concat'
  | 'mul'
  | 'sample_normal'
  | 'random_normal'
  | 'random_uniform'
  | 'fill'
  | 'scale'
  // gradients
  | 'relu_grad'
  | 'sigmoid_grad'
  | 'tanh_grad'
  | 'softplus_grad'
  | 'gelu_grad'
  | 'elu_grad'
  | 'leaky_relu_grad'
  | 'activation_grad'
  | 'softmax_grad'
  | 'log_softmax_grad'
  | 'batchnorm_grad'
  | 'layernorm_grad'
  | 'slice'
  | 'sample_normal_grad_logvar'
  // losses
  | 'mse_loss'
  | 'mse_loss_grad'
  | 'l1_loss'
  | 'l1_loss_grad'
  | 'l1_activity'
  | 'l1_activity_grad'
  | 'softmax_cross_entropy'
  | 'softmax_cross_entropy_grad'
  | 'sigmoid_bce'
  | 'sigmoid_bce_grad'
  | 'softmax_cross_entropy_with_grad'
  | 'sigmoid_bce_with_grad'
  | 'kl_normal'
  | 'kl_normal_grad'
  | 'contrastive'
  | 'contrastive_grad'
  | 'weighted_sum'
  // regularization
  | 'sum_squares'
  | 'sum_abs'
  | 'add_scaled'
  | 'add_sign_scaled'
  // fused
  | 'pointwise_chain';

export const pointwiseKernels: Pick<KernelTable, PointwiseKind> = {
  reshape: st.reshape,
  relu: act.relu,
  sigmoid: act.sigmoidKernel,
  tanh: act.tanh,
  softplus: act.softplusKernel,
  gelu: act.gelu,
  elu: act.elu,
  leaky_relu: act.leakyRelu,
  step: act.step,
  identity: st.identity,
  softmax: sm.softmax,
  log_softmax: sm.logSoftmax,
  dropout: rand.dropout,
  gaussian_noise: rand.gaussianNoise,
  batchnorm_train: norm.batchnormTrain,
  batchnorm_infer: norm.batchnormInfer,
  layernorm: norm.layernorm,
  add: st.add,
  concat: st.concat,
  mul: st.mul,
  sample_normal: rand.sampleNormal,
  random_normal: rand.randomNormalKernel,
  random_uniform: rand.randomUniformKernel,
  fill: st.fill,
  scale: st.scale,

  relu_grad: act.reluGrad,
  sigmoid_grad: act.sigmoidGrad,
  tanh_grad: act.tanhGrad,
  softplus_grad: act.softplusGrad,
  gelu_grad: act.geluGrad,
  elu_grad: act.eluGrad,
  leaky_relu_grad: act.leakyReluGrad,
  activation_grad: act.activationGrad,
  softmax_grad: sm.softmaxGrad,
  log_softmax_grad: sm.logSoftmaxGrad,
  batchnorm_grad: norm.batchnormGrad,
  layernorm_grad: norm.layernormGrad,
  slice: st.slice,
  sample_normal_grad_logvar: rand.sampleNormalGradLogvar,

  mse_loss: loss.mseLoss,
  mse_loss_grad: loss.mseLossGrad,
  l1_loss: loss.l1Loss,
  l1_loss_grad: loss.l1LossGrad,
  l1_activity: loss.l1Activity,
  l1_activity_grad: loss.l1ActivityGrad,
  softmax_cross_entropy: ce.softmaxCrossEntropy,
  softmax_cross_entropy_grad: ce.softmaxCrossEntropyGrad,
  sigmoid_bce: ce.sigmoidBce,
  sigmoid_bce_grad: ce.sigmoidBceGrad,
  softmax_cross_entropy_with_grad: ce.softmaxCrossEntropyWithGrad,
  sigmoid_bce_with_grad: ce.sigmoidBceWithGrad,
  kl_normal: loss.klNormal,
  kl_normal_grad: loss.klNormalGrad,
  contrastive,
  contrastive_grad: contrastiveGrad,
  weighted_sum: loss.weightedSum,

  sum_squares: reg.sumSquares,
  sum_abs: reg.sumAbs,
  add_scaled: reg.addScaled,
  add_sign_scaled: reg.addSignScaled,

  pointwise_chain: pointwiseChain,
};
