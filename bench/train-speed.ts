/*
 * Training and inference speed of netc against TensorFlow.js on three small MNIST models,
 * side by side in one process: netc on WebGPU and on the CPU, TF.js with
 * @tensorflow/tfjs-backend-webgpu on the same Dawn instance and with
 * @tensorflow/tfjs-backend-cpu. A benchmark, not a test: it prints figures and asserts nothing.
 * The method is described in docs/benchmark.md.
 *
 * Usage: npm run bench:train -- [--steps N] [--rounds N] [--cpu-steps N] [--warmup N] [--models M1,M2,M3] [--no-cpu] [--no-sync-row]
 */
import { createRequire } from 'node:module';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import type * as TfCore from '@tensorflow/tfjs-core';
import type * as TfLayers from '@tensorflow/tfjs-layers';
import { create, globals } from 'webgpu';
import { compileFile } from '../src/compiler/api.js';
import type { Backend } from '../src/runtime/backend.js';
import { createBackend } from '../src/runtime/createBackend.js';
import { bundledDigits } from '../src/runtime/data/mnist.js';
import { Model, type Feeds } from '../src/runtime/model.js';
import type { WebGpuBackend } from '../src/runtime/webgpu/backend.js';

const usage =
  'usage: npm run bench:train -- [--steps N] [--rounds N] [--cpu-steps N] [--warmup N] [--models M1,M2,M3] [--no-cpu] [--no-sync-row]';

// ---------------------------------------------------------------------------------------------
// Options

interface Options {
  /** Timed training steps (and inference batches) on WebGPU. */
  readonly steps: number;
  /**
   * Timed rounds of `steps` per WebGPU framework, the frameworks taking turns round by
   * round; each keeps its fastest round.
   */
  readonly rounds: number;
  /** Timed steps on the CPU backends, which are much slower. */
  readonly cpuSteps: number;
  /** Untimed steps first: pipeline compilation, buffer allocation, JIT. */
  readonly warmup: number;
  readonly models: readonly string[];
  /** Run netc CPU and TF.js CPU too. */
  readonly cpu: boolean;
  /** Time netc WebGPU training a second time, reading the loss back every step. */
  readonly syncRow: boolean;
}

/** The least a timed WebGPU round lasts: it runs whole multiples of `--steps` until then. */
const MIN_ROUND_MS = 1000;

/** Warm-up steps of the CPU backends, which compile nothing: one, for the JIT and allocations. */
const cpuWarmup = 1;

function parseOptions(args: readonly string[]): Options {
  let steps = 5;
  let rounds = 3;
  let cpuSteps: number | undefined;
  let warmup = 2;
  let models = ['M1', 'M2', 'M3'];
  let cpu = true;
  let syncRow = true;
  const count = (flag: string, value: string | undefined, min: number): number => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < min) fail(`${flag} needs a whole number ≥ ${min}`);
    return n;
  };
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    const [flag, inline] = arg.includes('=') ? arg.split('=', 2) : [arg, undefined];
    const value = () => inline ?? args[++i];
    if (flag === '--steps') steps = count(flag, value(), 1);
    else if (flag === '--rounds') rounds = count(flag, value(), 1);
    else if (flag === '--cpu-steps') cpuSteps = count(flag, value(), 1);
    else if (flag === '--warmup') warmup = count(flag, value(), 1);
    else if (flag === '--models') {
      models = (value() ?? '').split(',').map((m) => m.trim().toUpperCase());
      const unknown = models.filter((m) => !benchModels.some((b) => b.id === m));
      if (models.length === 0 || unknown.length > 0) fail(`unknown model ${unknown.join(', ')}`);
    } else if (flag === '--no-cpu') cpu = false;
    else if (flag === '--no-sync-row') syncRow = false;
    else if (flag === '--help' || flag === '-h') {
      console.log(usage);
      process.exit(0);
    } else fail(`unknown option ${arg}`);
  }
  return { steps, rounds, cpuSteps: cpuSteps ?? Math.min(steps, 2), warmup, models, cpu, syncRow };
}

