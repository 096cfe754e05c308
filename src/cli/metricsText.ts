import type { MetricValue } from '../runtime/train/metrics.js';
import type { EpochReport, Evaluation } from '../runtime/train/trainer.js';

/*
 * How training and evaluation results read in a terminal: a loss and scalar metrics on one
 * line, a confusion matrix as a table of its own.
 */

/** Four decimals where that shows the value; exponent notation for very small or large ones. */
export function formatNumber(value: number): string {
  if (value === 0 || !Number.isFinite(value)) return String(value);
  const size = Math.abs(value);
  return size >= 1e-3 && size < 1e5 ? value.toFixed(4) : value.toExponential(3);
}

/** `loss 0.0123  accuracy 0.9800`; matrices are left to `confusionTable`. */
export function evaluationText(evaluation: Evaluation, prefix = ''): string {
  const parts = [`${prefix}loss ${formatNumber(evaluation.loss)}`];
  for (const [name, value] of Object.entries(evaluation.metrics)) {
    if (typeof value === 'number') parts.push(`${prefix}${name} ${formatNumber(value)}`);
  }
  return parts.join('  ');
}

/** The matrices among the metrics (`confusion`), by name. */
export function matrixMetrics(
  metrics: Readonly<Record<string, MetricValue>>,
): [string, readonly (readonly number[])[]][] {
  return Object.entries(metrics).filter(
    (entry): entry is [string, readonly (readonly number[])[]] => typeof entry[1] !== 'number',
  );
}

/**
 * One line per epoch: the training loss, each phase's loss when there are several (GAN),
 * the validation loss and metrics, and the time the epoch took.
 */
export function epochText(report: EpochReport): string {
  const width = String(report.epochs).length;
  const parts = [
    `epoch ${String(report.epoch).padStart(width)}/${report.epochs}`,
    `loss ${formatNumber(report.loss)}`,
  ];
  const phases = Object.entries(report.phases);
  if (phases.length > 1) {
    for (const [name, loss] of phases) parts.push(`${name} ${formatNumber(loss)}`);
  }
  if (report.validation) parts.push(evaluationText(report.validation, 'val_'));
  parts.push(`${report.seconds.toFixed(2)}s`);
  return parts.join('  ');
}

/** A confusion matrix with class numbers along both edges, counts right-aligned. */
export function confusionTable(rows: readonly (readonly number[])[]): string {
  const classes = rows.length;
  const cells = rows.flat().map(String);
  const width = Math.max(String(classes - 1).length, ...cells.map((c) => c.length));
  const labelWidth = String(classes - 1).length;
  const header = ' '.repeat(labelWidth) + '  ' + rows.map((_, p) => pad(p, width)).join(' ');
  const lines = rows.map(
    (row, t) => pad(t, labelWidth) + '  ' + row.map((n) => pad(n, width)).join(' '),
  );
  return [
    'confusion matrix (rows: true class, columns: predicted class)',
    header,
    ...lines,
    '',
  ].join('\n');
}

function pad(value: number, width: number): string {
  return String(value).padStart(width);
}
