import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { compileFile } from '../../src/compiler/api.js';
import { programPasses } from '../../src/compiler/passes/index.js';
import { programProblems } from '../../src/compiler/passes/validate.js';
import type { ModelPlan } from '../../src/runtime/plan.js';
import type { Program } from '../../src/runtime/program.js';

/*
 * Every pass keeps every program of every example well formed (programProblems), and the
 * pipeline as a whole does what it is for: fewer instructions, fewer buffers.
 */

const examples = fs
  .readdirSync('examples')
  .filter((f) => f.endsWith('.net'))
  .map((f) => path.join('examples', f));

function programsOf(plan: ModelPlan): [string, Program][] {
  return [
    ...plan.networks.flatMap((n): [string, Program][] => [
      [`${n.name} inference`, n.inference],
      [`${n.name} training forward`, n.trainingForward],
    ]),
    ...(plan.train?.phases ?? []).map((p): [string, Program] => [`phase ${p.name}`, p.program]),
    ...(plan.train ? [['evaluation', plan.train.evaluation] as [string, Program]] : []),
  ];
}

describe.each(examples)('%s', (file) => {
  const compiled = compileFile(file);
  const networks = Object.values(compiled.networks);

  it('stays well formed after every pass', () => {
    for (const network of networks) {
      const problems: string[] = [];
      const seen = new Set<string>();
      const plan = network.plan({ fuse: false });
      for (const [label, program] of programsOf(plan)) {
        let current = program;
        expect(programProblems(current), `${label} as lowered`).toEqual([]);
        for (const pass of programPasses) {
          current = pass.run(current);
          const found = programProblems(current).map((p) => `${label}, after ${pass.name}: ${p}`);
          problems.push(...found);
          seen.add(pass.name);
        }
      }
      expect(problems).toEqual([]);
      expect(seen.size).toBe(programPasses.length);
    }
  });

  it('never adds instructions and keeps the interface (feeds, state, results)', () => {
    for (const network of networks) {
      const before = programsOf(network.plan({ fuse: false }));
      const after = programsOf(network.plan());
      expect(after.map(([l]) => l)).toEqual(before.map(([l]) => l));
      before.forEach(([label, b], k) => {
        const a = after[k]![1];
        expect(a.instrs.length, label).toBeLessThanOrEqual(b.instrs.length);
        const iface = (p: Program) =>
          p.tensors
            .filter((t) => t.storage !== 'temp')
            .map((t) => `${t.storage} ${t.name} [${t.shape.join(',')}]`)
            .sort();
        expect(iface(a), label).toEqual(iface(b));
        expect(
          a.results.map((r) => r.name),
          label,
        ).toEqual(b.results.map((r) => r.name));
      });
    }
  });
});

describe('programProblems', () => {
  const t = (id: number, extra: object = {}) => ({
    id,
    shape: [4],
    batched: true,
    storage: 'temp' as const,
    name: `t${id}`,
    ...extra,
  });
  const x = { id: 0, shape: [4], batched: true, storage: 'feed' as const, name: 'x' };

  it('accepts a well-formed program', () => {
    const program: Program = {
      tensors: [x, t(1, { slot: 0 }), t(2, { slot: 1 }), t(3, { slot: 0 })],
      instrs: [
        { op: 'relu', attrs: {}, inputs: [0], outputs: [1] },
        { op: 'relu', attrs: {}, inputs: [1], outputs: [2] },
        { op: 'relu', attrs: {}, inputs: [2], outputs: [3] },
      ],
      results: [{ name: 'y', tensor: 3 }],
    };
    expect(programProblems(program)).toEqual([]);
  });

  it('finds reads before writes, written views and overlapping slots', () => {
    const program: Program = {
      tensors: [x, t(1, { slot: 0 }), t(2, { slot: 0 }), t(3, { view: 1 })],
      instrs: [
        { op: 'relu', attrs: {}, inputs: [2], outputs: [3] },
        { op: 'relu', attrs: {}, inputs: [0], outputs: [1] },
        { op: 'relu', attrs: {}, inputs: [1], outputs: [2] },
      ],
      results: [{ name: 'y', tensor: 2 }],
    };
    const problems = programProblems(program).join('\n');
    expect(problems).toMatch(/reads t2 \(%2\) before it is written/);
    expect(problems).toMatch(/writes the view t3/);
    expect(problems).toMatch(/slot 0: .* are alive at once/);
  });
});
