import type { IRNetwork } from '../ir/ir.js';
import type { Shape } from '../ir/ops.js';
import type { NoiseConfig, TensorRef } from '../train/trainConfig.js';
import { tensorRefKey } from '../train/trainConfig.js';
import type { TensorId } from '../../runtime/program.js';
import type { ProgramBuilder } from './builder.js';
import { lowerNetwork, type Mode, type TapeEntry } from './forward.js';

/*
 * Turns the tensor references of a train section (`D(G(z))`, `recon`, `label`, `z`) into
 * program tensors. Equal references share one computation: `D(G(z))` used in two loss terms
 * runs G and D once.
 */

export interface RefLowering {
  tensor(ref: TensorRef, hint?: Shape): TensorId;
  /** The class-index or 0/1 feed of a label field (a batched scalar). */
  label(field: string): TensorId;
  readonly tape: readonly TapeEntry[];
}

export function refLowering(
  b: ProgramBuilder,
  networks: ReadonlyMap<string, IRNetwork>,
  noise: readonly NoiseConfig[],
  mode: Mode,
): RefLowering {
  const tape: TapeEntry[] = [];
  const applications = new Map<string, ReadonlyMap<number, TensorId>>();
  const noiseTensors = new Map<string, TensorId>();

  const apply = (ref: TensorRef & { kind: 'network' }): ReadonlyMap<number, TensorId> => {
    const network = networks.get(ref.network)!;
    const key = `${ref.network}(${ref.inputs.map(tensorRefKey).join(', ')})`;
    const existing = applications.get(key);
    if (existing) return existing;
    const inputs = ref.inputs.map((input, i) =>
      tensorOf(input, network.nodes[network.inputs[i]!.value]!.shape),
    );
    const values = lowerNetwork(b, network, inputs, mode, tape);
    applications.set(key, values);
    return values;
  };

  const noiseTensor = (name: string): TensorId => {
    const existing = noiseTensors.get(name);
    if (existing !== undefined) return existing;
    const config = noise.find((n) => n.name === name)!;
    const t = b.temp(name, config.shape);
    const d = config.distribution;
    if (d.kind === 'normal')
      b.emit('random_normal', { mean: d.mean, std: d.std, stream: b.stream() }, [], [t]);
    else b.emit('random_uniform', { low: d.low, high: d.high, stream: b.stream() }, [], [t]);
    noiseTensors.set(name, t);
    return t;
  };

  /** `hint` gives the shape where only a data file knows it: the shape of the input it feeds. */
  const tensorOf = (ref: TensorRef, hint?: Shape): TensorId => {
    switch (ref.kind) {
      case 'network':
        return apply(ref).get(ref.value)!;
      case 'data':
        return b.feed(ref.field, ref.shape ?? hint ?? []);
      case 'noise':
        return noiseTensor(ref.name);
    }
  };

  return {
    tensor: (ref, hint) => tensorOf(ref, hint),
    label: (field) => b.feed(field, []),
    tape,
  };
}
