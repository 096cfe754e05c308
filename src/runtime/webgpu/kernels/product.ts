import type { PrimKind } from '../../program.js';
import type { Operand, Uniform, WgslCall, WgslDispatch } from './kernel.js';
import { noEpilogue, type Epilogue } from './epilogue.js';
import { bind, grid, moduleText } from './shader.js';

/*
 * The strided matrix product C[i, j] = Σ_k A(i, k)·B(k, j) behind dense and its gradients
 * (linear.ts), in several layouts of the work, named variants, that a tuner times on the
 * device (tuning.ts) because no one layout is fastest everywhere:
 *
 * - `block`: each invocation accumulates a bm×bn block of C in registers straight from
 *   global memory. On lavapipe (Mesa's CPU driver, which runs a workgroup's invocations as
 *   8 SIMD lanes) a storage-buffer load at any address not known when compiling is a loop
 *   over the lanes, about ten times the cost of a multiply-add: blocks of 8×8 or 16×8 (fewer
 *   loads per product) ran 2-3× faster than 4×4 there, vec4 loads (one lane loop moves four
 *   numbers) helped some layouts, and workgroups of one 8-lane row cost least.
 * - `tiled`: a 16×16 workgroup stages 16-deep slices of a (16·bm)×(16·bn) tile of A and B
 *   in workgroup memory: the usual kernel for real GPUs, where global loads across a
 *   workgroup coalesce and workgroup memory is fast.
 * - `splitk`: a workgroup per bm×bn block, its invocations sharing k and summing in
 *   workgroup memory: the shape of a dense forward with a small batch and a huge input,
 *   where C has too few blocks to fill a GPU.
 *
 * `vec4` reads A or B as `array<vec4<f32>>` along whichever of its dimensions is
 * contiguous (k for a row-major x or W, i or j for a transposed operand), when the strides
 * and sizes are multiples of 4; otherwise that operand is read by scalars. Loads at a ragged
 * edge are clamped into range and the stores there skipped.
 *
 * Every variant but `splitk` sums k in order, in float32, so they give the very same
 * results; `splitk` sums interleaved shares of k and then a tree of them.
 */

export interface Product {
  readonly a: Operand;
  readonly b: Operand;
  readonly c: Operand;
  /** Added to column j of C. */
  readonly bias?: Operand;
  /**
   * Written with Σ_k A(i, k) at i, from the A values the kernel loads anyway, by the
   * invocations that hold the first column block: dense_grad_weight's db in the dW dispatch.
   */
  readonly rowSums?: Operand;
  /** Applied to C[i, j] (after the bias) as it is stored. */
  readonly epilogue?: Epilogue;
  readonly m: number;
  readonly n: number;
  readonly k: number;
  /** A(i, k) = a[i·ai + k·ak]; B(k, j) = b[k·bk + j·bj]; C is row-major [m, n]. */
  readonly strides: {
    readonly ai: number;
    readonly ak: number;
    readonly bk: number;
    readonly bj: number;
  };
}

export interface ProductVariant {
  readonly kind: 'block' | 'tiled' | 'splitk';
  /** Rows and columns of C per invocation (block, tiled) or per workgroup (splitk). */
  readonly bm: number;
  readonly bn: number;
  /** Invocations per workgroup (tiled: always 16×16). */
  readonly wg: number;
  /** Read A and B as vec4s where their layout allows (block only). */
  readonly vec4: boolean;
}

function named(v: ProductVariant): [string, ProductVariant] {
  const size = v.kind === 'tiled' ? '' : `-wg${v.wg}`;
  return [`${v.kind}${v.bm}x${v.bn}${size}${v.vec4 ? '-vec4' : ''}`, v];
}

/** Every variant by name; the name is what `WgslCall.variant` carries. */
export const productVariants: ReadonlyMap<string, ProductVariant> = new Map([
  // The kernel before variants existed, kept as the baseline the tuner measures against.
  named({ kind: 'block', bm: 4, bn: 4, wg: 64, vec4: false }),
  named({ kind: 'block', bm: 8, bn: 8, wg: 8, vec4: false }),
  named({ kind: 'block', bm: 16, bn: 8, wg: 8, vec4: false }),
  named({ kind: 'block', bm: 8, bn: 8, wg: 8, vec4: true }),
  named({ kind: 'block', bm: 16, bn: 8, wg: 8, vec4: true }),
  named({ kind: 'block', bm: 8, bn: 8, wg: 64, vec4: true }),
  named({ kind: 'tiled', bm: 4, bn: 4, wg: 256, vec4: false }),
  named({ kind: 'splitk', bm: 4, bn: 4, wg: 64, vec4: false }),
]);

