import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Model } from '../runtime/model.js';
import type { MetricValue } from '../runtime/train/metrics.js';
import type { EpochReport, Evaluation } from '../runtime/train/trainer.js';
import { writeCheckpoint, writeFileAtomic, type JsonValue } from '../runtime/weights/checkpoint.js';
import { encodeSafetensors } from '../runtime/weights/safetensors.js';
import { lossCurveSvg } from './lossCurve.js';
import { CliError, describeFsError } from './userError.js';

/*
 * The files `netc train` writes into its output directory. Every write replaces its file
 * atomically, so a run stopped at any moment leaves the previous complete files behind.
 *
 *   weights.safetensors          the trained network's parameters (`--weights` of eval/run)
 *   weights.<Name>.safetensors   each other network of a multi-network section (a GAN's G)
 *   checkpoint.safetensors       everything `--resume` needs, rewritten after every epoch
 *   metrics.json                 the per-epoch history and the test results
 *   loss.svg                     the loss curves
 */

/** An epoch as `metrics.json` and checkpoints keep it: plain JSON. */
export interface HistoryEntry {
  readonly epoch: number;
  readonly loss: number;
  readonly phases: Record<string, number>;
  readonly validation: EvaluationRecord | null;
  readonly seconds: number;
}

/** `{"loss": ..., "accuracy": ..., "confusion": [[...]]}`: the loss next to the metrics. */
export type EvaluationRecord = { readonly loss: number } & Readonly<Record<string, MetricValue>>;

export function evaluationRecord(evaluation: Evaluation): EvaluationRecord {
  return { loss: evaluation.loss, ...evaluation.metrics };
}

export function historyEntry(report: EpochReport): HistoryEntry {
  return {
    epoch: report.epoch,
    loss: report.loss,
    phases: report.phases,
    validation: report.validation ? evaluationRecord(report.validation) : null,
    seconds: report.seconds,
  };
}

/**
 * The history a checkpoint carries in its `extra` field, so that a resumed run's
 * `metrics.json` and `loss.svg` cover the epochs before the checkpoint too. A checkpoint
 * written by something else has none.
 */
export function historyOf(extra: unknown): HistoryEntry[] {
  const history = (extra as { history?: unknown } | null)?.history;
  if (!Array.isArray(history)) return [];
  return history.filter(
    (h): h is HistoryEntry =>
      typeof h === 'object' &&
      h !== null &&
      typeof h.epoch === 'number' &&
      typeof h.loss === 'number',
  );
}

export class RunDirectory {
  /** The files written so far, as the user would name them (`runs/XOR/loss.svg`), in order. */
  readonly written = new Set<string>();

  /** `dir` as the user wrote it (for messages), `absolute` where it is. */
  constructor(
    readonly dir: string,
    readonly absolute: string,
  ) {}

  create(): void {
    try {
      fs.mkdirSync(this.absolute, { recursive: true });
    } catch (error) {
      throw new CliError(`cannot create \`${this.dir}\`: ${describeFsError(error)}`);
    }
  }

  /** The checkpoint after an epoch; the history rides along in its `extra` field. */
  async checkpoint(model: Model, history: readonly HistoryEntry[]): Promise<void> {
    const extra = { history: plainJson(history) };
    const checkpoint = await model.checkpoint();
    await this.write('checkpoint.safetensors', (target) =>
      writeCheckpoint(target, { ...checkpoint, extra }),
    );
  }

  /** The final files. */
  async results(
    model: Model,
    record: {
      readonly section: string;
      readonly history: readonly HistoryEntry[];
      readonly test: EvaluationRecord | null;
    },
  ): Promise<void> {
    const save = (name: string, bytes: Uint8Array) =>
      this.write(name, (target) => writeFileAtomic(target, bytes));
    await save('weights.safetensors', await model.saveWeights());
    for (const network of model.plan.networks.slice(1)) {
      const tensors = [];
      for (const p of network.params) {
        const data = await model.state.readAsync(p.key);
        tensors.push({ name: p.name, dtype: 'F32' as const, shape: [...p.shape], data });
      }
      await save(`weights.${network.name}.safetensors`, encodeSafetensors(tensors));
    }
    const metrics = {
      section: record.section,
      network: model.plan.network.name,
      epochs: record.history,
      test: record.test,
    };
    await save('metrics.json', text(JSON.stringify(metrics, null, 2) + '\n'));
    const title = `${record.section}: loss per epoch`;
    await save('loss.svg', text(lossCurveSvg(record.history, { title })));
  }

  private async write(name: string, write: (target: string) => Promise<void>): Promise<void> {
    const shown = path.join(this.dir, name);
    try {
      await write(path.join(this.absolute, name));
    } catch (error) {
      // Only file-system errors carry a code; anything else is a bug, reported as one.
      if ((error as { code?: unknown } | null)?.code === undefined) throw error;
      throw new CliError(`cannot write \`${shown}\`: ${describeFsError(error)}`);
    }
    this.written.add(shown);
  }
}

/** Checkpoints refuse NaN and Infinity, which JSON lacks; they become null, as in metrics.json. */
function plainJson(value: unknown): JsonValue {
  return JSON.parse(JSON.stringify(value)) as JsonValue;
}

function text(content: string): Uint8Array {
  return new TextEncoder().encode(content);
}
