import { RuntimeError, type Backend, type DeviceState } from './backend.js';
import type { NetworkPlan, ModelPlan, PhasePlan } from './plan.js';
import type { Program, RunContext } from './program.js';
import { streams } from './rng.js';
import { initialValues } from './train/initialize.js';
import { learningRate } from './train/schedule.js';
import type { Checkpoint, CheckpointInput } from './weights/checkpoint.js';
import { decodeSafetensors, encodeSafetensors } from './weights/safetensors.js';

/*
 * A live model: a plan's state allocated and initialized on a backend, with the library
 * API of the README (`forward`, `trainStep`, `saveWeights`, `loadWeights`).
 */

export interface InstantiateOptions {
  /** Seeds initialization and every random stream; defaults to the train section's seed, else a random one. */
  readonly seed?: number;
}

/** Progress counters; a checkpoint stores them so `--resume` continues exactly. */
export interface ModelCounters {
  /** Programs run so far that may draw random numbers (the RNG counter). */
  runs: number;
  /** Optimizer steps taken per phase (Adam's t). */
  readonly phaseSteps: Record<string, number>;
  /** Finished epochs (the schedules' t). */
  epoch: number;
}

export type Feeds = Readonly<Record<string, Float32Array>>;

/** The loss of one `trainStep`: the last phase's, and every phase's by name. */
export interface StepLoss {
  readonly loss: number;
  readonly phases: Record<string, number>;
}

export class Model {
  readonly counters: ModelCounters;
  /** For each deferred phase run not yet collected, the phase's name and the step's index. */
  private deferred: { phase: string; step: number }[] = [];
  private deferredSteps = 0;

  constructor(
    readonly plan: ModelPlan,
    readonly backend: Backend,
    readonly state: DeviceState,
    public seed: number,
  ) {
    this.counters = { runs: 0, phaseSteps: {}, epoch: 0 };
  }

  /** Runs the network; inputs are batch-major float32 arrays keyed by input name. */
  async forward(
    inputs: Feeds,
    options: { readonly training?: boolean } = {},
  ): Promise<Record<string, Float32Array>> {
    const network = this.plan.network;
    const program = options.training ? network.trainingForward : network.inference;
    return this.run(program, inputs, batchOf(program, inputs, undefined), 0);
  }

  /**
   * One iteration of the train section: each phase in order, `steps` optimizer steps each,
   * on the given batch (data fields by name). Returns the last phase's loss and every phase's.
   *
   * With `readLoss: false` the loss stays on the device and the promise resolves as soon as
   * the step is queued; `collectLosses()` returns those steps' losses later, in one read
   * (on a GPU, reading every step's loss would make the host wait for every step).
   */
  async trainStep(batch: Feeds): Promise<StepLoss>;
  async trainStep(batch: Feeds, options: { readonly readLoss: false }): Promise<undefined>;
  async trainStep(
    batch: Feeds,
    options?: { readonly readLoss?: boolean },
  ): Promise<StepLoss | undefined>;
  async trainStep(
    batch: Feeds,
    options: { readonly readLoss?: boolean } = {},
  ): Promise<StepLoss | undefined> {
    const train = this.plan.train;
    if (!train) throw new RuntimeError(`\`${this.plan.network.name}\` has no train section`);
    // Phases that read no data (a generator fed only noise) use the batch size of those that do.
    let n: number | undefined;
    for (const phase of train.phases) {
      if (phase.program.tensors.some((d) => d.storage === 'feed'))
        n ??= batchOf(phase.program, batch, undefined);
    }
    n ??= train.config.batch;
    const read = options.readLoss ?? true;
    const phases: Record<string, number> = {};
    let loss = Number.NaN;
    const step = this.deferredSteps++;
    for (const phase of train.phases) {
      for (let s = 0; s < phase.steps; s++) {
        if (read) {
          loss = await this.runPhase(phase, batch, n, true);
          phases[phase.name] = loss;
        } else {
          await this.runPhase(phase, batch, n, false);
          this.deferred.push({ phase: phase.name, step });
        }
      }
    }
    return read ? { loss, phases } : undefined;
  }