function fail(message: string): never {
  console.error(`bench:train: ${message}\n${usage}`);
  process.exit(2);
}

// ---------------------------------------------------------------------------------------------
// The models: one .net file each, and the same network written with tf.layers

type Tf = typeof TfCore;
type Tfl = typeof TfLayers;

interface BenchModel {
  readonly id: string;
  readonly title: string;
  /** The netc model, relative to the repository root. */
  readonly file: string;
  readonly network: string;
  readonly batch: number;
  /** The TF.js layers up to the logits (NHWC input [28, 28, 1]). */
  layers(tfl: Tfl): TfLayers.layers.Layer[];
  optimizer(tf: Tf): TfCore.Optimizer;
  /** Whether the netc network ends in softmax (its inference output is probabilities). */
  readonly softmax: boolean;
}

const input = [28, 28, 1];

const benchModels: readonly BenchModel[] = [
  {
    id: 'M1',
    title: 'MLP 784 → 30 sigmoid → 10 softmax, cross-entropy, SGD(lr 0.5)',
    file: 'bench/m1_mlp.net',
    network: 'MLP',
    batch: 128,
    layers: (tfl) => [
      tfl.layers.flatten({ inputShape: input }),
      tfl.layers.dense({ units: 30, activation: 'sigmoid' }),
      tfl.layers.dense({ units: 10 }),
    ],
    optimizer: (tf) => tf.train.sgd(0.5),
    softmax: true,
  },
  {
    id: 'M2',
    title:
      'Keras CNN: Conv2D(32, 3×3, relu), Flatten, Dense(128, relu), Dense(10, softmax), Adam(1e-3)',
    file: 'bench/m2_keras_cnn.net',
    network: 'KerasCNN',
    batch: 32,
    layers: (tfl) => [
      tfl.layers.conv2d({ inputShape: input, filters: 32, kernelSize: 3, activation: 'relu' }),
      tfl.layers.flatten(),
      tfl.layers.dense({ units: 128, activation: 'relu' }),
      tfl.layers.dense({ units: 10 }),
    ],
    optimizer: (tf) => tf.train.adam(1e-3),
    softmax: true,
  },
  {
    id: 'M3',
    title:
      'LeNet-5: conv 5×5×6 same, tanh, maxpool, conv 5×5×16, tanh, maxpool, 120, 84, 10, Adam(1e-3)',
    file: 'bench/m3_lenet5.net',
    network: 'LeNet5',
    batch: 64,
    layers: (tfl) => [
      tfl.layers.conv2d({
        inputShape: input,
        filters: 6,
        kernelSize: 5,
        padding: 'same',
        activation: 'tanh',
      }),
      tfl.layers.maxPooling2d({ poolSize: 2 }),
      tfl.layers.conv2d({ filters: 16, kernelSize: 5, activation: 'tanh' }),
      tfl.layers.maxPooling2d({ poolSize: 2 }),
      tfl.layers.flatten(),
      tfl.layers.dense({ units: 120, activation: 'tanh' }),
      tfl.layers.dense({ units: 84, activation: 'tanh' }),
      tfl.layers.dense({ units: 10 }),
    ],
    optimizer: (tf) => tf.train.adam(1e-3),
    softmax: false,
  },
];

// ---------------------------------------------------------------------------------------------
// Data: real MNIST digits, the same batches for every framework

/** Distinct batches per model, cycled through by the steps. */
const batchesPerModel = 8;

interface Batch {
  /** B × 784 pixels in [0, 1]: NCHW [B, 1, 28, 28] for netc, NHWC [B, 28, 28, 1] for TF.js. */
  readonly x: Float32Array;
  /** Class indices, for netc. */
  readonly label: Float32Array;
  /** One-hot B × 10, for TF.js. */
  readonly oneHot: Float32Array;
}

