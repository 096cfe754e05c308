import { RuntimeError, type Backend, type DeviceState, type RunOptions } from '../backend.js';
import type { GpuError } from './device.js';
import type { PrimKind, Program, RunContext } from '../program.js';
import type { WebGpuDevice } from './device.js';
import type { KernelLimits, WgslCall, WgslKernelTable, WgslTuningTable } from './kernels/kernel.js';
import { wgslKernels } from './kernels/index.js';
import { linearTuning } from './kernels/linear.js';
import { PipelineCache } from './pipelines.js';
import {
  buildPlan,
  unsupportedOps,
  updateUniforms,
  type DispatchPlan,
  type PlanContext,
} from './plan.js';
import { KernelTuner, type TuningChoice } from './tuning.js';
import { mapped, readBuffers, WebGpuState } from './state.js';

/*
 * The WebGPU backend. A run writes the feeds and uniforms, records every dispatch of the
 * program in one compute pass of one command encoder, copies the results (and the state the
 * program updated, when the host mirror is on; see state.ts) into one mappable buffer, submits
 * once and maps once. A run with `read: false` maps nothing: it copies its results into a
 * log buffer on the GPU and returns once submitted; `collect` maps the log once for all of
 * them (a training loop reads its losses every N steps, not every step). Plans (buffers,
 * bind groups) are cached per state, program and batch size; pipelines per WGSL source.
 */

export interface WebGpuBackendOptions {
  /** The kernels to use; defaults to `wgslKernels` (tests substitute broken ones). */
  readonly kernels?: WgslKernelTable;
  /** Limits below the device's, to exercise 2-D grids and split dispatches in tests. */
  readonly limits?: Partial<KernelLimits>;
  /**
   * Copy updated state back after every run so that the synchronous `read` stays current
   * (default false: that copies every updated parameter every step; use `readAsync`).
   */
  readonly mirrorState?: boolean;
  /**
   * Time the variants of tunable kernels (the matrix products of dense and its gradients)
   * on this device before planning a program, and use the fastest (tuning.ts). Default
   * false: plans then use each kernel's fixed default, so results and listings never depend
   * on timing. `netc train` and the benchmark turn it on.
   */
  readonly tune?: boolean;
  /** The tunable kernels; defaults to `linearTuning`. */
  readonly tuning?: WgslTuningTable;
  /** Forces a variant on calls (tests run every variant); wins over tuning. */
  readonly variantFor?: (call: WgslCall<PrimKind>) => string | undefined;
}

export interface WebGpuStats {
  /** Programs run. */
  runs: number;
  /** Compute dispatches recorded, all runs together. */
  dispatches: number;
  /** Dispatches of the most recent run. */
  lastDispatches: number;
  /** Distinct WGSL modules compiled so far. */
  pipelines: number;
  /** Kernel variants timed by the tuner (choices already made on the adapter cost none). */
  tuningRuns: number;
}

export interface WebGpuBackend extends Backend {
  readonly kind: 'webgpu';
  readonly device: WebGpuDevice;
  readonly stats: WebGpuStats;
  /**
   * The tuner's choices on this device's adapter, in the order made (every backend on the
   * adapter shares them); empty without `tune`.
   */
  readonly tuning: readonly TuningChoice[];
  /** The primitives of `program` this backend cannot run yet (empty when it can). */
  unsupported(program: Program): string[];
  /** Releases every buffer and the device; the backend cannot be used afterwards. */
  destroy(): void;
}

/** Plans kept per (state, program); more batch sizes than this evict the oldest. */
const PLANS_PER_PROGRAM = 4;

