import type { OpKind, ParamRole } from '../ir/ops.js';
import type { TensorId } from '../../runtime/program.js';
import type { ProgramBuilder } from './builder.js';
import type { TapeEntry } from './forward.js';
import { gradRules, type GradCall } from './gradRules.js';
import type { GradSeed } from './losses.js';

/*
 * The reverse pass: walks the tape backwards from the loss seeds, sums the contributions a
 * tensor receives from all its uses (fan-out: residuals, concat branches, reused values)
 * and the contributions a parameter receives from all its instances (`let` sharing, a
 * network applied twice), and returns the gradient of every updated parameter.
 */

/** Which forward tensors depend on an updated parameter, in tape order. */
export function tensorsNeedingGrad(
  tape: readonly TapeEntry[],
  updated: ReadonlySet<string>,
): Set<TensorId> {
  const needs = new Set<TensorId>();
  for (const entry of tape) {
    const fromParams = Object.values(entry.paramKeys).some((key) => updated.has(key!));
    if (fromParams || entry.inputs.some((t) => needs.has(t))) needs.add(entry.output);
  }
  return needs;
}

export function backward(
  b: ProgramBuilder,
  tape: readonly TapeEntry[],
  seeds: readonly GradSeed[],
  needs: ReadonlySet<TensorId>,
  updated: ReadonlySet<string>,
): ReadonlyMap<string, TensorId> {
  const contributions = new Map<TensorId, TensorId[]>();
  const paramContributions = new Map<string, TensorId[]>();
  const push = <K>(map: Map<K, TensorId[]>, key: K, grad: TensorId) => {
    const list = map.get(key);
    if (list) list.push(grad);
    else map.set(key, [grad]);
  };
  for (const seed of seeds) push(contributions, seed.tensor, seed.grad);

  for (let i = tape.length - 1; i >= 0; i--) {
    const entry = tape[i]!;
    const list = contributions.get(entry.output);
    if (!list || !needs.has(entry.output)) continue;
    const dY = sum(b, list, `${entry.node.name}.dY`);
    const call: GradCall<OpKind> = {
      b,
      entry,
      dY,
      wantInput: (k) => needs.has(entry.inputs[k]!),
      wantParam: (role) => {
        const key = entry.paramKeys[role];
        return key !== undefined && updated.has(key);
      },
    };
    const result = (
      gradRules[entry.node.op] as (c: GradCall<OpKind>) => ReturnType<(typeof gradRules)['dense']>
    )(call);
    result.inputs.forEach((grad, k) => {
      if (grad !== undefined) push(contributions, entry.inputs[k]!, grad);
    });
    for (const [role, grad] of Object.entries(result.params) as [ParamRole, TensorId][]) {
      push(paramContributions, entry.paramKeys[role]!, grad);
    }
  }

  const grads = new Map<string, TensorId>();
  for (const [key, list] of paramContributions) grads.set(key, sum(b, list, `${key}.grad`));
  return grads;
}

/** One tensor, or the sum of several (a new tensor). */
function sum(b: ProgramBuilder, list: readonly TensorId[], label: string): TensorId {
  if (list.length === 1) return list[0]!;
  const decl = b.decl(list[0]!);
  const total = b.temp(label, decl.shape, decl.batched);
  b.emit('add', {}, list, [total]);
  return total;
}
