import type { ChainStep, Instr, Program, TensorDecl } from '../../runtime/program.js';

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
  const shape = (decl: TensorDecl) =>
    `[${[...(decl.batched ? ['N'] : []), ...decl.shape].join(', ')}]`;
  for (const decl of program.tensors) {
    if (decl.storage !== 'temp') continue;
    const notes = [
      decl.view !== undefined ? `view of ${tensorRef(program.tensors[decl.view]!)}` : '',
      decl.slot !== undefined ? `slot ${decl.slot}` : '',
    ].filter(Boolean);
    lines.push(
      `temp %${decl.id} ${shape(decl)} ${decl.name}${notes.length ? ` (${notes.join(', ')})` : ''}`,
    );
  }
  for (const instr of program.instrs) {
    lines.push(instrText(program, instr, (decl) => shape(decl)));
  }
  for (const r of program.results)
    lines.push(`result ${r.name} = ${tensorRef(program.tensors[r.tensor]!)}`);
  return lines.join('\n') + '\n';
}

/** `%id` for a temp, `$name` for a feed, `@name` for state. */
export function tensorRef(decl: TensorDecl): string {
  return decl.storage === 'feed'
    ? `$${decl.name}`
    : decl.storage === 'state'
      ? `@${decl.name}`
      : `%${decl.id}`;
}

/** One instruction, `outputs = op{attrs} inputs`, each operand with `shape(decl)` after it. */
export function instrText(
  program: Program,
  instr: Instr,
  shape: (decl: TensorDecl) => string,
): string {
  const operand = (id: number) => {
    const decl = program.tensors[id]!;
    return `${tensorRef(decl)} ${shape(decl)}`;
  };
  const attrs =
    instr.op === 'pointwise_chain'
      ? chainText(instr.attrs.steps, instr.inputs.length)
      : attrsText(instr.attrs);
  const inputs = instr.inputs.map(operand).join(', ');
  return `${instr.outputs.map(operand).join(', ')} = ${instr.op}${attrs ? `{${attrs}}` : ''} ${inputs}`.trimEnd();
}

function attrsText(attrs: object): string {
  return Object.entries(attrs as Record<string, unknown>)
    .map(([k, v]) => (v === true ? k : `${k}: ${JSON.stringify(v)}`))
    .join(', ');
}

/**
 * A chain's steps as `s0 = add(a0, a1); s1 = relu(s0)`: `a<i>` is the instruction's input i
 * (of `inputs`), `s<j>` step j's value, the last of which is the output.
 */
function chainText(steps: readonly ChainStep[], inputs: number): string {
  const value = (a: number) => (a < inputs ? `a${a}` : `s${a - inputs}`);
  return steps
    .map((s, j) => {
      const attrs = attrsText(s.attrs);
      return `s${j} = ${s.op}${attrs ? `{${attrs}}` : ''}(${s.args.map(value).join(', ')})`;
    })
    .join('; ');
}
