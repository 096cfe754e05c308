import type { PadMode } from '../../../compiler/ir/ops.js';
import type { TapGeometry } from '../../cpu/kernels/taps.js';
import type { PrimKind } from '../../program.js';
import type { Operand, Uniform, WgslCall, WgslDispatch } from './kernel.js';
import { noEpilogue, type Epilogue } from './epilogue.js';
import { baked } from './baked.js';
import { gridDispatch, type WgslFunction } from './shader.js';

/*
 * The taps of a 2-D convolution in WGSL, as the CPU walks them (cpu/kernels/taps.ts): the
 * window side [N, inChannels, inH, inW], the strided side [N, outChannels, outH, outW] and
 * the weight [outChannels, inChannels/groups, kh, kw]. Convolutions, their transposes, the
 * average pool and the blur are all one of three gathers over this one geometry, each
 * writing every element of its output from one invocation, so nothing is ever added to
 * memory by two invocations:
 *
 * - `gatherOutput`: a strided-side element sums its window (conv2d forward).
 * - `gatherInput`: a window-side element sums the taps that read it (conv2d's input
 *   gradient). With reflect or replicate padding an edge element is also read through the
 *   padding ring, so it walks the ring's coordinates that mirror or copy it as well.
 * - `gatherWeight`: a weight element sums its taps over the batch and every position.
 *
 * The geometry travels as i32 uniforms (coordinates go negative in the padding), so one
 * pipeline serves every shape. The sums run in float32 where the CPU sums in float64; the
 * tests state the tolerance that costs.
 */

export type { TapGeometry };

/** Where a tap's weight comes from. */
export type TapWeight =
  /** A tensor laid out [outChannels, inChannels/groups, kh, kw]. */
  | { readonly kind: 'tensor'; readonly operand: Operand }
  /** 1/(kh·kw): the average pool with count_include_pad. */
  | { readonly kind: 'mean' }
  /** The 3×3 binomial [1,2,1]ᵀ[1,2,1]/16 of the blur. */
  | { readonly kind: 'binomial' };

const i32 = (name: string, value: number): Uniform => ({ name, type: 'i32', value });

const padModes: Readonly<Record<PadMode, number>> = { zeros: 0, reflect: 1, replicate: 2 };

/** Reads [N, C, H, W] from a run-time shape. */
export function imageDims(
  shape: readonly number[] | undefined,
  op: string,
): { n: number; c: number; h: number; w: number } {
  if (shape?.length !== 4) {
    throw new Error(`internal error: \`${op}\` expects an [N, C, H, W] tensor, got [${shape}]`);
  }
  const [n, c, h, w] = shape as [number, number, number, number];
  return { n, c, h, w };
}

/** The geometry as uniforms `u.batch`, `u.in_c`, ... (see `tapUniformNames`). */
export function tapUniforms(g: TapGeometry): Uniform[] {
  return [
    i32('batch', g.batch),
    i32('in_c', g.inChannels),
    i32('out_c', g.outChannels),
    i32('groups', g.groups),
    i32('in_group', g.inChannels / g.groups),
    i32('out_group', g.outChannels / g.groups),
    i32('in_h', g.inSize[0]),
    i32('in_w', g.inSize[1]),
    i32('out_h', g.outSize[0]),
    i32('out_w', g.outSize[1]),
    i32('k_h', g.kernel[0]),
    i32('k_w', g.kernel[1]),
    i32('s_h', g.stride[0]),
    i32('s_w', g.stride[1]),
    i32('p_h', g.pad[0]),
    i32('p_w', g.pad[1]),
    i32('d_h', g.dilation[0]),
    i32('d_w', g.dilation[1]),
    i32('pad_mode', padModes[g.padMode]),
  ];
}

/**
 * Where padded coordinate `i` reads from on an axis of `size`, or −1 for a zero (mode 0).
 * Reflect (1) mirrors about the edge element, replicate (2) repeats it; the result is
 * clamped into the axis so that a geometry the compiler would refuse still reads in bounds.
 */