/**
 * The variant of an untuned plan (tests, listings, backends without `tune`): fixed, so that
 * a module's text never depends on timing. On lavapipe it was within noise of the fastest
 * for the large products measured (2-3× the 4×4 baseline), and it compiles in about a second.
 */
export const DEFAULT_PRODUCT_VARIANT = 'block8x8-wg8';

/**
 * The variants worth timing for this product. On a CPU adapter, the register blocks with
 * workgroups of one 8-lane SIMD row: workgroup memory and barriers are slow there (and
 * slow to compile); blocks beyond 16×8 took LLVM seconds to compile for no gain. The 16×8
 * block with vec4 loads (about 10 s to compile on a cold cache) won for products whose
 * operands are contiguous along i and j (the Keras CNN's weight gradient, the MLP's dense). On a GPU, the tiled kernel, a block with full workgroups, and splitk when C
 * has few blocks and each a long sum.
 */
export function productCandidates(p: Product, software: boolean): string[] {
  if (software) {
    return [
      'block4x4-wg64',
      'block8x8-wg8',
      'block16x8-wg8',
      'block8x8-wg8-vec4',
      'block16x8-wg8-vec4',
    ];
  }
  const fewLongBlocks = p.k >= 1024 && Math.ceil(p.m / 4) * Math.ceil(p.n / 4) <= 4096;
  return [
    'block4x4-wg64',
    'block8x8-wg64-vec4',
    'tiled4x4',
    ...(fewLongBlocks ? ['splitk4x4-wg64'] : []),
  ];
}

/** Sizes rounded up to a power of two: products in one class share a tuned choice. */
const sizeClass = (n: number) => 2 ** Math.ceil(Math.log2(Math.max(1, n)));

/**
 * The tuning class of a product: the op (which fixes the stride pattern), the sizes'
 * classes and which operands vec4 loads apply to.
 */
export function productKey(op: string, p: Product): string {
  const { a, b } = vectorModes(p, { kind: 'block', bm: 4, bn: 4, wg: 8, vec4: true }, false);
  return `${op} ${sizeClass(p.m)}×${sizeClass(p.n)}×${sizeClass(p.k)} a:${a} b:${b}`;
}

/** How A and B are read: as vec4s along one of their dimensions, or by scalars. */
interface VectorModes {
  readonly a: 'k' | 'i' | 'scalar';
  readonly b: 'k' | 'j' | 'scalar';
}

function vectorModes(p: Product, v: ProductVariant, sharedBinding: boolean): VectorModes {
  if (!v.vec4 || v.kind !== 'block' || sharedBinding) return { a: 'scalar', b: 'scalar' };
  const { ai, ak, bk, bj } = p.strides;
  const four = (x: number) => x % 4 === 0;
  const a =
    ak === 1 && four(ai) && four(p.k)
      ? 'k'
      : ai === 1 && four(ak) && four(p.m) && four(v.bm)
        ? 'i'
        : 'scalar';
  const b =
    bk === 1 && four(bj) && four(p.k)
      ? 'k'
      : bj === 1 && four(bk) && four(p.n) && four(v.bn)
        ? 'j'
        : 'scalar';
  return { a, b };
}

/** The 16-deep slices of A and B a tiled workgroup stages per pass. */
const TILE_K = 16;

const u32 = (name: string, value: number): Uniform => ({ name, type: 'u32', value });
const range = (n: number) => [...Array(n).keys()];
const lane = ['x', 'y', 'z', 'w'];

