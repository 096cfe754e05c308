import type { PrimKind } from '../../program.js';
import type { Operand, StorageBinding, Uniform, WgslCall, WgslDispatch } from './kernel.js';
import { baking } from './baked.js';
import { evenBlock } from './convBlocked.js';
import { bind, grid, moduleText, type WgslFunction } from './shader.js';
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
 * constants, all but the row length, which bounds the loop along ox. With stride and
 * dilation 1 across and zero padding, the sliding form below takes over.
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

/** A sum each lane holds a share of, and the statement that stores its total `v`. */
interface Sum {
  readonly name: string;
  readonly store: (v: string) => string;
}

/**
 * Adds the lanes' shares of every sum in a fixed tree in workgroup memory (`part`), `perRound`
 * sums at a time, and stores the totals from lane 0.
 */
function treeSum(sums: readonly Sum[], lanes: number, perRound = sums.length): string[] {
  const rounds = range(Math.ceil(sums.length / perRound)).map((r) =>
    sums.slice(r * perRound, (r + 1) * perRound),
  );
  return rounds.flatMap((round) => [
    ...round.map((a, i) => `part[${i * lanes}u + lid] = ${a.name};`),
    'workgroupBarrier();',
    `for (var half = ${lanes / 2}u; half > 0u; half = half / 2u) {`,
    '  if (lid < half) {',
    ...round.map(
      (_, i) =>
        `part[${i * lanes}u + lid] = part[${i * lanes}u + lid] + part[${i * lanes}u + lid + half];`,
    ),
    '  }',
    '  workgroupBarrier();',
    '}',
    'if (lid == 0u) {',
    ...round.map((a, i) => a.store(`part[${i * lanes}]`)),
    '}',
    // Before the next round overwrites the sums lane 0 is storing.
    'workgroupBarrier();',
  ]);
}
const i32 = (name: string, value: number): Uniform => ({ name, type: 'i32', value });

export function blockedWeight(call: WgslCall<PrimKind>, s: BlockedWeightSpec): WgslDispatch {
  if (slides(s.geometry)) return slidingWeight(call, s);
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
  const sums: Sum[] = [
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
    ...treeSum(sums, LANES, ROUND),
  ].join('\n');
  return reducingDispatch(call, {
    label: s.label,
    bindings,
    uniforms: kept,
    functions: [sourceIndex],
    lanes: LANES,
    part: Math.min(ROUND, sums.length) * LANES,
    body: rewrite(body),
    workgroups,
  });
}

/*
 * The sliding form, for the common geometry: stride and dilation 1 along the row, zero
 * padding. Tap kx at output column ox reads window column ox + kx − pw, so the window values
 * a row of taps needs at ox + 1 are those it needed at ox shifted by one, and one load brings
 * in the newcomer. A workgroup then owns whole rows of taps (`rows` × kw) of `channels`
 * output channels: per position a lane loads one window value per tap row and one dY value
 * per channel for channels·rows·kw multiply-adds (LeNet's second layer: 13 loads for 200,
 * where the 8 × 5 block above loads 13 for 40). Tap rows are as many as keep at least
 * MIN_WORKGROUPS workgroups busy, and lanes as many as fit all their shares of the sums in
 * workgroup memory at once.
 */

/** Workgroups wanted at least: on a software driver each runs on one CPU thread. */
const MIN_WORKGROUPS = 8;
/** Bytes of workgroup memory the shares may take (WebGPU's guaranteed minimum). */
const PART_BYTES = 16384;

function slides(g: TapGeometry): boolean {
  // Rows of up to 32 taps keep the shares of a block's sums by 8 lanes within PART_BYTES.
  return g.stride[1] === 1 && g.dilation[1] === 1 && g.padMode === 'zeros' && g.kernel[1] <= 32;
}

