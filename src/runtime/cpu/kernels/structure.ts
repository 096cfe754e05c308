import type { Kernel } from '../kernel.js';
import { unaryKernel } from './elementwise.js';
import { batchedAxis, input, inputShape, output, outputShape, viewAround } from './layout.js';

/*
 * Kernels that move, combine or fill data without any nonlinearity: copies, n-ary sums,
 * products, concatenation and its inverse (slice), constants and scaling.
 */

/** Row-major data does not move when only the shape changes, so this is a copy. */
export const reshape: Kernel<'reshape'> = unaryKernel((x) => x);

export const identity: Kernel<'identity'> = unaryKernel((x) => x);

export const scale: Kernel<'scale'> = unaryKernel((x, { factor }) => factor * x);

/** n-ary, since gradient accumulation adds every contribution to a tensor in one step. */
export const add: Kernel<'add'> = (call) => {
  const terms = call.inputs.map((_, j) => input(call, j));
  const y = output(call, 0);
  for (let i = 0; i < y.length; i++) {
    let sum = 0;
    for (const term of terms) sum += term[i]!;
    y[i] = sum;
  }
};

export const mul: Kernel<'mul'> = (call) => {
  const a = input(call, 0);
  const b = input(call, 1);
  const y = output(call, 0);
  for (let i = 0; i < y.length; i++) y[i] = a[i]! * b[i]!;
};

export const fill: Kernel<'fill'> = (call) => {
  output(call, 0).fill(call.attrs.value);
};

/**
 * Around the axis, every tensor is [outer, length, inner] with the same outer and inner;
 * output row o is input 0's row o, then input 1's, and so on.
 */
export const concat: Kernel<'concat'> = (call) => {
  const y = output(call, 0);
  const axis = batchedAxis(call.attrs.axis);
  const outView = viewAround(outputShape(call, 0), axis);
  let offset = 0; // where along the axis the current input starts
  for (let j = 0; j < call.inputs.length; j++) {
    const x = input(call, j);
    const { outer, length, inner } = viewAround(inputShape(call, j), axis);
    for (let o = 0; o < outer; o++) {
      for (let k = 0; k < length; k++) {
        for (let i = 0; i < inner; i++) {
          y[(o * outView.length + offset + k) * inner + i] = x[(o * length + k) * inner + i]!;
        }
      }
    }
    offset += length;
  }
};

/** The inverse of concat: y takes positions start … start + (y's length) − 1 along the axis. */
export const slice: Kernel<'slice'> = (call) => {
  const x = input(call, 0);
  const y = output(call, 0);
  const axis = batchedAxis(call.attrs.axis);
  const inView = viewAround(inputShape(call, 0), axis);
  const { outer, length, inner } = viewAround(outputShape(call, 0), axis);
  const start = call.attrs.start;
  if (start < 0 || start + length > inView.length) {
    throw new Error(
      `internal error: slice [${start}, ${start + length}) is outside an axis of ${inView.length}`,
    );
  }
  for (let o = 0; o < outer; o++) {
    for (let k = 0; k < length; k++) {
      for (let i = 0; i < inner; i++) {
        y[(o * length + k) * inner + i] = x[(o * inView.length + start + k) * inner + i]!;
      }
    }
  }
};
