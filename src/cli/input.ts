import * as fs from 'node:fs';
import * as path from 'node:path';
import { compileFile, type CompiledFile } from '../compiler/api.js';
import type { CliIO } from './io.js';
import { countErrors, reportText } from './report.js';
import { CliError, describeFsError, usageProblem } from './userError.js';

/*
 * The files named on a command line. A path that does not exist is a usage error (exit
 * code 2), as for `check` and `summary`; one that exists but cannot be read is an error
 * with the reason.
 */

/** The absolute path of a file argument, which must exist and not be a directory. */
export function existingFile(arg: string, io: CliIO, command: string): string {
  const absolute = path.resolve(io.cwd, arg);
  if (!fs.existsSync(absolute)) throw usageProblem(`cannot find \`${arg}\``);
  if (fs.statSync(absolute).isDirectory()) {
    throw usageProblem(`\`${arg}\` is a directory; \`netc ${command}\` takes a file`);
  }
  return absolute;
}

/** The bytes of a file argument (weights, inputs, a checkpoint). */
export function readFileArgument(arg: string, io: CliIO, command: string): Uint8Array {
  const absolute = existingFile(arg, io, command);
  try {
    return fs.readFileSync(absolute);
  } catch (error) {
    throw new CliError(`cannot read \`${arg}\`: ${describeFsError(error)}`);
  }
}

/**
 * Compiles the `.net` file of a command. Its diagnostics are printed as `netc check` prints
 * them (warnings too); undefined when there were errors, which the caller turns into exit 1.
 */
export function compileInput(arg: string, io: CliIO, command: string): CompiledFile | undefined {
  const compiled = compileFile(existingFile(arg, io, command));
  reportText(compiled.diagnostics, compiled.analysis.sources, 1, io);
  return countErrors(compiled.diagnostics) > 0 ? undefined : compiled;
}
