import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { compileFile } from '../../src/compiler/index.js';
import { createBackend } from '../../src/runtime/index.js';
import type { WebGpuBackend } from '../../src/runtime/webgpu/backend.js';

/* The library API exactly as the README shows it. */

const examples = path.resolve(import.meta.dirname, '../../examples');

describe('the library API', () => {
  it('compiles, instantiates, runs, trains and saves LeNet-5 as the README shows', async () => {
    const compiled = compileFile(path.join(examples, 'lenet5.net'));
    expect(compiled.diagnostics).toEqual([]);
    const notices: string[] = [];
    const backend = await createBackend('auto', { onNotice: (line) => notices.push(line) });
    expect(notices).toEqual([
      expect.stringMatching(
        backend.kind === 'cpu'
          ? /^netc: using the CPU backend: /
          : /^netc: using the WebGPU backend on /,
      ),
    ]);
    const model = await compiled.networks['LeNet5']!.instantiate(backend, { seed: 1 });

    const batch = 4;
    const x = Float32Array.from({ length: batch * 784 }, (_, i) => (i % 17) / 17);
    const label = Float32Array.from({ length: batch }, (_, i) => i % 10);
    const { output } = await model.forward({ x }, { training: false });
    expect(output).toHaveLength(batch * 10);

    const first = await model.trainStep({ x, label });
    let last = first;
    for (let i = 0; i < 20; i++) last = await model.trainStep({ x, label });
    expect(last.loss).toBeLessThan(first.loss);

    const bytes = await model.saveWeights();
    const fresh = await compiled.networks['LeNet5']!.instantiate(backend, { seed: 2 });
    expect((await fresh.forward({ x })).output).not.toEqual(output);
    fresh.loadWeights(bytes);
    expect((await fresh.forward({ x })).output).toEqual((await model.forward({ x })).output);
  });

  it('gives the same initial weights for the same seed and different ones for another', async () => {
    const compiled = compileFile(path.join(examples, 'xor.net'));
    const backend = await createBackend('cpu');
    const a = await compiled.networks['XOR']!.instantiate(backend, { seed: 5 });
    const b = await compiled.networks['XOR']!.instantiate(backend, { seed: 5 });
    const c = await compiled.networks['XOR']!.instantiate(backend, { seed: 6 });
    expect(await a.saveWeights()).toEqual(await b.saveWeights());
    expect(await a.saveWeights()).not.toEqual(await c.saveWeights());
  });

  it('names a missing input instead of crashing', async () => {
    const compiled = compileFile(path.join(examples, 'xor.net'));
    const model = await compiled.networks['XOR']!.instantiate(await createBackend('cpu'));
    await expect(model.forward({ y: new Float32Array(2) })).rejects.toThrow('missing input `x`');
    await expect(model.forward({ x: new Float32Array(3) })).rejects.toThrow(
      'not a whole number of samples',
    );
  });

  it('creates the WebGPU backend for `webgpu`, or refuses it with the reason', async () => {
    const outcome = await createBackend('webgpu').then(
      (backend) => backend,
      (error: Error) => error,
    );
    if (outcome instanceof Error) {
      expect(outcome.message).toMatch(/^the WebGPU backend is unavailable: .+/);
    } else {
      expect(outcome.kind).toBe('webgpu');
      (outcome as WebGpuBackend).destroy();
    }
  });
});
