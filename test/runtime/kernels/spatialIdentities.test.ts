import { describe, expect, it } from 'vitest';
import type { Kernel } from '../../../src/runtime/cpu/kernel.js';
import { spatialKernels, type SpatialPrim } from '../../../src/runtime/cpu/kernels/spatial.js';
import type { PrimAttrMap } from '../../../src/runtime/program.js';
import { callKernel, size, type TensorArg } from '../../helpers/kernels.js';
import {
  convAttrs,
  convShapes,
  describeConv,
  randomConvCases,
  transposeShapes,
  type ConvCase,
} from './spatialCases.js';
import { distinctValues, dot, expectClose, run1, tensor } from './spatialHarness.js';

/*
 * Identities that tie the kernels to each other (a 1×1 convolution is a dense layer; the
 * transposed convolution is the adjoint of the convolution) and a check that float32 runs
 * agree with float64 runs for every spatial kernel.
 */

const k = spatialKernels;

describe('conv2d with a 1×1 kernel is dense applied to every pixel', () => {
  for (const [n, c, h, w, f] of [
    [2, 3, 5, 7, 4],
    [1, 1, 1, 1, 1],
    [1, 5, 2, 3, 2],
  ] as const) {
    it(`for x ${n}×${c}×${h}×${w} into ${f} filters (tolerance 1e-12)`, () => {
      const x = tensor([n, c, h, w], 1);
      const weight = tensor([f, c], 2);
      const bias = tensor([f], 3);
      const conv = run1(
        k.conv2d,
        convAttrs({ filters: f, kernel: [1, 1] }),
        [x, { data: weight.data, shape: [f, c, 1, 1] }, bias],
        [n, f, h, w],
      );
      // Gather each pixel's channel vector into a row, in the order n, row, column.
      const plane = h * w;
      const rows: number[] = [];
      for (let b = 0; b < n; b++) {
        for (let p = 0; p < plane; p++) {
          for (let ch = 0; ch < c; ch++) rows.push(x.data[(b * c + ch) * plane + p]!);
        }
      }
      const dense = run1(
        k.dense,
        { bias: true },
        [{ data: rows, shape: [n * plane, c] }, weight, bias],
        [n * plane, f],
      );
      for (let b = 0; b < n; b++) {
        for (let p = 0; p < plane; p++) {
          for (let ch = 0; ch < f; ch++) {
            const fromConv = conv[(b * f + ch) * plane + p]!;
            expect(fromConv).toBeCloseTo(dense[(b * plane + p) * f + ch]!, 12);
          }
        }
      }
    });
  }
});

describe('conv_transpose2d is the adjoint of conv2d with the same weight', () => {
  // ⟨conv(x), y⟩ = ⟨x, convT(y)⟩ when convT maps back to x's size; output padding picks it.
  const edgeCases: ConvCase[] = [
    {
      name: '',
      batch: 1,
      channels: 1,
      size: [1, 1],
      attrs: convAttrs({ filters: 1, kernel: [1, 1] }),
    },
    {
      name: '',
      batch: 2,
      channels: 3,
      size: [7, 5],
      attrs: convAttrs({
        filters: 2,
        kernel: [3, 2],
        stride: [2, 3],
        pad: [1, 1],
        dilation: [2, 1],
      }),
    },
    {
      name: '',
      batch: 1,
      channels: 2,
      size: [5, 1],
      attrs: convAttrs({ filters: 3, kernel: [2, 1], stride: [3, 1], pad: [1, 0] }),
    },
  ];
  const random = randomConvCases(8, 41).map((c) => ({
    ...c,
    attrs: { ...c.attrs, groups: 1, padMode: 'zeros' as const },
  }));
  for (const c of [...edgeCases, ...random]) {
    it(`for ${describeConv(c).replace(', groups 1, zeros', '')} (relative tolerance 1e-12)`, () => {
      const shapes = convShapes(c);
      const a = c.attrs;
      const outputPad = [0, 1].map(
        (i) =>
          (c.size[i]! + 2 * a.pad[i]! - a.dilation[i]! * (a.kernel[i]! - 1) - 1) % a.stride[i]!,
      ) as [number, number];
      const x = tensor(shapes.x, 1);
      const w = tensor(shapes.w, 2);
      const y = tensor(shapes.y, 3);
      const noBias = { ...a, bias: false };
      const transposeAttrs = { ...noBias, outputPad };
      const left = dot(run1(k.conv2d, noBias, [x, w], shapes.y), y.data);
      const right = dot(x.data, run1(k.conv_transpose2d, transposeAttrs, [y, w], shapes.x));
      expect(Math.abs(left - right)).toBeLessThanOrEqual(1e-12 * Math.max(1, Math.abs(left)));
    });
  }
});