  /** The losses of the steps run with `readLoss: false` since the last call, in order. */
  async collectLosses(): Promise<StepLoss[]> {
    const results = await this.backend.collect();
    const runs = this.deferred;
    this.deferred = [];
    const steps: { loss: number; phases: Record<string, number> }[] = [];
    let last: number | undefined;
    runs.forEach((run, i) => {
      const loss = results[i]?.loss?.[0] ?? Number.NaN;
      if (run.step !== last) steps.push({ loss, phases: {} });
      last = run.step;
      const current = steps[steps.length - 1]!;
      current.loss = loss;
      current.phases[run.phase] = loss;
    });
    return steps;
  }

  /** The evaluation program (inference-mode loss and metric inputs) on one batch. */
  async evaluate(batch: Feeds): Promise<Record<string, Float32Array>> {
    const train = this.plan.train;
    if (!train) throw new RuntimeError(`\`${this.plan.network.name}\` has no train section`);
    return this.run(
      train.evaluation,
      batch,
      batchOf(train.evaluation, batch, train.config.batch),
      0,
    );
  }

  /** The current learning rate of a phase (after its schedule). */
  learningRate(phase: PhasePlan): number {
    return learningRate(phase.schedule, phase.optimizer.lr, this.counters.epoch);
  }

  /** The main network's parameters and buffers as safetensors (F32, PyTorch names and layouts). */
  async saveWeights(): Promise<Uint8Array> {
    const tensors = [];
    for (const p of this.plan.network.params) {
      tensors.push({
        name: p.name,
        dtype: 'F32' as const,
        shape: [...p.shape],
        data: await this.state.readAsync(p.key),
      });
    }
    return encodeSafetensors(tensors);
  }

  /**
   * Loads parameters by name from safetensors bytes: every tensor of the file must be a
   * parameter of the network with the same shape; parameters missing from the file keep
   * their values unless `strict` (the default) asks for all of them.
   */
  loadWeights(bytes: Uint8Array, options: { readonly strict?: boolean } = {}): void {
    loadNamedWeights(this.plan.network, this.state, bytes, options.strict ?? true);
  }

  /** Everything `--resume` needs: all state tensors, the counters and the model's hash. */
  async checkpoint(): Promise<CheckpointInput> {
    const shapes = new Map<string, readonly number[]>();
    for (const network of this.plan.networks)
      for (const p of network.params) shapes.set(p.key, p.shape);
    const params = new Set(shapes.keys());
    for (const phase of this.plan.train?.phases ?? []) {
      for (const decl of phase.program.tensors)
        if (decl.storage === 'state') shapes.set(decl.name, decl.shape);
    }
    const weights: Record<string, { shape: readonly number[]; data: Float32Array }> = {};
    const optimizerState: Record<
      string,
      { dtype: 'F32'; shape: readonly number[]; data: Float32Array }
    > = {};
    for (const name of this.state.names()) {
      const data = await this.state.readAsync(name);
      const shape = shapes.get(name) ?? [data.length];
      if (params.has(name)) weights[name] = { shape, data };
      else optimizerState[name] = { dtype: 'F32', shape, data };
    }
    return {
      weights,
      optimizerState,
      step: Object.values(this.counters.phaseSteps).reduce((a, b) => a + b, 0),
      epoch: this.counters.epoch,
      rngState: {
        seed: this.seed,
        runs: this.counters.runs,
        phaseSteps: { ...this.counters.phaseSteps },
      },
      modelHash: this.plan.hash,
    };
  }

