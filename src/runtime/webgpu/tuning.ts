import type { PrimKind, Program } from '../program.js';
import type { WebGpuDevice } from './device.js';
import type {
  KernelLimits,
  WgslCall,
  WgslDispatch,
  WgslKernel,
  WgslKernelTable,
  WgslTunable,
  WgslTuningTable,
} from './kernels/kernel.js';
import { uniformMembers } from './kernels/shader.js';
import type { PipelineCache } from './pipelines.js';
import { instructionCall, storeUniform } from './plan.js';

/*
 * The autotuner. Kernels with several layouts of their work (`WgslTunable`: the matrix
 * products of dense and its gradients) name candidate variants; before a program is planned
 * the tuner runs each candidate once per class of calls (the tunable's key: op, sizes rounded
 * to powers of two, layout) on scratch buffers of the call's shapes, timed by the queue's
 * completion, and keeps the fastest. Small calls keep the kernel's default (MIN_FLOPS). Choices are kept per adapter for the life of the
 * process, so a second plan, batch size or backend on the same adapter times nothing.
 *
 * Only backends created with `tune` tune: a plan's kernels otherwise use their fixed
 * defaults, so that tests and listings never depend on timing.
 */

export interface TuningChoice {
  readonly op: PrimKind;
  /** The class of calls the choice is for. */
  readonly key: string;
  /** The size of the call it was timed on. */
  readonly m: number;
  readonly n: number;
  readonly k: number;
  readonly variant: string;
  /** The chosen variant's best time, in milliseconds, and its rate. */
  readonly ms: number;
  readonly gflops: number;
  /** Every candidate's best time (Infinity for one that failed to build or run). */
  readonly timings: readonly { readonly variant: string; readonly ms: number }[];
}

/** Choices by adapter (the device's one-line description). */
const choicesByAdapter = new Map<string, Map<string, TuningChoice>>();

/**
 * Rounds of timing: each round runs every candidate still in the race once, so that a burst
 * of load on a shared machine slows them alike. At least MIN_ROUNDS, more while the rounds
 * took under BUDGET_MS, at most MAX_ROUNDS; a candidate HOPELESS times slower than the
 * best after a round leaves the race.
 */
const MIN_ROUNDS = 3;
const MAX_ROUNDS = 10;
const BUDGET_MS = 60;
const HOPELESS = 2;

/**
 * Products of fewer floating-point operations are not tuned: they take a fraction of a
 * millisecond, where dispatch overhead hides the layout (every candidate timed alike on
 * lavapipe), and timing them would cost more than it could save.
 */
const MIN_FLOPS = 2 ** 22;

export class KernelTuner {
  private readonly choices: Map<string, TuningChoice>;
  private readonly pending = new Map<string, Promise<void>>();
  /** Candidate timings this tuner ran. */
  timedCandidates = 0;

  constructor(
    private readonly device: WebGpuDevice,
    private readonly pipelines: PipelineCache,
    private readonly kernels: WgslKernelTable,
    private readonly table: WgslTuningTable,
    private readonly limits: KernelLimits,
  ) {
    let choices = choicesByAdapter.get(device.adapter);
    if (!choices) choicesByAdapter.set(device.adapter, (choices = new Map()));
    this.choices = choices;
  }

  /** Every choice made on this adapter so far, in the order made. */
  get list(): readonly TuningChoice[] {
    return [...this.choices.values()];
  }

  /** The chosen variant for `call`, if its class has been tuned. */
  variantFor(call: WgslCall<PrimKind>): string | undefined {
    const key = this.tunable(call.op)?.key(call);
    return key === undefined ? undefined : this.choices.get(key)?.variant;
  }

  /** Times the candidates of every class of tunable call in `program` not chosen yet. */
  async tune(program: Program, batch: number): Promise<void> {
    for (const instr of program.instrs) {
      const tunable = this.tunable(instr.op);
      const kernel = this.kernels[instr.op] as WgslKernel<PrimKind> | undefined;
      if (!tunable || !kernel) continue;
      const call = instructionCall(program, instr, batch, this.limits);
      const key = tunable.key(call);
      if (key === undefined || this.choices.has(key)) continue;
      if (tunable.size(call).flops < MIN_FLOPS) continue;
      // Two plans of one class at once time it once.
      let job = this.pending.get(key);
      if (!job) {
        job = this.choose(key, tunable, kernel, call).finally(() => this.pending.delete(key));
        this.pending.set(key, job);
      }
      await job;
    }
  }

  private tunable(op: PrimKind): WgslTunable<PrimKind> | undefined {
    return this.table[op] as WgslTunable<PrimKind> | undefined;
  }

