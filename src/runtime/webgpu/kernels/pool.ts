import type { Pair } from '../../../compiler/ir/ops.js';
import type { PrimAttrMap } from '../../program.js';
import { activationGradEpilogue } from './epilogue.js';
import { input, output, type WgslKernel } from './kernel.js';
import { baked } from './baked.js';
import { maxpoolGradCells, tiles } from './poolCells.js';
import { gridDispatch, type WgslFunction } from './shader.js';
import {
  gatherInput,
  gatherOutput,
  imageDims,
  inputCoords,
  outputCoords,
  tapUniforms,
  type TapGeometry,
} from './taps.js';

/*
 * Window pools and the blur (cpu/kernels/pool.ts): depthwise convolutions, one group per
 * channel. The average pool and the blur are gathers of taps.ts with a computed weight. The
 * max pool skips the padding (padding with −∞) and keeps the first maximum in row-major
 * window order; its gradient is gathered too: an element of x scans every window that
 * contains it and collects that window's dY when the window's first maximum is itself.
 */

type Window = Pick<TapGeometry, 'kernel' | 'stride' | 'pad' | 'padMode'>;

/** Per-channel taps from x [N, C, H, W] to y [N, C, H', W']. */
function depthwise(
  window: Window,
  xShape: readonly number[] | undefined,
  yShape: readonly number[] | undefined,
  op: string,
): TapGeometry {
  const x = imageDims(xShape, op);
  const y = imageDims(yShape, op);
  return {
    ...window,
    batch: x.n,
    inChannels: x.c,
    outChannels: x.c,
    groups: x.c,
    inSize: [x.h, x.w],
    outSize: [y.h, y.w],
    dilation: [1, 1],
  };
}

function poolWindow(attrs: PrimAttrMap['maxpool']): Window {
  return { kernel: attrs.kernel, stride: attrs.stride, pad: attrs.pad, padMode: 'zeros' };
}

function blurWindow(stride: Pair): Window {
  return { kernel: [3, 3], stride, pad: [1, 1], padMode: 'replicate' };
}

/** Whether a float is a NaN, by its bits (compilers may fold `v != v` away). */
export const isNan: WgslFunction = {
  code: `
fn is_nan_(v: f32) -> bool {
  return (bitcast<u32>(v) & 0x7fffffffu) > 0x7f800000u;
}`,
};

/** The CPU's `beats`: strictly greater keeps the first maximum; a NaN wins, then stays. */
export const beats: WgslFunction = {
  code: `
fn beats_(v: f32, best: f32) -> bool {
  return v > best || (is_nan_(v) && !is_nan_(best));
}`,
  uses: [isNan],
};

/** [x] → [y]. */
export const maxpool: WgslKernel<'maxpool'> = (call) => [
  gridDispatch(
    call,
    baked({
      label: 'maxpool',
      operands: { x: input(0), y: output(0) },
      uniforms: tapUniforms(
        depthwise(poolWindow(call.attrs), call.inputShapes[0], call.outputShapes[0], call.op),
      ),
      functions: [beats],
      invocations: imageCount(call.outputShapes[0]),
      body: (t) => `
      ${outputCoords}
      let plane = (n * u.in_c + o) * u.in_h;
      var best: f32 = 0.0;
      var found = false;
      for (var ky = 0; ky < u.k_h; ky = ky + 1) {
        let iy = oy * u.s_h - u.p_h + ky;
        if (iy < 0 || iy >= u.in_h) {
          continue;
        }
        for (var kx = 0; kx < u.k_w; kx = kx + 1) {
          let ix = ox * u.s_w - u.p_w + kx;
          if (ix < 0 || ix >= u.in_w) {
            continue;
          }
          let v = ${t.x}[(plane + iy) * u.in_w + ix];
          if (!found || beats_(v, best)) {
            best = v;
            found = true;
          }
        }
      }
      // A window entirely in the padding (the compiler never makes one) is −∞.
      let negative_infinity = 0xff800000u;
      ${t.y}[idx] = select(bitcast<f32>(negative_infinity), best, found);`,
    }),
  ),
];

/**
 * [x, dY, y?] → [dX]: each window's gradient goes to its first maximum; times act'(y) in the
 * store with `activationGrad`.
 */
