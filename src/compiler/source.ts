/** A source file as the compiler sees it. Line/column are computed only when printing. */
export interface SourceFile {
  readonly path: string;
  readonly text: string;
}

/** A half-open character range [start, end) in one file. */
export interface Span {
  readonly file: string;
  readonly start: number;
  readonly end: number;
}

export interface LineColumn {
  /** 1-based */
  readonly line: number;
  /** 1-based, in UTF-16 code units */
  readonly column: number;
}

const lineStartCache = new WeakMap<SourceFile, number[]>();

function lineStarts(source: SourceFile): number[] {
  let starts = lineStartCache.get(source);
  if (!starts) {
    starts = [0];
    const text = source.text;
    for (let i = 0; i < text.length; i++) {
      if (text.charCodeAt(i) === 10) starts.push(i + 1);
    }
    lineStartCache.set(source, starts);
  }
  return starts;
}

export function lineColumnAt(source: SourceFile, offset: number): LineColumn {
  const starts = lineStarts(source);
  const clamped = Math.max(0, Math.min(offset, source.text.length));
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid]! <= clamped) lo = mid;
    else hi = mid - 1;
  }
  return { line: lo + 1, column: clamped - starts[lo]! + 1 };
}

/** The text of 1-based line `line`, without its line terminator. */
export function lineText(source: SourceFile, line: number): string {
  const starts = lineStarts(source);
  const start = starts[line - 1];
  if (start === undefined) return '';
  const next = starts[line];
  const end = next === undefined ? source.text.length : next - 1;
  return source.text.slice(start, end).replace(/\r$/, '');
}

export function lineCount(source: SourceFile): number {
  return lineStarts(source).length;
}

export function spanOf(file: string, start: number, end: number): Span {
  return { file, start, end };
}

/** The smallest span covering both (they must be in the same file). */
export function joinSpans(a: Span, b: Span): Span {
  return { file: a.file, start: Math.min(a.start, b.start), end: Math.max(a.end, b.end) };
}
