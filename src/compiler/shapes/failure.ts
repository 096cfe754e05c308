import type { DiagnosticCode } from '../diagnostics/codes.js';
import type { OpError } from './opSpec.js';

/** The failing half of `AttrsResult` and `InferResult`, assignable to both. */
export interface Failure {
  readonly ok: false;
  readonly error: OpError;
}

export function fail(
  code: DiagnosticCode,
  message: string,
  options: { readonly help?: string; readonly arg?: string } = {},
): Failure {
  const error: OpError = { code, message };
  return {
    ok: false,
    error: {
      ...error,
      ...(options.help === undefined ? {} : { help: options.help }),
      ...(options.arg === undefined ? {} : { arg: options.arg }),
    },
  };
}