export const maxpoolGrad: WgslKernel<'maxpool_grad'> = (call) => {
  const epilogue = activationGradEpilogue(call.attrs.activationGrad, input(2));
  const geometry = depthwise(
    poolWindow(call.attrs),
    call.inputShapes[0],
    call.inputShapes[1],
    call.op,
  );
  // Tiling windows up to 5×5 take the cell form (unrolled over the window).
  if (tiles(geometry) && geometry.kernel[0] * geometry.kernel[1] <= 25) {
    const cells = { geometry, x: input(0), dy: input(1), dx: output(0), epilogue, beats };
    return [maxpoolGradCells(call, cells)];
  }
  return [
    gridDispatch(
      call,
      baked({
        label: 'maxpool_grad',
        operands: { x: input(0), dy: input(1), dx: output(0), ...epilogue.operands },
        uniforms: [
          ...tapUniforms(
            depthwise(poolWindow(call.attrs), call.inputShapes[0], call.inputShapes[1], call.op),
          ),
          ...epilogue.uniforms,
        ],
        functions: [beats, ...epilogue.functions],
        invocations: imageCount(call.inputShapes[0]),
        body: (t) => `
      ${inputCoords}
      let plane = (n * u.in_c + c) * u.in_h;
      let me = iy * u.in_w + ix;
      var acc: f32 = 0.0;
      // The windows that contain (iy, ix): oy·sh ≤ iy + ph ≤ oy·sh + kh − 1, and across.
      let last_y = min(u.out_h - 1, (iy + u.p_h) / u.s_h);
      let last_x = min(u.out_w - 1, (ix + u.p_w) / u.s_w);
      for (var oy = max(0, (iy + u.p_h - u.k_h + u.s_h) / u.s_h); oy <= last_y; oy = oy + 1) {
        for (var ox = max(0, (ix + u.p_w - u.k_w + u.s_w) / u.s_w); ox <= last_x; ox = ox + 1) {
          var best: f32 = 0.0;
          var at = -1;
          for (var wy = 0; wy < u.k_h; wy = wy + 1) {
            let y = oy * u.s_h - u.p_h + wy;
            if (y < 0 || y >= u.in_h) {
              continue;
            }
            for (var wx = 0; wx < u.k_w; wx = wx + 1) {
              let x = ox * u.s_w - u.p_w + wx;
              if (x < 0 || x >= u.in_w) {
                continue;
              }
              let v = ${t.x}[(plane + y) * u.in_w + x];
              if (at < 0 || beats_(v, best)) {
                best = v;
                at = y * u.in_w + x;
              }
            }
          }
          if (at == me) {
            acc = acc + ${t.dy}[((n * u.out_c + c) * u.out_h + oy) * u.out_w + ox];
          }
        }
      }
      ${t['dx']}[idx] = ${epilogue.apply('acc', 'idx', t)};`,
      }),
    ),
  ];
};

/** [x] → [y]; zero padding counts in the divisor (count_include_pad). */
export const avgpool: WgslKernel<'avgpool'> = (call) => [
  gatherOutput(call, {
    label: 'avgpool',
    geometry: depthwise(poolWindow(call.attrs), call.inputShapes[0], call.outputShapes[0], call.op),
    from: input(0),
    to: output(0),
    weight: { kind: 'mean' },
  }),
];

/** [dY, y?] → [dX], times act'(y) in the store with `activationGrad`. */
export const avgpoolGrad: WgslKernel<'avgpool_grad'> = (call) => [
  gatherInput(call, {
    label: 'avgpool_grad',
    geometry: depthwise(poolWindow(call.attrs), call.outputShapes[0], call.inputShapes[0], call.op),
    from: input(0),
    to: output(0),
    weight: { kind: 'mean' },
    epilogue: activationGradEpilogue(call.attrs.activationGrad, input(1)),
  }),
];

/** [x] → [y]: the 3×3 binomial with one pixel of edge replication, at a stride. */
export const blur: WgslKernel<'blur'> = (call) => [
  gatherOutput(call, {
    label: 'blur',
    geometry: depthwise(
      blurWindow(call.attrs.stride),
      call.inputShapes[0],
      call.outputShapes[0],
      call.op,
    ),
    from: input(0),
    to: output(0),
    weight: { kind: 'binomial' },
  }),
];

/** [dY] → [dX]: a replicated edge pixel collects the gradient of each of its copies. */
export const blurGrad: WgslKernel<'blur_grad'> = (call) => [
  gatherInput(call, {
    label: 'blur_grad',
    geometry: depthwise(
      blurWindow(call.attrs.stride),
      call.outputShapes[0],
      call.inputShapes[0],
      call.op,
    ),
    from: input(0),
    to: output(0),
    weight: { kind: 'binomial' },
  }),
];

function imageCount(shape: readonly number[] | undefined): number {
  const d = imageDims(shape, 'a pool');
  return d.n * d.c * d.h * d.w;
}
