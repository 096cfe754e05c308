import type { MetricName } from '../../compiler/train/trainConfig.js';

/*
 * Evaluation metrics (docs/training.md, "Metrics"), as pure functions over predictions and
 * labels plus a tally that sums over batches, so a metric over many batches equals the
 * metric over their concatenation.
 *
 * Classification metrics read a confusion matrix (rows: true class, columns: predicted
 * class, as scikit-learn's `confusion_matrix`). With two classes, precision, recall, f1 and
 * the rates are those of class 1 (the positive class; class 0 is negative). With more, each
 * class is scored against the rest and the scores are averaged without weights (macro
 * average) over the classes that occur among the labels or the predictions, as
 * scikit-learn's `average='macro'` does. A ratio whose denominator is 0 is 0 (scikit-learn's
 * `zero_division=0`): precision of a class never predicted, recall of a class never present.
 */

export type ClassificationMetric = Exclude<MetricName, 'mse' | 'mae' | 'confusion'>;

export interface ConfusionMatrix {
  readonly classes: number;
  /** counts[t * classes + p]: samples of true class t predicted as class p. */
  readonly counts: Float64Array;
}

/**
 * The predicted class of each of the `outputs.length / width` samples: the argmax of its
 * `width` scores (the first on ties), or for a single output 1 when it exceeds `threshold`.
 */
export function predictClasses(
  outputs: ArrayLike<number>,
  width: number,
  threshold = 0.5,
): Int32Array {
  const count = outputs.length / width;
  const predicted = new Int32Array(count);
  for (let s = 0; s < count; s++) {
    if (width === 1) {
      predicted[s] = outputs[s]! > threshold ? 1 : 0;
      continue;
    }
    let best = 0;
    for (let c = 1; c < width; c++) {
      if (outputs[s * width + c]! > outputs[s * width + best]!) best = c;
    }
    predicted[s] = best;
  }
  return predicted;
}

export function emptyConfusion(classes: number): ConfusionMatrix {
  return { classes, counts: new Float64Array(classes * classes) };
}

/** Counts (true, predicted) pairs into `into` (a new matrix when omitted). */
export function confusionMatrix(
  predicted: ArrayLike<number>,
  labels: ArrayLike<number>,
  classes: number,
  into: ConfusionMatrix = emptyConfusion(classes),
): ConfusionMatrix {
  if (predicted.length !== labels.length) {
    throw new RangeError(`${predicted.length} predictions but ${labels.length} labels`);
  }
  for (let s = 0; s < labels.length; s++) {
    const t = labels[s]!;
    const p = predicted[s]!;
    for (const [what, c] of [
      ['label', t],
      ['predicted class', p],
    ] as const) {
      if (!(Number.isInteger(c) && c >= 0 && c < classes)) {
        throw new RangeError(
          `${what} ${c} of sample ${s} is not a class index in 0..${classes - 1}`,
        );
      }
    }
    into.counts[t * classes + p]!++;
  }
  return into;
}

/** The matrix as rows (true class) of columns (predicted class). */
export function confusionRows(matrix: ConfusionMatrix): number[][] {
  const { classes, counts } = matrix;
  return Array.from({ length: classes }, (_, t) =>
    Array.from(counts.subarray(t * classes, (t + 1) * classes)),
  );
}

/** Correct predictions over all predictions. */
export function accuracy(matrix: ConfusionMatrix): number {
  let correct = 0;
  let total = 0;
  for (let t = 0; t < matrix.classes; t++) {
    for (let p = 0; p < matrix.classes; p++) {
      const n = matrix.counts[t * matrix.classes + p]!;
      total += n;
      if (t === p) correct += n;
    }
  }
  return ratio(correct, total);
}

/** One class against the rest. */
interface OneVsRest {
  readonly tp: number;
  readonly fp: number;
  readonly fn: number;
  readonly tn: number;
}

function oneVsRest(matrix: ConfusionMatrix, c: number): OneVsRest {
  const { classes, counts } = matrix;
  let tp = 0;
  let fp = 0;
  let fn = 0;
  let total = 0;
  for (let t = 0; t < classes; t++) {
    for (let p = 0; p < classes; p++) {
      const n = counts[t * classes + p]!;
      total += n;
      if (t === c && p === c) tp += n;
      else if (p === c) fp += n;
      else if (t === c) fn += n;
    }
  }
  return { tp, fp, fn, tn: total - tp - fp - fn };
}

const ratio = (a: number, b: number) => (b === 0 ? 0 : a / b);

/** Each metric of one class against the rest. */
const perClass: {
  readonly [M in Exclude<ClassificationMetric, 'accuracy'>]: (o: OneVsRest) => number;
} = {
  precision: ({ tp, fp }) => ratio(tp, tp + fp),
  recall: ({ tp, fn }) => ratio(tp, tp + fn),
  /** The harmonic mean of precision and recall, 0 when both are 0. */
  f1: ({ tp, fp, fn }) => ratio(2 * tp, 2 * tp + fp + fn),
  tpr: ({ tp, fn }) => ratio(tp, tp + fn),
  fpr: ({ fp, tn }) => ratio(fp, fp + tn),
  tnr: ({ tn, fp }) => ratio(tn, tn + fp),
  fnr: ({ fn, tp }) => ratio(fn, fn + tp),
};

