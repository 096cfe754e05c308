import type { PrimKind } from '../../program.js';
import type { Operand, Uniform, WgslCall, WgslDispatch } from './kernel.js';
import { bind, grid, moduleText, type WgslFunction } from './shader.js';

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
  const main = [
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
  ].join('\n');
  return {
    label: spec.label,
    code: moduleText(spec.label, bindings, uniforms, spec.functions ?? [], main),
    entryPoint: 'main',
    workgroups: grid(spec.items, 1, call.limits),
    bindings,
    uniforms,
  };
}
