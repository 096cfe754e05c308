import { isChainOp } from '../../runtime/pointwiseChain.js';
import {
  MAX_CHAIN_INPUTS,
  type ChainOp,
  type ChainStep,
  type Instr,
  type Program,
  type TensorId,
} from '../../runtime/program.js';
import type { ProgramPass } from './pass.js';
import { compactTensors, readersOf, resultTensors } from './rewrite.js';

/*
 * Elementwise fusion: elementwise instructions whose results only feed the next one (a
 * residual `add` then `relu`, a gradient fan-in `add` then `activation_grad`, `mse_loss_grad`
 * then `sigmoid_grad`) become one `pointwise_chain`, which computes every element through
 * all of them at once and stores only the last value: one kernel, and the intermediates
 * never go to memory.
 *
 * The instructions are visited in order; each elementwise one absorbs the groups that
 * computed its arguments when an argument is internal: a temp written once, read by this
 * instruction alone, not a result and not seen through a view. A group so absorbed is
 * evaluated later than it used to be, at the absorbing instruction, so nothing in between
 * may write what it reads. Chains may branch (both operands of an add computed by
 * elementwise steps), and stop growing at MAX_CHAIN_INPUTS inputs, which one dispatch binds.
 * In-place instructions (add_scaled) are never steps: their output is one of their inputs.
 */
export const fuseElementwise: ProgramPass = {
  name: 'fuse-elementwise',
  summary: 'evaluates a chain of elementwise instructions as one kernel, storing only its result',
  run(program) {
    const readers = readersOf(program);
    const results = resultTensors(program);
    const writers = new Map<TensorId, number[]>();
    program.instrs.forEach((instr, i) => {
      for (const id of instr.outputs) writers.set(id, [...(writers.get(id) ?? []), i]);
    });
    const viewed = new Set(program.tensors.flatMap((d) => (d.view === undefined ? [] : [d.view])));
    const root = (id: TensorId) => program.tensors[id]!.view ?? id;

    /** Whether `t`, an argument of instruction `p`, is seen by nothing but p. */
    const internal = (t: TensorId, p: number) => {
      const decl = program.tensors[t]!;
      const reading = readers.get(t) ?? [];
      return (
        decl.storage === 'temp' &&
        decl.view === undefined &&
        !viewed.has(t) &&
        !results.has(t) &&
        writers.get(t)?.length === 1 &&
        reading.length === 1 &&
        reading[0] === p
      );
    };
    /** Whether an instruction after `from`, up to `to`, writes a tensor `group` reads. */
    const clobbered = (group: Group, from: number, to: number) => {
      const read = new Set(group.inputs.map(root));
      return program.instrs
        .slice(from + 1, to + 1)
        .some((instr) => instr.outputs.some((id) => read.has(id)));
    };

    // The groups not yet absorbed, by the instruction that ends (and will evaluate) each.
    const groups = new Map<number, Group>();
    program.instrs.forEach((instr, p) => {
      if (!isElementwise(program, instr)) return;
      const producers: number[] = [];
      for (const t of new Set(instr.inputs)) {
        if (!internal(t, p)) continue;
        const w = writers.get(t)![0]!;
        const group = groups.get(w);
        if (group && !clobbered(group, w, p)) producers.push(w);
      }
      let merged = absorb(program, instr, p, producers, groups);
      while (merged.inputs.length > MAX_CHAIN_INPUTS && producers.length > 0) {
        producers.pop();
        merged = absorb(program, instr, p, producers, groups);
      }
      for (const w of producers) groups.delete(w);
      groups.set(p, merged);
    });

    const instrs: (Instr | undefined)[] = [...program.instrs];
    for (const [end, group] of groups) {
      if (group.members.length < 2) continue;
      for (const m of group.members) instrs[m] = undefined;
      instrs[end] = chainInstr(group, program.instrs[end]!);
    }
    return compactTensors({ ...program, instrs: instrs.filter((x) => x !== undefined) });
  },
};

/** A value a step reads: a tensor from outside the group, or an earlier step's value. */
type Arg = { readonly tensor: TensorId } | { readonly step: number };

interface Group {
  /** Its instructions in program order; the last writes the group's result. */
  readonly members: readonly number[];
  readonly steps: readonly {
    readonly op: ChainOp;
    readonly attrs: ChainStep['attrs'];
    readonly args: readonly Arg[];
  }[];
  /** The distinct tensors its steps read, in the order they are first read. */
  readonly inputs: readonly TensorId[];
}

/**
 * A chain primitive with one output that is none of its inputs, every input of the
 * output's declared shape (what a chain's operands all have).
 */
function isElementwise(program: Program, instr: Instr): boolean {
  if (!isChainOp(instr.op) || instr.outputs.length !== 1 || instr.inputs.length === 0) return false;
  const y = program.tensors[instr.outputs[0]!]!;
  return instr.inputs.every((id) => {
    const x = program.tensors[id]!;
    return (
      id !== y.id &&
      x.batched === y.batched &&
      x.shape.length === y.shape.length &&
      x.shape.every((d, i) => d === y.shape[i])
    );
  });
}

/** Instruction `p` as a group that has taken in the groups ending at `producers`. */
function absorb(
  program: Program,
  instr: Instr,
  p: number,
  producers: readonly number[],
  groups: ReadonlyMap<number, Group>,
): Group {
  const steps: Group['steps'][number][] = [];
  const members: number[] = [];
  const produced = new Map<TensorId, number>();
  for (const w of producers) {
    const group = groups.get(w)!;
    const offset = steps.length;
    for (const s of group.steps) {
      const args = s.args.map((a) => ('step' in a ? { step: a.step + offset } : a));
      steps.push({ ...s, args });
    }
    members.push(...group.members);
    produced.set(program.instrs[w]!.outputs[0]!, steps.length - 1);
  }
  const args = instr.inputs.map((t): Arg => {
    const step = produced.get(t);
    return step === undefined ? { tensor: t } : { step };
  });
  steps.push({ op: instr.op as ChainOp, attrs: instr.attrs as ChainStep['attrs'], args });
  members.push(p);
  members.sort((a, b) => a - b);
  const inputs = [
    ...new Set(steps.flatMap((s) => s.args.flatMap((a) => ('tensor' in a ? [a.tensor] : [])))),
  ];
  return { members, steps, inputs };
}

/** The `pointwise_chain` computing `group`, in place of its last instruction `end`. */
function chainInstr(group: Group, end: Instr): Instr {
  const k = group.inputs.length;
  const steps = group.steps.map(
    (s): ChainStep =>
      ({
        op: s.op,
        attrs: s.attrs,
        args: s.args.map((a) => ('tensor' in a ? group.inputs.indexOf(a.tensor) : k + a.step)),
      }) as ChainStep,
  );
  return {
    op: 'pointwise_chain',
    attrs: { steps },
    inputs: group.inputs,
    outputs: end.outputs,
    ...(end.origin && { origin: end.origin }),
  };
}
