import type { Program, TensorDecl } from '../../runtime/program.js';

/*
 * A kernel program as text, one instruction per line, for `--dump-ir` and golden files:
 *
 *   %12 = dense{bias, activation: relu} %3 [N, 784], @MLP/fc1.weight [30, 784], ...
 *
 * Temps are `%id`, feeds `$name`, state `@name`; shapes show the batch as N.
 */
export function printProgram(program: Program, title?: string): string {
  const lines: string[] = [];
  if (title) lines.push(`// ${title}`);
  const ref = (decl: TensorDecl) =>
    decl.storage === 'feed'
      ? `$${decl.name}`
      : decl.storage === 'state'
        ? `@${decl.name}`
        : `%${decl.id}`;
  const shape = (decl: TensorDecl) =>
    `[${[...(decl.batched ? ['N'] : []), ...decl.shape].join(', ')}]`;
  const operand = (id: number) => {
    const decl = program.tensors[id]!;
    return `${ref(decl)} ${shape(decl)}`;
  };
  for (const decl of program.tensors) {
    if (decl.storage !== 'temp') continue;
    const notes = [
      decl.view !== undefined ? `view of ${ref(program.tensors[decl.view]!)}` : '',
      decl.slot !== undefined ? `slot ${decl.slot}` : '',
    ].filter(Boolean);
    lines.push(
      `temp %${decl.id} ${shape(decl)} ${decl.name}${notes.length ? ` (${notes.join(', ')})` : ''}`,
    );
  }
  for (const instr of program.instrs) {
    const attrs = Object.entries(instr.attrs as Record<string, unknown>)
      .map(([k, v]) => (v === true ? k : `${k}: ${JSON.stringify(v)}`))
      .join(', ');
    lines.push(
      `${instr.outputs.map(operand).join(', ')} = ${instr.op}${attrs ? `{${attrs}}` : ''} ${instr.inputs.map(operand).join(', ')}`,
    );
  }
  for (const r of program.results)
    lines.push(`result ${r.name} = ${ref(program.tensors[r.tensor]!)}`);
  return lines.join('\n') + '\n';
}
