import { expect } from 'vitest';
import type { IRNetwork } from '../../src/compiler/ir/ir.js';
import { gradientProgram } from '../../src/compiler/lower/trainProgram.js';
import type { TrainConfig } from '../../src/compiler/train/trainConfig.js';
import { cpuStateBuffer, createCpuBackend } from '../../src/runtime/cpu/backend.js';
import { interpret } from '../../src/runtime/cpu/interpreter.js';
import { cpuKernels } from '../../src/runtime/cpu/kernels/index.js';
import { instantiateModel } from '../../src/runtime/model.js';
import type { Program, RunContext } from '../../src/runtime/program.js';
import { modelPlan } from '../../src/compiler/lower/plan.js';
import { compileText } from '../helpers/compileText.js';
import { testValues } from '../helpers/kernels.js';

/*
 * Whole-program gradient checks: the gradient program's parameter gradients (reverse mode,
 * float64 on the CPU interpreter) against central finite differences of its loss.
 */

export const tolerance = { eps: 1e-6, atol: 1e-5, rtol: 1e-3 };

export interface GradCheckReport {
  readonly checked: number;
  readonly params: readonly string[];
}

/** Feeds of random data: labels get valid class indices, `same` gets 0/1. */
export function randomFeeds(
  program: Program,
  train: TrainConfig,
  batch: number,
): Record<string, Float32Array> {
  const feeds: Record<string, Float32Array> = {};
  let seed = 11;
  for (const decl of program.tensors) {
    if (decl.storage !== 'feed') continue;
    const n = batch * decl.shape.reduce((a, d) => a * d, 1);
    const field = train.data.fields.find((f) => f.name === decl.name);
    const values = testValues(n, seed++);
    if (field?.role === 'label') {
      const classes = field.classes ?? 2;
      feeds[decl.name] = Float32Array.from(values, (v) =>
        Math.min(classes - 1, Math.floor(((v + 1) / 2) * classes)),
      );
    } else {
      // Pixel-like values in (0, 1) suit both bce targets and network inputs.
      feeds[decl.name] = Float32Array.from(values, (v) => (v + 1) / 2);
    }
  }
  return feeds;
}

/**
 * Compiles `source`, builds the gradient program of its train section's phase `phaseIndex`
 * and checks up to `perTensor` elements of every parameter gradient.
 */
export async function checkGradients(
  source: string,
  options: { readonly phase?: number; readonly batch?: number; readonly perTensor?: number } = {},
): Promise<GradCheckReport> {
  const analysis = compileText(source);
  const errors = analysis.diagnostics.filter((d) => d.severity === 'error');
  if (errors.length > 0) throw new Error(errors.map((d) => `${d.code} ${d.message}`).join('\n'));
  const train = analysis.trains[0]!;
  const phase = train.phases[options.phase ?? 0]!;
  const networks = analysis.allNetworks as ReadonlyMap<string, IRNetwork>;
  const program = gradientProgram(networks, train, phase);
  const backend = createCpuBackend({ precision: 'float64' });
  const model = instantiateModel(modelPlan(networks, train.networks[0]!, train), backend, {
    seed: 3,
  });
  const batch = options.batch ?? 3;
  const feeds = randomFeeds(program, train, batch);
  // A fixed step: dropout masks and noise are the same in every evaluation.
  const ctx: RunContext = { batch, seed: 3, step: 5, lr: 0, t: 1 };
  // The interpreter directly: its results stay float64 (the Backend API returns float32).
  const state = {
    precision: 'float64' as const,
    get: (name: string) => cpuStateBuffer(model.state, name),
  };
  const run = async () => Object.fromEntries(interpret(cpuKernels, program, state, feeds, ctx));
  const reverse = await run();

  const grads = Object.keys(reverse).filter((k) => k.startsWith('grad.'));
  let checked = 0;
  for (const name of grads) {
    const key = name.slice('grad.'.length);
    const analytic = reverse[name]!;
    // The float64 buffer itself, perturbed in place: a float32 round trip would lose eps.
    const values = cpuStateBuffer(model.state, key);
    const count = Math.min(options.perTensor ?? 4, values.length);
    for (let k = 0; k < count; k++) {
      const i = Math.floor((k * values.length) / count);
      const original = values[i]!;
      const lossAt = async (delta: number) => {
        values[i] = original + delta;
        return (await run()).loss![0]!;
      };
      const numeric =
        ((await lossAt(tolerance.eps)) - (await lossAt(-tolerance.eps))) / (2 * tolerance.eps);
      values[i] = original;
      const a = analytic[i]!;
      const bound = tolerance.atol + tolerance.rtol * Math.abs(numeric);
      expect(
        Math.abs(a - numeric),
        `d loss / d ${key}[${i}]: reverse mode ${a}, finite differences ${numeric}`,
      ).toBeLessThanOrEqual(bound);
      checked++;
    }
  }
  return { checked, params: grads.map((g) => g.slice('grad.'.length)) };
}