  /** Restores a checkpoint of this model (`readCheckpoint` has checked its hash). */
  restore(checkpoint: Checkpoint): void {
    if (checkpoint.modelHash !== this.plan.hash) {
      throw new RuntimeError('the checkpoint was saved by a different model');
    }
    for (const [name, tensor] of checkpoint.weights) this.state.write(name, tensor.data);
    for (const [name, tensor] of checkpoint.optimizerState) {
      this.state.write(name, Float32Array.from(tensor.data as ArrayLike<number>));
    }
    const rng = checkpoint.rngState as { seed?: unknown; runs?: unknown; phaseSteps?: unknown };
    const counts = rng?.phaseSteps as Record<string, unknown> | undefined;
    const valid =
      typeof rng === 'object' &&
      rng !== null &&
      Number.isInteger(rng.seed) &&
      Number.isInteger(rng.runs) &&
      typeof counts === 'object' &&
      counts !== null &&
      Object.values(counts).every((v) => Number.isInteger(v));
    if (!valid) throw new RuntimeError('the checkpoint has no valid training counters (rng_state)');
    this.seed = rng.seed as number;
    this.counters.runs = rng.runs as number;
    this.counters.epoch = checkpoint.epoch;
    for (const key of Object.keys(this.counters.phaseSteps)) delete this.counters.phaseSteps[key];
    Object.assign(this.counters.phaseSteps, counts);
  }

  private async runPhase(phase: PhasePlan, batch: Feeds, n: number, read: boolean) {
    const t = (this.counters.phaseSteps[phase.name] ?? 0) + 1;
    const results = await this.run(phase.program, batch, n, t, this.learningRate(phase), read);
    this.counters.phaseSteps[phase.name] = t;
    return read ? results.loss![0]! : Number.NaN;
  }

  private async run(program: Program, feeds: Feeds, batch: number, t: number, lr = 0, read = true) {
    const ctx: RunContext = { batch, seed: this.seed, step: this.counters.runs++, lr, t };
    return this.backend.run(program, this.state, feeds, ctx, { read });
  }
}

export function instantiateModel(
  plan: ModelPlan,
  backend: Backend,
  options: InstantiateOptions = {},
): Model {
  // Without a seed anywhere a run is not repeatable, as documented; the seed drawn is kept
  // in checkpoints so `--resume` still continues exactly.
  const seed = options.seed ?? plan.train?.config.seed ?? Math.floor(Math.random() * 2 ** 31);
  const state = backend.createState();
  for (const network of plan.networks) {
    for (const param of network.params) {
      const values = new Float32Array(param.shape.reduce((a, d) => a * d, 1));
      initialValues(
        param.init,
        param.shape,
        seed,
        streams.initBase + nameStream(param.key),
        values,
      );
      state.create(param.key, param.shape, values);
    }
  }
  // Optimizer state starts at zero; programs name it, so collect it from them.
  for (const phase of plan.train?.phases ?? []) {
    for (const decl of phase.program.tensors) {
      if (decl.storage === 'state' && !state.has(decl.name)) state.create(decl.name, decl.shape);
    }
  }
  return new Model(plan, backend, state, seed);
}

/** A stable 20-bit stream number per state key, independent of declaration order. */
function nameStream(key: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) h = Math.imul(h ^ key.charCodeAt(i), 0x01000193) >>> 0;
  return h & 0xfffff;
}

export function loadNamedWeights(
  network: NetworkPlan,
  state: DeviceState,
  bytes: Uint8Array,
  strict: boolean,
): void {
  const { tensors } = decodeSafetensors(bytes);
  const byName = new Map(network.params.map((p) => [p.name, p]));
  for (const [name, tensor] of tensors) {
    const param = byName.get(name);
    if (!param)
      throw new RuntimeError(
        `the weights file has \`${name}\`, which \`${network.name}\` does not have`,
      );
    const same =
      tensor.shape.length === param.shape.length &&
      tensor.shape.every((d, i) => d === param.shape[i]);
    if (!same) {
      throw new RuntimeError(
        `\`${name}\` has shape [${tensor.shape.join(', ')}] in the weights file but [${param.shape.join(', ')}] in \`${network.name}\``,
      );
    }
    state.write(param.key, Float32Array.from(tensor.data as ArrayLike<number>));
  }
  if (strict) {
    const missing = network.params.filter((p) => !tensors.has(p.name)).map((p) => `\`${p.name}\``);
    if (missing.length > 0)
      throw new RuntimeError(
        `the weights file lacks ${missing.slice(0, 5).join(', ')}${missing.length > 5 ? ` and ${missing.length - 5} more` : ''}`,
      );
  }
}

