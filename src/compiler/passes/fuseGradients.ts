import type { ActivationGrad, Instr, TensorDecl, TensorId } from '../../runtime/program.js';
import type { ProgramPass } from './pass.js';
import { compactTensors, readersOf, resultTensors } from './rewrite.js';

/*
 * Epilogue fusion, backward. Two patterns:
 * - the gradient through an activation, dX = dY·act'(y), right after the kernel that
 *   computed dY (a dense or convolution input gradient, a pooling gradient) becomes that
 *   kernel's epilogue (`activationGrad`, with y as an extra input);
 * - the bias gradient (sums of dY) joins the weight gradient that reads the same dY
 *   (`biasGrad` on dense_grad_weight / conv2d_grad_weight), one kernel for both.
 */
export const fuseGradients: ProgramPass = {
  name: 'fuse-gradients',
  summary: 'folds activation gradients and bias gradients into the kernels next to them',
  run(program) {
    const instrs: (Instr | undefined)[] = [...program.instrs];
    const readers = readersOf(program);
    const results = resultTensors(program);
    const writers = new Map<TensorId, number[]>();
    program.instrs.forEach((instr, i) => {
      for (const id of instr.outputs) writers.set(id, [...(writers.get(id) ?? []), i]);
    });
    const definedAt = (id: TensorId) => writers.get(id)?.[0] ?? -1;

    // Activation gradients into the producer of their dY. When dY is a view (the gradient
    // coming back through a flatten), the producer works in its own shape: y is read
    // through a view of that shape, and the gradient becomes a view of the result.
    const tensors: TensorDecl[] = [...program.tensors];
    const viewsOf = new Map<TensorId, TensorId[]>();
    for (const d of program.tensors)
      if (d.view !== undefined) viewsOf.set(d.view, [...(viewsOf.get(d.view) ?? []), d.id]);
    const onlyReader = (id: TensorId, reader: number) => {
      const list = readers.get(id) ?? [];
      return list.length === 1 && list[0] === reader && !results.has(id);
    };
    const addView = (of: TensorId, like: TensorDecl): TensorId => {
      const id = tensors.length;
      tensors.push({ ...like, id, name: `${tensors[of]!.name}.view`, view: of });
      return id;
    };
    program.instrs.forEach((grad, g) => {
      const activationGrad = outputGradOf(grad);
      if (!activationGrad) return;
      const [y, dY] = [grad.inputs[0]!, grad.inputs[1]!];
      const source = tensors[dY]!.view ?? dY;
      const producers = writers.get(source) ?? [];
      if (producers.length !== 1 || tensors[source]!.storage !== 'temp') return;
      if (!onlyReader(dY, g)) return;
      if (
        source !== dY &&
        ((readers.get(source) ?? []).length > 0 ||
          results.has(source) ||
          viewsOf.get(source)!.length !== 1)
      )
        return;
      const p = producers[0]!;
      const producer = instrs[p];
      if (!producer || !acceptsActivationGrad(producer)) return;
      if (definedAt(y) >= p) return;
      let inputs = [...producer.inputs, y];
      let outputs = grad.outputs;
      if (source !== dY) {
        const shape = tensors[source]!;
        inputs = [...producer.inputs, addView(y, shape)];
        const result = tensors.length;
        tensors.push({ ...shape, id: result, name: tensors[grad.outputs[0]!]!.name });
        const dX = grad.outputs[0]!;
        tensors[dX] = { ...tensors[dX]!, view: result };
        outputs = [result];
      }
      instrs[p] = {
        ...producer,
        attrs: { ...producer.attrs, activationGrad },
        inputs,
        outputs,
      } as Instr;
      instrs[g] = undefined;
    });

    // Bias gradients into the weight gradient of the same dY.
    program.instrs.forEach((bias, b) => {
      if (bias.op !== 'bias_grad') return;
      const dY = bias.inputs[0]!;
      const w = instrs.findIndex(
        (x) =>
          (x?.op === 'dense_grad_weight' || x?.op === 'conv2d_grad_weight') &&
          !x.attrs.biasGrad &&
          x.inputs[0] === dY,
      );
      if (w < 0) return;
      const weight = instrs[w]!;
      const at = Math.min(w, b);
      instrs[at] = {
        ...weight,
        attrs: { ...weight.attrs, biasGrad: true },
        outputs: [...weight.outputs, bias.outputs[0]!],
      } as Instr;
      instrs[Math.max(w, b)] = undefined;
    });
    return compactTensors({ ...program, tensors, instrs: instrs.filter((x) => x !== undefined) });
  },
};

function outputGradOf(instr: Instr): ActivationGrad | undefined {
  if (instr.op === 'activation_grad') return instr.attrs;
  if (instr.op === 'sigmoid_grad') return { kind: 'sigmoid', alpha: 0 };
  if (instr.op === 'tanh_grad') return { kind: 'tanh', alpha: 0 };
  return undefined;
}

function acceptsActivationGrad(instr: Instr): boolean {
  switch (instr.op) {
    case 'dense_grad_input':
    case 'conv2d_grad_input':
    case 'maxpool_grad':
    case 'avgpool_grad':
      return !instr.attrs.activationGrad;
    default:
      return false;
  }
}
