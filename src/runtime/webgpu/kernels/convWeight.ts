import type { PrimKind } from '../../program.js';
import type { Operand, Uniform, WgslCall, WgslDispatch } from './kernel.js';
import { baking } from './baked.js';
import { evenBlock } from './convBlocked.js';
import { bind, grid, moduleText } from './shader.js';
import { sourceIndex, tapUniforms, type TapGeometry } from './taps.js';

/*
 * The blocked form of taps.ts's `gatherWeight`, with a workgroup per block of weights.
 * Giving each invocation a block to sum over the whole batch alone (this file's first form)
 * leaves a layer with a few hundred weights a few dozen invocations: one workgroup, one CPU
 * thread on a software driver, while every other thread idles. Here a workgroup of LANES
 * invocations owns a block of `channels` output channels × `taps` consecutive taps
 * (ky·kw + kx) of one input channel: up to 8 × 5, evened out (8 × 10 ran up to a quarter
 * faster on lavapipe but took two rounds of the tree, see ROUND). Its lanes take the rows
 * (n, oy) of the strided side in turn, lane l the rows l, l + LANES, …, and walk each row
 * along ox without a division. Per position a lane loads one window-side
 * value per tap and one dY value per channel for channels·taps multiply-adds. Each lane sums
 * its share in registers, then the workgroup adds the shares in a fixed tree in workgroup
 * memory: the result is the same on every run, though added in another order than the
 * CPU's (float32 pairwise sums, within the tests' tolerance).
 *
 * With `db` (conv2d_grad_weight's `biasGrad`) every workgroup also sums the dY values it
 * loads per channel, and the one with input channel 0 and the first taps stores them.
 * Geometry is baked into the module (baked.ts), so a row's coordinates come from divisions by
 * constants, all but the row length, which bounds the loop along ox.
 */

const LANES = 64;
/**
 * Shares added per round of the tree: 64 × LANES floats, 16 KiB of workgroup memory, so a
 * block of 8 × 5 with its 8 bias sums takes one round. Each round costs barriers, and on
 * lavapipe every barrier makes the compile slower: LeNet's second layer compiled in 16 s
 * with rounds of 32, in 5 s with one round (a cold shader cache).
 */
const ROUND = 64;

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

const range = (n: number) => [...Array(n).keys()];
const i32 = (name: string, value: number): Uniform => ({ name, type: 'i32', value });

export function blockedWeight(call: WgslCall<PrimKind>, s: BlockedWeightSpec): WgslDispatch {
  const g = s.geometry;
  const inGroup = g.inChannels / g.groups;
  const outGroup = g.outChannels / g.groups;
  const taps = g.kernel[0] * g.kernel[1];
  const b = { channels: evenBlock(outGroup, 8), taps: evenBlock(taps, 5) };
  const C = range(b.channels);
  const T = range(b.taps);
  const channelBlocks = Math.ceil(outGroup / b.channels);
  const tapBlocks = Math.ceil(taps / b.taps);
  const workgroups = g.groups * channelBlocks * inGroup * tapBlocks;
  const { bindings, names: t } = bind(call, { dy: s.from, x: s.window, dw: s.to, db: s.db });
  const { kept, rewrite } = baking(
    [
      ...tapUniforms(g),
      i32('channel_blocks', channelBlocks),
      i32('tap_blocks', tapBlocks),
      i32('workgroups', workgroups),
    ],
    // A constant row length unrolls the loop along ox, and a long compile with it.
    ['out_w'],
  );
  // The shares to add, and where each sum goes.
  const sums: { name: string; store: (v: string) => string }[] = [
    ...C.flatMap((k) =>
      T.map((j) => ({
        name: `a${k}_${j}`,
        store: (v: string) =>
          `if (c0 + ${k} < u.out_group && first + ${j} < taps) {\n${t.dw}[(o${k} * u.in_group + ci) * taps + first + ${j}] = ${v};\n}`,
      })),
    ),
    ...(s.db
      ? C.map((k) => ({
          name: `b${k}`,
          store: (v: string) =>
            `if (ci == 0 && first == 0 && c0 + ${k} < u.out_group) {\n${t.db}[o${k}] = ${v};\n}`,
        }))
      : []),
  ];
  const rounds = range(Math.ceil(sums.length / ROUND)).map((r) =>
    sums.slice(r * ROUND, (r + 1) * ROUND),
  );
  const reduce = rounds.flatMap((round) => [
    ...round.map((a, i) => `part[${i * LANES}u + lid] = ${a.name};`),
    'workgroupBarrier();',
    `for (var half = ${LANES / 2}u; half > 0u; half = half / 2u) {`,
    '  if (lid < half) {',
    ...round.map(
      (_, i) =>
        `part[${i * LANES}u + lid] = part[${i * LANES}u + lid] + part[${i * LANES}u + lid + half];`,
    ),
    '  }',
    '  workgroupBarrier();',
    '}',
    'if (lid == 0u) {',
    ...round.map((a, i) => a.store(`part[${i * LANES}]`)),
    '}',
    // Before the next round overwrites the sums lane 0 is storing.
    'workgroupBarrier();',
  ]);
  const body = [
    'var r = i32(wg.y * groups.x + wg.x);',
    // Whole workgroups leave together, so the barriers below stay in uniform control flow.
    'if (r >= u.workgroups) {',
    '  return;',
    '}',
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
    ...sums.map((a) => `var ${a.name}: f32 = 0.0;`),
    // Lanes take whole rows (n, oy), so the inner loop along ox divides nothing.
    `for (var row = i32(lid); row < u.batch * u.out_h; row = row + ${LANES}) {`,
    '  let n = row / u.out_h;',
    '  let oy = row % u.out_h;',
    '  let plane = (n * u.in_c + c) * u.in_h;',
    ...T.flatMap((j) => [
      `let iy${j} = source_(oy * u.s_h + ky${j}, u.in_h, u.pad_mode);`,
      `let row${j} = (plane + max(iy${j}, 0)) * u.in_w;`,
    ]),
    ...C.map((k) => `let out${k} = ((n * u.out_c + o${k}) * u.out_h + oy) * u.out_w;`),
    '  for (var ox = 0; ox < u.out_w; ox = ox + 1) {',
    ...T.flatMap((j) => [
      `let ix${j} = source_(ox * u.s_w + kx${j}, u.in_w, u.pad_mode);`,
      `let x${j} = select(0.0, ${t.x}[row${j} + max(ix${j}, 0)], iy${j} >= 0 && ix${j} >= 0);`,
    ]),
    ...C.map((k) => `let d${k} = ${t.dy}[out${k} + ox];`),
    ...C.flatMap((k) => T.map((j) => `a${k}_${j} = a${k}_${j} + d${k} * x${j};`)),
    ...(s.db ? C.map((k) => `b${k} = b${k} + d${k};`) : []),
    '  }',
    '}',
    ...reduce,
  ].join('\n');
  const main = `
var<workgroup> part: array<f32, ${Math.min(ROUND, sums.length) * LANES}>;

@compute @workgroup_size(${LANES})
fn main(
  @builtin(workgroup_id) wg: vec3<u32>,
  @builtin(num_workgroups) groups: vec3<u32>,
  @builtin(local_invocation_index) lid: u32,
) {
${rewrite(body)}
}
`;
  return {
    label: s.label,
    code: moduleText(s.label, bindings, kept, [sourceIndex], main),
    entryPoint: 'main',
    workgroups: grid(workgroups, 1, call.limits),
    bindings,
    uniforms: kept,
  };
}