/** One call of a spatial kernel, run at either precision. */
interface Probe {
  readonly prim: SpatialPrim;
  readonly run: (precision: 'float32' | 'float64') => ArrayLike<number>;
}

function probe<K extends SpatialPrim>(
  prim: K,
  attrs: PrimAttrMap[K],
  inputs: readonly TensorArg[],
  outShape: readonly number[],
): Probe {
  const kernel = spatialKernels[prim] as Kernel<K>;
  return {
    prim,
    run: (precision) => callKernel(kernel, attrs, inputs, [outShape], { precision })[0]!,
  };
}

function probes(): Probe[] {
  const conv = convAttrs({
    filters: 4,
    kernel: [3, 2],
    stride: [2, 1],
    pad: [1, 1],
    padMode: 'reflect',
  });
  const cs = convShapes({ name: '', batch: 2, channels: 3, size: [5, 7], attrs: conv });
  const transpose = {
    filters: 3,
    kernel: [3, 3],
    stride: [2, 1],
    pad: [1, 1],
    outputPad: [1, 0],
    dilation: [2, 1],
    bias: true,
  } as const;
  const ts = transposeShapes({ name: '', batch: 2, channels: 4, size: [3, 5], attrs: transpose });
  const pool = { kernel: [3, 3], stride: [2, 2], pad: [1, 1] } as const;
  const image = [2, 3, 5, 7];
  const pooled = [2, 3, 3, 4];
  const upsampled = [2, 3, 10, 14];
  const distinct = { data: distinctValues(size(image), 9), shape: image };
  const t = tensor;
  return [
    probe('dense', { bias: true }, [t([4, 6], 1), t([5, 6], 2), t([5], 3)], [4, 5]),
    probe('dense_grad_input', {}, [t([4, 5], 1), t([5, 6], 2)], [4, 6]),
    probe('dense_grad_weight', {}, [t([4, 5], 1), t([4, 6], 2)], [5, 6]),
    probe('bias_grad', {}, [t(cs.y, 1)], [4]),
    probe('conv2d', conv, [t(cs.x, 1), t(cs.w, 2), t(cs.b, 3)], cs.y),
    probe('conv2d_grad_input', conv, [t(cs.y, 1), t(cs.w, 2)], cs.x),
    probe('conv2d_grad_weight', conv, [t(cs.y, 1), t(cs.x, 2)], cs.w),
    probe('conv_transpose2d', transpose, [t(ts.x, 1), t(ts.w, 2), t(ts.b, 3)], ts.y),
    probe('conv_transpose2d_grad_input', transpose, [t(ts.y, 1), t(ts.w, 2)], ts.x),
    probe('conv_transpose2d_grad_weight', transpose, [t(ts.y, 1), t(ts.x, 2)], ts.w),
    probe('maxpool', pool, [distinct], pooled),
    probe('maxpool_grad', pool, [distinct, t(pooled, 2)], image),
    probe('avgpool', pool, [t(image, 1)], pooled),
    probe('avgpool_grad', pool, [t(pooled, 1)], image),
    probe('blur', { stride: [2, 2] }, [t(image, 1)], pooled),
    probe('blur_grad', { stride: [2, 2] }, [t(pooled, 1)], image),
    probe('global_avgpool', {}, [t(image, 1)], [2, 3]),
    probe('global_avgpool_grad', {}, [t([2, 3], 1)], image),
    probe('global_maxpool', {}, [distinct], [2, 3]),
    probe('global_maxpool_grad', {}, [distinct, t([2, 3], 2)], image),
    probe('upsample', { scale: 2, mode: 'bilinear' }, [t(image, 1)], upsampled),
    probe('upsample_grad', { scale: 2, mode: 'bilinear' }, [t(upsampled, 1)], image),
  ];
}

describe('float32 and float64 agree within 1e-5 relative (1e-5 absolute below 1)', () => {
  const all = probes();

  it('probes every spatial kernel', () => {
    expect(all.map((p) => p.prim).sort()).toEqual(Object.keys(spatialKernels).sort());
  });

  for (const p of all) {
    it(`for ${p.prim}, writing every output element`, () => {
      const single = p.run('float32');
      expect(single).toBeInstanceOf(Float32Array);
      // Outputs arrive filled with NaN, so an element a kernel skipped fails here.
      expectClose(single, p.run('float64'), { atol: 1e-5, rtol: 1e-5 });
    });
  }
});