function slidingWeight(call: WgslCall<PrimKind>, s: BlockedWeightSpec): WgslDispatch {
  const g = s.geometry;
  const inGroup = g.inChannels / g.groups;
  const outGroup = g.outChannels / g.groups;
  const [kh, kw] = g.kernel;
  const channels = evenBlock(outGroup, 8);
  const channelBlocks = Math.ceil(outGroup / channels);
  const groupsFor = (rows: number) => g.groups * channelBlocks * inGroup * Math.ceil(kh / rows);
  // The most tap rows that leave enough workgroups and room for the shares of 8 lanes.
  let rows = 1;
  for (let r = kh; r > 1; r--) {
    const sums = channels * r * kw + (s.db ? channels : 0);
    if (groupsFor(r) >= MIN_WORKGROUPS && sums * 8 * 4 <= PART_BYTES) {
      rows = evenBlock(kh, r);
      break;
    }
  }
  const rowBlocks = Math.ceil(kh / rows);
  const workgroups = groupsFor(rows);
  const C = range(channels);
  const R = range(rows);
  const K = range(kw);
  const { bindings, names: t } = bind(call, { dy: s.from, x: s.window, dw: s.to, db: s.db });
  const weightSums = channels * rows * kw;
  const names = [
    ...C.flatMap((k) => R.flatMap((y) => K.map((x) => `a${k}_${y}_${x}`))),
    ...(s.db ? C.map((k) => `b${k}`) : []),
  ];
  let lanes = 64;
  while (lanes > 8 && names.length * lanes * 4 > PART_BYTES) lanes /= 2;
  const { kept, rewrite } = baking(
    [
      ...tapUniforms(g),
      i32('channel_blocks', channelBlocks),
      i32('row_blocks', rowBlocks),
      i32('workgroups', workgroups),
      i32('sums', names.length),
    ],
    // Constant bounds would unroll the loop along ox and the totals' loop.
    ['out_w', 'sums'],
  );
  // Window value of tap row y at column `ix`, zero in the padding.
  const load = (y: number, ix: string) =>
    `select(0.0, ${t.x}[xrow${y} + clamp(${ix}, 0, u.in_w - 1)], in${y} && ${ix} >= 0 && ${ix} < u.in_w)`;
  const body = [
    'var r = i32(wg.y * groups.x + wg.x);',
    'if (r >= u.workgroups) {',
    '  return;',
    '}',
    `let ky0 = (r % u.row_blocks) * ${rows};`,
    'r = r / u.row_blocks;',
    'let ci = r % u.in_group;',
    'r = r / u.in_group;',
    `let c0 = (r % u.channel_blocks) * ${channels};`,
    'let grp = r / u.channel_blocks;',
    'let c = grp * u.in_group + ci;',
    ...C.map((k) => `let o${k} = grp * u.out_group + min(c0 + ${k}, u.out_group - 1);`),
    ...names.map((a) => `var ${a}: f32 = 0.0;`),
    `for (var row = i32(lid); row < u.batch * u.out_h; row = row + ${lanes}) {`,
    '  let n = row / u.out_h;',
    '  let oy = row % u.out_h;',
    '  let plane = (n * u.in_c + c) * u.in_h;',
    ...R.flatMap((y) => [
      `let iy${y} = oy * u.s_h + (ky0 + ${y}) * u.d_h - u.p_h;`,
      `let in${y} = iy${y} >= 0 && iy${y} < u.in_h && ky0 + ${y} < u.k_h;`,
      `let xrow${y} = (plane + clamp(iy${y}, 0, u.in_h - 1)) * u.in_w;`,
      // w{y}_{x} holds the window value of tap x at the current column; before the first
      // column's shift, w{y}_{x+1} holds tap x's value there.
      ...range(kw - 1).map((x) => `var w${y}_${x + 1} = ${load(y, `${x} - u.p_w`)};`),
      `var w${y}_0 = 0.0;`,
    ]),
    ...C.map((k) => `let out${k} = ((n * u.out_c + o${k}) * u.out_h + oy) * u.out_w;`),
    '  for (var ox = 0; ox < u.out_w; ox = ox + 1) {',
    ...R.flatMap((y) => [
      ...range(kw - 1).map((x) => `w${y}_${x} = w${y}_${x + 1};`),
      `w${y}_${kw - 1} = ${load(y, `ox + ${kw - 1} - u.p_w`)};`,
    ]),
    ...C.map((k) => `let d${k} = ${t.dy}[out${k} + ox];`),
    ...C.flatMap((k) =>
      R.flatMap((y) => K.map((x) => `a${k}_${y}_${x} = a${k}_${y}_${x} + d${k} * w${y}_${x};`)),
    ),
    ...(s.db ? C.map((k) => `b${k} = b${k} + d${k};`) : []),
    '  }',
    '}',
    // Every lane's shares into workgroup memory, then lane l totals sums l, l + lanes, …
    // over the lanes in order: one barrier, and loops LLVM need not unroll (a tree of
    // unrolled steps over 200 sums took lavapipe a minute and a half to compile).
    ...names.map((a, i) => `part[${i * lanes}u + lid] = ${a};`),
    'workgroupBarrier();',
    `for (var i = i32(lid); i < u.sums; i = i + ${lanes}) {`,
    '  var total = 0.0;',
    `  for (var l = 0; l < ${lanes}; l = l + 1) {`,
    `    total = total + part[i * ${lanes} + l];`,
    '  }',
    `  if (i < ${weightSums}) {`,
    `    let k = i / ${rows * kw};`,
    `    let y = (i / ${kw}) % ${rows};`,
    `    let x = i % ${kw};`,
    '    if (c0 + k < u.out_group && ky0 + y < u.k_h) {',
    `      ${t.dw}[(((grp * u.out_group + c0 + k) * u.in_group + ci) * u.k_h + ky0 + y) * u.k_w + x] = total;`,
    '    }',
    ...(s.db
      ? [
          '  } else {',
          `    let k = i - ${weightSums};`,
          '    if (ci == 0 && ky0 == 0 && c0 + k < u.out_group) {',
          `      ${t.db}[grp * u.out_group + c0 + k] = total;`,
          '    }',
        ]
      : []),
    '  }',
    '}',
  ].join('\n');
  return reducingDispatch(call, {
    label: s.label,
    bindings,
    uniforms: kept,
    functions: [],
    lanes,
    part: names.length * lanes,
    body: rewrite(body),
    workgroups,
  });
}

/** A module of workgroups of `lanes` invocations sharing `part` floats of workgroup memory. */
function reducingDispatch(
  call: WgslCall<PrimKind>,
  m: {
    readonly label: string;
    readonly bindings: StorageBinding[];
    readonly uniforms: Uniform[];
    readonly functions: readonly WgslFunction[];
    readonly lanes: number;
    readonly part: number;
    readonly body: string;
    readonly workgroups: number;
  },
): WgslDispatch {
  const main = `
var<workgroup> part: array<f32, ${m.part}>;

@compute @workgroup_size(${m.lanes})
fn main(
  @builtin(workgroup_id) wg: vec3<u32>,
  @builtin(num_workgroups) groups: vec3<u32>,
  @builtin(local_invocation_index) lid: u32,
) {
${m.body}
}
`;
  return {
    label: m.label,
    code: moduleText(m.label, m.bindings, m.uniforms, m.functions, main),
    entryPoint: 'main',
    workgroups: grid(m.workgroups, 1, call.limits),
    bindings: m.bindings,
    uniforms: m.uniforms,
  };
}
