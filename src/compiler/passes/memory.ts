import type { Program, TensorDecl, TensorId } from '../../runtime/program.js';
import type { ProgramPass } from './pass.js';

/*
 * The static memory plan: temps whose lifetimes do not overlap share a buffer (a slot).
 * A temp lives from the instruction that first writes it to the last one that reads or
 * updates it (reads of its views count); results live to the end. Slots are assigned by a
 * linear scan over the instructions: outputs take a free slot before the instruction's
 * dead inputs are released, so no kernel ever reads and writes one buffer through two
 * operands. Batched and unbatched temps use separate slots (a slot's size is then a
 * number of elements per sample, or a fixed count), each grown to its largest tenant.
 */
export const memory: ProgramPass = {
  name: 'memory',
  summary: 'assigns temps to shared buffers by liveness (the static memory plan)',
  run(program) {
    const root = (id: TensorId) => program.tensors[id]!.view ?? id;
    const isPlanned = (decl: TensorDecl) => decl.storage === 'temp' && decl.view === undefined;
    const end = program.instrs.length;
    const lastUse = new Map<TensorId, number>();
    const firstWrite = new Map<TensorId, number>();
    program.instrs.forEach((instr, index) => {
      for (const id of [...instr.inputs, ...instr.outputs]) lastUse.set(root(id), index);
      for (const id of instr.outputs) if (!firstWrite.has(id)) firstWrite.set(id, index);
    });
    for (const r of program.results) lastUse.set(root(r.tensor), end);

    const elements = (decl: TensorDecl) => decl.shape.reduce((a, d) => a * d, 1);
    interface Slot {
      readonly batched: boolean;
      size: number;
    }
    const slots: Slot[] = [];
    const free = new Set<number>();
    const slotOf = new Map<TensorId, number>();
    const releaseAt = new Map<number, TensorId[]>();

    // The smallest free slot that fits, else the largest free one (grown), else a new one.
    const take = (decl: TensorDecl): number => {
      const need = elements(decl);
      const candidates = [...free].filter((s) => slots[s]!.batched === decl.batched);
      const fitting = candidates.filter((s) => slots[s]!.size >= need);
      const bySize = (a: number, b: number) => slots[a]!.size - slots[b]!.size;
      const chosen = fitting.length > 0 ? fitting.sort(bySize)[0] : candidates.sort(bySize).pop();
      if (chosen === undefined) {
        slots.push({ batched: decl.batched, size: need });
        return slots.length - 1;
      }
      free.delete(chosen);
      slots[chosen]!.size = Math.max(slots[chosen]!.size, need);
      return chosen;
    };

    program.instrs.forEach((instr, index) => {
      for (const id of instr.outputs) {
        const decl = program.tensors[id]!;
        if (!isPlanned(decl) || slotOf.has(id) || firstWrite.get(id) !== index) continue;
        const slot = take(decl);
        slotOf.set(id, slot);
        const last = lastUse.get(id) ?? index;
        const list = releaseAt.get(last);
        if (list) list.push(id);
        else releaseAt.set(last, [id]);
      }
      for (const id of releaseAt.get(index) ?? []) free.add(slotOf.get(id)!);
    });

    return {
      ...program,
      tensors: program.tensors.map((decl) => {
        const slot = slotOf.get(decl.id);
        return slot === undefined ? decl : { ...decl, slot };
      }),
    };
  },
};
