import { lineColumnAt, lineText, type SourceFile, type Span } from '../../source.js';
import type { Palette } from './style.js';
import { sanitize } from './style.js';

/** Tabs are shown as spaces up to the next multiple of this many columns. */
const tabWidth = 4;
/** Longer source lines are shown as a window around the span, so minified input stays readable. */
const maxLineCells = 120;
const ellipsis = '...';

/** One underlined span: `^` for the primary span, `-` for labels and call sites. */
export interface FrameSpan {
  readonly span: Span;
  readonly marker: '^' | '-';
  /** Printed after the underline. */
  readonly label?: string;
  /** How to color the underline and the label. */
  readonly paint: (text: string) => string;
}

/** The 1-based line a frame for `span` shows (its first line). */
export function frameLine(source: SourceFile, span: Span): number {
  return lineColumnAt(source, span.start).line;
}

/** Width of the line-number column for the given line numbers (at least 3 digits). */
export function gutterWidth(lines: readonly number[]): number {
  return Math.max(3, ...lines.map((line) => String(line).length));
}

/**
 * Two lines: the source line holding the start of the span, and the underline below it.
 *
 * ```
 *    9 |     dense(120) -> relu
 *      |     ^^^^^^^^^^
 * ```
 * A span over several lines is underlined to the end of its first line; an empty span gets
 * one marker. Tabs are expanded the same way in both lines so the markers stay aligned.
 */
export function renderFrame(
  source: SourceFile,
  frame: FrameSpan,
  width: number,
  palette: Palette,
): string[] {
  const start = lineColumnAt(source, frame.span.start);
  const end = lineColumnAt(source, Math.max(frame.span.start, frame.span.end));
  const text = lineText(source, start.line);
  const { cells, columns } = layOut(text);
  const firstUnit = Math.min(start.column - 1, text.length);
  const lastUnit = end.line === start.line ? Math.min(end.column - 1, text.length) : text.length;
  const from = columns[firstUnit]!;
  const to = Math.max(from + 1, columns[lastUnit]!);
  const shown = clip(cells, from, to);

  const number = ' ' + String(start.line).padStart(width);
  const blank = ' '.repeat(number.length);
  const marks = frame.marker.repeat(shown.to - shown.from);
  const underline = frame.paint(marks + (frame.label ? ' ' + sanitize(frame.label) : ''));
  return [
    withText(palette.gutter(number + ' |'), shown.text),
    palette.gutter(blank + ' |') + ' ' + ' '.repeat(shown.from) + underline,
  ];
}

function withText(gutter: string, text: string): string {
  return text === '' ? gutter : `${gutter} ${text}`;
}

/**
 * Splits a line into display cells (one per terminal column) and maps every UTF-16 offset
 * (including the end) to the cell it starts at. Tabs become spaces, surrogate pairs one cell,
 * control characters a replacement character.
 */
function layOut(text: string): { cells: string[]; columns: number[] } {
  const cells: string[] = [];
  const columns: number[] = [];
  for (let i = 0; i < text.length; i++) {
    columns.push(cells.length);
    const code = text.charCodeAt(i);
    if (code === 9) {
      const spaces = tabWidth - (cells.length % tabWidth);
      for (let s = 0; s < spaces; s++) cells.push(' ');
    } else if (code >= 0xd800 && code <= 0xdbff && i + 1 < text.length) {
      cells.push(text.slice(i, i + 2));
      columns.push(cells.length - 1);
      i++;
    } else {
      cells.push(sanitize(text[i]!));
    }
  }
  columns.push(cells.length);
  return { cells, columns };
}

/** The visible part of a long line, with the marked cells [from, to) moved to match. */
function clip(cells: readonly string[], from: number, to: number) {
  if (cells.length <= maxLineCells) return { text: cells.join('').trimEnd(), from, to };
  const windowStart = Math.max(0, Math.min(from - 20, cells.length - maxLineCells));
  const windowEnd = Math.min(cells.length, windowStart + maxLineCells);
  const prefix = windowStart > 0 ? ellipsis : '';
  const suffix = windowEnd < cells.length ? ellipsis : '';
  const text = prefix + cells.slice(windowStart, windowEnd).join('') + suffix;
  const shift = prefix.length - windowStart;
  const clippedTo = Math.max(from + 1, Math.min(to, windowEnd));
  return { text, from: from + shift, to: clippedTo + shift };
}
