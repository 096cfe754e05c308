import type { PrimKind } from '../../program.js';
import type { Operand, Uniform, WgslCall, WgslDispatch } from './kernel.js';
import { noEpilogue, type Epilogue } from './epilogue.js';
import { baked } from './baked.js';
import { gridDispatch } from './shader.js';
import { sourceIndex, tapUniforms, type TapGeometry } from './taps.js';

/*
 * Blocked forms of the convolution gathers of taps.ts. Each invocation accumulates a block
 * of channels × pixels of one row in registers, straight from global memory: per tap it
 * loads one value per pixel and one weight per channel for channels·pixels multiply-adds,
 * where the plain gathers load two numbers per multiply-add. The geometry is baked into the
 * module (baked.ts), so the block fits the layer exactly: a group's channels split evenly
 * into blocks of at most 16 (forward) or 12 (input gradient), a row's pixels into blocks of
 * at most 10 (forward) or 14 (input gradient, pixels a stride apart). With constant loop
 * bounds and offsets LLVM unrolls the taps; on lavapipe LeNet's convolutions ran 3–5×
 * faster than with uniforms and 16 × 4 or 8 × 4 blocks. With stride and dilation 1 across
 * (and zero padding) the taps of a kernel row read one run of the row, shifted, so the run is
 * loaded once for all of them. The channels of a block belong to
 * one group; at the ragged edges channel and pixel indices are clamped for the loads and
 * the stores are skipped.
 */

/** The shape of one invocation's block. */
export interface Block {
  readonly channels: number;
  readonly pixels: number;
}

/**
 * The size of the blocks that split `n` into as few blocks of at most `most` as possible,
 * evened out (28 by 10 gives blocks of 10, 10 and 8, and 6 by 16 one block of 6), so the
 * ragged last block wastes little. The geometry is baked into the module (baked.ts), so
 * exact sizes cost no extra sharing of pipelines.
 */
export function evenBlock(n: number, most: number): number {
  return Math.ceil(n / Math.ceil(n / most));
}

const range = (n: number) => [...Array(n).keys()];
const blocks = (n: number, size: number) => Math.ceil(n / size);
const i32 = (name: string, value: number): Uniform => ({ name, type: 'i32', value });

export interface BlockedSpec {
  readonly label: string;
  readonly geometry: TapGeometry;
  readonly from: Operand;
  readonly to: Operand;
  /** [outChannels, inChannels/groups, kh, kw]. */
  readonly weight: Operand;
  readonly bias?: Operand;
  /** Applied to each element (after the bias) as it is stored. */
  readonly epilogue?: Epilogue;
}

/**
 * Statements that store `value(c, p)`, through the epilogue, at flat index `at(c, p)` of the
 * operand `to` where `inside(c, p)` holds.
 */
function stores(
  b: Block,
  epilogue: Epilogue,
  t: Readonly<Record<string, string>>,
  to: string,
  inside: (c: number, p: number) => string,
  at: (c: number, p: number) => string,
  value: (c: number, p: number) => string,
): string[] {
  return range(b.channels).flatMap((c) =>
    range(b.pixels).flatMap((p) => [
      `if (${inside(c, p)}) {`,
      `  ${t[to]}[${at(c, p)}] = ${epilogue.apply(value(c, p), at(c, p), t)};`,
      '}',
    ]),
  );
}

/**
 * `gatherOutput` blocked: strided-side channels c0 … c0 + channels − 1 of one group at
 * pixels ox0 … ox0 + pixels − 1 of row oy. Any padding mode.
 */