export function createWebGpuBackend(
  device: WebGpuDevice,
  options: WebGpuBackendOptions = {},
): WebGpuBackend {
  const kernels = options.kernels ?? wgslKernels;
  const limits: KernelLimits = {
    maxComputeWorkgroupsPerDimension: Math.min(
      device.limits.maxComputeWorkgroupsPerDimension,
      options.limits?.maxComputeWorkgroupsPerDimension ?? Infinity,
    ),
    maxStorageBuffersPerShaderStage: Math.min(
      device.limits.maxStorageBuffersPerShaderStage,
      options.limits?.maxStorageBuffersPerShaderStage ?? Infinity,
    ),
  };
  const pipelines = new PipelineCache(device);
  const tuner = options.tune
    ? new KernelTuner(device, pipelines, kernels, options.tuning ?? linearTuning, limits)
    : undefined;
  const forced = options.variantFor;
  const context: PlanContext = {
    device,
    pipelines,
    kernels,
    limits,
    mirrorState: options.mirrorState ?? false,
    ...(forced || tuner ? { variantFor: (call) => forced?.(call) ?? tuner?.variantFor(call) } : {}),
  };
  const log = new ResultLog(device);
  // Weakly held: a model dropped by its owner should not stay alive only for `destroy`.
  const states = new Set<WeakRef<WebGpuState>>();
  const plans = new WeakMap<WebGpuState, WeakMap<Program, Map<number, DispatchPlan>>>();
  const stats: WebGpuStats = {
    runs: 0,
    dispatches: 0,
    lastDispatches: 0,
    pipelines: 0,
    tuningRuns: 0,
  };

  async function planFor(program: Program, state: WebGpuState, batch: number) {
    let byProgram = plans.get(state);
    if (!byProgram) plans.set(state, (byProgram = new WeakMap()));
    let byBatch = byProgram.get(program);
    if (!byBatch) byProgram.set(program, (byBatch = new Map()));
    const cached = byBatch.get(batch);
    if (cached && cached.generation === state.generation) {
      // Most recently used last, so the first entry is the one to evict.
      byBatch.delete(batch);
      byBatch.set(batch, cached);
      return cached;
    }
    if (tuner) {
      await tuner.tune(program, batch);
      stats.tuningRuns = tuner.timedCandidates;
      // Another run may have planned it meanwhile.
      const planned = byBatch.get(batch);
      if (planned && planned.generation === state.generation) return planned;
    }
    if (byBatch.get(batch)) release(byBatch, batch);
    const plan = buildPlan(context, program, state, batch);
    byBatch.set(batch, plan);
    const error = await plan.ready;
    if (error) {
      release(byBatch, batch);
      throw error;
    }
    while (byBatch.size > PLANS_PER_PROGRAM) release(byBatch, byBatch.keys().next().value!);
    return plan;
  }

  return {
    kind: 'webgpu',
    description: `WebGPU on ${device.adapter}`,
    device,
    stats,
    get tuning() {
      return tuner?.list ?? [];
    },
    createState() {
      const state = new WebGpuState(device);
      for (const ref of states) if (!ref.deref()) states.delete(ref);
      states.add(new WeakRef(state));
      return state;
    },
    unsupported: (program) => unsupportedOps(program, kernels),
    async run(program, deviceState, feeds, ctx, runOptions?: RunOptions) {
      const state = asWebGpuState(deviceState);
      device.assertAlive();
      const plan = await planFor(program, state, ctx.batch);
      checkFeeds(plan, feeds, ctx);
      const count = () => {
        stats.runs++;
        stats.dispatches += plan.dispatches.length;
        stats.lastDispatches = plan.dispatches.length;
        stats.pipelines = context.pipelines.compiled;
      };
      if (runOptions?.read === false) {
        await log.record(plan, program, feeds, ctx);
        count();
        for (const { name } of plan.writtenState) state.tensor(name).stale = true;
        return {};
      }
      const results = await execute(device, plan, feeds, ctx);
      count();
      const byTensor = new Map(plan.readbacks.map((r, i) => [r.tensor, results[i]!]));
      for (const { name, tensor: id } of plan.writtenState) {
        const tensor = state.tensor(name);
        const values = byTensor.get(id);
        if (values) {
          tensor.mirror.set(values);
          tensor.stale = false;
        } else {
          tensor.stale = true;
        }
      }
      const out: Record<string, Float32Array> = {};
      for (const r of program.results) out[r.name] = byTensor.get(r.tensor)!.slice();
      return out;
    },
    collect: () => log.collect(),
    destroy() {
      log.destroy();
      for (const ref of states) ref.deref()?.destroy();
      states.clear();
      device.destroy();
    },
  };
}

