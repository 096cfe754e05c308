import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { compileFile, trainPlan } from '../../src/compiler/api.js';
import { fuseElementwise } from '../../src/compiler/passes/fuseElementwise.js';
import { programPasses } from '../../src/compiler/passes/index.js';
import { programProblems } from '../../src/compiler/passes/validate.js';
import { createCpuBackend } from '../../src/runtime/cpu/backend.js';
import {
  MAX_CHAIN_INPUTS,
  type Instr,
  type Program,
  type TensorDecl,
} from '../../src/runtime/program.js';
import { defaultContext, testValues } from '../helpers/kernels.js';
import { examples } from '../training/harness.js';

/*
 * fuse-elementwise on hand-built programs: what it merges into a pointwise_chain (a linear
 * chain, a branch, a fan-in capped at MAX_CHAIN_INPUTS inputs) and what it must leave
 * alone (a value read twice, a result, a viewed value, an in-place update, a group whose
 * input is overwritten before the chain would run). Fused programs stay valid and compute
 * what the unfused ones do on the CPU; on the examples, the chains the issue names appear.
 */

type Op = Omit<Instr, 'attrs'> & { attrs?: object };

/** Feeds x0 … x{feeds−1} and temps t{feeds} …, all batched [4]; the ops in order. */
function program(
  feeds: number,
  temps: number,
  ops: readonly Op[],
  results: readonly number[],
  extra: (decls: TensorDecl[]) => void = () => {},
): Program {
  const tensors: TensorDecl[] = Array.from({ length: feeds + temps }, (_, id) => ({
    id,
    shape: [4],
    batched: true,
    storage: id < feeds ? 'feed' : 'temp',
    name: id < feeds ? `x${id}` : `t${id}`,
  }));
  extra(tensors);
  return {
    tensors,
    instrs: ops.map((o) => ({ ...o, attrs: o.attrs ?? {} }) as Instr),
    results: results.map((tensor, k) => ({ name: `r${k}`, tensor })),
  };
}

const op = (name: string, inputs: number[], outputs: number[], attrs?: object): Op =>
  ({ op: name, inputs, outputs, ...(attrs && { attrs }) }) as Op;

/** The fused program, after checking it is valid and computes what `p` does. */
async function fuse(p: Program): Promise<Program> {
  const fused = fuseElementwise.run(p);
  expect(programProblems(fused)).toEqual([]);
  const backend = createCpuBackend({ precision: 'float64' });
  const feeds: Record<string, Float32Array> = {};
  for (const d of p.tensors)
    if (d.storage === 'feed') feeds[d.name] = Float32Array.from(testValues(8, d.id + 1));
  const ctx = { ...defaultContext, batch: 2 };
  const [a, b] = [
    await backend.run(fused, backend.createState(), feeds, ctx),
    await backend.run(p, backend.createState(), feeds, ctx),
  ];
  for (const name of Object.keys(b)) expect(Array.from(a[name]!)).toEqual(Array.from(b[name]!));
  return fused;
}

const ops = (p: Program) => p.instrs.map((i) => i.op);
const stepsOf = (p: Program) =>
  p.instrs.flatMap((i) => (i.op === 'pointwise_chain' ? [i.attrs.steps.map((s) => s.op)] : []));

describe('fuse-elementwise merges', () => {
  it('a linear chain into one pointwise_chain over its outside inputs', async () => {
    // t2 = x0 + x1; t3 = relu t2; t4 = scale t3
    const p = program(
      2,
      3,
      [op('add', [0, 1], [2]), op('relu', [2], [3]), op('scale', [3], [4], { factor: 2 })],
      [4],
    );
    const fused = await fuse(p);
    expect(ops(fused)).toEqual(['pointwise_chain']);
    const chain = fused.instrs[0]!;
    expect(chain.inputs).toEqual([0, 1]);
    expect(chain.attrs).toEqual({
      steps: [
        { op: 'add', attrs: {}, args: [0, 1] },
        { op: 'relu', attrs: {}, args: [2] },
        { op: 'scale', attrs: { factor: 2 }, args: [3] },
      ],
    });
    // The intermediates are gone from the tensor table.
    expect(fused.tensors.map((t) => t.name)).toEqual(['x0', 'x1', 't4']);
  });

  it('a branch: both operands of a product computed elementwise', async () => {
    // t2 = relu x0; t3 = sigmoid x1; t4 = t2 · t3, reading x0 once more through relu_grad
    const p = program(
      2,
      4,
      [
        op('relu', [0], [2]),
        op('sigmoid', [1], [3]),
        op('mul', [2, 3], [4]),
        op('relu_grad', [0, 4], [5]),
      ],
      [5],
    );
    const fused = await fuse(p);
    expect(stepsOf(fused)).toEqual([['relu', 'sigmoid', 'mul', 'relu_grad']]);
    expect(fused.instrs[0]!.inputs).toEqual([0, 1]);
  });

  it(`no more than ${MAX_CHAIN_INPUTS} inputs: a fan-in stops absorbing at the cap`, async () => {
    // t7 = add x0..x3; t8 = add x4 x5 x6; t9 = add t7 t8 (7 outside inputs in all)
    const p = program(
      7,
      3,
      [op('add', [0, 1, 2, 3], [7]), op('add', [4, 5, 6], [8]), op('add', [7, 8], [9])],
      [9],
    );
    const fused = await fuse(p);
    expect(ops(fused)).toEqual(['add', 'pointwise_chain']);
    expect(fused.instrs[1]!.inputs.length).toBeLessThanOrEqual(MAX_CHAIN_INPUTS);
  });

  it('an input that is a view, and a result read through views', async () => {
    // t1 views x0 as [2, 2]; t2 = relu t1; t3 = tanh t2; t4 views t3 as [4]
    const p = program(1, 4, [op('relu', [1], [2]), op('tanh', [2], [3])], [4], (d) => {
      for (const id of [1, 2, 3]) d[id] = { ...d[id]!, shape: [2, 2] };
      d[1] = { ...d[1]!, view: 0 };
      d[4] = { ...d[4]!, view: 3 };
    });
    expect(stepsOf(await fuse(p))).toEqual([['relu', 'tanh']]);
  });
});

