import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { compileFile, trainPlan } from '../../src/compiler/api.js';
import { createCpuBackend } from '../../src/runtime/cpu/backend.js';
import { instantiateModel } from '../../src/runtime/model.js';
import type { Feeds } from '../../src/runtime/model.js';
import type { Program } from '../../src/runtime/program.js';
import { examples } from '../training/harness.js';

/*
 * The passes change how a step is computed, never what: on the CPU in float64, two
 * training steps of every trainable example with the fused programs give the losses and
 * the state (weights, optimizer state, running statistics) of the unfused programs, and
 * inference gives the same outputs. Fused kernels reorder a few float operations (the
 * activation applied inside the dense kernel, the bias gradient summed with the weight
 * gradient), so the tolerance is 1e-9 relative, not zero.
 */

const files = [
  'xor.net',
  'mlp.net',
  'keras_cnn.net',
  'lenet5.net',
  'autoencoder.net',
  'vae.net',
  'gan.net',
  'siamese.net',
  'transfer.net',
];

function feedsFor(program: Program, n: number, seed: number): Feeds {
  let s = seed;
  const next = () => (s = (Math.imul(s, 1103515245) + 12345) >>> 0) / 2 ** 32;
  const feeds: Record<string, Float32Array> = {};
  for (const decl of program.tensors) {
    if (decl.storage !== 'feed' || feeds[decl.name]) continue;
    const size = (decl.batched ? n : 1) * decl.shape.reduce((a, d) => a * d, 1);
    // Labels are class indices; anything else gets values in [0, 1).
    const classes = decl.name === 'label' ? 10 : 0;
    feeds[decl.name] = Float32Array.from({ length: size }, () =>
      classes ? Math.floor(next() * classes) : next(),
    );
  }
  return feeds;
}

function close(a: ArrayLike<number>, b: ArrayLike<number>, what: string): void {
  expect(a.length, what).toBe(b.length);
  for (let i = 0; i < a.length; i++) {
    const tolerance = 1e-9 * Math.max(1, Math.abs(b[i]!));
    if (!(Math.abs(a[i]! - b[i]!) <= tolerance))
      expect.fail(`${what}[${i}]: fused ${a[i]} vs unfused ${b[i]}`);
  }
}

describe.each(files)('%s', (file) => {
  const compiled = compileFile(path.join(examples, file));
  it.each(compiled.trains.map((t) => [t.name, t] as const))(
    'section %s: fused steps equal unfused ones (float64)',
    async (_, config) => {
      const fused = trainPlan(compiled.analysis, config);
      const unfused = trainPlan(compiled.analysis, config, { fuse: false });
      // Not vacuous: every training step here has something to fuse.
      fused.train!.phases.forEach((phase, i) =>
        expect(phase.program.instrs.length).toBeLessThan(
          unfused.train!.phases[i]!.program.instrs.length,
        ),
      );
      const backend = createCpuBackend({ precision: 'float64' });
      const a = instantiateModel(fused, backend, { seed: 3 });
      const b = instantiateModel(unfused, backend, { seed: 3 });
      const n = Math.min(config.batch, 5);
      const programs = fused.train!.phases.map((p) => p.program);
      for (let step = 0; step < 2; step++) {
        const feeds = Object.assign({}, ...programs.map((p) => feedsFor(p, n, 11 + step)));
        const [la, lb] = [await a.trainStep(feeds), await b.trainStep(feeds)];
        close([la.loss], [lb.loss], `loss of step ${step + 1}`);
      }
      for (const name of b.state.names()) close(a.state.read(name), b.state.read(name), name);
      const inputs = feedsFor(fused.network.inference, n, 5);
      const [oa, ob] = [await a.forward(inputs), await b.forward(inputs)];
      for (const name of Object.keys(ob)) close(oa[name]!, ob[name]!, `output ${name}`);
    },
  );
});