/** The dispatch computing `p` in the call's variant (DEFAULT_PRODUCT_VARIANT when none). */
export function product(call: WgslCall<PrimKind>, p: Product): WgslDispatch {
  const name = call.variant ?? DEFAULT_PRODUCT_VARIANT;
  const v = productVariants.get(name);
  if (!v) throw new Error(`internal error: \`${call.op}\` has no variant \`${name}\``);
  const epilogue = p.epilogue ?? noEpilogue;
  const bound = bind(call, {
    a: p.a,
    b: p.b,
    c: p.c,
    bias: p.bias,
    rows: p.rowSums,
    ...epilogue.operands,
  });
  const t = bound.names as Readonly<Record<string, string>>;
  // A tensor bound once for several operands has one element type: scalars, then.
  const shared = (x: string) => Object.values(t).filter((id) => id === t[x]).length > 1;
  const modes = vectorModes(p, v, shared('a') || shared('b'));
  const slot = (x: string) => Number(t[x]!.slice(1));
  const bindings = bound.bindings.map((b, i) =>
    (i === slot('a') && modes.a !== 'scalar') || (i === slot('b') && modes.b !== 'scalar')
      ? { ...b, vec4: true }
      : b,
  );
  const shape = shapes[v.kind](p, v);
  const uniforms: Uniform[] = [
    u32('units', shape.units),
    u32('m', p.m),
    u32('n', p.n),
    u32('k', p.k),
    u32('ai', p.strides.ai),
    u32('ak', p.strides.ak),
    u32('bk', p.strides.bk),
    u32('bj', p.strides.bj),
    // Trip counts known when planning, passed as uniforms so that loops stay loops (stores).
    u32('cells', v.bm * v.bn),
    u32('rows_per_block', v.bm),
    u32('tile_depth', TILE_K),
    u32('shares', v.bm * v.bn + (p.rowSums ? v.bm : 0)),
    ...epilogue.uniforms,
  ];
  const body = bodies[v.kind]({ p, v, t, epilogue, modes });
  return {
    label: call.op,
    code: moduleText(call.op, bindings, uniforms, epilogue.functions, body),
    entryPoint: 'main',
    workgroups: grid(shape.units, shape.perGroup, call.limits),
    bindings,
    uniforms,
  };
}

/** How many work units (invocations, or workgroups for tiled and splitk) and per group. */
const shapes: Record<
  ProductVariant['kind'],
  (p: Product, v: ProductVariant) => { units: number; perGroup: number }
> = {
  block: (p, v) => ({ units: Math.ceil(p.m / v.bm) * Math.ceil(p.n / v.bn), perGroup: v.wg }),
  tiled: (p, v) => ({
    units: Math.ceil(p.m / (16 * v.bm)) * Math.ceil(p.n / (16 * v.bn)),
    perGroup: 1,
  }),
  splitk: (p, v) => ({ units: Math.ceil(p.m / v.bm) * Math.ceil(p.n / v.bn), perGroup: 1 }),
};

interface BodySpec {
  readonly p: Product;
  readonly v: ProductVariant;
  readonly t: Readonly<Record<string, string>>;
  readonly epilogue: Epilogue;
  readonly modes: VectorModes;
}

/**
 * Statements storing c{r}_{s} at row i0 + r·rowStep, column j0 + s·colStep (and s{r} as row
 * sums where `sumsGuard` holds), skipping those outside C. One store in a loop whose trip
 * count is a uniform, so the compiler keeps it a loop: unrolled, each guarded store is a
 * loop over the lanes on lavapipe, and LLVM took 8 s instead of 0.8 s to compile a 16×8
 * block. The values wait in a private array, written at constant indices.
 */
function stores(spec: BodySpec, rowStep: number, colStep: number, sumsGuard: string): string[] {
  const { p, v, t, epilogue } = spec;
  const lines = [`var cells: array<f32, ${v.bm * v.bn}>;`];
  for (const r of range(v.bm)) {
    for (const s of range(v.bn)) lines.push(`cells[${r * v.bn + s}] = c${r}_${s};`);
  }
  const value = p.bias ? `${t.bias}[j] + cells[x]` : 'cells[x]';
  lines.push(
    'for (var x = 0u; x < u.cells; x = x + 1u) {',
    `  let i = i0 + (x / ${v.bn}u) * ${rowStep}u;`,
    `  let j = j0 + (x % ${v.bn}u) * ${colStep}u;`,
    '  if (i < u.m && j < u.n) {',
    `    ${t.c}[i * u.n + j] = ${epilogue.apply(value, 'i * u.n + j', t)};`,
    '  }',
    '}',
  );
  if (p.rowSums) {
    lines.push(`var sums: array<f32, ${v.bm}>;`);
    for (const r of range(v.bm)) lines.push(`sums[${r}] = s${r};`);
    lines.push(
      `if (${sumsGuard}) {`,
      `  for (var x = 0u; x < u.rows_per_block; x = x + 1u) {`,
      `    let i = i0 + x * ${rowStep}u;`,
      '    if (i < u.m) {',
      `      ${t.rows}[i] = sums[x];`,
      '    }',
      '  }',
      '}',
    );
  }
  return lines;
}

