import { input, output, type Uniform, type WgslKernel } from './kernel.js';
import { gridDispatch, type WgslFunction } from './shader.js';
import { imageDims } from './taps.js';

/*
 * upsample and its gradient (cpu/kernels/resample.ts) by an integer scale s. Along each
 * axis output o reads input lo with weight 1 − f and input hi with weight f. Nearest: lo =
 * hi = ⌊o/s⌋ and one tap. Bilinear with align_corners=false: the source (o + ½)/s − ½ =
 * (2o + 1 − s)/(2s), clamped at 0, is split in integers, so lo and f come out exactly as the
 * CPU's float64 arithmetic gives them. The gradient gathers: input i scans the outputs that
 * can read it (nearest: i·s … i·s + s − 1; bilinear: within s(i − 1) … s(i + 2)) and adds
 * dY times the weight of each tap pair that lands on it.
 */

const i32 = (name: string, value: number): Uniform => ({ name, type: 'i32', value });

const axisTaps: WgslFunction = {
  code: `
struct AxisTaps {
  lo: i32,
  hi: i32,
  f: f32,
}

fn axis_taps_(o: i32, size: i32) -> AxisTaps {
  if (u.bilinear == 0) {
    let i = o / u.scale;
    return AxisTaps(i, i, 0.0);
  }
  let num = 2 * o + 1 - u.scale;
  if (num <= 0) {
    return AxisTaps(0, min(1, size - 1), 0.0);
  }
  let lo = num / (2 * u.scale);
  let f = f32(num - 2 * u.scale * lo) / f32(2 * u.scale);
  return AxisTaps(lo, min(lo + 1, size - 1), f);
}`,
};

function upsampleUniforms(
  attrs: { readonly scale: number; readonly mode: 'nearest' | 'bilinear' },
  xShape: readonly number[] | undefined,
  yShape: readonly number[] | undefined,
  op: string,
): Uniform[] {
  const x = imageDims(xShape, op);
  const y = imageDims(yShape, op);
  return [
    i32('planes', x.n * x.c),
    i32('in_h', x.h),
    i32('in_w', x.w),
    i32('out_h', y.h),
    i32('out_w', y.w),
    i32('scale', attrs.scale),
    i32('bilinear', attrs.mode === 'bilinear' ? 1 : 0),
  ];
}

/** [x] → [y]. */
export const upsample: WgslKernel<'upsample'> = (call) => {
  const y = imageDims(call.outputShapes[0], call.op);
  return [
    gridDispatch(call, {
      label: 'upsample',
      operands: { x: input(0), y: output(0) },
      uniforms: upsampleUniforms(call.attrs, call.inputShapes[0], call.outputShapes[0], call.op),
      functions: [axisTaps],
      invocations: y.n * y.c * y.h * y.w,
      body: (t) => `
        let i = i32(idx);
        let ox = i % u.out_w;
        let oy = (i / u.out_w) % u.out_h;
        let base = (i / (u.out_w * u.out_h)) * u.in_h;
        let r = axis_taps_(oy, u.in_h);
        let c = axis_taps_(ox, u.in_w);
        let lo = (base + r.lo) * u.in_w;
        if (u.bilinear == 0) {
          ${t.y}[idx] = ${t.x}[lo + c.lo];
          return;
        }
        let hi = (base + r.hi) * u.in_w;
        var acc = (1.0 - r.f) * (1.0 - c.f) * ${t.x}[lo + c.lo];
        acc = acc + (1.0 - r.f) * c.f * ${t.x}[lo + c.hi];
        acc = acc + r.f * (1.0 - c.f) * ${t.x}[hi + c.lo];
        acc = acc + r.f * c.f * ${t.x}[hi + c.hi];
        ${t.y}[idx] = acc;`,
    }),
  ];
};

/** [dY] → [dX]. */
export const upsampleGrad: WgslKernel<'upsample_grad'> = (call) => {
  const x = imageDims(call.outputShapes[0], call.op);
  return [
    gridDispatch(call, {
      label: 'upsample_grad',
      operands: { dy: input(0), dx: output(0) },
      uniforms: upsampleUniforms(call.attrs, call.outputShapes[0], call.inputShapes[0], call.op),
      functions: [axisTaps],
      invocations: x.n * x.c * x.h * x.w,
      body: (t) => `
        let i = i32(idx);
        let ix = i % u.in_w;
        let iy = (i / u.in_w) % u.in_h;
        let base = (i / (u.in_w * u.in_h)) * u.out_h;
        let reach = select(0, u.scale, u.bilinear != 0);
        let y0 = max(0, iy * u.scale - reach);
        let y1 = min(u.out_h, iy * u.scale + u.scale + reach);
        let x0 = max(0, ix * u.scale - reach);
        let x1 = min(u.out_w, ix * u.scale + u.scale + reach);
        var acc: f32 = 0.0;
        for (var oy = y0; oy < y1; oy = oy + 1) {
          let r = axis_taps_(oy, u.in_h);
          let top = r.lo == iy;
          let bottom = r.hi == iy && u.bilinear != 0;
          if (!top && !bottom) {
            continue;
          }
          for (var ox = x0; ox < x1; ox = ox + 1) {
            let c = axis_taps_(ox, u.in_w);
            let left = c.lo == ix;
            let right = c.hi == ix && u.bilinear != 0;
            let g = ${t.dy}[(base + oy) * u.out_w + ox];
            if (top && left) {
              acc = acc + (1.0 - r.f) * (1.0 - c.f) * g;
            }
            if (top && right) {
              acc = acc + (1.0 - r.f) * c.f * g;
            }
            if (bottom && left) {
              acc = acc + r.f * (1.0 - c.f) * g;
            }
            if (bottom && right) {
              acc = acc + r.f * c.f * g;
            }
          }
        }
        ${t.dx}[idx] = acc;`,
    }),
  ];
};
