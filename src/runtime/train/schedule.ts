import type { ScheduleConfig } from '../../compiler/train/trainConfig.js';

/*
 * Learning-rate schedules (docs/training.md, "Schedules"). The rate is fixed for a whole
 * epoch and depends only on how many epochs have finished, as PyTorch's schedulers stepped
 * once per epoch.
 */

/** The learning rate of the epoch that follows `epoch` finished ones (0 for the first). */
export function learningRate(schedule: ScheduleConfig, baseLr: number, epoch: number): number {
  const t = epoch;
  switch (schedule.kind) {
    case 'constant':
      return baseLr;
    case 'inverse':
      return baseLr / (1 + schedule.decay * t);
    case 'step':
      return baseLr * schedule.gamma ** Math.floor(t / schedule.every);
    case 'exponential':
      return baseLr * schedule.gamma ** t;
    case 'cosine':
      // CosineAnnealingLR's closed form with eta_min = 0, held at 0 after `total` epochs.
      return (
        (baseLr * (1 + Math.cos((Math.PI * Math.min(t, schedule.total)) / schedule.total))) / 2
      );
  }
}
