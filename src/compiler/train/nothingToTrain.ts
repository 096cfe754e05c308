import type { TrainContext } from './context.js';
import type { FrozenLayer, PhaseConfig } from './trainConfig.js';

/** Every network a phase updates must keep at least one trainable, unfrozen parameter. */
export function checkNothingToTrain(
  phases: readonly PhaseConfig[],
  freeze: readonly FrozenLayer[],
  ctx: TrainContext,
): void {
  const frozen = new Set(freeze.flatMap((f) => f.params.map((p) => `${f.network}/${p}`)));
  for (const phase of phases) {
    for (const name of phase.update) {
      const network = ctx.networks.get(name);
      if (!network) continue;
      const trainable = network.params.filter((p) => p.trainable);
      if (trainable.some((p) => !frozen.has(`${name}/${p.name}`))) continue;
      ctx.diagnostics.error(
        'NETC4038',
        phase.span,
        trainable.length === 0
          ? `\`${name}\` has no trainable parameters, so there is nothing to train`
          : `every parameter of \`${name}\` is frozen, so there is nothing to train`,
        {
          help:
            trainable.length === 0
              ? 'add a layer with weights such as `dense`'
              : 'freeze fewer layers',
        },
      );
    }
  }
}
