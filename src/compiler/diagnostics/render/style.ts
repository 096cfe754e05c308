import type { Severity } from '../diagnostic.js';

/** The few text styles the text renderer uses; each is the identity when color is off. */
export interface Palette {
  readonly bold: (text: string) => string;
  readonly gutter: (text: string) => string;
  readonly severity: (severity: Severity, text: string) => string;
  readonly secondary: (text: string) => string;
  readonly help: (text: string) => string;
}

const sgr =
  (...codes: number[]) =>
  (text: string): string =>
    text === '' ? '' : `\u001b[${codes.join(';')}m${text}\u001b[0m`;

const severityColors: Readonly<Record<Severity, (text: string) => string>> = {
  error: sgr(1, 31),
  warning: sgr(1, 33),
  note: sgr(1, 36),
};

const identity = (text: string): string => text;

export const plainPalette: Palette = {
  bold: identity,
  gutter: identity,
  severity: (_severity, text) => text,
  secondary: identity,
  help: identity,
};

export const ansiPalette: Palette = {
  bold: sgr(1),
  gutter: sgr(34),
  severity: (severity, text) => severityColors[severity](text),
  secondary: sgr(34),
  help: sgr(1, 36),
};

/**
 * Replaces control characters (except tab and newline) with U+FFFD so that hostile source or
 * names copied from it cannot send escape sequences to the user's terminal.
 */
export function sanitize(text: string): string {
  return text.replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g, '\ufffd');
}
