import * as fs from 'node:fs';
import { Command, CommanderError, Option } from 'commander';
import { checkFormats, runCheck, type CheckFormat } from './check.js';
import { runFmt } from './fmt.js';
import { processIO, type CliIO } from './io.js';
import { runSummary } from './summary.js';

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
    .description('Check, summarize and format .net neural network definitions.')
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

  // Subcommands inherit output and error handling from `program`; only the hint differs.
  for (const command of program.commands) {
    command.showHelpAfterError(`(run \`netc ${command.name()} --help\` for usage)`);
  }
  return program;
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
