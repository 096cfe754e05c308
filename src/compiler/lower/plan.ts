import { createHash } from 'node:crypto';
import type { IRNetwork } from '../ir/ir.js';
import type { TrainConfig } from '../train/trainConfig.js';
import type { ModelPlan, NetworkPlan, TrainPlan } from '../../runtime/plan.js';
import { optimizePlan, type PassOptions } from '../passes/index.js';
import { lowerNetwork, stateKey } from './forward.js';
import { programBuilder } from './builder.js';
import { evaluationProgram, inferenceProgram, phaseProgram } from './trainProgram.js';

/*
 * Builds the run-time plan of a model: its networks' programs and parameters and, when it
 * has a train section, one program per phase plus the evaluation program.
 */

export function networkPlan(network: IRNetwork): NetworkPlan {
  return {
    name: network.name,
    inputs: network.inputs.map((i) => ({ name: i.name, shape: network.nodes[i.value]!.shape })),
    outputs: network.outputs.map((o) => ({ name: o.name, shape: network.nodes[o.value]!.shape })),
    params: network.params.map((p) => ({
      key: stateKey(network.name, p.name),
      name: p.name,
      shape: p.shape,
      init: p.init,
      trainable: p.trainable,
    })),
    inference: inferenceProgram(network),
    trainingForward: trainingForwardProgram(network),
  };
}

function trainingForwardProgram(network: IRNetwork) {
  const b = programBuilder();
  const inputs = network.inputs.map((input) =>
    b.feed(input.name, network.nodes[input.value]!.shape),
  );
  const values = lowerNetwork(b, network, inputs, 'train', []);
  for (const output of network.outputs) b.result(output.name, values.get(output.value)!);
  return b.finish();
}

/**
 * `main` is the network that `forward` and the weights methods are about; `train` adds the
 * networks its section uses (a GAN's generator and discriminator). The programs then go
 * through the optimization passes unless `passes.fuse` is false.
 */
export function modelPlan(
  networks: ReadonlyMap<string, IRNetwork>,
  main: string,
  train: TrainConfig | undefined,
  passes: PassOptions = {},
): ModelPlan {
  const names = [main, ...(train?.networks ?? []).filter((n) => n !== main)];
  const plans = names.map((n) => networkPlan(networks.get(n)!));
  const trainPlan: TrainPlan | undefined = train && {
    config: train,
    phases: train.phases.map((phase) => ({
      name: phase.name,
      steps: phase.steps,
      program: phaseProgram(networks, train, phase),
      optimizer: phase.optimizer,
      schedule: phase.schedule,
    })),
    evaluation: evaluationProgram(networks, train),
  };
  // The hash is of the unfused programs: fused and unfused runs share checkpoints.
  return optimizePlan(
    { network: plans[0]!, networks: plans, train: trainPlan, hash: modelHash(plans, trainPlan) },
    passes,
  );
}

/** A digest of everything that gives state its meaning: names, shapes, the programs. */
function modelHash(networks: readonly NetworkPlan[], train: TrainPlan | undefined): string {
  const hash = createHash('sha256');
  for (const n of networks) {
    hash.update(
      JSON.stringify([
        n.name,
        n.params.map((p) => [p.key, p.shape]),
        n.inference.instrs.map((i) => i.op),
      ]),
    );
  }
  for (const phase of train?.phases ?? []) {
    hash.update(
      JSON.stringify([
        phase.name,
        phase.optimizer.kind,
        phase.program.tensors.filter((t) => t.storage === 'state').map((t) => [t.name, t.shape]),
      ]),
    );
  }
  return hash.digest('hex').slice(0, 32);
}
