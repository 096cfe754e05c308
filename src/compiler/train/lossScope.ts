import type { IRNetwork } from '../ir/ir.js';
import type { Shape } from '../ir/ops.js';
import type { TrainContext } from './context.js';
import type { DataConfig, NoiseConfig, TensorRef } from './trainConfig.js';

/** What a bare name in a loss stands for. */
export type ScopeEntry =
  | {
      readonly kind: 'tensor';
      readonly ref: TensorRef;
      readonly shape: Shape | undefined;
      /** The op that computed it (`softmax`, `sigmoid`, ...), for fusing it into the loss. */
      readonly producer: string | undefined;
      /** For messages: "an output of `VAE`", "a data field". */
      readonly description: string;
    }
  | { readonly kind: 'label'; readonly field: string; readonly classes: number | undefined };

export interface LossScope {
  readonly entries: ReadonlyMap<string, ScopeEntry>;
  /** The trained network of a plain section; undefined for sections with phases. */
  readonly network: IRNetwork | undefined;
  readonly data: DataConfig | undefined;
  /**
   * false when a part the scope is built from had errors (data, the trained network):
   * then unknown names are not reported again.
   */
  readonly complete: boolean;
  /** Names declared with errors (noise): uses of them are not reported again. */
  readonly poisoned: ReadonlySet<string>;
}

export interface ScopeParts {
  readonly network: IRNetwork | undefined;
  /** The name after `train` is a network that had errors. */
  readonly networkBroken: boolean;
  readonly data: DataConfig | undefined;
  readonly noise: readonly NoiseConfig[];
  /** Noise names whose declarations had errors. */
  readonly brokenNoise: readonly string[];
  readonly phased: boolean;
}

/**
 * Names a loss can use: the trained network's outputs and named values, the data fields
 * (and the network's input names, which alias the features), and noise.
 */
export function buildLossScope(parts: ScopeParts, ctx: TrainContext): LossScope {
  const entries = new Map<string, ScopeEntry>();
  const add = (name: string, entry: ScopeEntry) => {
    if (!entries.has(name)) entries.set(name, entry);
  };
  const { network, data } = parts;
  const features: TensorRef[] = [];
  for (const field of data?.fields ?? []) {
    if (field.role === 'label') {
      add(field.name, { kind: 'label', field: field.name, classes: field.classes });
      continue;
    }
    const input = network?.inputs[field.index];
    const shape = field.shape ?? (input && network?.nodes[input.value]?.shape);
    const ref: TensorRef = { kind: 'data', field: field.name, shape };
    features.push(ref);
    const entry: ScopeEntry = {
      kind: 'tensor',
      ref,
      shape,
      producer: undefined,
      description: 'a data field',
    };
    add(field.name, entry);
    if (input) add(input.name, entry);
  }
  if (network && data) {
    const valueRef = (name: string, value: number): ScopeEntry | undefined => {
      const node = network.nodes[value];
      if (!node) return undefined;
      return {
        kind: 'tensor',
        ref: {
          kind: 'network',
          network: network.name,
          inputs: features,
          name,
          value,
          shape: node.shape,
        },
        shape: node.shape,
        producer: node.op,
        description: `a value of \`${network.name}\``,
      };
    };
    for (const output of network.outputs) {
      const entry = valueRef(output.name, output.value);
      if (entry) entries.set(output.name, entry);
    }
    for (const [name, value] of ctx.namedValues?.(network.name) ?? []) {
      const entry = valueRef(name, value);
      if (entry) add(name, entry);
    }
  }
  for (const noise of parts.noise) {
    add(noise.name, {
      kind: 'tensor',
      ref: { kind: 'noise', name: noise.name, shape: noise.shape },
      shape: noise.shape,
      producer: undefined,
      description: 'noise',
    });
  }
  const networkKnown = parts.phased || (network !== undefined && !parts.networkBroken);
  return {
    entries,
    network,
    data,
    complete: networkKnown && data !== undefined,
    poisoned: new Set(parts.brokenNoise.filter((name) => !entries.has(name))),
  };
}
