import { didYouMean } from '../compiler/diagnostics/didYouMean.js';
import type { NetworkPlan, TensorSpec } from '../runtime/plan.js';
import {
  WeightsFormatError,
  decodeSafetensors,
  tensorToFloat32,
  type DecodedTensor,
} from '../runtime/weights/safetensors.js';
import { CliError } from './userError.js';

/*
 * `netc run --input IN.safetensors`: one tensor per network input, under the input's
 * name, holding a batch ([N, ...declared shape]) or a single sample (exactly the declared
 * shape). Every problem names what the network expects, so the fix is in the message.
 */

export interface InputBatch {
  readonly feeds: Record<string, Float32Array>;
  /** Samples per input (N). */
  readonly count: number;
}

export function readInputTensors(bytes: Uint8Array, network: NetworkPlan, arg: string): InputBatch {
  const file = `\`${arg}\``;
  let tensors: Map<string, DecodedTensor>;
  try {
    tensors = decodeSafetensors(bytes).tensors;
  } catch (error) {
    if (error instanceof WeightsFormatError) throw new CliError(`${file}: ${error.message}`);
    throw error;
  }
  const names = network.inputs.map((i) => i.name);
  const expected =
    `\`${network.name}\` takes ${network.inputs.map(describe).join(', ')}` +
    ' (N samples; without N for one)';
  for (const name of tensors.keys()) {
    if (names.includes(name)) continue;
    // Suggest only inputs the file lacks: a misspelt name, not one extra tensor among the right ones.
    const close = didYouMean(
      name,
      names.filter((n) => !tensors.has(n)),
    );
    const hint = close === undefined ? '' : ` (did you mean \`${close}\`?)`;
    throw new CliError(
      `${file} has a tensor \`${name}\`, which is not an input${hint}; ${expected}`,
    );
  }

  const feeds: Record<string, Float32Array> = {};
  let count: number | undefined;
  for (const input of network.inputs) {
    const tensor = tensors.get(input.name);
    if (!tensor) throw new CliError(`${file} has no tensor \`${input.name}\`; ${expected}`);
    const samples = samplesIn(tensor.shape, input.shape);
    if (samples === undefined) {
      throw new CliError(
        `\`${input.name}\` in ${file} has shape [${tensor.shape.join(', ')}], but ${expected}`,
      );
    }
    if (samples === 0) throw new CliError(`\`${input.name}\` in ${file} holds no samples`);
    if (count !== undefined && samples !== count) {
      throw new CliError(
        `\`${input.name}\` in ${file} holds ${samples} samples, but the inputs before it hold ${count}`,
      );
    }
    count = samples;
    try {
      feeds[input.name] = tensorToFloat32(tensor);
    } catch (error) {
      if (error instanceof WeightsFormatError) {
        throw new CliError(`\`${input.name}\` in ${file}: ${error.message}`);
      }
      throw error;
    }
  }
  return { feeds, count: count ?? 1 };
}

/** N for a batch [N, ...declared], 1 for exactly the declared shape, undefined otherwise. */
function samplesIn(shape: readonly number[], declared: readonly number[]): number | undefined {
  const same = (a: readonly number[]) =>
    a.length === declared.length && a.every((d, i) => d === declared[i]);
  if (same(shape)) return 1;
  if (shape.length === declared.length + 1 && same(shape.slice(1))) return shape[0];
  return undefined;
}

/** `` `x` [N, 2] `` */
function describe(input: TensorSpec): string {
  return `\`${input.name}\` [${['N', ...input.shape].join(', ')}]`;
}