export function blockedOutput(
  call: WgslCall<PrimKind>,
  s: BlockedSpec,
  block?: Block,
): WgslDispatch {
  const g = s.geometry;
  const b = block ?? {
    channels: evenBlock(g.outChannels / g.groups, 16),
    pixels: evenBlock(g.outSize[1], 10),
  };
  const C = range(b.channels);
  const P = range(b.pixels);
  const channelBlocks = blocks(g.outChannels / g.groups, b.channels);
  const pixelBlocks = blocks(g.outSize[1], b.pixels);
  const epilogue = s.epilogue ?? noEpilogue;
  // Stride and dilation 1 across with zero padding: tap kx reads input column
  // ox0 + p + kx − pw for pixel p, so one row of pixels + kw − 1 inputs serves every tap of
  // the row (loaded once rather than once per tap).
  const kw = g.kernel[1];
  const slides = g.stride[1] === 1 && g.dilation[1] === 1 && g.padMode === 'zeros' && kw <= 16;
  type Names = Readonly<Record<string, string>>;
  const steppedTaps = ({ x, w }: Names): string[] => [
    '    for (var kx = 0; kx < u.k_w; kx = kx + 1) {',
    ...P.flatMap((p) => [
      `let i${p} = source_((ox0 + ${p}) * u.s_w - u.p_w + kx * u.d_w, u.in_w, u.pad_mode);`,
      `let x${p} = select(0.0, ${x}[row + max(i${p}, 0)], i${p} >= 0);`,
    ]),
    ...C.map((c) => `let v${c} = ${w}[w${c} + wk + kx];`),
    ...C.flatMap((c) => P.map((p) => `a${c}_${p} = a${c}_${p} + v${c} * x${p};`)),
    '    }',
  ];
  const slidingTaps = ({ x, w }: Names): string[] => [
    ...range(b.pixels + kw - 1).flatMap((q) => [
      `let i${q} = ox0 - u.p_w + ${q};`,
      `let e${q} = select(0.0, ${x}[row + clamp(i${q}, 0, u.in_w - 1)], i${q} >= 0 && i${q} < u.in_w);`,
    ]),
    ...range(kw).flatMap((kx) => [
      ...C.map((c) => `let v${c}_${kx} = ${w}[w${c} + wk + ${kx}];`),
      ...C.flatMap((c) => P.map((p) => `a${c}_${p} = a${c}_${p} + v${c}_${kx} * e${p + kx};`)),
    ]),
  ];
  return gridDispatch(
    call,
    baked({
      label: s.label,
      operands: {
        x: s.from,
        y: s.to,
        w: s.weight,
        ...(s.bias ? { b: s.bias } : {}),
        ...epilogue.operands,
      },
      uniforms: [
        ...tapUniforms(g),
        i32('channel_blocks', channelBlocks),
        i32('pixel_blocks', pixelBlocks),
        ...epilogue.uniforms,
      ],
      functions: [sourceIndex, ...epilogue.functions],
      invocations: g.batch * g.groups * channelBlocks * g.outSize[0] * pixelBlocks,
      body: (t) =>
        [
          'var r = i32(idx);',
          `let ox0 = (r % u.pixel_blocks) * ${b.pixels};`,
          'r = r / u.pixel_blocks;',
          'let oy = r % u.out_h;',
          'r = r / u.out_h;',
          `let c0 = (r % u.channel_blocks) * ${b.channels};`,
          'r = r / u.channel_blocks;',
          'let grp = r % u.groups;',
          'let n = r / u.groups;',
          'let taps = u.in_group * u.k_h * u.k_w;',
          ...C.map(
            (c) => `let w${c} = (grp * u.out_group + min(c0 + ${c}, u.out_group - 1)) * taps;`,
          ),
          ...C.flatMap((c) => P.map((p) => `var a${c}_${p}: f32 = 0.0;`)),
          'for (var ci = 0; ci < u.in_group; ci = ci + 1) {',
          '  let plane = (n * u.in_c + grp * u.in_group + ci) * u.in_h;',
          '  for (var ky = 0; ky < u.k_h; ky = ky + 1) {',
          '    let iy = source_(oy * u.s_h - u.p_h + ky * u.d_h, u.in_h, u.pad_mode);',
          '    if (iy < 0) {',
          '      continue;',
          '    }',
          '    let row = (plane + iy) * u.in_w;',
          '    let wk = (ci * u.k_h + ky) * u.k_w;',
          ...(slides ? slidingTaps(t) : steppedTaps(t)),
          '  }',
          '}',
          ...stores(
            b,
            epilogue,
            t,
            'y',
            (c, p) => `c0 + ${c} < u.out_group && ox0 + ${p} < u.out_w`,
            (c, p) =>
              `((n * u.out_c + grp * u.out_group + c0 + ${c}) * u.out_h + oy) * u.out_w + ox0 + ${p}`,
            (c, p) =>
              s.bias ? `${t['b']}[grp * u.out_group + c0 + ${c}] + a${c}_${p}` : `a${c}_${p}`,
          ),
        ].join('\n'),
    }),
  );
}