export const sourceIndex: WgslFunction = {
  code: `
fn source_(i: i32, size: i32, mode: i32) -> i32 {
  if (i >= 0 && i < size) {
    return i;
  }
  if (mode == 0) {
    return -1;
  }
  if (mode == 2) {
    return clamp(i, 0, size - 1);
  }
  return clamp(select(2 * (size - 1) - i, -i, i < 0), 0, size - 1);
}`,
};

/**
 * The padded coordinates that read element `i` of an axis: candidate 0 is `i` itself,
 * candidates 1 … pad the ring before the axis (−1 … −pad), pad + 1 … 2·pad the ring after it
 * (size … size + pad − 1). Returns the coordinate, or NONE when that candidate reads another
 * element.
 */
export const paddedIndex: WgslFunction = {
  code: `
const NONE: i32 = -1073741824;

fn padded_(j: i32, i: i32, size: i32, pad: i32, mode: i32) -> i32 {
  if (j == 0) {
    return i;
  }
  let p = select(size - 1 + j - pad, -j, j <= pad);
  return select(NONE, p, source_(p, size, mode) == i);
}`,
  uses: [sourceIndex],
};

export const binomial: WgslFunction = {
  code: `
fn binomial_(ky: i32, kx: i32) -> f32 {
  return f32((1 + ky % 2) * (1 + kx % 2)) / 16.0;
}`,
};

/** Statements naming the strided-side coordinates n, o, oy, ox of element `idx`. */
export const outputCoords = `
  let i = i32(idx);
  let ox = i % u.out_w;
  let oy = (i / u.out_w) % u.out_h;
  let o = (i / (u.out_w * u.out_h)) % u.out_c;
  let n = i / (u.out_w * u.out_h * u.out_c);`;

/** Statements naming the window-side coordinates n, c, iy, ix of element `idx`. */
export const inputCoords = `
  let i = i32(idx);
  let ix = i % u.in_w;
  let iy = (i / u.in_w) % u.in_h;
  let c = (i / (u.in_w * u.in_h)) % u.in_c;
  let n = i / (u.in_w * u.in_h * u.in_c);`;

/** The weight of tap (o, ci, ky, kx) as a WGSL expression. */
function weightTerm(weight: TapWeight, t: Readonly<Record<string, string>>): string {
  if (weight.kind === 'mean') return 'u.inv_area';
  if (weight.kind === 'binomial') return 'binomial_(ky, kx)';
  return `${t['w']}[((o * u.in_group + ci) * u.k_h + ky) * u.k_w + kx]`;
}

/** The operands, uniforms and helpers a weight needs. */
function weightParts(weight: TapWeight, g: TapGeometry) {
  const area = g.kernel[0] * g.kernel[1];
  const uniforms: Uniform[] =
    weight.kind === 'mean' ? [{ name: 'inv_area', type: 'f32', value: 1 / area }] : [];
  return {
    operands: weight.kind === 'tensor' ? { w: weight.operand } : {},
    uniforms,
    functions: weight.kind === 'binomial' ? [binomial] : [],
  };
}

export interface GatherSpec {
  readonly label: string;
  readonly geometry: TapGeometry;
  /** The side that is read and the side that is written (strided, window or weight). */
  readonly from: Operand;
  readonly to: Operand;
  readonly weight: TapWeight;
  /** Added per channel of the side written. */
  readonly bias?: Operand;
  /** Applied to each element (after the bias) as it is stored. */
  readonly epilogue?: Epilogue;
}

