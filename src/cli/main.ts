import * as fs from 'node:fs';
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import type { BackendChoice } from '../runtime/createBackend.js';
import { backendChoices } from './backendOption.js';
import { runBuild, type BuildCommandOptions } from './build.js';
import { checkFormats, runCheck, type CheckFormat } from './check.js';
import { runEval, type EvalOptions } from './eval.js';
import { runFmt } from './fmt.js';
import { processIO, type CliIO } from './io.js';
import { runInference, type RunOptions } from './run.js';
import { runSummary } from './summary.js';
import { runTrain, type TrainCommandOptions } from './train.js';

export type { CliIO } from './io.js';

/** Exit codes: no errors (warnings allowed), errors found, wrong usage or a netc bug. */
export const exitCodes = { ok: 0, errors: 1, usage: 2 } as const;

/**
 * The `netc` command line. Never calls `process.exit`: returns the exit code, so tests can
 * run it in-process with a fake `io`.
 */
export async function main(argv: readonly string[], io: CliIO = processIO()): Promise<number> {
  let code: number = exitCodes.ok;
  const program = buildProgram(io, (result) => {
    code = result;
  });
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return code;
  } catch (error) {
    if (error instanceof CommanderError) {
      return error.exitCode === 0 ? exitCodes.ok : exitCodes.usage;
    }
    reportInternalError(error, io);
    return exitCodes.usage;
  }
}

function buildProgram(io: CliIO, setExitCode: (code: number) => void): Command {
  const program = new Command('netc')
    .description(
      'Check, summarize and format .net neural network definitions; train, evaluate, run and build them.',
    )
    .version(packageVersion(), '-v, --version', 'print the version of netc')
    .helpOption('-h, --help', 'show help')
    .helpCommand('help [command]', 'show help for a command')
    .showHelpAfterError('(run `netc --help` for usage)')
    .exitOverride()
    .configureOutput({
      writeOut: (text) => io.stdout(text),
      writeErr: (text) => io.stderr(text),
      getOutHelpWidth: () => 80,
      getErrHelpWidth: () => 80,
      getOutHasColors: () => false,
      getErrHasColors: () => false,
    });

  program
    .command('check')
    .description('check .net files (directories: every .net file below) and print diagnostics')
    .argument('<files...>', 'files or directories to check')
    .addOption(
      new Option('-f, --format <format>', 'output format')
        .choices(checkFormats)
        .default('text' satisfies CheckFormat),
    )
    .action((files: string[], options: { format: CheckFormat }) => {
      setExitCode(runCheck(files, { format: options.format, version: packageVersion() }, io));
    });

  program
    .command('summary')
    .description('print layers, output shapes, parameters and multiply-adds of each network')
    .argument('<file>', 'the .net file')
    .option('-n, --network <name>', 'summarize only this network')
    .option('--json', 'print JSON instead of tables', false)
    .action((file: string, options: { network?: string; json: boolean }) => {
      setExitCode(runSummary(file, options, io));
    });

  program
    .command('fmt')
    .description('format .net files in place (directories: every .net file below)')
    .argument('<files...>', 'files or directories to format')
    .option('--check', 'only list files that are not formatted; exit code 1 if any', false)
    .action(async (files: string[], options: { check: boolean }) => {
      setExitCode(await runFmt(files, options, io));
    });

  program
    .command('train')
    .description('train a network of a .net file and save its weights, checkpoint and metrics')
    .argument('<file>', 'the .net file')
    .option('-n, --network <name>', "the network to train (or the train section's name)")
    .option('--epochs <count>', "train this many epochs instead of the section's", positiveInt)
    .option('--batch <size>', "samples per step instead of the section's", positiveInt)
    .addOption(backendOption())
    .option('-o, --out <dir>', 'where to write the results (default: runs/<name>)')
    .option('--resume <checkpoint>', 'continue from a checkpoint of the same network')
    .option('--json', 'print only the result as JSON on stdout', false)
    .action(async (file: string, options: TrainCommandOptions) => {
      setExitCode(await runTrain(file, options, io));
    });

  program
    .command('eval')
    .description('evaluate trained weights on the test set of a train section')
    .argument('<file>', 'the .net file')
    .requiredOption('-w, --weights <file>', 'the weights (.safetensors) to evaluate')
    .option('-n, --network <name>', "the network to evaluate (or the train section's name)")
    .addOption(backendOption())
    .option('--json', 'print JSON instead of text', false)
    .action(async (file: string, options: EvalOptions) => {
      setExitCode(await runEval(file, options, io));
    });

  program
    .command('run')
    .description('run a network on input tensors and write its outputs (.safetensors files)')
    .argument('<file>', 'the .net file')
    .requiredOption('-w, --weights <file>', 'the weights (.safetensors) to run with')
    .requiredOption('-i, --input <file>', "input tensors named like the network's inputs")
    .requiredOption('-o, --output <file>', 'where to write the outputs')
    .option('-n, --network <name>', 'the network to run')
    .addOption(backendOption())
    .action(async (file: string, options: RunOptions) => {
      setExitCode(await runInference(file, options, io));
    });

  program
    .command('build')
    .description(
      'compile a .net file to TypeScript modules (one per network, importing only netc/runtime) and their WGSL',
    )
    .argument('<file>', 'the .net file')
    .option(
      '-o, --out <dir>',
      'where to write `<network>.ts` and `<network>.wgsl` (default: build)',
    )
    .option('--no-fuse', 'skip the optimization passes: embed the programs as lowered')
    .option(
      '--dump-ir <stage>',
      'print the programs to stdout: `after:lower`, `after:<pass>` or `all` (after every pass)',
    )
    .action(async (file: string, options: BuildCommandOptions) => {
      setExitCode(await runBuild(file, options, io));
    });

  // Subcommands inherit output and error handling from `program`; only the hint differs.
  for (const command of program.commands) {
    command.showHelpAfterError(`(run \`netc ${command.name()} --help\` for usage)`);
  }
  return program;
}

function backendOption(): Option {
  return new Option('--backend <backend>', 'where to compute')
    .choices(backendChoices)
    .default('auto' satisfies BackendChoice);
}

/** Counts on the command line (`--epochs 5`); anything else is a usage error. */
function positiveInt(value: string): number {
  if (!/^[1-9][0-9]*$/.test(value) || !Number.isSafeInteger(Number(value))) {
    throw new InvalidArgumentError('expected a whole number of at least 1.');
  }
  return Number(value);
}

/** A throw out of the compiler or a command is a bug in netc, never the user's fault. */
function reportInternalError(error: unknown, io: CliIO): void {
  const message = error instanceof Error ? error.message : String(error);
  io.stderr(`internal compiler error: ${message.replace(/^internal compiler error: /, '')}\n`);
  io.stderr(
    'this is a bug in netc; please report it with the input that caused it ' +
      '(set NETC_DEBUG=1 to include the stack trace)\n',
  );
  if (io.env?.['NETC_DEBUG'] === '1' && error instanceof Error && error.stack) {
    io.stderr(error.stack + '\n');
  }
}

let cachedVersion: string | undefined;

/** package.json sits two levels up from both `src/cli/` and `dist/cli/`. */
function packageVersion(): string {
  if (cachedVersion === undefined) {
    const text = fs.readFileSync(new URL('../../package.json', import.meta.url), 'utf8');
    cachedVersion = String((JSON.parse(text) as { version?: unknown }).version ?? '0.0.0');
  }
  return cachedVersion;
}