  private async choose(
    key: string,
    tunable: WgslTunable<PrimKind>,
    kernel: WgslKernel<PrimKind>,
    call: WgslCall<PrimKind>,
  ): Promise<void> {
    const owned: GPUBuffer[] = [];
    try {
      const variants = tunable.candidates(call, { software: this.device.software });
      const buffers = new Map<number, GPUBuffer>();
      const racers: { variant: string; run: () => Promise<void>; ms: number }[] = [];
      const timings: { variant: string; ms: number }[] = [];
      for (const variant of variants) {
        // A candidate the device rejects or that fails to run drops out with Infinity.
        const run = await this.prepare(kernel({ ...call, variant }), call, buffers, owned).catch(
          () => undefined,
        );
        this.timedCandidates++;
        const ok =
          run &&
          (await run().then(
            () => true,
            () => false,
          )); // compiles lazily on some drivers
        if (ok) racers.push({ variant, run, ms: Infinity });
        else timings.push({ variant, ms: Infinity });
      }
      let spent = 0;
      for (let round = 0; round < MAX_ROUNDS && racers.length > 0; round++) {
        for (const racer of racers) {
          const start = performance.now();
          await racer.run();
          const ms = performance.now() - start;
          racer.ms = Math.min(racer.ms, ms);
          spent += ms;
        }
        const best = Math.min(...racers.map((r) => r.ms));
        for (const slow of racers.filter((r) => r.ms > HOPELESS * best)) {
          timings.push({ variant: slow.variant, ms: slow.ms });
          racers.splice(racers.indexOf(slow), 1);
        }
        if (round + 1 >= MIN_ROUNDS && spent >= BUDGET_MS) break;
      }
      timings.push(...racers.map(({ variant, ms }) => ({ variant, ms })));
      timings.sort((a, b) => variants.indexOf(a.variant) - variants.indexOf(b.variant));
      const fastest = racers.reduce<(typeof racers)[number] | undefined>(
        (a, b) => (a === undefined || b.ms < a.ms ? b : a),
        undefined,
      );
      // Nothing ran: the kernel's default stays, and the next plan tries again.
      if (!fastest) return;
      const { m, n, k, flops } = tunable.size(call);
      this.choices.set(key, {
        op: call.op,
        key,
        m,
        n,
        k,
        variant: fastest.variant,
        ms: fastest.ms,
        gflops: flops / fastest.ms / 1e6,
        timings,
      });
    } finally {
      for (const buffer of owned) buffer.destroy();
    }
  }

  /**
   * Pipelines (from the plans' cache: the winner's is then compiled already), zeroed
   * scratch buffers for the call's tensors (shared by the candidates, in `buffers`) and
   * uniforms; a function running every dispatch once and waiting for the queue, or
   * undefined when the device rejects one.
   */
  private async prepare(
    dispatches: readonly WgslDispatch[],
    call: WgslCall<PrimKind>,
    buffers: Map<number, GPUBuffer>,
    owned: GPUBuffer[],
  ): Promise<(() => Promise<void>) | undefined> {
    const gpu = this.device.gpu;
    const bufferFor = (side: 'input' | 'output', index: number): GPUBuffer => {
      const id = (side === 'input' ? call.inputIds : call.outputIds)[index]!;
      const shape = (side === 'input' ? call.inputShapes : call.outputShapes)[index]!;
      let buffer = buffers.get(id);
      if (!buffer) {
        const bytes = 4 * shape.reduce((a, d) => a * d, 1);
        buffer = gpu.createBuffer({
          label: 'netc tuning',
          size: Math.max(16, Math.ceil(bytes / 16) * 16),
          usage: GPUBufferUsage.STORAGE,
        });
        owned.push(buffer);
        buffers.set(id, buffer);
      }
      return buffer;
    };
    const steps: { pipeline: GPUComputePipeline; group: GPUBindGroup; d: WgslDispatch }[] = [];
    const errors: Promise<unknown>[] = [];
    for (const d of dispatches) {
      const hasUniforms = d.uniforms.length > 0;
      const compiled = this.pipelines.get(d.label, d.code, d.entryPoint, d.bindings, hasUniforms);
      errors.push(compiled.error);
      const { value: group, error } = this.device.scoped('tuning', () => {
        const entries: GPUBindGroupEntry[] = d.bindings.map((b, i) => ({
          binding: i,
          resource: { buffer: bufferFor(b.operand.side, b.operand.index) },
        }));
        if (hasUniforms) {
          const members = uniformMembers(d.uniforms);
          const words = new ArrayBuffer(members.length * 4);
          d.uniforms.forEach((u, i) => {
            // Values computed per run (lr, step) do not change the work: any will do.
            storeUniform(words, i, u.type, typeof u.value === 'number' ? u.value : 0);
          });
          const uniforms = gpu.createBuffer({
            label: 'netc tuning uniforms',
            size: words.byteLength,
            usage: GPUBufferUsage.UNIFORM | GPUBufferUsage.COPY_DST,
          });
          owned.push(uniforms);
          gpu.queue.writeBuffer(uniforms, 0, words);
          entries.push({ binding: d.bindings.length, resource: { buffer: uniforms } });
        }
        return gpu.createBindGroup({ label: d.label, layout: compiled.layout, entries });
      });
      errors.push(error);
      steps.push({ pipeline: compiled.pipeline, group, d });
    }
    if ((await Promise.all(errors)).some((e) => e !== undefined)) return undefined;
    return async () => {
      const encoder = gpu.createCommandEncoder({ label: 'netc tuning' });
      const pass = encoder.beginComputePass();
      for (const { pipeline, group, d } of steps) {
        pass.setPipeline(pipeline);
        pass.setBindGroup(0, group);
        pass.dispatchWorkgroups(...d.workgroups);
      }
      pass.end();
      gpu.queue.submit([encoder.finish()]);
      await this.device.waitFor(gpu.queue.onSubmittedWorkDone());
    };
  }
}