/**
 * A classification metric from a confusion matrix: binary (class 1 positive) for two
 * classes, macro-averaged over the occurring classes for more.
 */
export function classificationScore(name: ClassificationMetric, matrix: ConfusionMatrix): number {
  if (name === 'accuracy') return accuracy(matrix);
  const score = perClass[name];
  if (matrix.classes === 2) return score(oneVsRest(matrix, 1));
  let sum = 0;
  let counted = 0;
  for (let c = 0; c < matrix.classes; c++) {
    const counts = oneVsRest(matrix, c);
    if (counts.tp + counts.fp + counts.fn === 0) continue;
    sum += score(counts);
    counted++;
  }
  return ratio(sum, counted);
}

export const precision = (m: ConfusionMatrix) => classificationScore('precision', m);
export const recall = (m: ConfusionMatrix) => classificationScore('recall', m);
export const f1 = (m: ConfusionMatrix) => classificationScore('f1', m);
export const tpr = (m: ConfusionMatrix) => classificationScore('tpr', m);
export const fpr = (m: ConfusionMatrix) => classificationScore('fpr', m);
export const tnr = (m: ConfusionMatrix) => classificationScore('tnr', m);
export const fnr = (m: ConfusionMatrix) => classificationScore('fnr', m);

/** A target per element, or one number compared with every element. */
export type RegressionTarget = ArrayLike<number> | number;

/** Sums of squared and absolute differences, and how many elements they cover. */
export interface ErrorSums {
  squared: number;
  absolute: number;
  elements: number;
}

export function errorSums(
  prediction: ArrayLike<number>,
  target: RegressionTarget,
  into: ErrorSums = { squared: 0, absolute: 0, elements: 0 },
): ErrorSums {
  if (typeof target !== 'number' && target.length !== prediction.length) {
    throw new RangeError(`${prediction.length} predictions but ${target.length} targets`);
  }
  for (let i = 0; i < prediction.length; i++) {
    const d = prediction[i]! - (typeof target === 'number' ? target : target[i]!);
    into.squared += d * d;
    into.absolute += Math.abs(d);
  }
  into.elements += prediction.length;
  return into;
}

/** Mean over samples and elements of (prediction - target)², as PyTorch's `MSELoss`. */
export function meanSquaredError(prediction: ArrayLike<number>, target: RegressionTarget): number {
  const sums = errorSums(prediction, target);
  return ratio(sums.squared, sums.elements);
}

/** Mean over samples and elements of |prediction - target|, as PyTorch's `L1Loss`. */
export function meanAbsoluteError(prediction: ArrayLike<number>, target: RegressionTarget): number {
  const sums = errorSums(prediction, target);
  return ratio(sums.absolute, sums.elements);
}

// ---------------------------------------------------------------- over batches

/** What a tally needs of a `MetricConfig` (which satisfies it). */
export type MetricSpec =
  | {
      readonly kind: 'classification';
      readonly name: Exclude<MetricName, 'mse' | 'mae'>;
      /** Inferred from the output when undefined: its width, or 2 for a single output. */
      readonly classes?: number | undefined;
      /** For a single output; 0.5 when undefined. */
      readonly threshold?: number | undefined;
    }
  | { readonly kind: 'regression'; readonly name: 'mse' | 'mae' };

/** A number, or for `confusion` the matrix as rows (true class) of columns (predicted). */
export type MetricValue = number | readonly (readonly number[])[];

/** Sums one metric over the batches of an evaluation; `value()` reads it at any time. */
export class MetricTally {
  private confusion: ConfusionMatrix | undefined;
  private errors: ErrorSums = { squared: 0, absolute: 0, elements: 0 };

  constructor(readonly spec: MetricSpec) {}

  /**
   * Adds one batch of `count` samples: the metric's prediction (count × width numbers) and
   * the labels (classification: one class index per sample) or regression targets.
   */
  add(prediction: ArrayLike<number>, target: RegressionTarget, count: number): void {
    if (this.spec.kind === 'regression') {
      errorSums(prediction, target, this.errors);
      return;
    }
    if (typeof target === 'number') {
      throw new TypeError(`\`${this.spec.name}\` needs a label per sample, not a number`);
    }
    if (count === 0) return;
    const width = prediction.length / count;
    const classes = this.spec.classes ?? (width === 1 ? 2 : width);
    if (width !== 1 && width !== classes) {
      throw new RangeError(
        `\`${this.spec.name}\` got ${width} scores per sample for ${classes} classes`,
      );
    }
    this.confusion ??= emptyConfusion(classes);
    confusionMatrix(
      predictClasses(prediction, width, this.spec.threshold ?? 0.5),
      target,
      classes,
      this.confusion,
    );
  }

  value(): MetricValue {
    const { spec } = this;
    if (spec.kind === 'regression') {
      const sum = spec.name === 'mse' ? this.errors.squared : this.errors.absolute;
      return ratio(sum, this.errors.elements);
    }
    const matrix = this.confusion ?? emptyConfusion(spec.classes ?? 2);
    return spec.name === 'confusion'
      ? confusionRows(matrix)
      : classificationScore(spec.name, matrix);
  }

  reset(): void {
    this.confusion = undefined;
    this.errors = { squared: 0, absolute: 0, elements: 0 };
  }
}
