import * as conv from './conv.js';
import * as global from './globalPool.js';
import type { WgslKernel } from './kernel.js';
import * as pool from './pool.js';
import * as resample from './resample.js';

/*
 * The WGSL kernels of the layers that mix elements in space: convolutions, pools, blur and
 * upsampling, with their gradients (dense lives in linear.ts). The type names every key,
 * so a kernel missing here fails the build.
 */

export type SpatialPrim =
  | 'conv2d'
  | 'conv2d_grad_input'
  | 'conv2d_grad_weight'
  | 'conv_transpose2d'
  | 'conv_transpose2d_grad_input'
  | 'conv_transpose2d_grad_weight'
  | 'maxpool'
  | 'maxpool_grad'
  | 'avgpool'
  | 'avgpool_grad'
  | 'blur'
  | 'blur_grad'
  | 'global_avgpool'
  | 'global_avgpool_grad'
  | 'global_maxpool'
  | 'global_maxpool_grad'
  | 'upsample'
  | 'upsample_grad';

export const spatialKernels: { readonly [K in SpatialPrim]: WgslKernel<K> } = {
  conv2d: conv.conv2d,
  conv2d_grad_input: conv.conv2dGradInput,
  conv2d_grad_weight: conv.conv2dGradWeight,
  conv_transpose2d: conv.convTranspose2d,
  conv_transpose2d_grad_input: conv.convTranspose2dGradInput,
  conv_transpose2d_grad_weight: conv.convTranspose2dGradWeight,
  maxpool: pool.maxpool,
  maxpool_grad: pool.maxpoolGrad,
  avgpool: pool.avgpool,
  avgpool_grad: pool.avgpoolGrad,
  blur: pool.blur,
  blur_grad: pool.blurGrad,
  global_avgpool: global.globalAvgpool,
  global_avgpool_grad: global.globalAvgpoolGrad,
  global_maxpool: global.globalMaxpool,
  global_maxpool_grad: global.globalMaxpoolGrad,
  upsample: resample.upsample,
  upsample_grad: resample.upsampleGrad,
};
