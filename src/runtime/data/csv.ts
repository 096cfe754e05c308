import { DataError } from './dataset.js';

/*
 * `csv(file, label=)`: a header row of column names, then one row of numbers per sample,
 * separated by commas. Blank lines are skipped; cells may be padded with spaces or wrapped
 * in double quotes. Every number must be finite. Messages count lines from 1 (the header
 * is line 1) and columns from 1, as editors do.
 */

export interface CsvTable {
  readonly columns: readonly string[];
  readonly rows: number;
  /** Row-major: `values[row * columns.length + column]`. */
  readonly values: Float64Array;
  /** The line of the file each row came from (1-based). */
  readonly lines: Uint32Array;
}

/** A decimal number as CSV writers print it: `3`, `-0.5`, `.5`, `1e-3`, `+2.`. */
const numberPattern = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
const nonFinitePattern = /^[+-]?(?:nan|inf|infinity)$/i;

/** Parses the text of a CSV file; `name` is how messages refer to the file. */
export function parseCsv(text: string, name: string): CsvTable {
  const lines = text.split(/\r\n|\r|\n/);
  const headerLine = lines.findIndex((line) => line.trim() !== '');
  if (headerLine < 0) {
    throw new DataError(`${name} is empty: expected a header row and rows of numbers`);
  }
  const columns = splitCells(lines[headerLine]!);
  checkHeader(columns, headerLine + 1, name);
  const values: number[] = [];
  const rowLines: number[] = [];
  for (let i = headerLine + 1; i < lines.length; i++) {
    const line = lines[i]!;
    if (line.trim() === '') continue;
    const cells = splitCells(line);
    if (cells.length !== columns.length) {
      throw new DataError(
        `${name}, line ${i + 1}: the row has ${cells.length} ${cells.length === 1 ? 'cell' : 'cells'}, but the header has ${columns.length} columns`,
      );
    }
    cells.forEach((cell, c) => values.push(parseCell(cell, i + 1, c, columns[c]!, name)));
    rowLines.push(i + 1);
  }
  const rows = rowLines.length;
  if (rows === 0) {
    throw new DataError(`${name} has a header row but no rows of data`);
  }
  return { columns, rows, values: Float64Array.from(values), lines: Uint32Array.from(rowLines) };
}

function splitCells(line: string): string[] {
  return line.split(',').map((cell) => {
    const trimmed = cell.trim();
    return trimmed.length >= 2 && trimmed.startsWith('"') && trimmed.endsWith('"')
      ? trimmed.slice(1, -1).trim()
      : trimmed;
  });
}

function checkHeader(columns: readonly string[], line: number, name: string): void {
  if (columns.every((column) => numberPattern.test(column))) {
    throw new DataError(
      `${name}, line ${line}: the first row should name the columns, but it holds only numbers`,
    );
  }
  const seen = new Set<string>();
  columns.forEach((column, c) => {
    if (column === '') {
      throw new DataError(`${name}, line ${line}: column ${c + 1} of the header has no name`);
    }
    if (seen.has(column)) {
      throw new DataError(`${name}, line ${line}: the header names column \`${column}\` twice`);
    }
    seen.add(column);
  });
}

function parseCell(cell: string, line: number, c: number, column: string, name: string): number {
  const where = `${name}, line ${line}, column ${c + 1} (\`${column}\`)`;
  if (cell === '') throw new DataError(`${where} is empty: every cell must hold a number`);
  if (nonFinitePattern.test(cell)) {
    throw new DataError(`${where}: \`${cell}\` is not a finite number`);
  }
  if (!numberPattern.test(cell)) {
    throw new DataError(`${where}: \`${cell}\` is not a number`);
  }
  const value = Number(cell);
  if (!Number.isFinite(value)) {
    throw new DataError(`${where}: \`${cell}\` is too large for a finite number`);
  }
  return value;
}

/** The columns of a table as features (every column but `label`, in order) and the label. */
export function splitLabel(
  table: CsvTable,
  label: string,
  name: string,
): {
  readonly features: Float32Array;
  readonly featureColumns: readonly string[];
  readonly labels: Float32Array;
} {
  const labelIndex = table.columns.indexOf(label);
  if (labelIndex < 0) {
    throw new DataError(
      `${name} has no label column \`${label}\`; its columns are ${table.columns.map((c) => `\`${c}\``).join(', ')}`,
    );
  }
  const width = table.columns.length;
  if (width === 1) {
    throw new DataError(`${name} has only the label column \`${label}\`: no feature columns`);
  }
  const features = new Float32Array(table.rows * (width - 1));
  const labels = new Float32Array(table.rows);
  let f = 0;
  for (let r = 0; r < table.rows; r++) {
    for (let c = 0; c < width; c++) {
      const value = table.values[r * width + c]!;
      if (c === labelIndex) labels[r] = value;
      else features[f++] = value;
    }
  }
  return { features, featureColumns: table.columns.filter((c) => c !== label), labels };
}

/**
 * A test table with the training table's columns (in any order), reordered to match them.
 */
export function alignColumns(
  test: CsvTable,
  train: CsvTable,
  testName: string,
  trainName: string,
): CsvTable {
  const missing = train.columns.filter((c) => !test.columns.includes(c));
  if (missing.length) {
    throw new DataError(
      `${testName} lacks the ${missing.length === 1 ? 'column' : 'columns'} ${missing.map((c) => `\`${c}\``).join(', ')} of ${trainName}`,
    );
  }
  const extra = test.columns.filter((c) => !train.columns.includes(c));
  if (extra.length) {
    throw new DataError(
      `${testName} has ${extra.length === 1 ? 'a column' : 'columns'} ${extra.map((c) => `\`${c}\``).join(', ')} that ${trainName} does not have`,
    );
  }
  const from = train.columns.map((c) => test.columns.indexOf(c));
  const width = from.length;
  const values = new Float64Array(test.rows * width);
  for (let r = 0; r < test.rows; r++) {
    for (let c = 0; c < width; c++) values[r * width + c] = test.values[r * width + from[c]!]!;
  }
  return { columns: train.columns, rows: test.rows, values, lines: test.lines };
}