describe('fuse-elementwise leaves alone', () => {
  it('a value with two readers', async () => {
    const p = program(
      1,
      3,
      [op('relu', [0], [1]), op('tanh', [1], [2]), op('sigmoid', [1], [3])],
      [2, 3],
    );
    expect(ops(await fuse(p))).toEqual(['relu', 'tanh', 'sigmoid']);
  });

  it('a value that is a result', async () => {
    const p = program(1, 2, [op('relu', [0], [1]), op('tanh', [1], [2])], [1, 2]);
    expect(ops(await fuse(p))).toEqual(['relu', 'tanh']);
  });

  it('a value read through a view', async () => {
    const p = program(1, 3, [op('relu', [0], [1]), op('tanh', [1], [2])], [2, 3], (d) => {
      d[3] = { ...d[3]!, view: 1 };
    });
    expect(ops(await fuse(p))).toEqual(['relu', 'tanh']);
  });

  it('in-place updates, as steps or between them', async () => {
    // t2 = x0 + x1; t2 += 0.5·x1 in place (add_scaled); t3 = relu t2
    const p = program(
      2,
      2,
      [op('add', [0, 1], [2]), op('add_scaled', [2, 1], [2], { alpha: 0.5 }), op('relu', [2], [3])],
      [3],
    );
    expect(ops(await fuse(p))).toEqual(['add', 'add_scaled', 'relu']);
    // A chain primitive listed in place is no step either.
    const q = program(
      1,
      2,
      [op('relu', [0], [1]), op('tanh', [1], [1]), op('sigmoid', [1], [2])],
      [2],
    );
    expect(ops(fuseElementwise.run(q))).toEqual(['relu', 'tanh', 'sigmoid']);
  });

  it('a group whose input is overwritten before the chain would read it', async () => {
    // t2 = scale t1 (t1 = relu x0); then t1 is updated in place; t3 = tanh t2.
    // Evaluating scale at tanh would read the updated t1.
    const p = program(
      2,
      3,
      [
        op('relu', [0], [2]),
        op('scale', [2], [3], { factor: 3 }),
        op('add_scaled', [2, 1], [2], { alpha: 1 }),
        op('tanh', [3], [4]),
      ],
      [2, 4],
    );
    expect(ops(await fuse(p))).toEqual(['relu', 'scale', 'add_scaled', 'tanh']);
  });

  it('operands of different shapes (a scalar broadcast is not elementwise here)', () => {
    const p = program(1, 2, [op('relu', [0], [1]), op('tanh', [1], [2])], [2], (d) => {
      d[1] = { ...d[1]!, shape: [2, 2] };
    });
    expect(ops(fuseElementwise.run(p))).toEqual(['relu', 'tanh']);
  });
});

describe('fuse-elementwise on the examples', () => {
  const chainsOf = (p: Program) => stepsOf(p).map((s) => s.join(' → '));

  it('sits after fuse-gradients and before fuse-regularization', () => {
    const names = programPasses.map((p) => p.name);
    const at = names.indexOf('fuse-elementwise');
    expect(names[at - 1]).toBe('fuse-gradients');
    expect(names[at + 1]).toBe('fuse-regularization');
  });

  it('resnet18: nothing left to chain (fuse-residuals took every add → relu)', () => {
    const compiled = compileFile(path.join(examples, 'resnet18.net'));
    const inference = Object.values(compiled.networks)[0]!.plan().network.inference;
    expect(chainsOf(inference)).toEqual([]);
  });

  it('autoencoder and vae: loss and activation gradients after a fan-in', () => {
    const steps = (file: string) => {
      const compiled = compileFile(path.join(examples, file));
      return compiled.trains.flatMap((t) =>
        trainPlan(compiled.analysis, t).train!.phases.flatMap((p) => chainsOf(p.program)),
      );
    };
    expect(steps('autoencoder.net')).toEqual(
      expect.arrayContaining([
        'mse_loss_grad → sigmoid_grad',
        'l1_activity_grad → add → activation_grad',
      ]),
    );
    expect(steps('vae.net')).toEqual(['add → activation_grad']);
  });
});
