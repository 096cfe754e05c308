import type { Program, TensorId } from '../../runtime/program.js';

/*
 * The invariants every program must keep through every pass, as a list of violations (empty
 * when the program is well formed). Tests run it after each pass of each example; a pass
 * that breaks one is a compiler bug, so the messages are for netc's developers.
 */
export function programProblems(program: Program): string[] {
  const problems: string[] = [];
  const { tensors } = program;
  const name = (id: TensorId) => `${tensors[id]?.name ?? '?'} (%${id})`;
  const elements = (id: TensorId) => tensors[id]!.shape.reduce((a, d) => a * d, 1);

  tensors.forEach((decl, id) => {
    if (decl.id !== id) problems.push(`tensor ${id} says its id is ${decl.id}`);
    if (decl.view === undefined) return;
    const source = tensors[decl.view];
    if (!source) problems.push(`${name(id)} is a view of a missing tensor`);
    else if (source.view !== undefined) problems.push(`${name(id)} is a view of a view`);
    else if (elements(decl.view) !== elements(id) || source.batched !== decl.batched)
      problems.push(`${name(id)} and its source ${name(decl.view)} differ in size`);
  });

  const defined = new Set<TensorId>();
  const isDefined = (id: TensorId) => {
    const decl = tensors[id]!;
    const root = decl.view ?? id;
    return tensors[root]!.storage !== 'temp' || defined.has(root);
  };
  const live = new Map<TensorId, [number, number]>();
  const touch = (id: TensorId, at: number) => {
    const root = tensors[id]!.view ?? id;
    const span = live.get(root);
    if (span) span[1] = at;
    else live.set(root, [at, at]);
  };
  program.instrs.forEach((instr, i) => {
    for (const id of instr.inputs) {
      if (!tensors[id])
        problems.push(`instruction ${i} (${instr.op}) reads a missing tensor ${id}`);
      else if (!isDefined(id))
        problems.push(`instruction ${i} (${instr.op}) reads ${name(id)} before it is written`);
      else touch(id, i);
    }
    for (const id of instr.outputs) {
      if (!tensors[id])
        problems.push(`instruction ${i} (${instr.op}) writes a missing tensor ${id}`);
      else if (tensors[id]!.view !== undefined)
        problems.push(`instruction ${i} (${instr.op}) writes the view ${name(id)}`);
      else if (tensors[id]!.storage === 'feed')
        problems.push(`instruction ${i} (${instr.op}) writes the feed ${name(id)}`);
      else {
        defined.add(id);
        touch(id, i);
      }
    }
  });
  for (const r of program.results) {
    if (!tensors[r.tensor] || !isDefined(r.tensor))
      problems.push(`result ${r.name} is never written`);
    else touch(r.tensor, program.instrs.length);
  }

  // Temps sharing a slot must never be alive at once.
  const bySlot = new Map<number, TensorId[]>();
  tensors.forEach((decl, id) => {
    if (decl.slot === undefined) return;
    if (decl.storage !== 'temp' || decl.view !== undefined)
      problems.push(`${name(id)} has a slot but is not a temp of its own`);
    bySlot.set(decl.slot, [...(bySlot.get(decl.slot) ?? []), id]);
  });
  for (const [slot, ids] of bySlot) {
    if (new Set(ids.map((id) => tensors[id]!.batched)).size > 1)
      problems.push(`slot ${slot} mixes batched and unbatched temps`);
    const spans = ids
      .filter((id) => live.has(id))
      .map((id) => ({ id, span: live.get(id)! }))
      .sort((a, b) => a.span[0] - b.span[0]);
    for (let k = 1; k < spans.length; k++) {
      const [prev, next] = [spans[k - 1]!, spans[k]!];
      if (next.span[0] <= prev.span[1])
        problems.push(
          `slot ${slot}: ${name(prev.id)} and ${name(next.id)} are alive at once (instruction ${next.span[0]})`,
        );
    }
  }
  return problems;
}
