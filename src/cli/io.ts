/** Everything a command touches besides the files it names, so tests can run `main()` in-process. */
export interface CliIO {
  stdout(text: string): void;
  stderr(text: string): void;
  /** Relative paths on the command line are resolved against this, and printed relative to it. */
  readonly cwd: string;
  /** Whether stderr, where text diagnostics go, is a terminal (colors are used only then). */
  readonly isTTY: boolean;
  /** Environment variables (`NO_COLOR`, `FORCE_COLOR`, `NETC_DEBUG`); none when absent. */
  readonly env?: Readonly<Record<string, string | undefined>>;
}

export function processIO(): CliIO {
  return {
    stdout: (text) => void process.stdout.write(text),
    stderr: (text) => void process.stderr.write(text),
    cwd: process.cwd(),
    isTTY: Boolean(process.stderr.isTTY),
    env: process.env,
  };
}

/**
 * Colors follow the usual conventions: `NO_COLOR` (non-empty) turns them off, `FORCE_COLOR`
 * (other than `0`) turns them on, and otherwise they are used on a terminal.
 */
export function useColor(io: CliIO): boolean {
  const env = io.env ?? {};
  if (env['NO_COLOR']) return false;
  if (env['FORCE_COLOR'] !== undefined && env['FORCE_COLOR'] !== '0') return true;
  return io.isTTY;
}