function release(byBatch: Map<number, DispatchPlan>, batch: number): void {
  const plan = byBatch.get(batch);
  byBatch.delete(batch);
  for (const buffer of [...(plan?.owned ?? []), ...(plan?.idleStaging ?? [])]) buffer.destroy();
}

function asWebGpuState(state: DeviceState): WebGpuState {
  if (!(state instanceof WebGpuState)) {
    throw new RuntimeError('this state belongs to another backend');
  }
  return state;
}

/** The interpreter's checks, with its messages: every feed present and of the right size. */
function checkFeeds(
  plan: DispatchPlan,
  feeds: Readonly<Record<string, Float32Array>>,
  ctx: RunContext,
): void {
  for (const { decl } of plan.feeds) {
    const size = (decl.batched ? ctx.batch : 1) * decl.shape.reduce((a, d) => a * d, 1);
    const values = feeds[decl.name];
    if (!values) throw new RuntimeError(`missing input \`${decl.name}\``);
    if (values.length !== size) {
      throw new RuntimeError(
        `input \`${decl.name}\` has ${values.length} numbers; a batch of ${ctx.batch} of shape [${decl.shape.join(', ')}] needs ${size}`,
      );
    }
  }
  for (const check of plan.labelChecks) {
    const target = feeds[check.feed]!;
    for (let r = 0; r < target.length; r++) {
      const k = target[r]!;
      if (!Number.isInteger(k) || k < 0 || k >= check.classes) {
        throw new RangeError(
          `${check.op.replace(/(_with)?_grad$/, '')}: the target of row ${r} is ${k}, not a class index 0..${check.classes - 1}`,
        );
      }
    }
  }
}

/** Writes the feeds and uniforms and records every dispatch in one compute pass. */
function record(
  gpu: GPUDevice,
  plan: DispatchPlan,
  feeds: Readonly<Record<string, Float32Array>>,
  ctx: RunContext,
): GPUCommandEncoder {
  updateUniforms(plan, ctx);
  gpu.queue.writeBuffer(plan.uniformBuffer, 0, plan.uniformWords);
  for (const { decl, buffer } of plan.feeds) gpu.queue.writeBuffer(buffer, 0, feeds[decl.name]!);
  const encoder = gpu.createCommandEncoder({ label: 'netc step' });
  const pass = encoder.beginComputePass();
  for (const d of plan.dispatches) {
    pass.setPipeline(d.pipeline);
    pass.setBindGroup(0, d.bindGroup);
    pass.dispatchWorkgroups(...d.workgroups);
  }
  pass.end();
  return encoder;
}

/** Writes, records, submits once and reads back once. */
async function execute(
  device: WebGpuDevice,
  plan: DispatchPlan,
  feeds: Readonly<Record<string, Float32Array>>,
  ctx: RunContext,
): Promise<Float32Array[]> {
  const gpu = device.gpu;
  const pending = device.takeDeferredError();
  const { value: staging, error } = device.scoped('running the program', () => {
    const encoder = record(gpu, plan, feeds, ctx);
    const total = plan.readbacks.reduce((sum, r) => sum + r.length * 4, 0);
    const staging =
      plan.idleStaging.pop() ??
      gpu.createBuffer({
        label: 'netc results',
        size: Math.max(4, total),
        usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST,
      });
    let offset = 0;
    for (const r of plan.readbacks) {
      encoder.copyBufferToBuffer(r.buffer, 0, staging, offset, r.length * 4);
      offset += r.length * 4;
    }
    gpu.queue.submit([encoder.finish()]);
    return staging;
  });
  const first = Promise.all([pending, error]).then(([a, b]) => a ?? b);
  let results: Float32Array[];
  try {
    results = await mapped(device, staging, first, 'running the program', plan.readbacks);
  } catch (error) {
    staging.destroy();
    throw error;
  }
  plan.idleStaging.push(staging);
  return results;
}

