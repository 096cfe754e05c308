import type { Program, TensorId } from '../../runtime/program.js';
import type { ProgramPass } from './pass.js';
import { compactTensors } from './rewrite.js';

/*
 * A reshape (flatten, and the reshape that carries a gradient back through a flatten)
 * copies nothing in row-major layout: its output can simply be its input's numbers. This
 * pass turns each reshape's output into a view of the tensor the data really lives in and
 * drops the instruction.
 *
 * Safe only when neither side is written afterwards: a view is read-only, and a later
 * in-place update of its source would show through. Such reshapes are kept.
 */
export const views: ProgramPass = {
  name: 'views',
  summary: 'turns reshapes into views of their input (no copy, no dispatch)',
  run(program) {
    const lastWrite = new Map<TensorId, number>();
    const writes = new Map<TensorId, number>();
    program.instrs.forEach((instr, index) => {
      for (const id of instr.outputs) {
        lastWrite.set(id, index);
        writes.set(id, (writes.get(id) ?? 0) + 1);
      }
    });
    const tensors = [...program.tensors];
    const root = (id: TensorId): TensorId => tensors[id]!.view ?? id;
    const removed = new Set<number>();
    program.instrs.forEach((instr, index) => {
      if (instr.op !== 'reshape') return;
      const source = root(instr.inputs[0]!);
      const target = instr.outputs[0]!;
      if (tensors[target]!.storage !== 'temp' || writes.get(target) !== 1) return;
      if ((lastWrite.get(source) ?? -1) > index) return;
      tensors[target] = { ...tensors[target]!, view: source };
      removed.add(index);
    });
    if (removed.size === 0) return program;
    return compactTensors({
      ...program,
      tensors,
      instrs: program.instrs.filter((_, i) => !removed.has(i)),
    });
  },
};
