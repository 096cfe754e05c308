import { RuntimeError, type Backend, type DeviceState } from '../backend.js';
import type { Program, RunContext } from '../program.js';
import type { WebGpuDevice } from './device.js';
import type { KernelLimits, WgslKernelTable } from './kernels/kernel.js';
import { wgslKernels } from './kernels/index.js';
import { PipelineCache } from './pipelines.js';
import { buildPlan, unsupportedOps, updateUniforms, type DispatchPlan } from './plan.js';
import { mapped, WebGpuState } from './state.js';

/*
 * The WebGPU backend. A run writes the feeds and uniforms, records every dispatch of the
 * program in one compute pass of one command encoder, copies the results (and the state the
 * program updated, for the host mirror; see state.ts) into one mappable buffer, submits once
 * and maps once. Plans (buffers, bind groups) are cached per state, program and batch size;
 * pipelines per WGSL source.
 */

export interface WebGpuBackendOptions {
  /** The kernels to use; defaults to `wgslKernels` (tests substitute broken ones). */
  readonly kernels?: WgslKernelTable;
  /** Limits below the device's, to exercise 2-D grids and split dispatches in tests. */
  readonly limits?: Partial<KernelLimits>;
  /** Copy updated state back after every run so that `read` is current (default true). */
  readonly mirrorState?: boolean;
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
}

export interface WebGpuBackend extends Backend {
  readonly kind: 'webgpu';
  readonly device: WebGpuDevice;
  readonly stats: WebGpuStats;
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
  const context = {
    device,
    pipelines: new PipelineCache(device),
    kernels,
    limits,
    mirrorState: options.mirrorState ?? true,
  };
  // Weakly held: a model dropped by its owner should not stay alive only for `destroy`.
  const states = new Set<WeakRef<WebGpuState>>();
  const plans = new WeakMap<WebGpuState, WeakMap<Program, Map<number, DispatchPlan>>>();
  const stats: WebGpuStats = { runs: 0, dispatches: 0, lastDispatches: 0, pipelines: 0 };

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
    if (cached) release(byBatch, batch);
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
    createState() {
      const state = new WebGpuState(device);
      for (const ref of states) if (!ref.deref()) states.delete(ref);
      states.add(new WeakRef(state));
      return state;
    },
    unsupported: (program) => unsupportedOps(program, kernels),
    async run(program, deviceState, feeds, ctx) {
      const state = asWebGpuState(deviceState);
      device.assertAlive();
      const plan = await planFor(program, state, ctx.batch);
      checkFeeds(plan, feeds, ctx);
      const results = await execute(device, plan, feeds, ctx);
      stats.runs++;
      stats.dispatches += plan.dispatches.length;
      stats.lastDispatches = plan.dispatches.length;
      stats.pipelines = context.pipelines.compiled;
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
    destroy() {
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
          `${check.op.replace(/_grad$/, '')}: the target of row ${r} is ${k}, not a class index 0..${check.classes - 1}`,
        );
      }
    }
  }
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