const accumulators = (spec: BodySpec) => [
  ...range(spec.v.bm).flatMap((r) => range(spec.v.bn).map((s) => `var c${r}_${s}: f32 = 0.0;`)),
  ...(spec.p.rowSums ? range(spec.v.bm).map((r) => `var s${r}: f32 = 0.0;`) : []),
];

/** The multiply-adds of one k, `a(r)` and `b(s)` naming the loaded values. */
function multiplyAdds(
  spec: BodySpec,
  a: (r: number) => string,
  b: (s: number) => string,
): string[] {
  const { v, p } = spec;
  return [
    ...range(v.bm).flatMap((r) =>
      range(v.bn).map((s) => `c${r}_${s} = c${r}_${s} + ${a(r)} * ${b(s)};`),
    ),
    ...(p.rowSums ? range(v.bm).map((r) => `s${r} = s${r} + ${a(r)};`) : []),
  ];
}

function blockBody(spec: BodySpec): string {
  const { v, t, modes } = spec;
  // A vec4 along k reads four k at once; the other operand then loads four k per pass too.
  const step = modes.a === 'k' || modes.b === 'k' ? 4 : 1;
  const lines = [
    `let blocks_n = (u.n + ${v.bn - 1}u) / ${v.bn}u;`,
    `let i0 = (idx / blocks_n) * ${v.bm}u;`,
    `let j0 = (idx % blocks_n) * ${v.bn}u;`,
  ];
  // Addresses of the block's rows of A and columns of B, clamped into range; a vec4 along i
  // or j starts at a multiple of 4 (m or n is one), clamped to the last whole vec4.
  if (modes.a === 'i') {
    for (let g = 0; g < v.bm; g += 4) lines.push(`let ga${g} = min(i0 + ${g}u, u.m - 4u);`);
  } else {
    for (const r of range(v.bm)) lines.push(`let ra${r} = min(i0 + ${r}u, u.m - 1u) * u.ai;`);
  }
  if (modes.b === 'j') {
    for (let g = 0; g < v.bn; g += 4) lines.push(`let gb${g} = min(j0 + ${g}u, u.n - 4u);`);
  } else {
    for (const s of range(v.bn)) lines.push(`let cb${s} = min(j0 + ${s}u, u.n - 1u) * u.bj;`);
  }
  lines.push(...accumulators(spec));
  lines.push(`for (var kk = 0u; kk < u.k; kk = kk + ${step}u) {`);
  const kq = (q: number) => (q === 0 ? 'kk' : `(kk + ${q}u)`);
  const aLoads: string[] = [];
  const bLoads: string[] = [];
  let aAt: (r: number, q: number) => string;
  let bAt: (s: number, q: number) => string;
  if (modes.a === 'k') {
    for (const r of range(v.bm)) aLoads.push(`let a${r} = ${t.a}[(ra${r} + kk) / 4u];`);
    aAt = (r, q) => `a${r}.${lane[q]}`;
  } else if (modes.a === 'i') {
    for (const q of range(step)) {
      for (let g = 0; g < v.bm; g += 4) {
        aLoads.push(`let a${g}_${q} = ${t.a}[(ga${g} + ${kq(q)} * u.ak) / 4u];`);
      }
    }
    aAt = (r, q) => `a${r - (r % 4)}_${q}.${lane[r % 4]}`;
  } else {
    for (const q of range(step)) {
      for (const r of range(v.bm))
        aLoads.push(`let a${r}_${q} = ${t.a}[ra${r} + ${kq(q)} * u.ak];`);
    }
    aAt = (r, q) => `a${r}_${q}`;
  }
  if (modes.b === 'k') {
    for (const s of range(v.bn)) bLoads.push(`let b${s} = ${t.b}[(cb${s} + kk) / 4u];`);
    bAt = (s, q) => `b${s}.${lane[q]}`;
  } else if (modes.b === 'j') {
    for (const q of range(step)) {
      for (let g = 0; g < v.bn; g += 4) {
        bLoads.push(`let b${g}_${q} = ${t.b}[(${kq(q)} * u.bk + gb${g}) / 4u];`);
      }
    }
    bAt = (s, q) => `b${s - (s % 4)}_${q}.${lane[s % 4]}`;
  } else {
    for (const q of range(step)) {
      for (const s of range(v.bn))
        bLoads.push(`let b${s}_${q} = ${t.b}[cb${s} + ${kq(q)} * u.bk];`);
    }
    bAt = (s, q) => `b${s}_${q}`;
  }
  lines.push(...aLoads, ...bLoads);
  // In k order, so that every block variant rounds alike.
  for (const q of range(step)) {
    lines.push(
      ...multiplyAdds(
        spec,
        (r) => aAt(r, q),
        (s) => bAt(s, q),
      ),
    );
  }
  lines.push('}', ...stores(spec, 1, 1, 'j0 == 0u'));
  return `
@compute @workgroup_size(${v.wg})
fn main(
  @builtin(workgroup_id) wg: vec3<u32>,
  @builtin(num_workgroups) groups: vec3<u32>,
  @builtin(local_invocation_index) lid: u32,
) {
  let idx = (wg.y * groups.x + wg.x) * ${v.wg}u + lid;
  if (idx >= u.units) {
    return;
  }
${lines.join('\n')}
}
`;
}

