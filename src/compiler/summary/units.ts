/** Number formatting for summaries; independent of the user's locale so output is stable. */

/** `138357544` → `138,357,544`. */
export function withThousands(value: number): string {
  const [whole = '', fraction] = String(value).split('.');
  const sign = whole.startsWith('-') ? '-' : '';
  const digits = sign ? whole.slice(1) : whole;
  const grouped = digits.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return sign + grouped + (fraction === undefined ? '' : '.' + fraction);
}

const binaryUnits = ['KiB', 'MiB', 'GiB', 'TiB', 'PiB'];

/** `553430176` → `527.8 MiB`; below 1 KiB in bytes (`12 B`). */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < binaryUnits.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value.toFixed(1)} ${binaryUnits[unit]}`;
}

const decimalUnits: readonly [number, string][] = [
  [1e12, 'T'],
  [1e9, 'G'],
  [1e6, 'M'],
  [1e3, 'K'],
];

/** `15470264320` → `15.47 G`; below a thousand the plain number. */
export function formatShortCount(value: number): string {
  for (const [scale, unit] of decimalUnits) {
    if (value >= scale) return `${(value / scale).toFixed(2)} ${unit}`;
  }
  return String(value);
}