/**
 * Results of runs made with `read: false`, kept on the GPU: each run's result tensors are
 * copied into `buffer` one after another, in the same command buffer as the run. `collect`
 * copies the used part to a mappable buffer and maps it once. At most `IN_FLIGHT` such runs
 * are queued ahead of the GPU, so a fast host cannot pile up unbounded work.
 */
class ResultLog {
  private static readonly BYTES = 1 << 20;
  private static readonly IN_FLIGHT = 3;
  private buffer: GPUBuffer | undefined;
  private used = 0;
  private entries: { names: string[]; lengths: number[]; offset: number }[] = [];
  private collected: Record<string, Float32Array>[] = [];
  private errors: Promise<GpuError | undefined>[] = [];
  private inFlight: Promise<unknown>[] = [];

  constructor(private readonly device: WebGpuDevice) {}

  async record(
    plan: DispatchPlan,
    program: Program,
    feeds: Readonly<Record<string, Float32Array>>,
    ctx: RunContext,
  ): Promise<void> {
    const results = program.results.map((r) => ({
      name: r.name,
      readback: plan.readbacks.find((b) => b.tensor === r.tensor)!,
    }));
    const bytes = results.reduce((sum, r) => sum + r.readback.length * 4, 0);
    if (this.used + bytes > ResultLog.BYTES) this.collected.push(...(await this.drain()));
    while (this.inFlight.length >= ResultLog.IN_FLIGHT) await this.inFlight.shift();
    const gpu = this.device.gpu;
    const offset = this.used;
    const pending = this.device.takeDeferredError();
    const { error } = this.device.scoped('running the program', () => {
      this.buffer ??= gpu.createBuffer({
        label: 'netc result log',
        size: ResultLog.BYTES,
        usage: GPUBufferUsage.COPY_SRC | GPUBufferUsage.COPY_DST,
      });
      const encoder = record(gpu, plan, feeds, ctx);
      let at = offset;
      for (const r of results) {
        encoder.copyBufferToBuffer(r.readback.buffer, 0, this.buffer, at, r.readback.length * 4);
        at += r.readback.length * 4;
      }
      gpu.queue.submit([encoder.finish()]);
    });
    this.errors.push(pending, error);
    this.inFlight.push(this.device.waitFor(gpu.queue.onSubmittedWorkDone()));
    this.entries.push({
      names: results.map((r) => r.name),
      lengths: results.map((r) => r.readback.length),
      offset,
    });
    this.used += bytes;
  }

  async collect(): Promise<Record<string, Float32Array>[]> {
    const out = [...this.collected, ...(await this.drain())];
    this.collected = [];
    return out;
  }

  /** Maps the log, returns its runs' results and empties it. */
  private async drain(): Promise<Record<string, Float32Array>[]> {
    const entries = this.entries;
    const errors = this.errors;
    const used = this.used;
    this.entries = [];
    this.errors = [];
    this.used = 0;
    this.inFlight = [];
    const failure = (await Promise.all(errors)).find((e) => e !== undefined);
    if (failure) throw failure;
    if (entries.length === 0 || !this.buffer) return [];
    const [values] = await readBuffers(
      this.device,
      [{ buffer: this.buffer, length: used / 4 }],
      'reading results',
    );
    return entries.map((entry) => {
      const out: Record<string, Float32Array> = {};
      let at = entry.offset / 4;
      entry.names.forEach((name, i) => {
        out[name] = values!.slice(at, at + entry.lengths[i]!);
        at += entry.lengths[i]!;
      });
      return out;
    });
  }

  destroy(): void {
    this.buffer?.destroy();
    this.buffer = undefined;
  }
}
