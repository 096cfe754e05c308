import type { ActivationGrad, EpilogueActivation, Instr, TensorId } from '../../runtime/program.js';
import type { ProgramPass } from './pass.js';
import { compactTensors, readersOf, resultTensors, writesOf } from './rewrite.js';

/*
 * Epilogue fusion, forward: a dense layer, convolution or batchnorm followed by its
 * activation becomes one kernel that applies the activation before storing, so the pre-activation
 * never goes to memory. In a training step the activation's gradient may still read the
 * pre-activation (relu_grad, elu_grad, leaky_relu_grad take x); those are rewritten to the
 * equivalent `activation_grad` of the output y. An activation whose derivative needs x
 * (gelu, softplus) is fused only when nothing else reads x (inference).
 */
export const fuseEpilogues: ProgramPass = {
  name: 'fuse-epilogues',
  summary: 'applies the activation after a dense layer, convolution or batchnorm inside its kernel',
  run(program) {
    const instrs: (Instr | undefined)[] = [...program.instrs];
    const readers = readersOf(program);
    const results = resultTensors(program);
    const writes = writesOf(program);

    program.instrs.forEach((producer, p) => {
      if (
        producer.op !== 'dense' &&
        producer.op !== 'conv2d' &&
        producer.op !== 'batchnorm_train' &&
        producer.op !== 'batchnorm_infer'
      )
        return;
      if (producer.attrs.activation) return;
      const pre = producer.outputs[0]!;
      if (
        results.has(pre) ||
        writes.get(pre)?.length !== 1 ||
        program.tensors[pre]!.storage !== 'temp'
      )
        return;
      const reading = readers.get(pre) ?? [];
      const act = reading
        .map((r) => ({ r, instr: program.instrs[r]! }))
        .find((x) => isActivation(x.instr));
      if (!act) return;
      const activation = epilogueOf(act.instr)!;
      const y = act.instr.outputs[0]!;
      // Every other reader must be this activation's gradient, rewritable from y.
      const others = reading.filter((r) => r !== act.r);
      const rewrites = others.map((r) => outputGrad(program.instrs[r]!, pre, activation, y));
      if (rewrites.some((x) => x === undefined)) return;
      others.forEach((r, k) => (instrs[r] = rewrites[k]));
      instrs[p] = {
        ...producer,
        attrs: { ...producer.attrs, activation },
        outputs: [y, ...producer.outputs.slice(1)],
      } as Instr;
      instrs[act.r] = undefined;
    });
    return compactTensors({ ...program, instrs: instrs.filter((x) => x !== undefined) });
  },
};

const activationOps = new Set(['relu', 'sigmoid', 'tanh', 'softplus', 'gelu', 'elu', 'leaky_relu']);

function isActivation(instr: Instr): boolean {
  return activationOps.has(instr.op);
}

function epilogueOf(instr: Instr): EpilogueActivation | undefined {
  switch (instr.op) {
    case 'relu':
    case 'sigmoid':
    case 'tanh':
    case 'softplus':
    case 'gelu':
      return { kind: instr.op, alpha: 0 };
    case 'elu':
    case 'leaky_relu':
      return { kind: instr.op, alpha: instr.attrs.alpha };
    default:
      return undefined;
  }
}

/**
 * `grad` (a gradient of `activation` reading the pre-activation `pre`) as an
 * `activation_grad` of the output `y`; undefined when it is something else or the
 * derivative cannot be written from y.
 */
function outputGrad(
  grad: Instr,
  pre: TensorId,
  activation: EpilogueActivation,
  y: TensorId,
): Instr | undefined {
  if (grad.op !== `${activation.kind}_grad` || grad.inputs[0] !== pre || grad.inputs[1] === pre)
    return undefined;
  const kind = activation.kind;
  const ok =
    kind === 'relu' ||
    (kind === 'leaky_relu' && activation.alpha >= 0) ||
    (kind === 'elu' && activation.alpha > 0);
  if (!ok) return undefined;
  const attrs: ActivationGrad = { kind, alpha: activation.alpha };
  return {
    op: 'activation_grad',
    attrs,
    inputs: [y, grad.inputs[1]!],
    outputs: grad.outputs,
    ...(grad.origin && { origin: grad.origin }),
  };
}