function makeBatches(size: number): Batch[] {
  const digits = bundledDigits();
  const batches: Batch[] = [];
  for (let k = 0; k < batchesPerModel; k++) {
    const start = (k * size) % (digits.count - size);
    const x = digits.images.slice(start * 784, (start + size) * 784);
    const label = Float32Array.from(digits.labels.subarray(start, start + size));
    const oneHot = new Float32Array(size * 10);
    label.forEach((c, i) => (oneHot[i * 10 + c] = 1));
    batches.push({ x, label, oneHot });
  }
  return batches;
}

// ---------------------------------------------------------------------------------------------
// Counting dispatches: Dawn's compute pass encoder, wrapped once for both frameworks

const gpuClasses = globals as unknown as {
  GPUComputePassEncoder: { prototype: GPUComputePassEncoder };
};
const passPrototype = gpuClasses.GPUComputePassEncoder.prototype;

const gpuCounter = {
  dispatches: 0,
  /** Pipeline labels of the dispatches, while set. */
  labels: undefined as string[] | undefined,
  /** The label of the pipeline set last, per pass encoder. */
  current: new WeakMap<GPUComputePassEncoder, string>(),
};

{
  const dispatch = passPrototype.dispatchWorkgroups;
  const setPipeline = passPrototype.setPipeline;
  passPrototype.setPipeline = function (this: GPUComputePassEncoder, pipeline) {
    gpuCounter.current.set(this, pipeline.label);
    return setPipeline.call(this, pipeline);
  };
  passPrototype.dispatchWorkgroups = function (this: GPUComputePassEncoder, x, y, z) {
    gpuCounter.dispatches++;
    gpuCounter.labels?.push(gpuCounter.current.get(this) || '(unlabelled)');
    return dispatch.call(this, x, y, z);
  };
}

/** Labels in order of first use, with how often each occurs: `dense×2, sigmoid, ...`. */
function summarizeLabels(labels: readonly string[]): string {
  const counts = new Map<string, number>();
  for (const label of labels) counts.set(label, (counts.get(label) ?? 0) + 1);
  return [...counts].map(([label, n]) => (n > 1 ? `${label}×${n}` : label)).join(', ');
}

// ---------------------------------------------------------------------------------------------
// One framework on one backend, and its measurement

interface Runner {
  /** Queues one training step on `batch` (netc without deferred losses also waits for it). */
  train(batch: Batch): Promise<void>;
  /** Waits for the queued work to finish; returns the last step's loss. */
  sync(): Promise<number>;
  /** One inference batch, its output read back to the host. */
  infer(batch: Batch): Promise<void>;
  /** Dispatches by the backend's own counter: the last run's, and all runs' (netc WebGPU). */
  stats?(): { readonly last: number; readonly total: number };
  dispose(): void;
}

type Failed = { readonly error: string };

interface TrainFigures {
  readonly perSecond: number;
  readonly msPerStep: number;
  /** Mean dispatches per timed step, by the wrapped dispatchWorkgroups. */
  readonly dispatches: number;
  readonly loss: number;
  /** backend.stats of netc WebGPU: lastDispatches after the timed loop, mean per timed step. */
  readonly stats?: { readonly last: number; readonly mean: number };
  /** Pipeline labels of one warm-up step, on a GPU. */
  readonly labels?: string;
}

interface InferFigures {
  readonly perSecond: number;
  readonly dispatches: number;
  readonly stats?: { readonly last: number };
}

interface Measurement {
  readonly train: TrainFigures | Failed;
  readonly infer: InferFigures | Failed | undefined;
  /** Training samples/s of every timed round, in order (WebGPU frameworks). */
  readonly trainRounds?: readonly number[];
}

function messageOf(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).split('\n')[0]!;
}

