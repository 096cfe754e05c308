import type { Instr, Program, TensorId } from '../../runtime/program.js';
import type { ProgramPass } from './pass.js';
import { compactTensors, replaceUses } from './rewrite.js';

/*
 * A training step computes each fused loss twice over the same logits: the loss value
 * (softmax_cross_entropy, sigmoid_bce) and its gradient (the `_grad`). This pass makes them
 * one instruction with two outputs, so the softmax or sigmoid is computed once, in one
 * kernel. It also folds a total loss of one term with weight 1 into that term.
 */
export const fuseLosses: ProgramPass = {
  name: 'fuse-losses',
  summary: 'computes a softmax/sigmoid loss and its gradient in one kernel',
  run(program) {
    const instrs: (Instr | undefined)[] = [...program.instrs];
    const sameInputs = (a: Instr, b: Instr) =>
      a.inputs.length === b.inputs.length && a.inputs.every((id, i) => id === b.inputs[i]);
    instrs.forEach((loss, i) => {
      if (loss?.op !== 'softmax_cross_entropy' && loss?.op !== 'sigmoid_bce') return;
      const j = instrs.findIndex(
        (g, k) =>
          k > i &&
          g !== undefined &&
          g.op === `${loss.op}_grad` &&
          sameInputs(g, loss) &&
          (loss.op === 'sigmoid_bce' ||
            (g.op === 'softmax_cross_entropy_grad' &&
              loss.op === 'softmax_cross_entropy' &&
              g.attrs.target === loss.attrs.target)),
      );
      if (j < 0) return;
      const grad = instrs[j]!;
      const weight = (grad.attrs as { weight: number }).weight;
      const outputs = [loss.outputs[0]!, grad.outputs[0]!];
      const base = { inputs: loss.inputs, outputs, ...(loss.origin && { origin: loss.origin }) };
      instrs[i] =
        loss.op === 'softmax_cross_entropy'
          ? {
              ...base,
              op: 'softmax_cross_entropy_with_grad',
              attrs: { target: loss.attrs.target, weight },
            }
          : { ...base, op: 'sigmoid_bce_with_grad', attrs: { weight } };
      instrs[j] = undefined;
    });
    let fused: Program = { ...program, instrs: instrs.filter((x) => x !== undefined) };

    // loss = weighted_sum{weights: [1]}(term): the term itself.
    const single = fused.instrs.find(
      (x) => x.op === 'weighted_sum' && x.inputs.length === 1 && x.attrs.weights[0] === 1,
    );
    if (single) fused = foldCopy(fused, single.inputs[0]!, single.outputs[0]!);
    return compactTensors(fused);
  },
};

/** Drops the instruction writing `copy` (a copy of `source`) and reads `source` instead. */
function foldCopy(program: Program, source: TensorId, copy: TensorId): Program {
  const decl = program.tensors[copy]!;
  if (decl.storage !== 'temp') return program;
  const writers = program.instrs.filter(
    (i) => i.outputs.includes(copy) || i.outputs.includes(source),
  );
  if (writers.length !== 2) return program;
  return replaceUses(
    { ...program, instrs: program.instrs.filter((i) => !i.outputs.includes(copy)) },
    copy,
    source,
  );
}
