import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadMatchingWeights } from '../../src/runtime/model.js';
import { trainModel } from '../../src/runtime/train/trainer.js';
import { examples, setUp } from './harness.js';

describe('training the transfer-learning example', () => {
  it('transfer.net loads LeNet-5 features, trains only the head, and leaves frozen weights bit-identical', async () => {
    // A LeNet-5 trained briefly stands in for the pretrained network.
    const lenet = setUp('lenet5.net', { trainCount: 1000, testCount: 100 });
    await trainModel(lenet.model, lenet.data, { epochs: 1 });
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'netc-transfer-'));
    fs.writeFileSync(path.join(dir, 'lenet5.safetensors'), await lenet.model.saveWeights());
    fs.copyFileSync(path.join(examples, 'transfer.net'), path.join(dir, 'transfer.net'));

    const { model, data, config } = setUp(path.join(dir, 'transfer.net'), {
      trainCount: 1000,
      testCount: 200,
    });
    const match = loadMatchingWeights(
      model.plan.network,
      model.state,
      fs.readFileSync(config.weights!.resolved),
    );
    const frozen = config.freeze.flatMap((f) => f.params);
    expect(match.loaded.map((l) => l.param).sort()).toEqual([...frozen].sort());
    expect(model.state.read('Classifier/features.conv2d_0.weight')).toEqual(
      lenet.model.state.read('LeNet5/conv2d_0.weight'),
    );

    const before = new Map(model.plan.network.params.map((p) => [p.name, model.state.read(p.key)]));
    await trainModel(model, data, { epochs: 1 });
    for (const param of model.plan.network.params) {
      const after = model.state.read(param.key);
      if (frozen.includes(param.name)) expect(after, param.name).toEqual(before.get(param.name));
      else expect(after, param.name).not.toEqual(before.get(param.name));
    }
    // Frozen parameters get no optimizer state at all.
    expect(
      model.state.names().filter((n) => n.includes('features.') && n.startsWith('train/')),
    ).toEqual([]);
  }, 300_000);
});