function tiledBody(spec: BodySpec): string {
  const { p, v, t } = spec;
  const tm = 16 * v.bm;
  const tn = 16 * v.bn;
  // Consecutive invocations load consecutive addresses (coalesced on a GPU): along k when
  // that is the contiguous dimension, else along i (A) or j (B).
  const aAlongK = p.strides.ak === 1;
  const bAlongK = p.strides.bk === 1;
  const split = (alongK: boolean, width: number) =>
    alongK
      ? [`let q = e % ${TILE_K}u;`, `let r = e / ${TILE_K}u;`]
      : [`let r = e % ${width}u;`, `let q = e / ${width}u;`];
  const lines = [
    `let tiles_n = (u.n + ${tn - 1}u) / ${tn}u;`,
    `let i0 = (tile / tiles_n) * ${tm}u + lx.y;`,
    `let j0 = (tile % tiles_n) * ${tn}u + lx.x;`,
    `let ti = (tile / tiles_n) * ${tm}u;`,
    `let tj = (tile % tiles_n) * ${tn}u;`,
    ...accumulators(spec),
    `for (var k0 = 0u; k0 < u.k; k0 = k0 + ${TILE_K}u) {`,
    `  for (var e = lid; e < ${tm * TILE_K}u; e = e + 256u) {`,
    ...split(aAlongK, tm),
    '    var value = 0.0;',
    `    if (ti + r < u.m && k0 + q < u.k) {`,
    `      value = ${t.a}[(ti + r) * u.ai + (k0 + q) * u.ak];`,
    '    }',
    `    ta[q * ${tm}u + r] = value;`,
    '  }',
    `  for (var e = lid; e < ${tn * TILE_K}u; e = e + 256u) {`,
    ...split(bAlongK, tn),
    '    var value = 0.0;',
    `    if (tj + r < u.n && k0 + q < u.k) {`,
    `      value = ${t.b}[(k0 + q) * u.bk + (tj + r) * u.bj];`,
    '    }',
    `    tb[q * ${tn}u + r] = value;`,
    '  }',
    '  workgroupBarrier();',
    '  for (var q = 0u; q < u.tile_depth; q = q + 1u) {',
    ...range(v.bm).map((r) => `let a${r} = ta[q * ${tm}u + lx.y + ${16 * r}u];`),
    ...range(v.bn).map((s) => `let b${s} = tb[q * ${tn}u + lx.x + ${16 * s}u];`),
    ...multiplyAdds(
      spec,
      (r) => `a${r}`,
      (s) => `b${s}`,
    ),
    '  }',
    '  workgroupBarrier();',
    '}',
    ...stores(spec, 16, 16, 'tj == 0u && lx.x == 0u'),
  ];
  return `
var<workgroup> ta: array<f32, ${tm * TILE_K}>;
var<workgroup> tb: array<f32, ${tn * TILE_K}>;

@compute @workgroup_size(16, 16)
fn main(
  @builtin(workgroup_id) wg: vec3<u32>,
  @builtin(num_workgroups) groups: vec3<u32>,
  @builtin(local_invocation_id) lx: vec3<u32>,
  @builtin(local_invocation_index) lid: u32,
) {
  // Whole workgroups leave together, before any barrier.
  let tile = wg.y * groups.x + wg.x;
  if (tile >= u.units) {
    return;
  }
${lines.join('\n')}
}
`;
}

