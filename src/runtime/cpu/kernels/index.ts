import type { KernelTable } from '../kernel.js';
import { optimizerKernels } from './optimizers.js';
import { pointwiseKernels } from './pointwise.js';
import { spatialKernels } from './spatial.js';

/** Every primitive's CPU kernel; a primitive missing here fails the build. */
export const cpuKernels: KernelTable = {
  ...spatialKernels,
  ...pointwiseKernels,
  ...optimizerKernels,
};
