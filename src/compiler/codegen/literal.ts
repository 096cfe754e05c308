/*
 * Plain data (objects, arrays, strings, numbers, booleans, null, undefined) as a TypeScript
 * expression laid out exactly as prettier (printWidth 100, single quotes, trailing commas)
 * lays it out, so that generated modules are already formatted without depending on
 * prettier at run time. The rules followed are prettier's:
 *
 * - a container goes on one line when it fits, counting what follows it up to the next
 *   possible line break (the `,` after an element or property, the `;` of a statement);
 *   otherwise every element goes on a line of its own, with a trailing comma;
 * - an array of two or more objects of two or more properties each (or of arrays of two or
 *   more elements each) always breaks;
 * - an array of two or more numbers that breaks is filled: as many numbers per line as fit;
 * - strings take single quotes unless they hold more single than double quotes;
 * - numbers are printed as prettier normalizes them (`1e21`, not `1e+21`).
 *
 * A `LiteralRef` in the data prints as the name of a constant declared elsewhere.
 *
 * test/codegen/literal.test.ts checks these against prettier itself on random data.
 */

/** Stands for a declared constant: printed as its name. */
export class LiteralRef {
  constructor(readonly name: string) {}
}

export interface LiteralLayout {
  /** Maximum line length. */
  readonly width: number;
  /** Columns of indentation per level. */
  readonly indentWidth: number;
}

export const prettierLayout: LiteralLayout = { width: 100, indentWidth: 2 };

/**
 * `value` as an expression starting at `column` of a line indented by `indent`, followed on
 * its line by `trailing` more characters (`;` or `,`).
 */
export function printLiteral(
  value: unknown,
  place: { readonly indent: number; readonly column: number; readonly trailing: number },
  layout: LiteralLayout = prettierLayout,
): string {
  return new LiteralPrinter(layout).print(value, place.indent, place.column, place.trailing);
}

class LiteralPrinter {
  /** One-line forms by value; undefined when the value can never be on one line. */
  private readonly flatCache = new Map<object, string | undefined>();

  constructor(private readonly layout: LiteralLayout) {}

  print(value: unknown, indent: number, column: number, trailing: number): string {
    if (!isContainer(value)) return scalar(value);
    const flat = this.flat(value);
    if (flat !== undefined && column + flat.length + trailing <= this.layout.width) return flat;
    const inner = indent + this.layout.indentWidth;
    const pad = ' '.repeat(inner);
    if (Array.isArray(value)) {
      if (isNumberRun(value)) return this.fill(value as number[], indent);
      const lines = value.map((element) => pad + this.print(element, inner, inner, 1) + ',');
      return `[\n${lines.join('\n')}\n${' '.repeat(indent)}]`;
    }
    const lines = entries(value).map(([key, element]) => {
      const head = `${pad}${propertyKey(key)}: `;
      return head + this.print(element, inner, head.length, 1) + ',';
    });
    return `{\n${lines.join('\n')}\n${' '.repeat(indent)}}`;
  }

  /** Numbers packed into lines, each number followed by its comma. */
  private fill(numbers: readonly number[], indent: number): string {
    const inner = indent + this.layout.indentWidth;
    const items = numbers.map((n) => scalar(n) + ',');
    let text = ' '.repeat(inner);
    let column = inner;
    items.forEach((item, i) => {
      text += item;
      column += item.length;
      const next = items[i + 1];
      if (next === undefined) return;
      if (column + 1 + next.length <= this.layout.width) {
        text += ' ';
        column += 1;
      } else {
        text += '\n' + ' '.repeat(inner);
        column = inner;
      }
    });
    return `[\n${text}\n${' '.repeat(indent)}]`;
  }

  private flat(value: object): string | undefined {
    if (this.flatCache.has(value)) return this.flatCache.get(value);
    const text = this.computeFlat(value);
    this.flatCache.set(value, text);
    return text;
  }

  private computeFlat(value: object): string | undefined {
    const part = (element: unknown) =>
      isContainer(element) ? this.flat(element) : scalar(element);
    if (Array.isArray(value)) {
      if (alwaysBreaks(value)) return undefined;
      const parts = value.map(part);
      return parts.includes(undefined) ? undefined : `[${parts.join(', ')}]`;
    }
    const parts: string[] = [];
    for (const [key, element] of entries(value)) {
      const text = part(element);
      if (text === undefined) return undefined;
      parts.push(`${propertyKey(key)}: ${text}`);
    }
    return parts.length === 0 ? '{}' : `{ ${parts.join(', ')} }`;
  }
}

function isContainer(value: unknown): value is object {
  return typeof value === 'object' && value !== null && !(value instanceof LiteralRef);
}

function entries(value: object): [string, unknown][] {
  return Object.entries(value);
}

/** Two or more objects of two or more properties, or arrays of two or more elements. */
function alwaysBreaks(array: readonly unknown[]): boolean {
  if (array.length < 2) return false;
  const allObjects = array.every(
    (e) => isContainer(e) && !Array.isArray(e) && Object.keys(e).length > 1,
  );
  const allArrays = array.every((e) => Array.isArray(e) && e.length > 1);
  return allObjects || allArrays;
}

/** Arrays prettier fills: two or more finite numbers (negative ones included). */
function isNumberRun(array: readonly unknown[]): boolean {
  return array.length > 1 && array.every((e) => typeof e === 'number' && Number.isFinite(e));
}

const identifier = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

function propertyKey(key: string): string {
  return identifier.test(key) ? key : quote(key);
}

function scalar(value: unknown): string {
  switch (typeof value) {
    case 'string':
      return quote(value);
    case 'number':
      return numberText(value);
    case 'boolean':
      return String(value);
    case 'undefined':
      return 'undefined';
    default:
      if (value === null) return 'null';
      if (value instanceof LiteralRef) return value.name;
      throw new Error(`internal error: cannot print a ${typeof value} as a literal`);
  }
}

function numberText(n: number): string {
  if (Number.isNaN(n)) return 'NaN';
  if (n === Infinity) return 'Infinity';
  if (n === -Infinity) return '-Infinity';
  if (Object.is(n, -0)) return '-0';
  return String(n).replace('e+', 'e');
}

/** A string literal with prettier's choice of quotes. */
export function quote(text: string): string {
  const singles = text.split("'").length - 1;
  const doubles = text.split('"').length - 1;
  const json = JSON.stringify(text);
  if (singles > doubles) return json;
  return `'${json.slice(1, -1).replaceAll('\\"', '"').replaceAll("'", "\\'")}'`;
}
