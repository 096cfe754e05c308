import * as fs from 'node:fs';
import * as path from 'node:path';
import { buildNetwork, type BuiltNetwork } from '../compiler/codegen/build.js';
import { dumpIr, parseIrDump, type IrDumpSpec } from '../compiler/codegen/irDump.js';
import { compileInput, existingFile } from './input.js';
import type { CliIO } from './io.js';
import { CliError, describeFsError, reportingUserErrors, usageProblem } from './userError.js';

export interface BuildCommandOptions {
  /** The output directory; `build` (in the current directory) by default. */
  readonly out?: string;
  /** False with `--no-fuse`: the modules embed the programs as lowered. */
  readonly fuse: boolean;
  /** `all` or `after:NAME`. */
  readonly dumpIr?: string;
}

/** Where `netc build` writes when not told. */
export const defaultBuildDirectory = 'build';

/**
 * `netc build <file>`: compiles the file and writes, for every network in it, a TypeScript
 * module `<network>.ts` that imports only `netc/runtime` and embeds the model, and the WGSL
 * of its training step (or inference) `<network>.wgsl`. `--dump-ir` prints programs to
 * stdout along the way. Exit code 0, 1 for errors in the file, 2 for a wrong command line.
 */
export function runBuild(file: string, options: BuildCommandOptions, io: CliIO): Promise<number> {
  return reportingUserErrors(io, async () => build(file, options, io));
}

function build(file: string, options: BuildCommandOptions, io: CliIO): number {
  const dump = options.dumpIr === undefined ? undefined : dumpSpec(options.dumpIr, options.fuse);
  const absolute = existingFile(file, io, 'build');
  const compiled = compileInput(file, io, 'build');
  if (!compiled) return 1;
  const names = Object.keys(compiled.networks);
  if (names.length === 0) throw new CliError(`\`${file}\` defines no networks`);
  checkFileNames(names, file);

  const built: BuiltNetwork[] = [];
  const dumps: string[] = [];
  for (const name of names) {
    built.push(buildNetwork(compiled.analysis, name, absolute, { fuse: options.fuse }));
    if (dump) dumps.push(dumpIr(compiled.analysis, name, dump, options.fuse));
  }
  if (dump) io.stdout(dumps.join('\n'));

  const outArg = options.out ?? defaultBuildDirectory;
  const written: string[] = [];
  const write = (name: string, text: string) => {
    const shown = path.join(outArg, name);
    try {
      const target = path.resolve(io.cwd, shown);
      fs.mkdirSync(path.dirname(target), { recursive: true });
      fs.writeFileSync(target, text);
    } catch (error) {
      throw new CliError(`cannot write \`${shown}\`: ${describeFsError(error)}`);
    }
    written.push(shown);
  };
  for (const network of built) {
    write(`${network.network}.ts`, network.module);
    write(`${network.network}.wgsl`, network.wgsl);
  }
  io.stderr(`wrote ${written.join(', ')}\n`);
  return 0;
}

function dumpSpec(text: string, fuse: boolean): IrDumpSpec {
  const spec = parseIrDump(text);
  if ('error' in spec) throw usageProblem(spec.error);
  if (!fuse && spec.kind === 'after' && spec.stage !== 'lower') {
    throw usageProblem(
      `\`--dump-ir=${text}\` shows a pass, and \`--no-fuse\` runs none; use \`--dump-ir=after:lower\``,
    );
  }
  return spec;
}

/** Two networks whose names differ only in case would share a file on some systems. */
function checkFileNames(names: readonly string[], file: string): void {
  const seen = new Map<string, string>();
  for (const name of names) {
    const other = seen.get(name.toLowerCase());
    if (other !== undefined) {
      throw new CliError(
        `\`${file}\` defines \`${other}\` and \`${name}\`, whose files \`${other}.ts\` and \`${name}.ts\` would be the same on a case-insensitive file system; rename one`,
      );
    }
    seen.set(name.toLowerCase(), name);
  }
}
