import type { PrimKind } from '../../program.js';
import type {
  KernelLimits,
  Operand,
  StorageBinding,
  Uniform,
  WgslCall,
  WgslDispatch,
} from './kernel.js';

/*
 * Builds the WGSL module of one dispatch from a kernel's body. Two shapes of kernel cover
 * everything so far:
 *
 * - `gridDispatch`: one invocation per work item (an element, a row, a channel). The grid
 *   is 1-D, or 2-D once it would pass `maxComputeWorkgroupsPerDimension`; the body sees the
 *   linear index `idx` and runs only when `idx < u.invocations`, the explicit bounds check
 *   (out-of-bounds access in WGSL is undefined).
 * - `reduceDispatch`: one workgroup of REDUCE_SIZE invocations; each accumulates a strided
 *   share into `acc`, a tree in workgroup memory sums the shares in a fixed order (so the
 *   result is the same on every run), and invocation 0 stores `total`.
 *
 * The body names its operands (`x`, `y`, ...) and gets back WGSL identifiers; operands that
 * are the same tensor share one binding, read-write when any of them is written.
 */

export const GRID_SIZE = 64;
export const REDUCE_SIZE = 256;

/** A WGSL helper function and the helpers it calls. */
export interface WgslFunction {
  readonly code: string;
  readonly uses?: readonly WgslFunction[];
}

interface ShaderSpec<N extends string> {
  readonly label: string;
  /** Operands by the name the body uses; an absent (undefined) one is not bound. */
  readonly operands: { readonly [P in N]?: Operand | undefined };
  readonly uniforms?: readonly Uniform[];
  readonly functions?: readonly WgslFunction[];
}

export interface GridSpec<N extends string> extends ShaderSpec<N> {
  /** How many work items; the body runs once for each `idx` below it. */
  readonly invocations: number;
  /** Bind every operand as `array<vec4<f32>>` (see StorageBinding.vec4). */
  readonly vec4?: boolean;
  readonly body: (t: Readonly<Record<N, string>>) => string;
}

export interface ReduceSpec<N extends string> extends ShaderSpec<N> {
  /** Statements adding this invocation's share to `var acc: f32`, strided by REDUCE_SIZE from `lid`. */
  readonly body: (t: Readonly<Record<N, string>>) => string;
  /** Statements run once, by invocation 0, with `let total: f32` the sum of all shares. */
  readonly finish: (t: Readonly<Record<N, string>>) => string;
}

export function gridDispatch<N extends string>(
  call: WgslCall<PrimKind>,
  spec: GridSpec<N>,
): WgslDispatch {
  const bound = bind(call, spec.operands);
  const names = bound.names;
  const bindings = spec.vec4 ? bound.bindings.map((b) => ({ ...b, vec4: true })) : bound.bindings;
  const uniforms: Uniform[] = [
    { name: 'invocations', type: 'u32', value: spec.invocations },
    ...(spec.uniforms ?? []),
  ];
  const main = `
const WG: u32 = ${GRID_SIZE}u;

@compute @workgroup_size(${GRID_SIZE})
fn main(
  @builtin(workgroup_id) wg: vec3<u32>,
  @builtin(num_workgroups) groups: vec3<u32>,
  @builtin(local_invocation_index) lid: u32,
) {
  let idx = (wg.y * groups.x + wg.x) * WG + lid;
  if (idx >= u.invocations) {
    return;
  }
${spec.body(names)}
}
`;
  return {
    label: spec.label,
    code: moduleText(spec.label, bindings, uniforms, spec.functions ?? [], main),
    entryPoint: 'main',
    workgroups: grid(spec.invocations, GRID_SIZE, call.limits),
    bindings,
    uniforms,
  };
}

export function reduceDispatch<N extends string>(
  call: WgslCall<PrimKind>,
  spec: ReduceSpec<N>,
): WgslDispatch {
  const { bindings, names } = bind(call, spec.operands);
  const uniforms = spec.uniforms ?? [];
  const main = `
const WG: u32 = ${REDUCE_SIZE}u;
var<workgroup> partial: array<f32, ${REDUCE_SIZE}>;

@compute @workgroup_size(${REDUCE_SIZE})
fn main(@builtin(local_invocation_index) lid: u32) {
  var acc: f32 = 0.0;
${spec.body(names)}
  partial[lid] = acc;
  workgroupBarrier();
  for (var half = WG / 2u; half > 0u; half = half / 2u) {
    if (lid < half) {
      partial[lid] = partial[lid] + partial[lid + half];
    }
    workgroupBarrier();
  }
  if (lid == 0u) {
    let total = partial[0];
${spec.finish(names)}
  }
}
`;
  return {
    label: spec.label,
    code: moduleText(spec.label, bindings, uniforms, spec.functions ?? [], main),
    entryPoint: 'main',
    workgroups: [1, 1, 1],
    bindings,
    uniforms,
  };
}

