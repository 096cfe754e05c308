import { describe, expect, it } from 'vitest';
import {
  accuracy,
  classificationScore,
  confusionMatrix,
  confusionRows,
  f1,
  fnr,
  fpr,
  meanAbsoluteError,
  meanSquaredError,
  MetricTally,
  precision,
  predictClasses,
  recall,
  tnr,
  tpr,
  type ConfusionMatrix,
} from '../../src/runtime/train/metrics.js';

/** A confusion matrix from rows (true class) of columns (predicted class). */
function matrix(rows: readonly (readonly number[])[]): ConfusionMatrix {
  return { classes: rows.length, counts: Float64Array.from(rows.flat()) };
}

/** Labels and predictions that produce the given matrix. */
function pairsOf(rows: readonly (readonly number[])[]): { labels: number[]; predicted: number[] } {
  const labels: number[] = [];
  const predicted: number[] = [];
  rows.forEach((row, t) =>
    row.forEach((n, p) => {
      for (let i = 0; i < n; i++) {
        labels.push(t);
        predicted.push(p);
      }
    }),
  );
  return { labels, predicted };
}

describe('binary classification (class 1 positive)', () => {
  // TN = 4, FP = 2, FN = 1, TP = 3
  const rows = [
    [4, 2],
    [1, 3],
  ];
  const m = matrix(rows);

  it('counts labels against predictions into the confusion matrix', () => {
    const { labels, predicted } = pairsOf(rows);
    expect(confusionRows(confusionMatrix(predicted, labels, 2))).toEqual(rows);
  });

  it.each([
    ['accuracy', accuracy, 7 / 10],
    ['precision', precision, 3 / 5],
    ['recall', recall, 3 / 4],
    ['f1', f1, 2 / 3],
    ['tpr', tpr, 3 / 4],
    ['fpr', fpr, 2 / 6],
    ['tnr', tnr, 4 / 6],
    ['fnr', fnr, 1 / 4],
  ] as const)('gives %s', (_name, metric, expected) => {
    expect(metric(m)).toBeCloseTo(expected, 12);
  });

  it('gives precision and f1 0 when nothing is predicted positive', () => {
    const never = matrix([
      [5, 0],
      [3, 0],
    ]);
    expect(precision(never)).toBe(0);
    expect(f1(never)).toBe(0);
    expect(recall(never)).toBe(0);
    expect(tnr(never)).toBe(1);
  });

  it('gives recall 0 and fpr defined when no sample is positive', () => {
    const none = matrix([
      [2, 2],
      [0, 0],
    ]);
    expect(recall(none)).toBe(0);
    expect(fnr(none)).toBe(0);
    expect(fpr(none)).toBe(0.5);
  });
});

describe('multi-class classification (macro average)', () => {
  const rows = [
    [5, 1, 0],
    [2, 3, 1],
    [0, 2, 4],
  ];
  const m = matrix(rows);
  // Per class (one against the rest): 0: TP 5 FP 2 FN 1 TN 10; 1: TP 3 FP 3 FN 3 TN 9;
  // 2: TP 4 FP 1 FN 2 TN 11.
  it.each([
    ['accuracy', accuracy, 12 / 18],
    ['precision', precision, (5 / 7 + 3 / 6 + 4 / 5) / 3],
    ['recall', recall, (5 / 6 + 3 / 6 + 4 / 6) / 3],
    ['f1', f1, (10 / 13 + 6 / 12 + 8 / 11) / 3],
    ['tpr', tpr, (5 / 6 + 3 / 6 + 4 / 6) / 3],
    ['fpr', fpr, (2 / 12 + 3 / 12 + 1 / 12) / 3],
    ['tnr', tnr, (10 / 12 + 9 / 12 + 11 / 12) / 3],
    ['fnr', fnr, (1 / 6 + 3 / 6 + 2 / 6) / 3],
  ] as const)('gives %s', (_name, metric, expected) => {
    expect(metric(m)).toBeCloseTo(expected, 12);
  });

  it('averages per-class f1, not the f1 of averaged precision and recall', () => {
    const p = precision(m);
    const r = recall(m);
    expect(f1(m)).not.toBeCloseTo((2 * p * r) / (p + r), 6);
  });

  it('scores a class that is never predicted with precision 0', () => {
    const { labels, predicted } = { labels: [0, 1, 2, 2], predicted: [0, 1, 1, 1] };
    const never = confusionMatrix(predicted, labels, 3);
    expect(precision(never)).toBeCloseTo((1 + 1 / 3 + 0) / 3, 12);
    expect(recall(never)).toBeCloseTo((1 + 1 + 0) / 3, 12);
  });

  it('leaves classes that occur in neither labels nor predictions out of the average', () => {
    const absent = confusionMatrix([0, 1, 1], [0, 1, 1], 4);
    expect(precision(absent)).toBe(1);
    expect(recall(absent)).toBe(1);
    expect(fpr(absent)).toBe(0);
  });

  it('gives 0, not NaN, for an empty matrix', () => {
    const empty = matrix([
      [0, 0, 0],
      [0, 0, 0],
      [0, 0, 0],
    ]);
    for (const name of ['accuracy', 'precision', 'recall', 'f1', 'fpr'] as const) {
      expect(classificationScore(name, empty)).toBe(0);
    }
  });

  it('rejects a label that is not a class index', () => {
    expect(() => confusionMatrix([0, 1], [0, 3], 3)).toThrow(
      'label 3 of sample 1 is not a class index in 0..2',
    );
    expect(() => confusionMatrix([0], [0.5], 3)).toThrow(RangeError);
  });
});

