import type { IRNetwork } from '../ir/ir.js';
import type { PhaseConfig, TrainConfig } from '../train/trainConfig.js';
import type { Program, TensorId } from '../../runtime/program.js';
import { backward, tensorsNeedingGrad } from './backward.js';
import { programBuilder, type ProgramBuilder } from './builder.js';
import { lowerNetwork, stateKey } from './forward.js';
import { lossGradSeeds, lowerLoss, targetTensor } from './losses.js';
import { lowerOptimizerStep } from './optimizer.js';
import { refLowering } from './refs.js';

/*
 * The programs a model runs: inference of one network, one optimizer step of a training
 * phase (forward, loss, backward, regularization, update), and the evaluation of a train
 * section (inference-mode loss and the tensors its metrics compare).
 */

export function inferenceProgram(network: IRNetwork): Program {
  const b = programBuilder();
  const inputs = network.inputs.map((input) =>
    b.feed(input.name, network.nodes[input.value]!.shape),
  );
  const values = lowerNetwork(b, network, inputs, 'infer', []);
  for (const output of network.outputs) b.result(output.name, values.get(output.value)!);
  return b.finish();
}

/** The state keys a phase updates: trainable, unfrozen parameters of its `update` networks. */
export function updatedParams(
  networks: ReadonlyMap<string, IRNetwork>,
  train: TrainConfig,
  phase: PhaseConfig,
): Set<string> {
  const frozen = new Set(train.freeze.flatMap((f) => f.params.map((p) => stateKey(f.network, p))));
  const keys = new Set<string>();
  for (const name of phase.update) {
    for (const param of networks.get(name)!.params) {
      const key = stateKey(name, param.name);
      if (param.trainable && !frozen.has(key)) keys.add(key);
    }
  }
  return keys;
}

/** One optimizer step of `phase`. */
export function phaseProgram(
  networks: ReadonlyMap<string, IRNetwork>,
  train: TrainConfig,
  phase: PhaseConfig,
): Program {
  return lowerPhase(networks, train, phase, 'update');
}

/**
 * The same step without the update: results `loss` and `grad.<state key>` per updated
 * parameter. The gradient checks compare it with finite differences of the loss.
 */
export function gradientProgram(
  networks: ReadonlyMap<string, IRNetwork>,
  train: TrainConfig,
  phase: PhaseConfig,
): Program {
  return lowerPhase(networks, train, phase, 'gradients');
}

function lowerPhase(
  networks: ReadonlyMap<string, IRNetwork>,
  train: TrainConfig,
  phase: PhaseConfig,
  finish: 'update' | 'gradients',
): Program {
  const b = programBuilder();
  const refs = refLowering(b, networks, train.noise, 'train');
  const loss = lowerLoss(b, refs, phase.loss);
  const updated = updatedParams(networks, train, phase);
  const needs = tensorsNeedingGrad(refs.tape, updated);
  const seeds = lossGradSeeds(b, loss, (t) => needs.has(t));
  const grads = backward(b, refs.tape, seeds, needs, updated);

  const terms = [...loss.terms];
  const weights = [...loss.weights];
  const regularize = phase.regularize;
  const regularized = [...grads.keys()].filter((key) => isRegularized(networks, key));
  if (regularize && regularize.lambda > 0 && regularized.length > 0) {
    const penalty = b.temp(`${regularize.kind}.penalty`, [], false);
    const params = regularized.map((key) => b.state(key, []));
    b.emit(regularize.kind === 'l2' ? 'sum_squares' : 'sum_abs', {}, params, [penalty]);
    terms.push(penalty);
    weights.push(regularize.lambda);
    for (const [i, key] of regularized.entries()) {
      const grad = grads.get(key)!;
      if (regularize.kind === 'l2')
        b.emit('add_scaled', { alpha: 2 * regularize.lambda }, [grad, params[i]!], [grad]);
      else b.emit('add_sign_scaled', { alpha: regularize.lambda }, [grad, params[i]!], [grad]);
    }
  }
  b.result('loss', total(b, terms, weights));
  for (const [key, grad] of grads) {
    if (finish === 'gradients') b.result(`grad.${key}`, grad);
    else lowerOptimizerStep(b, phase.optimizer, phase.name, key, b.state(key, []), grad);
  }
  return b.finish();
}

/** Results: `loss`, and per metric `metric.<i>.prediction` (and `.target` for regression). */
export function evaluationProgram(
  networks: ReadonlyMap<string, IRNetwork>,
  train: TrainConfig,
): Program {
  const b = programBuilder();
  const refs = refLowering(b, networks, train.noise, 'infer');
  // Sections with phases have no single objective to report; their first phase's loss is shown.
  const loss = lowerLoss(b, refs, train.phases[0]!.loss);
  b.result('loss', total(b, loss.terms, loss.weights));
  train.metrics.forEach((metric, i) => {
    const prediction = refs.tensor(metric.prediction);
    b.result(`metric.${i}.prediction`, prediction);
    if (metric.kind === 'regression')
      b.result(`metric.${i}.target`, targetTensor(b, refs, metric.target, prediction));
  });
  return b.finish();
}

function total(
  b: ProgramBuilder,
  terms: readonly TensorId[],
  weights: readonly number[],
): TensorId {
  const loss = b.temp('loss', [], false);
  b.emit('weighted_sum', { weights }, terms, [loss]);
  return loss;
}

function isRegularized(networks: ReadonlyMap<string, IRNetwork>, key: string): boolean {
  const slash = key.indexOf('/');
  const network = networks.get(key.slice(0, slash))!;
  return network.params.some((p) => p.name === key.slice(slash + 1) && p.regularized);
}