/** Workgroups for `count` items: 1-D while it fits a dimension, else rows of the maximum. */
export function grid(
  count: number,
  perGroup: number,
  limits: KernelLimits,
): [number, number, number] {
  const groups = Math.max(1, Math.ceil(count / perGroup));
  const max = limits.maxComputeWorkgroupsPerDimension;
  if (groups <= max) return [groups, 1, 1];
  const rows = Math.ceil(groups / max);
  if (rows > max) {
    throw new Error(`internal error: ${count} work items exceed a ${max}×${max} grid`);
  }
  return [max, rows, 1];
}

/** The number of elements of a run-time shape; `[]` (a scalar) has one. */
export function sizeOf(shape: readonly number[] | undefined): number {
  if (shape === undefined) throw new Error('internal error: a kernel call lacks a shape');
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

/** One binding per distinct tensor, read-write when any operand that is it is an output. */
export function bind<N extends string>(
  call: WgslCall<PrimKind>,
  operands: { readonly [P in N]?: Operand | undefined },
): { bindings: StorageBinding[]; names: Record<N, string> } {
  const bindings: StorageBinding[] = [];
  const byTensor = new Map<number, number>();
  const names = {} as Record<N, string>;
  for (const name of Object.keys(operands) as N[]) {
    const operand = operands[name];
    if (operand === undefined) continue;
    const ids = operand.side === 'input' ? call.inputIds : call.outputIds;
    const id = ids[operand.index];
    if (id === undefined) {
      throw new Error(`internal error: \`${call.op}\` has no ${operand.side} ${operand.index}`);
    }
    let slot = byTensor.get(id);
    if (slot === undefined) {
      slot = bindings.length;
      bindings.push({ operand, access: 'read' });
      byTensor.set(id, slot);
    }
    if (operand.side === 'output') bindings[slot] = { ...bindings[slot]!, access: 'read_write' };
    names[name] = `t${slot}`;
  }
  if (bindings.length > call.limits.maxStorageBuffersPerShaderStage) {
    throw new Error(
      `internal error: a \`${call.op}\` dispatch binds ${bindings.length} storage buffers; the device allows ${call.limits.maxStorageBuffersPerShaderStage}`,
    );
  }
  return { bindings, names };
}

/** A whole WGSL module: bindings, the uniform struct, helper functions, then `main`. */
export function moduleText(
  label: string,
  bindings: readonly StorageBinding[],
  uniforms: readonly Uniform[],
  functions: readonly WgslFunction[],
  main: string,
): string {
  const lines = [`// netc: ${label}`, ''];
  bindings.forEach((b, i) => {
    const element = b.vec4 ? 'vec4<f32>' : 'f32';
    lines.push(`@group(0) @binding(${i}) var<storage, ${b.access}> t${i}: array<${element}>;`);
  });
  if (uniforms.length > 0) {
    const members = uniformMembers(uniforms).map((m) => `  ${m.name}: ${m.type},`);
    lines.push('', 'struct Uniforms {', ...members, '}', '');
    lines.push(`@group(0) @binding(${bindings.length}) var<uniform> u: Uniforms;`);
  }
  for (const f of ordered(functions)) lines.push('', f.code.trim());
  return reindent(`${lines.join('\n')}\n${main}`);
}

/** The uniform struct's members: the uniforms, padded with u32s to a multiple of 16 bytes. */
export function uniformMembers(
  uniforms: readonly Uniform[],
): { readonly name: string; readonly type: string }[] {
  const members: { name: string; type: string }[] = uniforms.map((u) => ({
    name: u.name,
    type: u.type,
  }));
  while (members.length % 4 !== 0) members.push({ name: `pad${members.length}`, type: 'u32' });
  return members;
}

/** Helpers before their callers, each once. */
function ordered(functions: readonly WgslFunction[]): WgslFunction[] {
  const out: WgslFunction[] = [];
  const visit = (f: WgslFunction) => {
    if (out.includes(f)) return;
    for (const g of f.uses ?? []) visit(g);
    out.push(f);
  };
  functions.forEach(visit);
  return out;
}

/**
 * WGSL laid out by brace depth, two spaces a level, whatever the indentation of the
 * template strings it was assembled from; blank lines are kept once.
 */
function reindent(code: string): string {
  const out: string[] = [];
  let depth = 0;
  for (const raw of code.split('\n')) {
    const line = raw.trim();
    if (line === '') {
      if (out.length > 0 && out[out.length - 1] !== '') out.push('');
      continue;
    }
    const closes = line.startsWith('}') || line.startsWith(')') ? 1 : 0;
    out.push('  '.repeat(Math.max(0, depth - closes)) + line);
    for (const ch of line) {
      if (ch === '{' || ch === '(') depth++;
      else if (ch === '}' || ch === ')') depth--;
    }
  }
  while (out[out.length - 1] === '') out.pop();
  return `${out.join('\n')}\n`;
}
