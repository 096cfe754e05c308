import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { compileFile, trainPlan } from '../../src/compiler/api.js';
import { createCpuBackend } from '../../src/runtime/cpu/backend.js';
import { instantiateModel } from '../../src/runtime/model.js';
import { examples } from '../training/harness.js';
import { close, feedsFor } from './equivalence.js';

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
