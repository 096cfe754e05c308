import type { EpochReport } from '../runtime/train/trainer.js';
import type { CliIO } from './io.js';
import { epochText, formatNumber } from './metricsText.js';

/*
 * What `netc train` prints while it trains, on stderr. On a terminal a progress line is
 * redrawn in place (`\r`) as batches finish and replaced by the epoch's summary line when
 * the epoch ends; elsewhere (a log file, CI) only the summary lines are written.
 */

export interface TrainLog {
  batch(done: number, total: number, loss: number): void;
  epoch(report: EpochReport): void;
  /** Clears an unfinished progress line, so that what follows starts on a line of its own. */
  close(): void;
}

/** Redraws at most this often; a tiny network finishes thousands of batches a second. */
const redrawMs = 100;
const barWidth = 24;

export function trainLog(io: CliIO, firstEpoch: number, epochs: number): TrainLog {
  let epoch = firstEpoch;
  let lossSum = 0;
  let open = false;
  let lastDraw = -Infinity;
  const clear = () => {
    if (open) io.stderr('\r\u001b[K');
    open = false;
  };
  return {
    batch(done, total, loss) {
      if (!io.isTTY) return;
      if (done === 1) lossSum = 0;
      lossSum += loss;
      const now = performance.now();
      if (done !== 1 && done !== total && now - lastDraw < redrawMs) return;
      lastDraw = now;
      io.stderr(`\r${progressLine(epoch, epochs, done, total, lossSum / done)}\u001b[K`);
      open = true;
    },
    epoch(report) {
      clear();
      io.stderr(epochText(report) + '\n');
      epoch = report.epoch + 1;
    },
    close: clear,
  };
}

/** `epoch 3/10 [=========>              ] 14/38  loss 0.4312` (running mean of the epoch). */
export function progressLine(
  epoch: number,
  epochs: number,
  done: number,
  total: number,
  runningLoss: number,
): string {
  const filled = Math.floor((done / total) * barWidth);
  const bar =
    filled >= barWidth
      ? '='.repeat(barWidth)
      : '='.repeat(filled) + '>' + ' '.repeat(barWidth - filled - 1);
  const width = String(total).length;
  return `epoch ${epoch}/${epochs} [${bar}] ${String(done).padStart(width)}/${total}  loss ${formatNumber(runningLoss)}`;
}
