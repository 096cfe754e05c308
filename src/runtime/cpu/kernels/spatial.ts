import type { KernelTable } from '../kernel.js';
import {
  conv2d,
  conv2d_grad_input,
  conv2d_grad_weight,
  conv_transpose2d,
  conv_transpose2d_grad_input,
  conv_transpose2d_grad_weight,
} from './conv.js';
import {
  global_avgpool,
  global_avgpool_grad,
  global_maxpool,
  global_maxpool_grad,
} from './globalPool.js';
import { bias_grad, dense, dense_grad_input, dense_grad_weight } from './linear.js';
import { avgpool, avgpool_grad, blur, blur_grad, maxpool, maxpool_grad } from './pool.js';
import { upsample, upsample_grad } from './resample.js';

/*
 * The CPU reference kernels of the layers that mix elements in space: dense, convolutions,
 * pools, blur and upsampling, with their gradients. The table's type names every key, so a
 * kernel missing here (or a misspelled one) fails the build.
 */

export type SpatialPrim =
  | 'dense'
  | 'conv2d'
  | 'conv_transpose2d'
  | 'maxpool'
  | 'avgpool'
  | 'blur'
  | 'global_avgpool'
  | 'global_maxpool'
  | 'upsample'
  | 'dense_grad_input'
  | 'dense_grad_weight'
  | 'bias_grad'
  | 'conv2d_grad_input'
  | 'conv2d_grad_weight'
  | 'conv_transpose2d_grad_input'
  | 'conv_transpose2d_grad_weight'
  | 'maxpool_grad'
  | 'avgpool_grad'
  | 'blur_grad'
  | 'global_avgpool_grad'
  | 'global_maxpool_grad'
  | 'upsample_grad';

export const spatialKernels: Pick<KernelTable, SpatialPrim> = {
  dense,
  conv2d,
  conv_transpose2d,
  maxpool,
  avgpool,
  blur,
  global_avgpool,
  global_maxpool,
  upsample,
  dense_grad_input,
  dense_grad_weight,
  bias_grad,
  conv2d_grad_input,
  conv2d_grad_weight,
  conv_transpose2d_grad_input,
  conv_transpose2d_grad_weight,
  maxpool_grad,
  avgpool_grad,
  blur_grad,
  global_avgpool_grad,
  global_maxpool_grad,
  upsample_grad,
};
