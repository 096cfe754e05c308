import { describe, expect, it } from 'vitest';
import type { ScheduleConfig } from '../../src/compiler/train/trainConfig.js';
import { learningRate } from '../../src/runtime/train/schedule.js';

/*
 * Each schedule at several epochs (finished epochs t = 0, 1, …) against values worked out by
 * hand from the formulas in docs/training.md.
 */

interface Case {
  readonly schedule: ScheduleConfig;
  readonly baseLr: number;
  /** [epoch, learning rate] */
  readonly values: readonly (readonly [number, number])[];
}

const cases: [string, Case][] = [
  [
    'constant keeps the base rate',
    {
      schedule: { kind: 'constant' },
      baseLr: 0.01,
      values: [
        [0, 0.01],
        [1, 0.01],
        [100, 0.01],
      ],
    },
  ],
  [
    'inverse(decay=0.5) divides by 1 + 0.5·t',
    {
      schedule: { kind: 'inverse', decay: 0.5 },
      baseLr: 0.1,
      // 0.1/1, 0.1/1.5, 0.1/2, 0.1/3, 0.1/6
      values: [
        [0, 0.1],
        [1, 0.0666666666667],
        [2, 0.05],
        [4, 0.0333333333333],
        [10, 0.0166666666667],
      ],
    },
  ],
  [
    'inverse(decay=0) is constant',
    {
      schedule: { kind: 'inverse', decay: 0 },
      baseLr: 0.1,
      values: [
        [0, 0.1],
        [7, 0.1],
      ],
    },
  ],
  [
    'step(every=5, gamma=0.5) halves every 5 epochs',
    {
      schedule: { kind: 'step', every: 5, gamma: 0.5 },
      baseLr: 1e-3,
      // 1e-3·0.5^floor(t/5)
      values: [
        [0, 1e-3],
        [4, 1e-3],
        [5, 5e-4],
        [9, 5e-4],
        [10, 2.5e-4],
        [17, 1.25e-4],
      ],
    },
  ],
  [
    'step(every=1, gamma=0.1) divides by 10 each epoch',
    {
      schedule: { kind: 'step', every: 1, gamma: 0.1 },
      baseLr: 1,
      values: [
        [0, 1],
        [1, 0.1],
        [2, 0.01],
        [3, 0.001],
      ],
    },
  ],
  [
    'exponential(gamma=0.9) multiplies by 0.9 each epoch',
    {
      schedule: { kind: 'exponential', gamma: 0.9 },
      baseLr: 0.1,
      // 0.1, 0.09, 0.081, 0.0729, 0.1·0.9^10 = 0.03486784401
      values: [
        [0, 0.1],
        [1, 0.09],
        [2, 0.081],
        [3, 0.0729],
        [10, 0.03486784401],
      ],
    },
  ],
  [
    'cosine(total=4) anneals to zero and stays there',
    {
      schedule: { kind: 'cosine', total: 4 },
      baseLr: 0.2,
      // 0.2·(1 + cos(π·t/4))/2: cos(π/4) = 0.7071067812, cos(3π/4) = -0.7071067812
      values: [
        [0, 0.2],
        [1, 0.1707106781],
        [2, 0.1],
        [3, 0.0292893219],
        [4, 0],
        [5, 0],
        [40, 0],
      ],
    },
  ],
  [
    'cosine(total=10) is at half the rate halfway',
    {
      schedule: { kind: 'cosine', total: 10 },
      baseLr: 1e-3,
      // cos(π/10) = 0.9510565163, cos(π/2) = 0
      values: [
        [1, 9.755282581e-4],
        [5, 5e-4],
        [10, 0],
      ],
    },
  ],
];

describe('learningRate', () => {
  it.each(cases)('%s', (_, c) => {
    for (const [epoch, expected] of c.values) {
      expect(learningRate(c.schedule, c.baseLr, epoch)).toBeCloseTo(expected, 10);
    }
  });

  it('scales linearly with the base rate', () => {
    const schedule: ScheduleConfig = { kind: 'exponential', gamma: 0.5 };
    expect(learningRate(schedule, 3, 2)).toBeCloseTo(3 * learningRate(schedule, 1, 2), 15);
  });
});