describe('predicted classes', () => {
  it('takes the argmax of the scores, the first on ties', () => {
    expect(Array.from(predictClasses([0.1, 0.7, 0.2, 3, 3, 1, -1, -2, -0.5], 3))).toEqual([
      1, 0, 2,
    ]);
  });

  it('thresholds a single output: 0.5 for probabilities, 0 for logits', () => {
    expect(Array.from(predictClasses([0.2, 0.7, 0.5, 0.9], 1))).toEqual([0, 1, 0, 1]);
    expect(Array.from(predictClasses([-1, 2, 0, 0.1], 1, 0))).toEqual([0, 1, 0, 1]);
  });
});

describe('regression', () => {
  it('gives the mean over samples and elements of squared and absolute differences', () => {
    const prediction = [1, 2, 3, 4];
    const target = [1, 0, 4, 8];
    expect(meanSquaredError(prediction, target)).toBe((0 + 4 + 1 + 16) / 4);
    expect(meanAbsoluteError(prediction, target)).toBe((0 + 2 + 1 + 4) / 4);
  });

  it('compares every element with a number target', () => {
    expect(meanSquaredError([0, 1, 3], 1)).toBeCloseTo(5 / 3, 12);
    expect(meanAbsoluteError([0, 1, 3], 1)).toBe(1);
  });

  it('rejects targets of another length', () => {
    expect(() => meanSquaredError([1, 2], [1])).toThrow('2 predictions but 1 targets');
  });
});

describe('MetricTally', () => {
  const scores = [0.9, 0.1, 0.2, 0.8, 0.3, 0.7, 0.6, 0.4, 0.5, 0.5, 0.1, 0.9];
  const labels = [0, 1, 1, 0, 1, 0];

  it('sums classification metrics over batches as over the whole set', () => {
    const whole = confusionMatrix(predictClasses(scores, 2), labels, 2);
    for (const name of ['accuracy', 'precision', 'recall', 'f1', 'fpr'] as const) {
      const tally = new MetricTally({ kind: 'classification', name, classes: 2 });
      tally.add(scores.slice(0, 4), labels.slice(0, 2), 2);
      tally.add(scores.slice(4), labels.slice(2), 4);
      expect(tally.value()).toBe(classificationScore(name, whole));
    }
  });

  it('reports `confusion` as rows of true classes', () => {
    const tally = new MetricTally({ kind: 'classification', name: 'confusion', classes: 2 });
    tally.add(scores, labels, 6);
    // predictions: 0, 1, 1, 0, 0 (a tie goes to the first class), 1
    expect(tally.value()).toEqual([
      [2, 1],
      [1, 2],
    ]);
  });

  it('infers the classes from the output: its width, or 2 for a single output', () => {
    const wide = new MetricTally({ kind: 'classification', name: 'accuracy' });
    wide.add([0, 1, 0, 1, 0, 0], [1, 2], 2);
    expect(wide.value()).toBe(0.5);
    const single = new MetricTally({ kind: 'classification', name: 'recall', threshold: 0 });
    single.add([-2, 3, -1, 0.5], [0, 1, 1, 1], 4);
    expect(single.value()).toBeCloseTo(2 / 3, 12);
  });

  it('sums mse and mae over batches by elements, and starts afresh after reset', () => {
    const mse = new MetricTally({ kind: 'regression', name: 'mse' });
    mse.add([1, 2, 3, 4], [1, 0, 4, 8], 2);
    mse.add([0, 0], 1, 1);
    expect(mse.value()).toBeCloseTo((0 + 4 + 1 + 16 + 1 + 1) / 6, 12);
    mse.reset();
    mse.add([2], [0], 1);
    expect(mse.value()).toBe(4);
    const mae = new MetricTally({ kind: 'regression', name: 'mae' });
    mae.add([1, -1], [0, 0], 2);
    expect(mae.value()).toBe(1);
  });

  it('rejects scores that do not match the classes', () => {
    const tally = new MetricTally({ kind: 'classification', name: 'accuracy', classes: 3 });
    expect(() => tally.add([0, 1, 0, 1], [0, 1], 2)).toThrow(
      'got 2 scores per sample for 3 classes',
    );
  });
});
