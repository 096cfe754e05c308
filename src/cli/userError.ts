import { DataError } from '../runtime/data/dataset.js';
import { RuntimeError } from '../runtime/backend.js';
import { BackendUnavailableError } from '../runtime/createBackend.js';
import { WeightsFormatError } from '../runtime/weights/safetensors.js';
import type { CliIO } from './io.js';

/*
 * Problems the user can fix (a bad data file, weights of another network, no WebGPU) end a
 * command with one `error:` line and exit code 1, or 2 for a wrong command line. Anything
 * else that is thrown is a bug in netc and reaches `main`'s internal-error report.
 */

export class CliError extends Error {
  override readonly name = 'CliError';

  constructor(
    message: string,
    readonly options: {
      /** Printed before `error:` (`model.net: error: ...`) when the problem is in that file. */
      readonly file?: string;
      /** 1 for problems with the inputs, 2 for a wrong command line. */
      readonly exitCode?: 1 | 2;
    } = {},
  ) {
    super(message);
  }
}

/** A wrong command line: the same exit code as commander's own usage errors. */
export function usageProblem(message: string): CliError {
  return new CliError(message, { exitCode: 2 });
}

/**
 * Runs a command, turning the runtime's user-facing errors into an `error:` line. The
 * runtime's messages already name the file and place, so they are printed as they are.
 */
export async function reportingUserErrors(
  io: CliIO,
  command: () => Promise<number>,
): Promise<number> {
  try {
    return await command();
  } catch (error) {
    if (error instanceof CliError) {
      const prefix = error.options.file === undefined ? '' : `${error.options.file}: `;
      io.stderr(`${prefix}error: ${error.message}\n`);
      return error.options.exitCode ?? 1;
    }
    if (isRuntimeUserError(error)) {
      io.stderr(`error: ${error.message}\n`);
      return 1;
    }
    throw error;
  }
}

function isRuntimeUserError(error: unknown): error is Error {
  return (
    error instanceof DataError ||
    error instanceof RuntimeError ||
    error instanceof WeightsFormatError ||
    error instanceof BackendUnavailableError
  );
}

/** An `fs` error as a short phrase (`no such file`), not Node's `ENOENT: ...` text. */
export function describeFsError(error: unknown): string {
  switch ((error as { code?: unknown } | null)?.code) {
    case 'ENOENT':
      return 'no such file or directory';
    case 'EISDIR':
      return 'it is a directory';
    case 'ENOTDIR':
      return 'a part of the path is not a directory';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'ENOSPC':
      return 'no space left on the device';
    default:
      return error instanceof Error ? error.message : String(error);
  }
}
