import type { TensorRef, TrainConfig } from '../compiler/train/trainConfig.js';
import { gatherBatch, type Dataset } from '../runtime/data/dataset.js';
import type { Model } from '../runtime/model.js';
import type { NetworkPlan } from '../runtime/plan.js';
import { MetricTally, type MetricSpec } from '../runtime/train/metrics.js';

/*
 * The confusion matrix `netc eval` prints for every classification section, whether or
 * not the section lists `confusion` among its metrics. The predicted classes come from the
 * network output that the section's first classification metric reads, or else from the
 * output its cross-entropy or bce loss compares with the label.
 */

/** How to read predicted classes off one output of the network. */
interface ClassPrediction {
  readonly output: string;
  /** The data field fed to each network input, by input name. */
  readonly feeds: Readonly<Record<string, string>>;
  readonly label: string;
  readonly spec: MetricSpec;
}

/** Undefined when the section does not classify, or classifies something `forward` cannot show. */
export function classPrediction(
  section: TrainConfig,
  network: NetworkPlan,
): ClassPrediction | undefined {
  for (const metric of section.metrics) {
    if (metric.kind !== 'classification') continue;
    const spec: MetricSpec = {
      kind: 'classification',
      name: 'confusion',
      classes: metric.classes,
      threshold: metric.threshold,
    };
    return readable(metric.prediction, metric.label, spec, network);
  }
  for (const { term } of section.phases[0]?.loss.terms ?? []) {
    if ((term.kind !== 'cross_entropy' && term.kind !== 'bce') || term.target.kind !== 'label') {
      continue;
    }
    // bce of several outputs against a label is not one class per sample.
    if (term.kind === 'bce' && !isSingleValue(term.prediction)) continue;
    const spec: MetricSpec =
      term.kind === 'cross_entropy'
        ? { kind: 'classification', name: 'confusion', classes: term.classes }
        : // A bce prediction is one probability (or logit) for class 1.
          {
            kind: 'classification',
            name: 'confusion',
            classes: 2,
            threshold: term.form === 'logits' ? 0 : 0.5,
          };
    return readable(term.prediction, term.target.field, spec, network);
  }
  return undefined;
}

function isSingleValue(ref: TensorRef): boolean {
  return ref.shape !== undefined && ref.shape.every((d) => d === 1);
}

/** The prediction as an output of `network` applied to data fields, if it is one. */
function readable(
  ref: TensorRef,
  label: string,
  spec: MetricSpec,
  network: NetworkPlan,
): ClassPrediction | undefined {
  if (ref.kind !== 'network' || ref.network !== network.name) return undefined;
  if (!network.outputs.some((o) => o.name === ref.name)) return undefined;
  const feeds: Record<string, string> = {};
  for (const [i, input] of network.inputs.entries()) {
    const source = ref.inputs[i];
    if (source?.kind !== 'data') return undefined;
    feeds[input.name] = source.field;
  }
  return { output: ref.name, feeds, label, spec };
}

/** Rows (true class) of columns (predicted class), over the whole dataset. */
export async function confusionRows(
  model: Model,
  prediction: ClassPrediction,
  dataset: Dataset,
  batchSize = 256,
): Promise<number[][]> {
  const tally = new MetricTally(prediction.spec);
  for (let start = 0; start < dataset.count; start += batchSize) {
    const count = Math.min(batchSize, dataset.count - start);
    const batch = gatherBatch(
      dataset,
      Uint32Array.from({ length: count }, (_, i) => start + i),
    );
    const feeds = Object.fromEntries(
      Object.entries(prediction.feeds).map(([input, field]) => [input, batch[field]!]),
    );
    const outputs = await model.forward(feeds);
    tally.add(outputs[prediction.output]!, batch[prediction.label]!, count);
  }
  return tally.value() as number[][];
}