/** Warm-up steps, then `steps` timed steps ending with a sync. */
async function measureTraining(
  runner: Runner,
  batches: readonly Batch[],
  steps: number,
  warmup: number,
  gpu: boolean,
): Promise<TrainFigures> {
  const batchAt = (i: number) => batches[i % batches.length]!;
  let labels: string | undefined;
  for (let i = 0; i < warmup; i++) {
    if (gpu && i === warmup - 1) gpuCounter.labels = [];
    await runner.train(batchAt(i));
    await runner.sync();
    if (gpuCounter.labels) labels = summarizeLabels(gpuCounter.labels);
    gpuCounter.labels = undefined;
  }
  const before = runner.stats?.();
  const dispatches = gpuCounter.dispatches;
  const start = performance.now();
  let done = 0;
  // Whole runs of `steps` until the round has lasted MIN_ROUND_MS: a fast model's few steps
  // take milliseconds, too short to time on a shared machine.
  do {
    for (let i = 0; i < steps; i++, done++) await runner.train(batchAt(warmup + done));
  } while (gpu && performance.now() - start < MIN_ROUND_MS);
  const loss = await runner.sync();
  const seconds = (performance.now() - start) / 1000;
  const after = runner.stats?.();
  return {
    perSecond: (batches[0]!.label.length * done) / seconds,
    msPerStep: (seconds * 1000) / done,
    dispatches: (gpuCounter.dispatches - dispatches) / done,
    loss,
    ...(before &&
      after && { stats: { last: after.last, mean: (after.total - before.total) / done } }),
    ...(labels !== undefined && { labels }),
  };
}

/** Warm-up batches, then `steps` timed batches, each output read back before the next. */
async function measureInference(
  runner: Runner,
  batches: readonly Batch[],
  steps: number,
  warmup: number,
): Promise<InferFigures> {
  const batchAt = (i: number) => batches[i % batches.length]!;
  for (let i = 0; i < warmup; i++) await runner.infer(batchAt(i));
  const dispatches = gpuCounter.dispatches;
  const start = performance.now();
  let done = 0;
  do {
    for (let i = 0; i < steps; i++, done++) await runner.infer(batchAt(done));
  } while (performance.now() - start < MIN_ROUND_MS);
  const seconds = (performance.now() - start) / 1000;
  const stats = runner.stats?.();
  return {
    perSecond: (batches[0]!.label.length * done) / seconds,
    dispatches: (gpuCounter.dispatches - dispatches) / done,
    ...(stats && { stats: { last: stats.last } }),
  };
}

/** The deferred-loss API of Model, where it exists (`trainStep(batch, { readLoss: false })`). */
interface DeferredLosses {
  trainStep(batch: Feeds, options: { readonly readLoss: false }): Promise<unknown>;
  collectLosses(): Promise<readonly { readonly loss: number }[]>;
}

const netcDefersLosses =
  typeof (Model.prototype as Partial<DeferredLosses>).collectLosses === 'function';

/**
 * netc: with `deferLoss` (and an API that has it) a step is queued with `readLoss: false` and
 * `sync` collects the losses; otherwise every `trainStep` reads its loss back.
 */
function netcRunner(model: Model, backend: Backend, deferLoss: boolean): Runner {
  let loss = Number.NaN;
  const webgpu = backend.kind === 'webgpu' ? (backend as WebGpuBackend) : undefined;
  const deferred = deferLoss && netcDefersLosses ? (model as unknown as DeferredLosses) : undefined;
  return {
    async train(batch) {
      const feeds = { x: batch.x, label: batch.label };
      if (deferred) await deferred.trainStep(feeds, { readLoss: false });
      else loss = (await model.trainStep(feeds)).loss;
    },
    async sync() {
      if (deferred) loss = (await deferred.collectLosses()).at(-1)?.loss ?? Number.NaN;
      return loss;
    },
    async infer(batch) {
      await model.forward({ x: batch.x });
    },
    ...(webgpu && {
      stats: () => ({ last: webgpu.stats.lastDispatches, total: webgpu.stats.dispatches }),
    }),
    dispose() {
      webgpu?.destroy();
    },
  };
}

