/*
 * `loss.svg`: the training loss per epoch (and the validation loss when there is one) as a
 * small line chart with axes, ticks, labels and a legend. Hand-written SVG, so a browser
 * or an editor's preview shows it and no plotting library is needed.
 */

/** What the chart needs of an epoch report (`EpochReport` and the saved history fit). */
export interface LossPoint {
  readonly epoch: number;
  readonly loss: number;
  readonly validation?: { readonly loss: number } | null | undefined;
}

export interface LossCurveOptions {
  readonly title?: string;
}

const width = 640;
const height = 400;
const margin = { left: 72, right: 24, top: 44, bottom: 56 };
const plot = {
  left: margin.left,
  right: width - margin.right,
  top: margin.top,
  bottom: height - margin.bottom,
};
const colors = { training: '#1f77b4', validation: '#ff7f0e', axis: '#333', grid: '#ddd' };

interface Series {
  readonly label: string;
  readonly color: string;
  readonly dashed: boolean;
  readonly points: readonly (readonly [number, number])[];
}

export function lossCurveSvg(
  history: readonly LossPoint[],
  options: LossCurveOptions = {},
): string {
  const training: Series = {
    label: 'training',
    color: colors.training,
    dashed: false,
    points: finitePoints(history.map((h) => [h.epoch, h.loss])),
  };
  const validation: Series = {
    label: 'validation',
    color: colors.validation,
    dashed: true,
    points: finitePoints(history.map((h) => [h.epoch, h.validation?.loss ?? Number.NaN])),
  };
  const series = [training, validation].filter((s) => s.points.length > 0);
  const all = series.flatMap((s) => s.points);

  const xs = all.map(([x]) => x);
  const [xMin, xMax] = xs.length === 0 ? [0, 1] : widen(Math.min(...xs), Math.max(...xs));
  const xTicks = ticks(xMin, xMax, 8, true);
  // Losses are rarely negative; starting at 0 shows how much of the loss is left.
  const ys = all.map(([, y]) => y);
  const yTicks = ticks(...widen(Math.min(0, ...ys), Math.max(0, ...ys)), 6, false);
  const x = scale(xTicks.at(0)!, xTicks.at(-1)!, plot.left, plot.right);
  const y = scale(yTicks.at(0)!, yTicks.at(-1)!, plot.bottom, plot.top);

  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="12">`,
    `<rect width="${width}" height="${height}" fill="white"/>`,
    `<text x="${width / 2}" y="24" text-anchor="middle" font-size="15">${escapeXml(options.title ?? 'loss per epoch')}</text>`,
    ...yTicks.map((t) => yTick(t, y(t), yTicks)),
    ...xTicks.map((t) => xTick(t, x(t))),
    `<g stroke="${colors.axis}" stroke-width="1">`,
    `<line x1="${plot.left}" y1="${plot.bottom}" x2="${plot.right}" y2="${plot.bottom}"/>`,
    `<line x1="${plot.left}" y1="${plot.top}" x2="${plot.left}" y2="${plot.bottom}"/>`,
    `</g>`,
    `<text x="${(plot.left + plot.right) / 2}" y="${height - 16}" text-anchor="middle">epoch</text>`,
    `<text x="20" y="${(plot.top + plot.bottom) / 2}" text-anchor="middle" transform="rotate(-90 20 ${(plot.top + plot.bottom) / 2})">loss</text>`,
    ...series.map((s) => line(s, x, y)),
    ...(series.length === 0 ? [noData()] : legend(series)),
    '</svg>',
    '',
  ];
  return parts.join('\n');
}

function finitePoints(points: readonly (readonly [number, number])[]): [number, number][] {
  return points.filter(([a, b]) => Number.isFinite(a) && Number.isFinite(b)) as [number, number][];
}

/** A range that is not empty, so a single epoch or a constant loss still gets an axis. */
function widen(min: number, max: number): [number, number] {
  return min === max ? [min - 1, max + 1] : [min, max];
}

/**
 * Evenly spaced round numbers (steps of 1, 2 or 5 times a power of ten) that cover
 * [min, max] with at most about `count` intervals; whole numbers only for epochs.
 */
export function ticks(min: number, max: number, count: number, integer: boolean): number[] {
  const raw = (max - min) / count;
  const power = 10 ** Math.floor(Math.log10(raw));
  let step = [1, 2, 5, 10].map((m) => m * power).find((s) => s >= raw)!;
  if (integer) step = Math.max(1, Math.round(step));
  const first = Math.floor(min / step + 1e-9);
  const last = Math.ceil(max / step - 1e-9);
  const out: number[] = [];
  // Multiplying (not adding) keeps 0.1 * 3 from drifting to 0.30000000000000004 labels.
  for (let i = first; i <= last; i++) out.push(Number((i * step).toPrecision(12)));
  return out;
}

function scale(d0: number, d1: number, r0: number, r1: number): (v: number) => number {
  return (v) => r0 + ((v - d0) / (d1 - d0)) * (r1 - r0);
}

function yTick(value: number, at: number, all: readonly number[]): string {
  const step = all.length > 1 ? all[1]! - all[0]! : 1;
  const decimals = Math.max(0, -Math.floor(Math.log10(step) + 1e-9));
  return [
    `<line x1="${plot.left}" y1="${fixed(at)}" x2="${plot.right}" y2="${fixed(at)}" stroke="${colors.grid}"/>`,
    `<text x="${plot.left - 8}" y="${fixed(at + 4)}" text-anchor="end">${value.toFixed(Math.min(decimals, 10))}</text>`,
  ].join('\n');
}

function xTick(value: number, at: number): string {
  return [
    `<line x1="${fixed(at)}" y1="${plot.bottom}" x2="${fixed(at)}" y2="${plot.bottom + 5}" stroke="${colors.axis}"/>`,
    `<text x="${fixed(at)}" y="${plot.bottom + 20}" text-anchor="middle">${value}</text>`,
  ].join('\n');
}

function line(series: Series, x: (v: number) => number, y: (v: number) => number): string {
  const points = series.points.map(([a, b]) => `${fixed(x(a))},${fixed(y(b))}`);
  const dash = series.dashed ? ' stroke-dasharray="6 4"' : '';
  const out = [
    `<polyline fill="none" stroke="${series.color}" stroke-width="2"${dash} points="${points.join(' ')}"/>`,
  ];
  // A polyline of one point draws nothing; mark it.
  if (series.points.length === 1) {
    const [a, b] = series.points[0]!;
    out.push(`<circle cx="${fixed(x(a))}" cy="${fixed(y(b))}" r="3" fill="${series.color}"/>`);
  }
  return out.join('\n');
}

function legend(series: readonly Series[]): string[] {
  const left = plot.right - 120;
  return series.map((s, i) => {
    const top = plot.top + 12 + i * 18;
    const dash = s.dashed ? ' stroke-dasharray="6 4"' : '';
    return [
      `<line x1="${left}" y1="${top}" x2="${left + 24}" y2="${top}" stroke="${s.color}" stroke-width="2"${dash}/>`,
      `<text x="${left + 30}" y="${top + 4}">${s.label}</text>`,
    ].join('\n');
  });
}

function noData(): string {
  const cx = (plot.left + plot.right) / 2;
  const cy = (plot.top + plot.bottom) / 2;
  return `<text x="${cx}" y="${cy}" text-anchor="middle" fill="${colors.axis}">no epochs trained</text>`;
}

function fixed(value: number): string {
  return Number(value.toFixed(1)).toString();
}

function escapeXml(text: string): string {
  return text.replace(/[<>&"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
