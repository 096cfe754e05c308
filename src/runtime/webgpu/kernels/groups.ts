import type { PrimKind } from '../../program.js';
import type { Operand, StorageBinding, Uniform, WgslCall, WgslDispatch } from './kernel.js';
import { grid, uniformMembers, type WgslFunction } from './shader.js';

/*
 * The third shape of kernel, beside shader.ts's grid and single-workgroup reduction: one
 * workgroup of GROUP_SIZE invocations per work item (a channel, a sample), for kernels that
 * need a sum over the item's elements before they can write any of them (normalization, a
 * distance). The invocations accumulate strided shares, `group_sum` adds them up with a tree
 * in workgroup memory, in a fixed order (so a result is the same on every run), and hands the
 * total to every invocation; then each writes its share of the outputs. Nothing is written
 * by two workgroups, so there are no races and no atomics.
 *
 * The body sees `item` (which work item), `lid` (which invocation of its workgroup) and `WG`;
 * workgroups past the last item return at once (the test is uniform: `item` depends only on
 * the workgroup id). `group_sum` contains barriers, so every invocation must reach each call:
 * call it outside any branch or loop that depends on `lid` or on data.
 */

export const GROUP_SIZE = 256;

export interface GroupSpec<N extends string> {
  readonly label: string;
  readonly operands: Readonly<Record<N, Operand>>;
  readonly uniforms?: readonly Uniform[];
  readonly functions?: readonly WgslFunction[];
  /** How many work items, one workgroup each. */
  readonly items: number;
  readonly body: (t: Readonly<Record<N, string>>) => string;
}

const groupSum = `
var<workgroup> partial: array<vec2<f32>, WG>;

fn group_sum(lid: u32, v: vec2<f32>) -> vec2<f32> {
  partial[lid] = v;
  workgroupBarrier();
  for (var half = WG / 2u; half > 0u; half = half / 2u) {
    if (lid < half) {
      partial[lid] = partial[lid] + partial[lid + half];
    }
    workgroupBarrier();
  }
  let total = partial[0];
  // The next call overwrites partial[0]: everyone must have read it first.
  workgroupBarrier();
  return total;
}`;

export function groupDispatch<N extends string>(
  call: WgslCall<PrimKind>,
  spec: GroupSpec<N>,
): WgslDispatch {
  const { bindings, names } = bind(call, spec.operands);
  const uniforms: Uniform[] = [
    { name: 'items', type: 'u32', value: spec.items },
    ...(spec.uniforms ?? []),
  ];
  const lines = [`// netc: ${spec.label}`, ''];
  bindings.forEach((b, i) => {
    lines.push(`@group(0) @binding(${i}) var<storage, ${b.access}> t${i}: array<f32>;`);
  });
  const members = uniformMembers(uniforms).map((m) => `${m.name}: ${m.type},`);
  lines.push('', 'struct Uniforms {', ...members, '}', '');
  lines.push(`@group(0) @binding(${bindings.length}) var<uniform> u: Uniforms;`);
  for (const code of ordered(spec.functions ?? [])) lines.push('', code);
  lines.push(
    '',
    `const WG: u32 = ${GROUP_SIZE}u;`,
    groupSum,
    '',
    '@compute @workgroup_size(WG)',
    'fn main(',
    '@builtin(workgroup_id) wg: vec3<u32>,',
    '@builtin(num_workgroups) groups: vec3<u32>,',
    '@builtin(local_invocation_index) lid: u32,',
    ') {',
    'let item = wg.y * groups.x + wg.x;',
    'if (item >= u.items) {',
    'return;',
    '}',
    spec.body(names),
    '}',
  );
  return {
    label: spec.label,
    code: indentByDepth(lines.join('\n')),
    entryPoint: 'main',
    workgroups: grid(spec.items, 1, call.limits),
    bindings,
    uniforms,
  };
}

/** One binding per distinct tensor, read-write when any operand that is it is an output. */
function bind<N extends string>(
  call: WgslCall<PrimKind>,
  operands: Readonly<Record<N, Operand>>,
): { bindings: StorageBinding[]; names: Record<N, string> } {
  const bindings: StorageBinding[] = [];
  const slots = new Map<number, number>();
  const names = {} as Record<N, string>;
  for (const name of Object.keys(operands) as N[]) {
    const operand = operands[name];
    const id = (operand.side === 'input' ? call.inputIds : call.outputIds)[operand.index];
    if (id === undefined) {
      throw new Error(`internal error: \`${call.op}\` has no ${operand.side} ${operand.index}`);
    }
    let slot = slots.get(id);
    if (slot === undefined) {
      slot = bindings.length;
      bindings.push({ operand, access: 'read' });
      slots.set(id, slot);
    }
    if (operand.side === 'output') bindings[slot] = { operand, access: 'read_write' };
    names[name] = `t${slot}`;
  }
  if (bindings.length > call.limits.maxStorageBuffersPerShaderStage) {
    throw new Error(
      `internal error: a \`${call.op}\` dispatch binds ${bindings.length} storage buffers; the device allows ${call.limits.maxStorageBuffersPerShaderStage}`,
    );
  }
  return { bindings, names };
}

/** Helpers before their callers, each once. */
function ordered(functions: readonly WgslFunction[]): string[] {
  const out: WgslFunction[] = [];
  const visit = (f: WgslFunction) => {
    if (out.includes(f)) return;
    for (const g of f.uses ?? []) visit(g);
    out.push(f);
  };
  functions.forEach(visit);
  return out.map((f) => f.code);
}

/** Two spaces per open brace or parenthesis, whatever the template strings had; one blank line at most. */
function indentByDepth(code: string): string {
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