/** Each strided-side element sums in·weight over its window. */
export function gatherOutput(call: WgslCall<PrimKind>, s: GatherSpec): WgslDispatch {
  const g = s.geometry;
  const parts = weightParts(s.weight, g);
  const epilogue = s.epilogue ?? noEpilogue;
  return gridDispatch(
    call,
    baked({
      label: s.label,
      operands: {
        x: s.from,
        y: s.to,
        ...parts.operands,
        ...(s.bias ? { b: s.bias } : {}),
        ...epilogue.operands,
      },
      uniforms: [...tapUniforms(g), ...parts.uniforms, ...epilogue.uniforms],
      functions: [sourceIndex, ...parts.functions, ...epilogue.functions],
      invocations: g.batch * g.outChannels * g.outSize[0] * g.outSize[1],
      body: (t) => `
      ${outputCoords}
      let first = (o / u.out_group) * u.in_group;
      var acc: f32 = 0.0;
      for (var ci = 0; ci < u.in_group; ci = ci + 1) {
        let plane = (n * u.in_c + first + ci) * u.in_h;
        for (var ky = 0; ky < u.k_h; ky = ky + 1) {
          let iy = source_(oy * u.s_h - u.p_h + ky * u.d_h, u.in_h, u.pad_mode);
          if (iy < 0) {
            continue;
          }
          for (var kx = 0; kx < u.k_w; kx = kx + 1) {
            let ix = source_(ox * u.s_w - u.p_w + kx * u.d_w, u.in_w, u.pad_mode);
            if (ix < 0) {
              continue;
            }
            acc = acc + ${t['x']}[(plane + iy) * u.in_w + ix] * ${weightTerm(s.weight, t)};
          }
        }
      }
      ${t['y']}[idx] = ${epilogue.apply(s.bias ? `${t['b']}[o] + acc` : 'acc', 'idx', t)};`,
    }),
  );
}

/**
 * WGSL loops over the taps along one axis (`y` or `x`) that read window-side coordinate
 * `i<axis>`, through each padded coordinate that copies it, naming the strided-side
 * coordinate `o<axis>` and the kernel offset `k<axis>` for `inner`. Without dilation the
 * windows that contain a coordinate are a range of o, computed with two divisions; with
 * dilation every kernel offset is tried and kept when it lands on the stride.
 */
function tapsReading(axis: 'y' | 'x', dilated: boolean, inner: string): string {
  const [size, out, k, st, p, d] = (
    axis === 'y'
      ? ['in_h', 'out_h', 'k_h', 's_h', 'p_h', 'd_h']
      : ['in_w', 'out_w', 'k_w', 's_w', 'p_w', 'd_w']
  ).map((name) => `u.${name}`);
  const o = `o${axis}`;
  const kk = `k${axis}`;
  const loop = dilated
    ? `
      for (var ${kk} = 0; ${kk} < ${k}; ${kk} = ${kk} + 1) {
        let span = top_${axis} - ${kk} * ${d};
        if (span < 0 || span % ${st} != 0 || span / ${st} >= ${out}) {
          continue;
        }
        let ${o} = span / ${st};
        ${inner}
      }`
    : `
      let last_${axis} = min(${out} - 1, top_${axis} / ${st});
      for (var ${o} = max(0, (top_${axis} - ${k} + ${st}) / ${st}); ${o} <= last_${axis}; ${o} = ${o} + 1) {
        let ${kk} = top_${axis} - ${o} * ${st};
        ${inner}
      }`;
  return `
    for (var j${axis} = 0; j${axis} <= ring_${axis}; j${axis} = j${axis} + 1) {
      let p${axis} = padded_(j${axis}, i${axis}, ${size}, ${p}, u.pad_mode);
      if (p${axis} == NONE) {
        continue;
      }
      let top_${axis} = p${axis} + ${p};
      ${loop}
    }`;
}

