import type { SourceFile, Span } from '../../source.js';
import { omittedCallSitesText, type Diagnostic } from '../diagnostic.js';
import { frameLine, gutterWidth, renderFrame, type FrameSpan } from './frame.js';
import { locationText } from './location.js';
import { ansiPalette, plainPalette, sanitize, type Palette } from './style.js';

export interface TextRenderOptions {
  /** ANSI colors; off unless asked for. */
  readonly color?: boolean;
  /** Paths inside this directory are printed relative to it. */
  readonly cwd?: string;
}

/**
 * Diagnostics as people read them (LANGUAGE §7), separated by blank lines:
 *
 * ```
 * lenet.net:9:5 error NETC3001: `dense` expects a vector, got [16, 5, 5]
 *    9 |     dense(120) -> relu
 *      |     ^^^^^^^^^^
 *   help: insert `flatten` before it
 * ```
 * Then each label as a frame underlined with `-`, the notes, a frame per block call site
 * (innermost first; a note stands for those left out before the outermost) and `help:` last. Returns '' for no diagnostics; a count line is the
 * caller's business.
 */
export function renderText(
  diagnostics: readonly Diagnostic[],
  sources: ReadonlyMap<string, SourceFile>,
  options: TextRenderOptions = {},
): string {
  const palette = options.color ? ansiPalette : plainPalette;
  return diagnostics
    .map((d) => renderOne(d, sources, options.cwd, palette).join('\n') + '\n')
    .join('\n');
}

/** A frame to draw, with the heading line that introduces it, if any. */
interface Part {
  readonly heading?: string;
  readonly frame?: FrameSpan;
}

function renderOne(
  d: Diagnostic,
  sources: ReadonlyMap<string, SourceFile>,
  cwd: string | undefined,
  palette: Palette,
): string[] {
  const where = (span: Span) => locationText(span, sources, cwd);
  /** Frames outside the primary span's file say where they are. */
  const elsewhere = (span: Span) => (span.file === d.span.file ? '' : where(span));
  const severityPaint = (text: string) => palette.severity(d.severity, text);

  const parts: Part[] = [{ frame: { span: d.span, marker: '^', paint: severityPaint } }];
  for (const label of d.labels ?? []) {
    if (!sources.has(label.span.file)) {
      parts.push({ heading: note(palette, `${label.message} (at ${where(label.span)})`) });
      continue;
    }
    const location = elsewhere(label.span);
    parts.push({
      ...(location ? { heading: note(palette, `at ${location}`) } : {}),
      frame: { span: label.span, marker: '-', label: label.message, paint: palette.secondary },
    });
  }
  for (const text of d.notes ?? []) parts.push({ heading: note(palette, text) });
  const callSites = d.callSites ?? [];
  for (const [i, site] of callSites.entries()) {
    if (d.omittedCallSites && i === callSites.length - 1) {
      parts.push({ heading: note(palette, omittedCallSitesText(d.omittedCallSites)) });
    }
    const location = elsewhere(site);
    const text = 'in the block instance called here' + (location ? `, at ${location}` : '');
    parts.push({
      heading: note(palette, text),
      frame: { span: site, marker: '-', paint: palette.secondary },
    });
  }
  if (d.help !== undefined)
    parts.push({ heading: `  ${palette.help('help:')} ${sanitize(d.help)}` });

  const shownLines = parts.flatMap((part) => {
    const source = part.frame && sources.get(part.frame.span.file);
    return source && part.frame ? [frameLine(source, part.frame.span)] : [];
  });
  const width = gutterWidth(shownLines);
  const header =
    `${palette.bold(where(d.span))} ${palette.severity(d.severity, d.severity)} ` +
    palette.bold(`${d.code}: ${sanitize(d.message)}`);

  const lines = [header];
  for (const part of parts) {
    if (part.heading !== undefined) lines.push(part.heading);
    const source = part.frame && sources.get(part.frame.span.file);
    if (source && part.frame) lines.push(...renderFrame(source, part.frame, width, palette));
  }
  return lines;
}

function note(palette: Palette, text: string): string {
  return `  ${palette.bold('note:')} ${sanitize(text)}`;
}
