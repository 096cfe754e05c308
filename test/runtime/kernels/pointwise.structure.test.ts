import { describe, expect, it } from 'vitest';
import { pointwiseKernels as k } from '../../../src/runtime/cpu/kernels/pointwise.js';
import { callKernel, size, testValues } from '../../helpers/kernels.js';
import { checkShapes, dot, expectGradients } from './gradcheck.js';

function concat(parts: readonly { data: number[]; shape: number[] }[], axis: number) {
  const outShape = [...parts[0]!.shape];
  outShape[axis + 1] = parts.reduce((sum, p) => sum + p.shape[axis + 1]!, 0);
  return { data: Array.from(callKernel(k.concat, { axis }, parts, [outShape])[0]!), outShape };
}

function slice(x: number[], shape: number[], axis: number, start: number, length: number) {
  const outShape = [...shape];
  outShape[axis + 1] = length;
  return Array.from(callKernel(k.slice, { axis, start }, [{ data: x, shape }], [outShape])[0]!);
}

describe('structure kernels', () => {
  it('add sums any number of tensors elementwise', () => {
    const parts = [
      [1, 2],
      [10, 20],
      [100, 200],
    ].map((data) => ({ data, shape: [1, 2] }));
    expect(Array.from(callKernel(k.add, {}, parts, [[1, 2]])[0]!)).toEqual([111, 222]);
  });

  it('mul multiplies two tensors elementwise', () => {
    const parts = [
      { data: [1, -2, 3], shape: [3, 1] },
      { data: [4, 5, -6], shape: [3, 1] },
    ];
    expect(Array.from(callKernel(k.mul, {}, parts, [[3, 1]])[0]!)).toEqual([4, -10, -18]);
  });

  it('fill writes its value everywhere', () => {
    expect(Array.from(callKernel(k.fill, { value: 0.9 }, [], [[2, 2]])[0]!)).toEqual([
      0.9, 0.9, 0.9, 0.9,
    ]);
  });

  it('concat along axis 0 stacks the channels of each sample in input order', () => {
    const a = { data: [1, 2, 3, 4], shape: [2, 1, 2] }; // two samples, one channel of 2
    const b = { data: [5, 6, 7, 8, 9, 10, 11, 12], shape: [2, 2, 2] };
    const { data, outShape } = concat([a, b], 0);
    expect(outShape).toEqual([2, 3, 2]);
    expect(data).toEqual([1, 2, 5, 6, 7, 8, 3, 4, 9, 10, 11, 12]);
  });

  it('concat along the last axis interleaves rows, like torch.cat(dim=-1)', () => {
    const a = { data: [1, 2, 3, 4], shape: [1, 2, 2] };
    const b = { data: [5, 6], shape: [1, 2, 1] };
    const c = { data: [7, 8], shape: [1, 2, 1] };
    expect(concat([a, b, c], 1).data).toEqual([1, 2, 5, 7, 3, 4, 6, 8]);
  });

  it('slice takes back exactly the parts concat joined, on every axis', () => {
    const shape = [2, 3, 2, 2];
    for (let axis = 0; axis < 3; axis++) {
      const a = testValues(size(shape), 20 + axis);
      const bShape = [...shape];
      bShape[axis + 1] = 1;
      const b = testValues(size(bShape), 30 + axis);
      const joined = concat(
        [
          { data: a, shape },
          { data: b, shape: bShape },
        ],
        axis,
      );
      expect(slice(joined.data, joined.outShape, axis, 0, shape[axis + 1]!)).toEqual(a);
      expect(slice(joined.data, joined.outShape, axis, shape[axis + 1]!, 1)).toEqual(b);
    }
  });

  it('slice rejects a range beyond the axis as an internal error', () => {
    expect(() => slice([1, 2, 3], [1, 3], 0, 2, 2)).toThrow(/internal error/);
  });
});

describe('slice is the gradient of concat', () => {
  it('slicing dY gives the central-difference gradient of every concat input', () => {
    checkShapes().forEach((shape, s) => {
      for (let axis = 0; axis < shape.length - 1; axis++) {
        const bShape = [...shape];
        bShape[axis + 1] = 1 + (s % 2);
        const a = testValues(size(shape), 40 + s);
        const b = testValues(size(bShape), 50 + s);
        const run = (x: number[], y: number[]) =>
          concat(
            [
              { data: x, shape },
              { data: y, shape: bShape },
            ],
            axis,
          );
        const { outShape } = run(a, b);
        const dY = testValues(size(outShape), 60 + s);
        const dA = slice(dY, outShape, axis, 0, shape[axis + 1]!);
        const dB = slice(dY, outShape, axis, shape[axis + 1]!, bShape[axis + 1]!);
        expectGradients(
          ([x, y]) => dot(run(x!, y!).data, dY),
          [a, b],
          [dA, dB],
          `concat axis ${axis} of [${shape}] and [${bShape}]`,
        );
      }
    });
  });
});