/** Each window-side element sums out·weight over the taps that read it. */
export function gatherInput(call: WgslCall<PrimKind>, s: GatherSpec): WgslDispatch {
  const g = s.geometry;
  const parts = weightParts(s.weight, g);
  const dilated = g.dilation[0] !== 1 || g.dilation[1] !== 1;
  const epilogue = s.epilogue ?? noEpilogue;
  return gridDispatch(
    call,
    baked({
      label: s.label,
      operands: {
        dy: s.from,
        dx: s.to,
        ...parts.operands,
        ...(s.bias ? { b: s.bias } : {}),
        ...epilogue.operands,
      },
      uniforms: [...tapUniforms(g), ...parts.uniforms, ...epilogue.uniforms],
      functions: [paddedIndex, ...parts.functions, ...epilogue.functions],
      invocations: g.batch * g.inChannels * g.inSize[0] * g.inSize[1],
      body: (t) => {
        const sum = `
        for (var fo = 0; fo < u.out_group; fo = fo + 1) {
          let o = first + fo;
          let at = ((n * u.out_c + o) * u.out_h + oy) * u.out_w + ox;
          acc = acc + ${t['dy']}[at] * ${weightTerm(s.weight, t)};
        }`;
        return `
        ${inputCoords}
        let ci = c % u.in_group;
        let first = (c / u.in_group) * u.out_group;
        let ring_y = select(0, 2 * u.p_h, u.pad_mode != 0);
        let ring_x = select(0, 2 * u.p_w, u.pad_mode != 0);
        var acc: f32 = 0.0;
        ${tapsReading('y', dilated, tapsReading('x', dilated, sum))}
        ${t['dx']}[idx] = ${epilogue.apply(s.bias ? `${t['b']}[c] + acc` : 'acc', 'idx', t)};`;
      },
    }),
  );
}

/**
 * Each weight element sums strided·window over its taps; `from` is the strided side. With
 * `db`, the invocation of tap (o, 0, 0, 0) also sums the strided side of channel o over the
 * batch and every position (the bias gradient, in bias_grad's order).
 */
export function gatherWeight(
  call: WgslCall<PrimKind>,
  s: Omit<GatherSpec, 'weight' | 'bias' | 'epilogue'> & {
    readonly window: Operand;
    readonly db?: Operand;
  },
): WgslDispatch {
  const g = s.geometry;
  const db = (t: Readonly<Record<string, string>>) => `
      if (i % (u.k_w * u.k_h * u.in_group) == 0) {
        var sum: f32 = 0.0;
        for (var n = 0; n < u.batch; n = n + 1) {
          let base = (n * u.out_c + o) * u.out_h * u.out_w;
          for (var p = 0; p < u.out_h * u.out_w; p = p + 1) {
            sum = sum + ${t['dy']}[base + p];
          }
        }
        ${t['db']}[o] = sum;
      }`;
  return gridDispatch(
    call,
    baked({
      label: s.label,
      operands: { dy: s.from, x: s.window, dw: s.to, db: s.db },
      uniforms: tapUniforms(g),
      functions: [sourceIndex],
      invocations: g.outChannels * (g.inChannels / g.groups) * g.kernel[0] * g.kernel[1],
      body: (t) => `
      let i = i32(idx);
      let kx = i % u.k_w;
      let ky = (i / u.k_w) % u.k_h;
      let ci = (i / (u.k_w * u.k_h)) % u.in_group;
      let o = i / (u.k_w * u.k_h * u.in_group);
      let c = (o / u.out_group) * u.in_group + ci;
      var acc: f32 = 0.0;
      for (var n = 0; n < u.batch; n = n + 1) {
        let plane = (n * u.in_c + c) * u.in_h;
        let rows = (n * u.out_c + o) * u.out_h;
        for (var oy = 0; oy < u.out_h; oy = oy + 1) {
          let iy = source_(oy * u.s_h - u.p_h + ky * u.d_h, u.in_h, u.pad_mode);
          if (iy < 0) {
            continue;
          }
          for (var ox = 0; ox < u.out_w; ox = ox + 1) {
            let ix = source_(ox * u.s_w - u.p_w + kx * u.d_w, u.in_w, u.pad_mode);
            if (ix < 0) {
              continue;
            }
            acc = acc + ${t['dy']}[(rows + oy) * u.out_w + ox] * ${t['x']}[(plane + iy) * u.in_w + ix];
          }
        }
      }
      ${t['dw']}[idx] = acc;${s.db ? db(t) : ''}`,
    }),
  );
}