/** `name` = the first k of 0 … below − 1 for which `holds`, or `below` if none does. */
const firstWhere = (name: string, below: string, holds: string) => `
  var ${name} = 0;
  for (; ${name} < ${below}; ${name} = ${name} + 1) {
    let k = ${name};
    if (${holds}) {
      break;
    }
  }`;

function gcd(a: number, b: number): number {
  return b === 0 ? a : gcd(b, a % b);
}

/**
 * `gatherInput` blocked, for zero padding: window-side channels c0 … c0 + channels − 1 of
 * one group at pixels ix0, ix0 + sw, ix0 + 2·sw, … of row iy. A tap (ky, kx) reaches the
 * element when iy + ph − ky·dh is a multiple of sh (and likewise across). Those ky form a
 * progression with step sh/gcd(sh, dh), along which oy falls by a fixed amount, so the
 * loops visit only the taps that land, without a division; pixels a stride apart share
 * their kx, which is why a block's pixels are a stride apart.
 */
export function blockedInput(
  call: WgslCall<PrimKind>,
  s: BlockedSpec,
  block?: Block,
): WgslDispatch {
  const g = s.geometry;
  const b = block ?? {
    channels: evenBlock(g.inChannels / g.groups, 12),
    pixels: evenBlock(blocks(g.inSize[1], g.stride[1]), 14),
  };
  if (g.padMode !== 'zeros') {
    throw new Error(`internal error: the blocked \`${s.label}\` needs zero padding`);
  }
  const C = range(b.channels);
  const P = range(b.pixels);
  const channelBlocks = blocks(g.inChannels / g.groups, b.channels);
  const pixelBlocks = blocks(blocks(g.inSize[1], g.stride[1]), b.pixels);
  const step = (axis: 0 | 1) => g.stride[axis] / gcd(g.stride[axis], g.dilation[axis]);
  const epilogue = s.epilogue ?? noEpilogue;
  // Stride and dilation 1 across: tap kx reads dY column ox0 − kx + p for pixel p, so one
  // row of pixels + kw − 1 dY values serves every tap of the row (loaded once, not once per
  // tap: LeNet's second layer loads 48 numbers per 420 multiply-adds rather than 100).
  const kw = g.kernel[1];
  const slides = g.stride[1] === 1 && g.dilation[1] === 1 && kw <= 16;
  type Names = Readonly<Record<string, string>>;
  const steppedTaps = ({ dy, w }: Names): string[] => [
    '      var ox = ox0;',
    `      for (var kx = kx0; kx < u.k_w && ox + ${b.pixels - 1} >= 0; kx = kx + u.step_w) {`,
    // ox falls as kx rises: until it is inside dY, the whole block reads zeros.
    '        if (ox < u.out_w) {',
    ...P.flatMap((p) => [
      `let o${p} = ox + ${p};`,
      `let d${p} = select(0.0, ${dy}[row + clamp(o${p}, 0, u.out_w - 1)], o${p} >= 0 && o${p} < u.out_w);`,
    ]),
    ...C.map((c) => `let v${c} = ${w}[wk + w${c} + kx];`),
    ...C.flatMap((c) => P.map((p) => `a${c}_${p} = a${c}_${p} + v${c} * d${p};`)),
    '        }',
    '        ox = ox - u.fall_w;',
    '      }',
  ];
  const slidingTaps = ({ dy, w }: Names): string[] => [
    ...range(b.pixels + kw - 1).flatMap((q) => [
      `let o${q} = ox0 - ${kw - 1} + ${q};`,
      `let e${q} = select(0.0, ${dy}[row + clamp(o${q}, 0, u.out_w - 1)], o${q} >= 0 && o${q} < u.out_w);`,
    ]),
    ...range(kw).flatMap((kx) => [
      ...C.map((c) => `let v${c}_${kx} = ${w}[wk + w${c} + ${kx}];`),
      ...C.flatMap((c) =>
        P.map((p) => `a${c}_${p} = a${c}_${p} + v${c}_${kx} * e${kw - 1 - kx + p};`),
      ),
    ]),
  ];
  return gridDispatch(
    call,
    baked({
      label: s.label,
      operands: {
        dy: s.from,
        dx: s.to,
        w: s.weight,
        ...(s.bias ? { b: s.bias } : {}),
        ...epilogue.operands,
      },
      functions: epilogue.functions,
      uniforms: [
        ...tapUniforms(g),
        i32('channel_blocks', channelBlocks),
        i32('pixel_blocks', pixelBlocks),
        i32('step_h', step(0)),
        i32('step_w', step(1)),
        i32('fall_h', (step(0) * g.dilation[0]) / g.stride[0]),
        i32('fall_w', (step(1) * g.dilation[1]) / g.stride[1]),
        ...epilogue.uniforms,
      ],
      invocations: g.batch * g.groups * channelBlocks * g.inSize[0] * g.stride[1] * pixelBlocks,
      body: (t) =>
        [
          'var r = i32(idx);',
          'let pb = r % u.pixel_blocks;',
          'r = r / u.pixel_blocks;',
          'let phase = r % u.s_w;',
          'r = r / u.s_w;',
          'let iy = r % u.in_h;',
          'r = r / u.in_h;',
          `let c0 = (r % u.channel_blocks) * ${b.channels};`,
          'r = r / u.channel_blocks;',
          'let grp = r % u.groups;',
          'let n = r / u.groups;',
          `let ix0 = phase + pb * ${b.pixels} * u.s_w;`,
          'let taps = u.k_h * u.k_w;',
          ...C.map((c) => `let w${c} = min(c0 + ${c}, u.in_group - 1) * taps;`),
          firstWhere('ky0', 'min(u.k_h, u.step_h)', '(iy + u.p_h - k * u.d_h) % u.s_h == 0'),
          firstWhere('kx0', 'min(u.k_w, u.step_w)', '(ix0 + u.p_w - k * u.d_w) % u.s_w == 0'),
          // No tap in the first step means none at all.
          'if (ky0 >= u.step_h) {',
          '  ky0 = u.k_h;',
          '}',
          'if (kx0 >= u.step_w) {',
          '  kx0 = u.k_w;',
          '}',
          'let oy0 = (iy + u.p_h - ky0 * u.d_h) / u.s_h;',
          'let ox0 = (ix0 + u.p_w - kx0 * u.d_w) / u.s_w;',
          ...C.flatMap((c) => P.map((p) => `var a${c}_${p}: f32 = 0.0;`)),
          'for (var fo = 0; fo < u.out_group; fo = fo + 1) {',
          '  let o = grp * u.out_group + fo;',
          '  let plane = (n * u.out_c + o) * u.out_h;',
          '  let wo = o * u.in_group * taps;',
          '  var oy = oy0;',
          '  for (var ky = ky0; ky < u.k_h && oy >= 0; ky = ky + u.step_h) {',
          '    if (oy < u.out_h) {',
          '      let row = (plane + oy) * u.out_w;',
          '      let wk = wo + ky * u.k_w;',
          ...(slides ? slidingTaps(t) : steppedTaps(t)),
          '    }',
          '    oy = oy - u.fall_h;',
          '  }',
          '}',
          ...stores(
            b,
            epilogue,
            t,
            'dx',
            (c, p) => `c0 + ${c} < u.in_group && ix0 + ${p} * u.s_w < u.in_w`,
            (c, p) =>
              `((n * u.in_c + grp * u.in_group + c0 + ${c}) * u.in_h + iy) * u.in_w + ix0 + ${p} * u.s_w`,
            (c, p) =>
              s.bias ? `${t['b']}[grp * u.in_group + c0 + ${c}] + a${c}_${p}` : `a${c}_${p}`,
          ),
        ].join('\n'),
    }),
  );
}
