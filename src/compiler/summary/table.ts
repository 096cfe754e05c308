import type { NetworkSummary } from '../summary.js';
import { formatBytes, formatShortCount, withThousands } from './units.js';

/** Shapes as they are at run time, with the symbolic batch dimension: `[N, 6, 28, 28]`. */
export function batchedShape(shape: readonly number[]): string {
  return `[${['N', ...shape].join(', ')}]`;
}

interface Column {
  readonly title: string;
  readonly align: 'left' | 'right';
}

const columns: readonly Column[] = [
  { title: 'Layer', align: 'left' },
  { title: 'Op', align: 'left' },
  { title: 'Output shape', align: 'left' },
  { title: 'Params', align: 'right' },
  { title: 'Mult-adds', align: 'right' },
];
const gap = '  ';

/**
 * A Keras-style table of one network: a heading with its doc comment, inputs and outputs,
 * one row per layer, then totals and the memory the parameters take as float32.
 */
export function renderSummaryText(summary: NetworkSummary): string {
  const rows = summary.layers.map((layer) => [
    layer.name,
    layer.op,
    batchedShape(layer.output),
    withThousands(layer.params),
    withThousands(layer.macs),
  ]);
  const widths = columns.map((column, i) =>
    Math.max(column.title.length, ...rows.map((row) => row[i]!.length)),
  );
  const line = (cells: readonly string[]) =>
    cells
      .map((cell, i) =>
        columns[i]!.align === 'left' ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!),
      )
      .join(gap)
      .trimEnd();
  const rule = (char: string) =>
    char.repeat(widths.reduce((sum, w) => sum + w, 0) + gap.length * 4);

  return [
    ...heading(summary),
    '',
    line(columns.map((c) => c.title)),
    rule('-'),
    ...rows.map(line),
    rule('='),
    ...totals(summary),
  ]
    .map((text) => text + '\n')
    .join('');
}

function heading(summary: NetworkSummary): string[] {
  const shapes = (values: Readonly<Record<string, readonly number[]>>) =>
    Object.entries(values)
      .map(([name, shape]) => `${name} ${batchedShape(shape)}`)
      .join(', ');
  const doc = (summary.doc ?? '').trim();
  return [
    `Network ${summary.name}`,
    ...(doc === '' ? [] : doc.split('\n').map((text) => `  ${text.trimEnd()}`)),
    `Inputs:  ${shapes(summary.inputs)}`,
    `Outputs: ${shapes(summary.outputs)}`,
  ];
}

function totals(summary: NetworkSummary): string[] {
  const entries: [string, string][] = [
    ['Total params', `${withThousands(summary.params)} (${formatBytes(summary.paramBytes)})`],
    ['Trainable params', withThousands(summary.trainableParams)],
    ['Non-trainable params', withThousands(summary.nonTrainableParams)],
  ];
  if (summary.buffers > 0) {
    const bytes = formatBytes(summary.buffers * 4);
    entries.push(['Buffers', `${withThousands(summary.buffers)} (${bytes}, not parameters)`]);
  }
  const short = summary.macs >= 1000 ? ` (${formatShortCount(summary.macs)})` : '';
  entries.push(['Mult-adds', `${withThousands(summary.macs)} per sample${short}`]);
  const width = Math.max(...entries.map(([label]) => label.length)) + 1;
  return entries.map(([label, value]) => `${(label + ':').padEnd(width)} ${value}`);
}
