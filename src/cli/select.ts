import type { CompiledFile } from '../compiler/api.js';
import { didYouMean } from '../compiler/diagnostics/didYouMean.js';
import type { TrainConfig } from '../compiler/train/trainConfig.js';
import { CliError, usageProblem } from './userError.js';

/*
 * Which part of a file a command works on. `--network N` names a network or a train
 * section; without it the file must leave no choice. A name that fits nothing, or a choice
 * left open, is a usage error that lists the choices on the same line.
 */

/** The train section whose trained network is `network`, or that is named so, or the only one. */
export function chooseTrainSection(
  compiled: CompiledFile,
  network: string | undefined,
  file: string,
): TrainConfig {
  const trains = compiled.trains;
  if (trains.length === 0) throw new CliError(`\`${file}\` has no \`train\` section`);
  const names = trains.map((t) => t.name);
  if (network === undefined) {
    if (trains.length === 1) return trains[0]!;
    throw usageProblem(
      `\`${file}\` has ${trains.length} train sections: ${list(names)}; choose one with --network`,
    );
  }
  const found = trains.find((t) => t.network === network) ?? trains.find((t) => t.name === network);
  if (found) return found;
  const what =
    network in compiled.networks
      ? `network \`${network}\` has no train section in \`${file}\``
      : `no train section in \`${file}\` trains \`${network}\``;
  throw usageProblem(`${what}${suggestion(network, names)}; train sections: ${list(names)}`);
}

/**
 * The network `run` executes: the one named, the one a named train section trains, the
 * one the file's only train section trains, or the file's only network.
 */
export function chooseNetwork(
  compiled: CompiledFile,
  network: string | undefined,
  file: string,
): string {
  const names = Object.keys(compiled.networks);
  if (network !== undefined) {
    if (network in compiled.networks) return network;
    const section = compiled.trains.find((t) => t.name === network);
    if (section) return section.networks[0]!;
    const known = names.length === 0 ? 'it defines no networks' : `networks: ${list(names)}`;
    throw usageProblem(
      `no network \`${network}\` in \`${file}\`${suggestion(network, names)}; ${known}`,
    );
  }
  if (compiled.trains.length === 1) return compiled.trains[0]!.networks[0]!;
  if (names.length === 1) return names[0]!;
  if (names.length === 0) throw new CliError(`\`${file}\` defines no networks`);
  throw usageProblem(
    `\`${file}\` defines ${names.length} networks: ${list(names)}; choose one with --network`,
  );
}

function list(names: readonly string[]): string {
  return names.map((n) => `\`${n}\``).join(', ');
}

function suggestion(name: string, candidates: readonly string[]): string {
  const close = didYouMean(name, candidates);
  return close === undefined ? '' : ` (did you mean \`${close}\`?)`;
}
