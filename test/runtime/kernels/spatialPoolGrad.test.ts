import { describe, it } from 'vitest';
import { spatialKernels as k } from '../../../src/runtime/cpu/kernels/spatial.js';
import { size } from '../../helpers/kernels.js';
import { describePool, poolShapes, randomPoolCases, type PoolCase } from './spatialCases.js';
import {
  distinctValues,
  expectClose,
  GRAD_TOL,
  numericGradient,
  run1,
  tensor,
} from './spatialHarness.js';

/*
 * Gradients of the pools, blur and upsample against central finite differences of the
 * forward kernel in float64 (eps 1e-6, atol 1e-5, rtol 1e-3). Max pools get inputs whose
 * values are at least 1/n apart, so no window has a tie and no step of 1e-6 changes its
 * maximum.
 */

const pool = (
  name: string,
  batch: number,
  channels: number,
  size: readonly [number, number],
  kernel: readonly [number, number],
  stride: readonly [number, number],
  pad: readonly [number, number],
): PoolCase => ({ name, batch, channels, size, attrs: { kernel, stride, pad } });

const poolCases: PoolCase[] = [
  pool('a 3×3 window at stride 1 with pad 1', 1, 2, [5, 7], [3, 3], [1, 1], [1, 1]),
  pool('a stride larger than the window', 2, 1, [7, 5], [2, 2], [3, 3], [0, 0]),
  pool('a pad of half an even window', 1, 3, [4, 3], [2, 2], [2, 2], [1, 1]),
  pool('an asymmetric window, stride and pad', 2, 2, [5, 3], [3, 2], [2, 1], [1, 1]),
  pool('a 1×1 map', 1, 2, [1, 1], [1, 1], [1, 1], [0, 0]),
  pool('a 1-pixel-wide map with padding', 1, 1, [5, 1], [3, 3], [2, 1], [1, 1]),
  ...randomPoolCases(6, 31),
];

describe('maxpool and avgpool gradients match central finite differences', () => {
  for (const c of poolCases) {
    const shapes = poolShapes(c);
    const dy = tensor(shapes.y, 4);
    const context = describePool(c);

    it(`maxpool_grad for ${c.name}`, () => {
      const x = { data: distinctValues(size(shapes.x), 5), shape: shapes.x };
      const numeric = numericGradient(k.maxpool, c.attrs, [x], shapes.y, 0, dy.data);
      expectClose(run1(k.maxpool_grad, c.attrs, [x, dy], shapes.x), numeric, GRAD_TOL, context);
    });

    it(`avgpool_grad for ${c.name}`, () => {
      const x = tensor(shapes.x, 5);
      const numeric = numericGradient(k.avgpool, c.attrs, [x], shapes.y, 0, dy.data);
      expectClose(run1(k.avgpool_grad, c.attrs, [dy], shapes.x), numeric, GRAD_TOL, context);
    });
  }
});

describe('blur_grad matches central finite differences', () => {
  const cases = [
    { h: 1, w: 1, stride: [1, 1] },
    { h: 2, w: 3, stride: [2, 2] },
    { h: 5, w: 7, stride: [3, 2] },
    { h: 4, w: 4, stride: [1, 3] },
  ] as const;
  for (const { h, w, stride } of cases) {
    it(`on a ${h}×${w} map at stride ${stride}`, () => {
      const x = tensor([2, 2, h, w], 1);
      const out = (n: number, s: number) => Math.floor((n - 1) / s) + 1;
      const yShape = [2, 2, out(h, stride[0]), out(w, stride[1])];
      const dy = tensor(yShape, 2);
      const numeric = numericGradient(k.blur, { stride }, [x], yShape, 0, dy.data);
      expectClose(run1(k.blur_grad, { stride }, [dy], x.shape), numeric, GRAD_TOL);
    });
  }
});

describe('global pool gradients match central finite differences', () => {
  for (const shape of [
    [1, 1, 1, 1],
    [2, 3, 5, 7],
    [1, 2, 1, 3],
  ]) {
    const yShape = shape.slice(0, 2);
    const dy = tensor(yShape, 2);

    it(`global_avgpool_grad on ${shape.join('×')}`, () => {
      const x = tensor(shape, 1);
      const numeric = numericGradient(k.global_avgpool, {}, [x], yShape, 0, dy.data);
      expectClose(run1(k.global_avgpool_grad, {}, [dy], shape), numeric, GRAD_TOL);
    });

    it(`global_maxpool_grad on ${shape.join('×')}`, () => {
      const x = { data: distinctValues(size(shape), 3), shape };
      const numeric = numericGradient(k.global_maxpool, {}, [x], yShape, 0, dy.data);
      expectClose(run1(k.global_maxpool_grad, {}, [x, dy], shape), numeric, GRAD_TOL);
    });
  }
});

describe('upsample_grad matches central finite differences', () => {
  for (const mode of ['nearest', 'bilinear'] as const) {
    for (const scale of [1, 2, 3]) {
      for (const [h, w] of [
        [1, 1],
        [2, 3],
        [5, 2],
      ] as const) {
        it(`${mode} at scale ${scale} on a ${h}×${w} map`, () => {
          const attrs = { scale, mode };
          const x = tensor([2, 2, h, w], 1);
          const yShape = [2, 2, h * scale, w * scale];
          const dy = tensor(yShape, 2);
          const numeric = numericGradient(k.upsample, attrs, [x], yShape, 0, dy.data);
          expectClose(run1(k.upsample_grad, attrs, [dy], x.shape), numeric, GRAD_TOL);
        });
      }
    }
  }
});