function splitkBody(spec: BodySpec): string {
  const { p, v, t, epilogue } = spec;
  const cells = v.bm * v.bn;
  const shares = cells + (p.rowSums ? v.bm : 0);
  const share = (x: number | string) => `part[${x} * ${v.wg}u + lid]`;
  const lines = [
    `let blocks_n = (u.n + ${v.bn - 1}u) / ${v.bn}u;`,
    `let i0 = (block / blocks_n) * ${v.bm}u;`,
    `let j0 = (block % blocks_n) * ${v.bn}u;`,
    ...range(v.bm).map((r) => `let ra${r} = min(i0 + ${r}u, u.m - 1u) * u.ai;`),
    ...range(v.bn).map((s) => `let cb${s} = min(j0 + ${s}u, u.n - 1u) * u.bj;`),
    ...accumulators(spec),
    // Invocation lid takes k = lid, lid + wg, ...: neighbours read neighbouring k.
    `for (var k0 = 0u; k0 < u.k; k0 = k0 + ${v.wg}u) {`,
    '  let kk = k0 + lid;',
    '  if (kk < u.k) {',
    ...range(v.bm).map((r) => `let a${r} = ${t.a}[ra${r} + kk * u.ak];`),
    ...range(v.bn).map((s) => `let b${s} = ${t.b}[cb${s} + kk * u.bk];`),
    ...multiplyAdds(
      spec,
      (r) => `a${r}`,
      (s) => `b${s}`,
    ),
    '  }',
    '}',
    // Into workgroup memory through a loop, as in `stores`: one store to compile, not many.
    `var mine: array<f32, ${shares}>;`,
    ...range(v.bm).flatMap((r) => range(v.bn).map((s) => `mine[${r * v.bn + s}] = c${r}_${s};`)),
    ...(p.rowSums ? range(v.bm).map((r) => `mine[${cells + r}] = s${r};`) : []),
    'for (var x = 0u; x < u.shares; x = x + 1u) {',
    `  ${share('x')} = mine[x];`,
    '}',
    'workgroupBarrier();',
    `for (var half = ${v.wg / 2}u; half > 0u; half = half / 2u) {`,
    '  if (lid < half) {',
    '    for (var x = 0u; x < u.shares; x = x + 1u) {',
    `      ${share('x')} = ${share('x')} + part[x * ${v.wg}u + lid + half];`,
    '    }',
    '  }',
    '  workgroupBarrier();',
    '}',
    // Invocation x stores share x: a cell of C, or one row sum.
    `if (lid < ${cells}u) {`,
    `  let i = i0 + lid / ${v.bn}u;`,
    `  let j = j0 + lid % ${v.bn}u;`,
    '  if (i < u.m && j < u.n) {',
    `    let total = part[lid * ${v.wg}u];`,
    `    ${t.c}[i * u.n + j] = ${epilogue.apply(p.bias ? `${t.bias}[j] + total` : 'total', 'i * u.n + j', t)};`,
    '  }',
    '}',
  ];
  if (p.rowSums) {
    lines.push(
      `if (j0 == 0u && lid >= ${cells}u && lid < ${shares}u && i0 + lid - ${cells}u < u.m) {`,
      `  ${t.rows}[i0 + lid - ${cells}u] = part[lid * ${v.wg}u];`,
      '}',
    );
  }
  return `
var<workgroup> part: array<f32, ${shares * v.wg}>;

@compute @workgroup_size(${v.wg})
fn main(
  @builtin(workgroup_id) wg: vec3<u32>,
  @builtin(num_workgroups) groups: vec3<u32>,
  @builtin(local_invocation_index) lid: u32,
) {
  // Whole workgroups leave together, before any barrier.
  let block = wg.y * groups.x + wg.x;
  if (block >= u.units) {
    return;
  }
${lines.join('\n')}
}
`;
}

const bodies: Record<ProductVariant['kind'], (spec: BodySpec) => string> = {
  block: blockBody,
  tiled: tiledBody,
  splitk: splitkBody,
};
