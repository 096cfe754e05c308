import type { Program, TensorId } from '../../runtime/program.js';
import type { ProgramPass } from './pass.js';
import { compactTensors } from './rewrite.js';

/*
 * Drops instructions none of whose outputs is needed: an output is needed when it is a
 * result, state (persistent writes are effects), or read by a needed instruction. A
 * training step computes the network's final softmax for nothing (the loss reads the
 * logits); this removes it.
 */
export const deadCode: ProgramPass = {
  name: 'dead-code',
  summary: 'removes instructions whose outputs nothing reads',
  run(program) {
    const needed = new Set<TensorId>(program.results.map((r) => r.tensor));
    const keep: boolean[] = new Array(program.instrs.length).fill(false);
    for (let i = program.instrs.length - 1; i >= 0; i--) {
      const instr = program.instrs[i]!;
      const live = instr.outputs.some(
        (id) => needed.has(id) || program.tensors[id]!.storage === 'state',
      );
      if (!live) continue;
      keep[i] = true;
      for (const id of instr.inputs) needed.add(id);
      for (const id of instr.outputs) {
        const view = program.tensors[id]!.view;
        if (view !== undefined) needed.add(view);
      }
    }
    return compactTensors({ ...program, instrs: program.instrs.filter((_, i) => keep[i]) });
  },
};
