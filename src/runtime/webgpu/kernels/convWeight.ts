import type { PrimKind } from '../../program.js';
import type { Operand, Uniform, WgslCall, WgslDispatch } from './kernel.js';
import { channelBlock } from './convBlocked.js';
import { gridDispatch } from './shader.js';
import { sourceIndex, tapUniforms, type TapGeometry } from './taps.js';

/*
 * The blocked form of taps.ts's `gatherWeight`: each invocation sums a block of `channels`
 * output channels × `taps` consecutive taps (ky·kw + kx) of one input channel over the
 * batch and every strided-side position. Per position it loads one window-side value per
 * tap and one strided-side value per channel for channels·taps multiply-adds. Any padding
 * mode: window-side coordinates go through `source_`. Each weight is still written by one
 * invocation only, its sum in the CPU's order of positions. Up to 8 channels × 4 taps
 * measured best on lavapipe.
 *
 * With a `db` operand (conv2d_grad_weight's `biasGrad`), every invocation also sums the
 * strided-side values it loads per channel, and those that own input channel 0 and the first
 * tap block store them: db[o] = Σ over the batch and positions of dY[n, o], in the order of
 * reduce.ts's bias_grad, without a pass over dY of its own. The adds are a few beside the
 * channels·taps multiply-adds, and keep control flow uniform.
 */

export interface WeightBlock {
  readonly channels: number;
  readonly taps: number;
}

const range = (n: number) => [...Array(n).keys()];
const blocks = (n: number, size: number) => Math.ceil(n / size);
const i32 = (name: string, value: number): Uniform => ({ name, type: 'i32', value });

export interface BlockedWeightSpec {
  readonly label: string;
  readonly geometry: TapGeometry;
  /** The strided side, the window side and the weight written. */
  readonly from: Operand;
  readonly window: Operand;
  readonly to: Operand;
  /** Per output channel, the sum of the strided side (the bias gradient), when present. */
  readonly db?: Operand;
}

export function blockedWeight(
  call: WgslCall<PrimKind>,
  s: BlockedWeightSpec,
  block?: WeightBlock,
): WgslDispatch {
  const g = s.geometry;
  const b = block ?? { channels: channelBlock(g.outChannels / g.groups, 8), taps: 4 };
  const C = range(b.channels);
  const T = range(b.taps);
  const inGroup = g.inChannels / g.groups;
  const channelBlocks = blocks(g.outChannels / g.groups, b.channels);
  const tapBlocks = blocks(g.kernel[0] * g.kernel[1], b.taps);
  return gridDispatch(call, {
    label: s.label,
    operands: { dy: s.from, x: s.window, dw: s.to, db: s.db },
    uniforms: [
      ...tapUniforms(g),
      i32('channel_blocks', channelBlocks),
      i32('tap_blocks', tapBlocks),
    ],
    functions: [sourceIndex],
    invocations: g.groups * channelBlocks * inGroup * tapBlocks,
    body: (t) =>
      [
        'var r = i32(idx);',
        `let first = (r % u.tap_blocks) * ${b.taps};`,
        'r = r / u.tap_blocks;',
        'let ci = r % u.in_group;',
        'r = r / u.in_group;',
        `let c0 = (r % u.channel_blocks) * ${b.channels};`,
        'let grp = r / u.channel_blocks;',
        'let taps = u.k_h * u.k_w;',
        'let c = grp * u.in_group + ci;',
        ...T.flatMap((j) => [
          `let tap${j} = min(first + ${j}, taps - 1);`,
          `let ky${j} = (tap${j} / u.k_w) * u.d_h - u.p_h;`,
          `let kx${j} = (tap${j} % u.k_w) * u.d_w - u.p_w;`,
        ]),
        ...C.map((k) => `let o${k} = grp * u.out_group + min(c0 + ${k}, u.out_group - 1);`),
        ...C.flatMap((k) => T.map((j) => `var a${k}_${j}: f32 = 0.0;`)),
        ...(s.db ? C.map((k) => `var b${k}: f32 = 0.0;`) : []),
        'for (var n = 0; n < u.batch; n = n + 1) {',
        '  let plane = (n * u.in_c + c) * u.in_h;',
        '  for (var oy = 0; oy < u.out_h; oy = oy + 1) {',
        ...T.flatMap((j) => [
          `let iy${j} = source_(oy * u.s_h + ky${j}, u.in_h, u.pad_mode);`,
          `let row${j} = (plane + max(iy${j}, 0)) * u.in_w;`,
        ]),
        ...C.map((k) => `let out${k} = ((n * u.out_c + o${k}) * u.out_h + oy) * u.out_w;`),
        '    for (var ox = 0; ox < u.out_w; ox = ox + 1) {',
        ...T.flatMap((j) => [
          `let ix${j} = source_(ox * u.s_w + kx${j}, u.in_w, u.pad_mode);`,
          `let x${j} = select(0.0, ${t.x}[row${j} + max(ix${j}, 0)], iy${j} >= 0 && ix${j} >= 0);`,
        ]),
        ...C.map((k) => `let d${k} = ${t.dy}[out${k} + ox];`),
        ...C.flatMap((k) => T.map((j) => `a${k}_${j} = a${k}_${j} + d${k} * x${j};`)),
        ...(s.db ? C.map((k) => `b${k} = b${k} + d${k};`) : []),
        '    }',
        '  }',
        '}',
        ...C.flatMap((k) =>
          T.flatMap((j) => [
            `if (c0 + ${k} < u.out_group && first + ${j} < taps) {`,
            `  ${t.dw}[(o${k} * u.in_group + ci) * taps + first + ${j}] = a${k}_${j};`,
            '}',
          ]),
        ),
        ...(s.db
          ? C.flatMap((k) => [
              `if (ci == 0 && first == 0 && c0 + ${k} < u.out_group) {`,
              `  ${t.db}[o${k}] = b${k};`,
              '}',
            ])
          : []),
      ].join('\n'),
  });
}