/**
 * The batch size N of a run, from the feeds the program reads (all must agree). A program
 * that reads no feed (a GAN's generator phase reads only noise) takes N from `fallback`.
 */
/** What `loadMatchingWeights` did, for the log. */
export interface WeightsMatch {
  /** Parameter names loaded, with the file's name where it differs. */
  readonly loaded: readonly { readonly param: string; readonly from: string }[];
  /** File tensors not used, and why. */
  readonly skipped: readonly { readonly name: string; readonly reason: string }[];
}

/**
 * Transfer learning (`weights = "lenet5.safetensors"`): loads every file tensor that matches
 * a parameter by name and shape. A parameter also matches a file name equal to its name
 * without leading layer names, when that is unambiguous: `features.conv2d_0.weight` takes
 * `conv2d_0.weight` from the weights of the network that `features` was.
 */
export function loadMatchingWeights(
  network: NetworkPlan,
  state: DeviceState,
  bytes: Uint8Array,
): WeightsMatch {
  const { tensors } = decodeSafetensors(bytes);
  const loaded: { param: string; from: string }[] = [];
  const used = new Set<string>();
  const mismatched = new Map<string, string>();
  for (const param of network.params) {
    const parts = param.name.split('.');
    // Longest name first: `features.conv2d_0.weight`, then `conv2d_0.weight`, ...
    const candidates = parts
      .map((_, i) => parts.slice(i).join('.'))
      .filter((name) => tensors.has(name));
    const from = candidates.find((name) => sameShape(tensors.get(name)!.shape, param.shape));
    if (from === undefined) {
      for (const name of candidates) {
        const shape = tensors.get(name)!.shape;
        mismatched.set(
          name,
          `shape [${shape.join(', ')}] differs from \`${param.name}\` [${param.shape.join(', ')}]`,
        );
      }
      continue;
    }
    state.write(param.key, Float32Array.from(tensors.get(from)!.data as ArrayLike<number>));
    loaded.push({ param: param.name, from });
    used.add(from);
  }
  const skipped: { name: string; reason: string }[] = [];
  for (const name of tensors.keys()) {
    if (used.has(name)) continue;
    skipped.push({
      name,
      reason: mismatched.get(name) ?? `\`${network.name}\` has no parameter of that name`,
    });
  }
  return { loaded, skipped };
}

function sameShape(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

function batchOf(program: Program, feeds: Feeds, fallback: number | undefined): number {
  let n: number | undefined;
  for (const decl of program.tensors) {
    if (decl.storage !== 'feed' || !decl.batched) continue;
    const values = feeds[decl.name];
    if (!values) throw new RuntimeError(`missing input \`${decl.name}\``);
    const size = decl.shape.reduce((a, d) => a * d, 1);
    const count = values.length / size;
    if (!Number.isInteger(count) || count === 0) {
      throw new RuntimeError(
        `input \`${decl.name}\` has ${values.length} numbers, not a whole number of samples of shape [${decl.shape.join(', ')}]`,
      );
    }
    if (n !== undefined && n !== count) {
      throw new RuntimeError(
        `input \`${decl.name}\` holds ${count} samples but another input holds ${n}`,
      );
    }
    n = count;
  }
  if (n !== undefined) return n;
  if (fallback !== undefined) return fallback;
  throw new RuntimeError('cannot tell the batch size: the program reads no batched input');
}
