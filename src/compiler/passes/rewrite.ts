import type { Program, TensorDecl, TensorId } from '../../runtime/program.js';

/*
 * Helpers the passes share for rewriting a program's tensor table.
 */

/** Which instructions read each tensor (indices into `program.instrs`, in order). */
export function readersOf(program: Program): Map<TensorId, number[]> {
  const readers = new Map<TensorId, number[]>();
  program.instrs.forEach((instr, index) => {
    for (const id of new Set(instr.inputs)) {
      const list = readers.get(id);
      if (list) list.push(index);
      else readers.set(id, [index]);
    }
  });
  return readers;
}

/** The instruction writing each tensor (the last one, for tensors updated in place). */
export function writerOf(program: Program): Map<TensorId, number> {
  const writer = new Map<TensorId, number>();
  program.instrs.forEach((instr, index) => {
    for (const id of instr.outputs) writer.set(id, index);
  });
  return writer;
}

/** Every instruction writing each tensor, in order (more than one for in-place updates). */
export function writesOf(program: Program): Map<TensorId, number[]> {
  const writes = new Map<TensorId, number[]>();
  program.instrs.forEach((instr, index) => {
    for (const id of instr.outputs) writes.set(id, [...(writes.get(id) ?? []), index]);
  });
  return writes;
}

/** Tensors that results name: they must survive the program. */
export function resultTensors(program: Program): Set<TensorId> {
  return new Set(program.results.map((r) => r.tensor));
}

/**
 * Drops temps no instruction or result mentions any more and renumbers the rest, so a dump
 * after a pass shows only what the program uses. Feeds and state are kept: they are the
 * program's interface, whether or not an instruction still reads them.
 */
export function compactTensors(program: Program): Program {
  const used = new Set<TensorId>(program.results.map((r) => r.tensor));
  for (const instr of program.instrs) {
    for (const id of instr.inputs) used.add(id);
    for (const id of instr.outputs) used.add(id);
  }
  for (const id of [...used]) {
    const view = program.tensors[id]!.view;
    if (view !== undefined) used.add(view);
  }
  const renumber = new Map<TensorId, TensorId>();
  const tensors: TensorDecl[] = [];
  for (const decl of program.tensors) {
    if (decl.storage === 'temp' && !used.has(decl.id)) continue;
    renumber.set(decl.id, tensors.length);
    tensors.push({ ...decl, id: tensors.length });
  }
  const map = (id: TensorId) => renumber.get(id)!;
  return {
    tensors: tensors.map((d) => (d.view === undefined ? d : { ...d, view: map(d.view) })),
    instrs: program.instrs.map((i) => ({
      ...i,
      inputs: i.inputs.map(map),
      outputs: i.outputs.map(map),
    })),
    results: program.results.map((r) => ({ name: r.name, tensor: map(r.tensor) })),
  };
}

/** Every read of `from` (inputs and results) reads `to` instead. */
export function replaceUses(program: Program, from: TensorId, to: TensorId): Program {
  const map = (id: TensorId) => (id === from ? to : id);
  return {
    ...program,
    instrs: program.instrs.map((i) => ({ ...i, inputs: i.inputs.map(map) })),
    results: program.results.map((r) => ({ ...r, tensor: map(r.tensor) })),
  };
}
