import type { Instr } from '../../runtime/program.js';
import type { ProgramPass } from './pass.js';

/*
 * An l2 penalty adds alpha·w to the gradient of w (`add_scaled`, in place) right before the
 * optimizer reads that gradient. PyTorch's optimizers have the same term built in
 * (`weight_decay`: g + wd·w, the same float operations), so when the update of w has none
 * of its own, the penalty's gradient becomes its weight decay and the extra pass over the
 * gradient disappears. AdamW's decoupled decay is a different rule and is left alone.
 */
export const fuseRegularization: ProgramPass = {
  name: 'fuse-regularization',
  summary: "folds an l2 penalty's gradient into the optimizer's weight decay",
  run(program) {
    const instrs: (Instr | undefined)[] = [...program.instrs];
    program.instrs.forEach((penalty, p) => {
      if (penalty.op !== 'add_scaled') return;
      const [grad, weight] = [penalty.inputs[0]!, penalty.inputs[1]!];
      if (penalty.outputs[0] !== grad || program.tensors[grad]!.storage !== 'temp') return;
      // The next instruction touching the gradient must be the update of this weight.
      const u = program.instrs.findIndex(
        (x, k) => k > p && (x.inputs.includes(grad) || x.outputs.includes(grad)),
      );
      const update = instrs[u];
      if (!update || !isPlainUpdate(update) || update.inputs[0] !== weight) return;
      if (update.inputs[1] !== grad || update.inputs.length !== update.outputs.length + 1) return;
      if (program.instrs.some((x, k) => k > u && x.inputs.includes(grad))) return;
      if (program.instrs.some((x, k) => k > p && k < u && x.outputs.includes(weight))) return;
      instrs[u] = {
        ...update,
        attrs: { ...update.attrs, weightDecay: penalty.attrs.alpha },
      } as Instr;
      instrs[p] = undefined;
    });
    return { ...program, instrs: instrs.filter((x) => x !== undefined) };
  },
};

/** A one-parameter update without weight decay of its own (and not AdamW). */
function isPlainUpdate(instr: Instr): boolean {
  switch (instr.op) {
    case 'sgd_update':
    case 'adagrad_update':
    case 'rmsprop_update':
      return instr.attrs.weightDecay === 0;
    case 'adam_update':
      return instr.attrs.weightDecay === 0 && !instr.attrs.decoupled;
    default:
      return false;
  }
}
