import { suggestionHelp } from '../diagnostics/didYouMean.js';
import type { IRNetwork } from '../ir/ir.js';
import type { Span } from '../source.js';
import type { Expr } from '../syntax/ast.js';
import type { TrainContext } from './context.js';
import { formatShape, plural } from './describe.js';
import { listItems } from './listItems.js';
import type { LossScope } from './lossScope.js';
import {
  tensorRefKey,
  type DataField,
  type LossConfig,
  type MetricConfig,
  type MetricName,
  type Target,
  type TensorRef,
} from './trainConfig.js';

export const metricNames = [
  'accuracy',
  'precision',
  'recall',
  'f1',
  'tpr',
  'fpr',
  'tnr',
  'fnr',
  'confusion',
  'mse',
  'mae',
] as const satisfies readonly MetricName[];

export interface MetricSetup {
  /** The trained network (metrics need one). */
  readonly network: IRNetwork;
  readonly scope: LossScope;
  readonly loss: LossConfig | undefined;
}

/**
 * `metrics = [accuracy, f1]`. Classification metrics compare the network's single output
 * with the data's class label; `mse`/`mae` compare it with what the loss compares it with.
 */
export function checkMetrics(
  expr: Expr,
  setup: MetricSetup,
  ctx: TrainContext,
): MetricConfig[] | undefined {
  const result: MetricConfig[] = [];
  const seen = new Map<string, Span>();
  let ok = true;
  for (const item of listItems(expr)) {
    const name = item.kind === 'Name' ? metricNames.find((n) => n === item.name) : undefined;
    if (!name) {
      if (item.kind === 'ErrorExpr') continue;
      const written =
        item.kind === 'Name' ? item.name : item.kind === 'Call' ? item.callee.name : undefined;
      ctx.diagnostics.error(
        'NETC4027',
        item.span,
        written ? `unknown metric \`${written}\`` : 'expected a metric name',
        {
          help:
            (written && suggestionHelp(written, metricNames)) ??
            `the metrics are ${metricNames.map((n) => `\`${n}\``).join(', ')}`,
        },
      );
      ok = false;
      continue;
    }
    const first = seen.get(name);
    if (first) {
      ctx.diagnostics.error('NETC4036', item.span, `\`${name}\` is listed twice`, {
        labels: [{ span: first, message: 'first listed here' }],
      });
      ok = false;
      continue;
    }
    seen.set(name, item.span);
    const metric = checkMetric(name, item.span, setup, ctx);
    if (metric) result.push(metric);
    else ok = false;
  }
  return ok ? result : undefined;
}

function checkMetric(
  name: MetricName,
  span: Span,
  setup: MetricSetup,
  ctx: TrainContext,
): MetricConfig | undefined {
  const { network, scope } = setup;
  const fail = (message: string, help?: string): undefined => {
    ctx.diagnostics.error('NETC4028', span, message, help === undefined ? {} : { help });
    return undefined;
  };
  const output = network.outputs[0];
  const entry = output && scope.entries.get(output.name);
  if (
    !output ||
    network.outputs.length !== 1 ||
    entry?.kind !== 'tensor' ||
    entry.shape === undefined
  ) {
    return fail(
      `\`${name}\` needs a network with one output, but \`${network.name}\` has ${plural(network.outputs.length, 'output')}`,
      'metrics judge the single output; the loss is reported either way',
    );
  }
  const prediction = entry.ref;
  const shape = entry.shape;
  if (name === 'mse' || name === 'mae') {
    const target = regressionTarget(prediction, setup);
    if (!target) {
      if (!setup.loss) return undefined; // the loss is missing or wrong, and reported as such
      return fail(
        `\`${name}\` needs a target to compare \`${output.name}\` with, and the loss compares it with none`,
        `add a loss term such as \`mse(${output.name}, x)\``,
      );
    }
    return { kind: 'regression', name, prediction, target };
  }
  const label = scope.data?.fields.find(
    (f): f is DataField & { role: 'label' } => f.role === 'label',
  );
  if (!label) return undefined;
  const scores = shape.length === 1 ? (shape[0] ?? 0) : 0;
  if (scores >= 2) {
    if (label.classes !== undefined && label.classes !== scores) {
      return fail(
        `\`${name}\` compares \`${output.name}\` with \`${label.name}\`, but ${formatShape(shape)} scores do not fit ${label.classes} classes`,
        `end the network with \`dense(${label.classes})\``,
      );
    }
    return {
      kind: 'classification',
      name,
      prediction,
      label: label.name,
      classes: scores,
      threshold: undefined,
    };
  }
  if (scores === 1) {
    if (label.classes !== undefined && label.classes !== 2) {
      return fail(
        `\`${name}\` needs one score per class, but \`${output.name}\` has shape [1] and \`${label.name}\` has ${label.classes} classes`,
        `end the network with \`dense(${label.classes})\``,
      );
    }
    const threshold = entry.producer !== 'sigmoid' && readsAsLogits(prediction, setup) ? 0 : 0.5;
    return { kind: 'classification', name, prediction, label: label.name, classes: 2, threshold };
  }
  return fail(
    `\`${name}\` needs class scores of shape [classes], but \`${output.name}\` has shape ${formatShape(shape)}`,
    'use `mse` or `mae` to judge other outputs',
  );
}

/** The target of the first `mse`/`l1`/`bce` term whose prediction is the output. */
function regressionTarget(prediction: TensorRef, setup: MetricSetup): Target | undefined {
  const key = tensorRefKey(prediction);
  for (const { term } of setup.loss?.terms ?? []) {
    if (
      (term.kind === 'mse' || term.kind === 'l1' || term.kind === 'bce') &&
      tensorRefKey(term.prediction) === key
    ) {
      return term.target;
    }
  }
  return undefined;
}

/** Whether a `bce` term treats the output as logits (then 0 is the decision threshold). */
function readsAsLogits(prediction: TensorRef, setup: MetricSetup): boolean {
  const key = tensorRefKey(prediction);
  return (setup.loss?.terms ?? []).some(
    ({ term }) =>
      term.kind === 'bce' && term.form === 'logits' && tensorRefKey(term.prediction) === key,
  );
}
