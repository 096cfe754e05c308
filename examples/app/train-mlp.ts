/*
 * An app that uses a generated module: `MLP.ts` is what `netc build examples/mlp.net -o
 * examples/app` writes, and needs nothing but `netc/runtime`. This trains it for a few
 * steps on real MNIST digits and prints the loss:
 *
 *   npx tsx --tsconfig examples/app/tsconfig.json examples/app/train-mlp.ts [steps] [backend]
 *
 * (the tsconfig maps `netc/runtime` to the sources; after `npm run build`, plain
 * `npx tsx examples/app/train-mlp.ts` uses the built package instead).
 */
import { createBackend, type BackendChoice } from 'netc/runtime';
import { batchOf, loadDigits } from './digits.js';
import { MLP, type MLPBatch } from './MLP.js';

const steps = Number(process.argv[2] ?? 100);
const backend = await createBackend((process.argv[3] ?? 'auto') as BackendChoice);

const digits = loadDigits(100);
const model = await MLP.instantiate(backend, { seed: 1 });
const batchSize = MLP.plan.train!.config.batch;

for (let step = 1; step <= steps; step++) {
  const batch: MLPBatch = batchOf(digits, (step - 1) * batchSize, batchSize);
  const { loss } = await model.trainStep(batch);
  if (step === 1 || step % 10 === 0 || step === steps) {
    console.log(`step ${step}: loss ${loss.toFixed(4)}`);
  }
}

const weights = await model.saveWeights();
console.log(`trained ${steps} steps; the weights take ${weights.length} bytes as safetensors`);
