import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { compileFile, trainPlan } from '../../src/compiler/api.js';
import { fuseResiduals } from '../../src/compiler/passes/fuseResiduals.js';
import { programPasses } from '../../src/compiler/passes/index.js';
import { programProblems } from '../../src/compiler/passes/validate.js';
import { createCpuBackend } from '../../src/runtime/cpu/backend.js';
import { instantiateModel } from '../../src/runtime/model.js';
import type { Instr, Program, TensorDecl } from '../../src/runtime/program.js';
import { examples } from '../training/harness.js';
import { close, feedsFor } from './equivalence.js';

/*
 * fuse-residuals: an add of a dense, convolution or batchnorm output becomes that kernel's
 * `residual` epilogue, and fuse-epilogues then folds the activation after it in too. On
 * hand-built programs: what it fuses and what it must leave alone (a value read twice, a
 * residual written after the producer, operands of other shapes). On a small residual
 * network (test/passes/fixtures/residual.net: a ResNet block and a dense residual block),
 * two training steps fused and unfused agree on the CPU in float64, as the other examples
 * do in semantics.test.ts; on ResNet-18 every block's add and relu go into its batchnorm.
 */

const fixture = path.join(import.meta.dirname, 'fixtures', 'residual.net');

/** x (feed [2, 3]), w (state [4, 3]), r (feed [2, 4]), then temps t3 … of shape [2, 4]. */
function program(instrs: readonly Instr[], temps: number, results: readonly number[]): Program {
  const decl = (id: number, shape: number[], storage: TensorDecl['storage'], name: string) =>
    ({ id, shape, batched: true, storage, name }) as TensorDecl;
  const tensors: TensorDecl[] = [
    decl(0, [3], 'feed', 'x'),
    { ...decl(1, [4, 3], 'state', 'w'), batched: false },
    decl(2, [4], 'feed', 'r'),
    ...Array.from({ length: temps }, (_, k) => decl(3 + k, [4], 'temp', `t${3 + k}`)),
  ];
  return { tensors, instrs, results: results.map((tensor, k) => ({ name: `y${k}`, tensor })) };
}

const dense = (out: number): Instr =>
  ({ op: 'dense', attrs: { bias: false }, inputs: [0, 1], outputs: [out] }) as Instr;
const add = (a: number, b: number, out: number): Instr =>
  ({ op: 'add', attrs: {}, inputs: [a, b], outputs: [out] }) as Instr;
const relu = (a: number, out: number): Instr =>
  ({ op: 'relu', attrs: {}, inputs: [a], outputs: [out] }) as Instr;

describe('fuse-residuals on hand-built programs', () => {
  it('puts the add into the dense kernel, either operand order', () => {
    for (const sum of [add(3, 2, 4), add(2, 3, 4)]) {
      const fused = fuseResiduals.run(program([dense(3), sum], 2, [4]));
      expect(programProblems(fused)).toEqual([]);
      expect(fused.instrs).toHaveLength(1);
      const [d] = fused.instrs as [Instr & { op: 'dense' }];
      expect(d.attrs.residual).toBe(true);
      expect(fused.tensors[d.inputs[2]!]!.name).toBe('r');
      expect(fused.results[0]!.tensor).toBe(d.outputs[0]);
    }
  });

  it('leaves the add when the value is read again, or is a result', () => {
    const readTwice = program([dense(3), add(3, 2, 4), relu(3, 5)], 3, [4, 5]);
    expect(fuseResiduals.run(readTwice).instrs.map((i) => i.op)).toEqual(['dense', 'add', 'relu']);
    const result = program([dense(3), add(3, 2, 4)], 2, [3, 4]);
    expect(fuseResiduals.run(result).instrs.map((i) => i.op)).toEqual(['dense', 'add']);
  });

  it('leaves the add when the residual is computed after the producer', () => {
    // t4 = relu(r) comes after dense: the dense kernel could not read it.
    const late = program([dense(3), relu(2, 4), add(3, 4, 5)], 3, [5]);
    expect(fuseResiduals.run(late).instrs.map((i) => i.op)).toEqual(['dense', 'relu', 'add']);
    // Written before it, it fuses.
    const early = program([relu(2, 4), dense(3), add(3, 4, 5)], 3, [5]);
    expect(fuseResiduals.run(early).instrs.map((i) => i.op)).toEqual(['relu', 'dense']);
  });

  it('leaves an add whose operands differ in shape (a broadcast)', () => {
    const p = program([dense(3), add(3, 2, 4)], 2, [4]);
    const broadcast = {
      ...p,
      tensors: p.tensors.map((d) => (d.id === 2 ? { ...d, shape: [1] } : d)),
    };
    expect(fuseResiduals.run(broadcast).instrs.map((i) => i.op)).toEqual(['dense', 'add']);
  });

  it('runs before fuse-epilogues, so the activation after the add joins too', () => {
    const names = programPasses.map((p) => p.name);
    expect(names.indexOf('fuse-residuals')).toBe(names.indexOf('fuse-epilogues') - 1);
  });
});

const epilogues = (p: Program) =>
  p.instrs
    .filter((i) => 'residual' in i.attrs && i.attrs.residual)
    .map(
      (i) =>
        `${i.op}{residual, ${(i.attrs as { activation?: { kind: string } }).activation?.kind}}`,
    );

describe('fuse-residuals on networks', () => {
  it('fuses both blocks of the fixture, and the fused steps equal the unfused ones (float64)', async () => {
    const compiled = compileFile(fixture);
    expect(compiled.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    const config = compiled.trains[0]!;
    const fused = trainPlan(compiled.analysis, config);
    const unfused = trainPlan(compiled.analysis, config, { fuse: false });
    const step = fused.train!.phases[0]!.program;
    expect(epilogues(step)).toEqual(['batchnorm_train{residual, relu}', 'dense{residual, tanh}']);
    expect(epilogues(fused.network.inference)).toEqual([
      'batchnorm_infer{residual, relu}',
      'dense{residual, tanh}',
    ]);
    expect(step.instrs.some((i) => i.op === 'add')).toBe(false);

    const backend = createCpuBackend({ precision: 'float64' });
    const a = instantiateModel(fused, backend, { seed: 3 });
    const b = instantiateModel(unfused, backend, { seed: 3 });
    for (let s = 0; s < 2; s++) {
      const feeds = feedsFor(step, 4, 11 + s);
      const [la, lb] = [await a.trainStep(feeds), await b.trainStep(feeds)];
      close([la.loss], [lb.loss], `loss of step ${s + 1}`);
    }
    for (const name of b.state.names()) close(a.state.read(name), b.state.read(name), name);
    const inputs = feedsFor(fused.network.inference, 4, 5);
    const [oa, ob] = [await a.forward(inputs), await b.forward(inputs)];
    for (const name of Object.keys(ob)) close(oa[name]!, ob[name]!, `output ${name}`);
  });

  it('resnet18: every block adds its shortcut and applies relu inside its last batchnorm', () => {
    const compiled = compileFile(path.join(examples, 'resnet18.net'));
    const inference = Object.values(compiled.networks)[0]!.plan().network.inference;
    expect(epilogues(inference)).toEqual(Array(8).fill('batchnorm_infer{residual, relu}'));
    expect(inference.instrs.some((i) => i.op === 'add' || i.op === 'pointwise_chain')).toBe(false);
  });
});
