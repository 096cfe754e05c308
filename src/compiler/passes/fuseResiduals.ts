import type { Instr, Program, TensorId } from '../../runtime/program.js';
import type { ProgramPass } from './pass.js';
import { compactTensors, readersOf, resultTensors, writesOf } from './rewrite.js';

/*
 * Residual fusion: `add(z, r)` where z comes from a dense layer, convolution or batchnorm and
 * nothing else reads it becomes that kernel's epilogue: it adds r before storing, so z never
 * goes to memory and the add costs no dispatch. Run before fuse-epilogues, which then folds
 * an activation after the add into the same kernel (ResNet's batchnorm → + shortcut → relu
 * is one kernel). The backward program is unchanged: an add passes its gradient through, and
 * batchnorm's gradient reads its input, not z.
 *
 * r must be ready when the kernel runs: every write of it comes before the producer. Both
 * operands must have the add's shape (the add does not broadcast there).
 */
export const fuseResiduals: ProgramPass = {
  name: 'fuse-residuals',
  summary: 'adds a residual inside the dense, convolution or batchnorm kernel that precedes it',
  run(program) {
    const instrs: (Instr | undefined)[] = [...program.instrs];
    const readers = readersOf(program);
    const results = resultTensors(program);
    const writes = writesOf(program);

    program.instrs.forEach((add, a) => {
      if (add.op !== 'add' || add.inputs.length !== 2) return;
      const out = program.tensors[add.outputs[0]!]!;
      for (const [z, r] of [add.inputs, [...add.inputs].reverse()] as [TensorId, TensorId][]) {
        if (z === r) return;
        const zWrites = writes.get(z) ?? [];
        if (zWrites.length !== 1 || results.has(z)) continue;
        const p = zWrites[0]!;
        const producer = instrs[p];
        if (!producer || !fusable(producer) || producer.outputs[0] !== z) continue;
        if (program.tensors[z]!.storage !== 'temp' || (readers.get(z) ?? []).length !== 1) continue;
        if (!sameShape(program, z, add.outputs[0]!) || !sameShape(program, r, add.outputs[0]!))
          continue;
        if ((writes.get(r) ?? []).some((w) => w >= p)) continue;
        instrs[p] = {
          ...producer,
          attrs: { ...producer.attrs, residual: true },
          inputs: [...producer.inputs, r],
          outputs: [out.id, ...producer.outputs.slice(1)],
        } as Instr;
        instrs[a] = undefined;
        return;
      }
    });
    return compactTensors({ ...program, instrs: instrs.filter((x) => x !== undefined) });
  },
};

function fusable(instr: Instr): boolean {
  switch (instr.op) {
    case 'dense':
    case 'conv2d':
    case 'batchnorm_train':
    case 'batchnorm_infer':
      return !instr.attrs.activation && !instr.attrs.residual;
    default:
      return false;
  }
}

function sameShape(program: Program, a: TensorId, b: TensorId): boolean {
  const x = program.tensors[a]!;
  const y = program.tensors[b]!;
  return x.batched === y.batched && x.shape.join() === y.shape.join();
}