function tfjsRunner(tf: Tf, tfl: Tfl, spec: BenchModel): Runner {
  const model = tfl.sequential({ layers: spec.layers(tfl) });
  const optimizer = spec.optimizer(tf);
  const variables = model.trainableWeights.map((w) => w.read() as TfCore.Variable);
  const n = spec.batch;
  let last: TfCore.Scalar | null = null;
  return {
    async train(batch) {
      last?.dispose();
      const x = tf.tensor4d(batch.x, [n, 28, 28, 1]);
      const y = tf.tensor2d(batch.oneHot, [n, 10]);
      last = optimizer.minimize(
        () => tf.losses.softmaxCrossEntropy(y, model.apply(x, { training: true }) as TfCore.Tensor),
        true,
        variables,
      );
      tf.dispose([x, y]);
    },
    async sync() {
      return last ? (await last.data())[0]! : Number.NaN;
    },
    async infer(batch) {
      const out = tf.tidy(() => {
        const logits = model.predict(tf.tensor4d(batch.x, [n, 28, 28, 1])) as TfCore.Tensor;
        return spec.softmax ? tf.softmax(logits) : logits;
      });
      await out.data();
      out.dispose();
    },
    dispose() {
      last?.dispose();
      optimizer.dispose();
      model.dispose();
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Printing

/** The rows of a model's table; `netc WebGPU*` reads the loss back every step. */
const frameworks = [
  'netc WebGPU',
  'netc WebGPU*',
  'netc CPU',
  'TF.js WebGPU',
  'TF.js CPU',
] as const;
type Framework = (typeof frameworks)[number];

function fixed(value: number, digits = 1): string {
  return value.toLocaleString('en-US', {
    minimumFractionDigits: digits,
    maximumFractionDigits: digits,
  });
}

function countOf(value: number): string {
  return Number.isInteger(value) ? String(value) : fixed(value, 2);
}

function row(cells: readonly string[], widths: readonly number[]): string {
  return cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
}

function ok<T extends object>(part: T | Failed | undefined): T | undefined {
  return part && !('error' in part) ? part : undefined;
}

function ratio(a: number | undefined, b: number | undefined): string {
  return a !== undefined && b !== undefined ? `${(a / b).toFixed(2)}×` : '-';
}

function printModel(spec: BenchModel, results: ReadonlyMap<Framework, Measurement>): void {
  console.log();
  console.log(`${spec.id}  ${spec.title}, batch ${spec.batch}  (${spec.file})`);
  const widths = [13, 16, 9, 16, 16, 17, 7];
  const head = [
    'framework',
    'train samples/s',
    'ms/step',
    'dispatches/step',
    'infer samples/s',
    'dispatches/batch',
    'loss',
  ];
  console.log(`  ${row(head, widths)}`);
  const failures: string[] = [];
  for (const name of frameworks) {
    const r = results.get(name);
    if (!r) continue;
    const gpu = name.includes('WebGPU');
    const train = ok(r.train);
    const infer = ok(r.infer);
    if ('error' in r.train) failures.push(`${name} training failed: ${r.train.error}`);
    if (r.infer && 'error' in r.infer) failures.push(`${name} inference failed: ${r.infer.error}`);
    const cells = [
      name,
      train ? fixed(train.perSecond) : 'failed',
      train ? fixed(train.msPerStep, 2) : '',
      train && gpu ? countOf(train.dispatches) : '-',
      infer ? fixed(infer.perSecond) : r.infer ? 'failed' : '-',
      infer && gpu ? countOf(infer.dispatches) : '-',
      train ? train.loss.toFixed(4) : '',
    ];
    console.log(`  ${row(cells, widths)}`);
  }
  if (results.has('netc WebGPU*'))
    console.log(
      '  * the same, but every trainStep reads its loss back (the host waits for each step)',
    );
  for (const failure of failures) console.log(`  ${failure}`);
  const netc = results.get('netc WebGPU');
  const tfjs = results.get('TF.js WebGPU');
  const netcTrain = ok(netc?.train);
  const netcInfer = ok(netc?.infer);
  if (netcTrain?.stats || netcInfer?.stats) {
    const parts = [];
    if (netcTrain?.stats)
      parts.push(
        `${netcTrain.stats.last} after training (mean ${countOf(netcTrain.stats.mean)} per timed step)`,
      );
    if (netcInfer?.stats) parts.push(`${netcInfer.stats.last} after inference`);
    console.log(`  netc backend.stats.lastDispatches: ${parts.join(', ')}`);
  }
  console.log(
    `  netc WebGPU / TF.js WebGPU: training ${ratio(netcTrain?.perSecond, ok(tfjs?.train)?.perSecond)}, inference ${ratio(netcInfer?.perSecond, ok(tfjs?.infer)?.perSecond)}`,
  );
  const netcRounds = netc?.trainRounds ?? [];
  const tfjsRounds = tfjs?.trainRounds ?? [];
  if (netcRounds.length > 1 && netcRounds.length === tfjsRounds.length) {
    const perRound = netcRounds.map((n, i) => ratio(n, tfjsRounds[i]));
    console.log(`  training ratio round by round: ${perRound.join(', ')}`);
  }
  if (netcTrain?.labels) console.log(`  netc kernels of one training step: ${netcTrain.labels}`);
  const tfjsLabels = ok(tfjs?.train)?.labels;
  if (tfjsLabels) console.log(`  TF.js programs of one training step: ${tfjsLabels}`);
}

function printSummary(
  specs: readonly BenchModel[],
  all: ReadonlyMap<string, ReadonlyMap<Framework, Measurement>>,
): void {
  console.log();
  console.log(
    'Summary, WebGPU: samples/s and dispatches per training step; ratio = netc / TF.js (> 1: netc faster)',
  );
  const widths = [5, 11, 11, 7, 11, 11, 7, 9, 10];
  const head = [
    'model',
    'train netc',
    'train TF.js',
    'ratio',
    'infer netc',
    'infer TF.js',
    'ratio',
    'disp netc',
    'disp TF.js',
  ];
  console.log(`  ${row(head, widths)}`);
  for (const spec of specs) {
    const results = all.get(spec.id);
    const netcTrain = ok(results?.get('netc WebGPU')?.train);
    const tfjsTrain = ok(results?.get('TF.js WebGPU')?.train);
    const netcInfer = ok(results?.get('netc WebGPU')?.infer);
    const tfjsInfer = ok(results?.get('TF.js WebGPU')?.infer);
    const value = (n: number | undefined, f: (n: number) => string) =>
      n === undefined ? '-' : f(n);
    const cells = [
      spec.id,
      value(netcTrain?.perSecond, fixed),
      value(tfjsTrain?.perSecond, fixed),
      ratio(netcTrain?.perSecond, tfjsTrain?.perSecond),
      value(netcInfer?.perSecond, fixed),
      value(tfjsInfer?.perSecond, fixed),
      ratio(netcInfer?.perSecond, tfjsInfer?.perSecond),
      value(netcTrain?.dispatches, countOf),
      value(tfjsTrain?.dispatches, countOf),
    ];
    console.log(`  ${row(cells, widths)}`);
  }
}

// ---------------------------------------------------------------------------------------------
// Main

const root = path.resolve(import.meta.dirname, '..');
process.chdir(root);
const options = parseOptions(process.argv.slice(2));
const specs = benchModels.filter((m) => options.models.includes(m.id));

// TF.js's WebGPU backend registers itself on import only if navigator.gpu exists, and uses
// Dawn's classes as globals; netc takes navigator.gpu too, so both get adapters and devices of
// one Dawn instance (separate devices, nothing shared).
Object.assign(globalThis, globals);
Object.defineProperty(globalThis, 'navigator', {
  value: { gpu: create([]) },
  configurable: true,
  writable: true,
});
const tf = (await import('@tensorflow/tfjs-core')) as Tf;
await import('@tensorflow/tfjs-backend-cpu');
await import('@tensorflow/tfjs-backend-webgpu');
const tfl = (await import('@tensorflow/tfjs-layers')) as Tfl;
tf.enableProdMode();

const require = createRequire(import.meta.url);
const dawnVersion = (require('webgpu/package.json') as { version: string }).version;
const probe = (await createBackend('webgpu')) as WebGpuBackend;
const netcAdapter = probe.device.adapter;
probe.destroy();
await tf.setBackend('webgpu');
const tfAdapter = (tf.backend() as unknown as { adapterInfo?: Record<string, unknown> })
  .adapterInfo;
const tfAdapterName = Object.entries(tfAdapter ?? {})
  .filter(([, v]) => typeof v === 'string' && v !== '')
  .map(([k, v]) => `${k} ${String(v)}`)
  .join(', ');

console.log('netc vs TensorFlow.js: training and inference speed (bench/train-speed.ts)');
console.log(`Node ${process.version} on ${process.platform}-${process.arch}`);
console.log(
  `Dawn (webgpu package) ${dawnVersion}; TF.js ${tf.version_core} (core, layers, backend-webgpu, backend-cpu)`,
);
console.log(`Adapter, netc:  ${netcAdapter}`);
console.log(
  `Adapter, TF.js: ${tfAdapterName || 'unknown'} (same Dawn instance, separate adapter and device)`,
);
console.log(
  `Steps: WebGPU ${options.warmup} warm-up, then ${options.rounds} timed rounds of whole runs of ${options.steps} steps lasting at least ${MIN_ROUND_MS / 1000} s, the frameworks taking turns, each keeping its fastest round; CPU ${cpuWarmup} warm-up + ${options.cpuSteps} timed; inference likewise`,
);
console.log(
  `Data: real MNIST digits (the mnist package, netc's bundled order), ${batchesPerModel} fixed batches per model, cycled`,
);
console.log(
  netcDefersLosses
    ? 'netc step: model.trainStep(batch, { readLoss: false }), queued; the timed loop ends with await model.collectLosses()'
    : 'netc step: await model.trainStep(batch), which reads the loss back every step (no deferred-loss API yet)',
);
console.log(
  'TF.js step: optimizer.minimize(() => softmaxCrossEntropy(y, model.apply(x)), true, weights), queued; the timed loop ends with await loss.data()',
);
console.log(
  'Inference: netc await model.forward({ x }); TF.js await model.predict(x).data(); every batch read back',
);
console.log(
  'netc kernel variants: the WebGPU backend tunes its matrix products (tune: true) and lists its choices per model, with the pipeline labels of one training step',
);

const all = new Map<string, Map<Framework, Measurement>>();
for (const spec of specs) {
  const batches = makeBatches(spec.batch);
  const results = new Map<Framework, Measurement>();
  all.set(spec.id, results);
  const compiled = compileFile(spec.file);
  const errors = compiled.diagnostics.filter((d) => d.severity === 'error');
  const network = compiled.networks[spec.network];
  if (errors.length > 0 || !network) {
    console.log(`\n${spec.file} does not compile: ${errors.map((d) => d.message).join('; ')}`);
    continue;
  }
  if (network.train?.batch !== spec.batch) {
    console.log(
      `note: ${spec.file} trains with batch ${network.train?.batch}; the bench uses ${spec.batch}`,
    );
  }

  const run = async (name: Framework, make: () => Promise<Runner>, inference = true) => {
    const gpu = name.includes('WebGPU');
    const steps = gpu ? options.steps : options.cpuSteps;
    const warmup = gpu ? options.warmup : cpuWarmup;
    let runner: Runner | undefined;
    let train: TrainFigures | Failed;
    let infer: InferFigures | Failed | undefined;
    try {
      runner = await make();
      train = await measureTraining(runner, batches, steps, warmup, gpu).catch(
        (error: unknown) => ({ error: messageOf(error) }),
      );
      if (inference) {
        infer = await measureInference(runner, batches, steps, warmup).catch((error: unknown) => ({
          error: messageOf(error),
        }));
      }
    } catch (error) {
      train = { error: messageOf(error) };
    } finally {
      runner?.dispose();
    }
    results.set(name, { train, infer });
  };
  /**
   * The WebGPU frameworks take turns, round by round, so that each meets the machine's slow
   * and fast spells alike (on a shared 2-core machine the same kernels vary by ±30% from
   * minute to minute); each keeps its fastest round. All are created first and live
   * together, each on its own device.
   */
  const runWebGpu = async (
    contenders: readonly {
      readonly name: Framework;
      readonly make: () => Promise<Runner>;
      readonly inference: boolean;
    }[],
  ) => {
    const live: {
      name: Framework;
      runner: Runner;
      inference: boolean;
      train: TrainFigures[];
      infer: InferFigures[];
      labels?: string;
    }[] = [];
    for (const c of contenders) {
      try {
        live.push({ ...c, runner: await c.make(), train: [], infer: [] });
      } catch (error) {
        results.set(c.name, { train: { error: messageOf(error) }, infer: undefined });
      }
    }
    const failed = new Map<Framework, string>();
    for (let round = 0; round < options.rounds; round++) {
      for (const c of live) {
        if (failed.has(c.name)) continue;
        const warmup = round === 0 ? options.warmup : 0;
        try {
          const train = await measureTraining(c.runner, batches, options.steps, warmup, true);
          c.labels ??= train.labels;
          c.train.push(train);
          if (c.inference)
            c.infer.push(await measureInference(c.runner, batches, options.steps, warmup));
        } catch (error) {
          failed.set(c.name, messageOf(error));
        }
      }
    }
    const fastest = <T extends { readonly perSecond: number }>(rounds: readonly T[]) =>
      rounds.reduce<T | undefined>((a, b) => (a && a.perSecond >= b.perSecond ? a : b), undefined);
    for (const c of live) {
      c.runner.dispose();
      const error = failed.get(c.name);
      const train = fastest(c.train);
      const infer = fastest(c.infer);
      results.set(c.name, {
        train:
          error || !train ? { error: error ?? 'no round ran' } : { ...train, labels: c.labels },
        infer: !c.inference
          ? undefined
          : error || !infer
            ? { error: error ?? 'no round ran' }
            : infer,
        trainRounds: c.train.map((t) => t.perSecond),
      });
    }
  };
  // The tuner's choices are kept per adapter: those this model's run added are its own.
  let tuned: WebGpuBackend | undefined;
  let tunedBefore = new Set<string>();
  const netcOn = (kind: 'webgpu' | 'cpu', deferLoss: boolean) => async () => {
    const backend = await createBackend(kind, { tune: true });
    if (backend.kind === 'webgpu' && !tuned) {
      tuned = backend as WebGpuBackend;
      tunedBefore = new Set(tuned.tuning.map((c) => c.key));
    }
    const model = await network.instantiate(backend, { seed: 1 });
    return netcRunner(model, backend, deferLoss);
  };
  const tfjsOn = (kind: 'webgpu' | 'cpu') => async () => {
    await tf.setBackend(kind);
    return tfjsRunner(tf, tfl, spec);
  };
  await runWebGpu([
    { name: 'netc WebGPU', make: netcOn('webgpu', true), inference: true },
    ...(netcDefersLosses && options.syncRow
      ? [{ name: 'netc WebGPU*' as const, make: netcOn('webgpu', false), inference: false }]
      : []),
    { name: 'TF.js WebGPU', make: tfjsOn('webgpu'), inference: true },
  ]);
  if (options.cpu) await run('netc CPU', netcOn('cpu', true));
  if (options.cpu) await run('TF.js CPU', tfjsOn('cpu'));
  printModel(spec, results);
  const choices = tuned?.tuning.filter((c) => !tunedBefore.has(c.key)) ?? [];
  for (const c of choices) {
    console.log(
      `  netc variant: ${c.op} ${c.m}×${c.n}×${c.k}: ${c.variant}, ${c.ms.toFixed(2)} ms, ${c.gflops.toFixed(2)} GFLOP/s (of ${c.timings.length} timed)`,
    );
  }
}
printSummary(specs, all);
