import { syntaxCodes } from './codes/syntax.js';
import { nameCodes } from './codes/names.js';
import { shapeCodes } from './codes/shapes.js';
import { trainCodes } from './codes/train.js';
import { resourceCodes } from './codes/resources.js';
import { deviceCodes } from './codes/device.js';

/** What the catalogue says about one code; `docs/errors.md` documents each in prose. */
export interface CodeInfo {
  /** A short lowercase title, e.g. "unexpected token". */
  readonly title: string;
}

/**
 * The catalogue of stable diagnostic codes, grouped by phase:
 * 1xxx syntax, 2xxx names and types, 3xxx shapes, 4xxx training configuration, 5xxx resources
 * (501x: the GPU at run time).
 * Codes are never renumbered or reused.
 */
export const diagnosticCodes = {
  ...syntaxCodes,
  ...nameCodes,
  ...shapeCodes,
  ...trainCodes,
  ...resourceCodes,
  ...deviceCodes,
} as const;

export type DiagnosticCode = keyof typeof diagnosticCodes;
