import type { Kernel } from '../kernel.js';
import { imageDims, operand } from './nchw.js';
import { beats } from './pool.js';

/*
 * Global pools reduce each channel plane of x [N, C, H, W] to one number of y [N, C]. Plane p
 * of x (p = n·C + c) holds elements p·H·W … (p+1)·H·W − 1 and reduces to y[p].
 */

/** [x] → [y]. */
export const global_avgpool: Kernel<'global_avgpool'> = (call) => {
  const op = 'global_avgpool';
  const x = operand(call.inputs, 0, op);
  const y = operand(call.outputs, 0, op);
  const d = imageDims(operand(call.inputShapes, 0, op), op);
  const plane = d.h * d.w;
  for (let p = 0; p < d.n * d.c; p++) {
    let sum = 0;
    for (let i = 0; i < plane; i++) sum += x[p * plane + i]!;
    y[p] = sum / plane;
  }
};

/** [dY] → [dX]: every element of a plane receives an equal share. */
export const global_avgpool_grad: Kernel<'global_avgpool_grad'> = (call) => {
  const op = 'global_avgpool_grad';
  const dy = operand(call.inputs, 0, op);
  const dx = operand(call.outputs, 0, op);
  const d = imageDims(operand(call.outputShapes, 0, op), op);
  const plane = d.h * d.w;
  for (let p = 0; p < d.n * d.c; p++) {
    for (let i = 0; i < plane; i++) dx[p * plane + i] = dy[p]! / plane;
  }
};

/** Index within plane `p` of its first maximum (a NaN counts as the maximum). */
function argmaxOfPlane(x: ArrayLike<number>, p: number, plane: number): number {
  let best = 0;
  for (let i = 1; i < plane; i++) {
    if (beats(x[p * plane + i]!, x[p * plane + best]!)) best = i;
  }
  return best;
}

/** [x] → [y]. */
export const global_maxpool: Kernel<'global_maxpool'> = (call) => {
  const op = 'global_maxpool';
  const x = operand(call.inputs, 0, op);
  const y = operand(call.outputs, 0, op);
  const d = imageDims(operand(call.inputShapes, 0, op), op);
  const plane = d.h * d.w;
  for (let p = 0; p < d.n * d.c; p++) y[p] = x[p * plane + argmaxOfPlane(x, p, plane)]!;
};

/** [x, dY] → [dX]: to the first maximum of each plane, zero elsewhere. */
export const global_maxpool_grad: Kernel<'global_maxpool_grad'> = (call) => {
  const op = 'global_maxpool_grad';
  const x = operand(call.inputs, 0, op);
  const dy = operand(call.inputs, 1, op);
  const dx = operand(call.outputs, 0, op);
  const d = imageDims(operand(call.inputShapes, 0, op), op);
  const plane = d.h * d.w;
  dx.fill(0);
  for (let p = 0; p < d.n * d.c; p++) dx[p * plane + argmaxOfPlane(x, p, plane)] = dy[p]!;
};
