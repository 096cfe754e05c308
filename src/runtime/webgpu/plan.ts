import { RuntimeError } from '../backend.js';
import type { Instr, PrimKind, Program, RunContext, TensorDecl, TensorId } from '../program.js';
import type { GpuError, WebGpuDevice } from './device.js';
import type {
  KernelLimits,
  Operand,
  StorageBinding,
  Uniform,
  WgslCall,
  WgslDispatch,
  WgslKernel,
  WgslKernelTable,
} from './kernels/kernel.js';
import { uniformMembers } from './kernels/shader.js';
import type { PipelineCache } from './pipelines.js';
import { allocate, type WebGpuState } from './state.js';

/*
 * A program made ready to run on one state at one batch size: every instruction turned into
 * dispatches by its kernel, pipelines fetched from the cache, a buffer for every feed and
 * for every memory-plan slot of temps, one uniform buffer holding every
 * dispatch's uniforms at aligned offsets, and the bind groups. Running it is then only
 * writing feeds and uniforms, recording the dispatches and reading back the results.
 */

export interface PlannedDispatch {
  readonly label: string;
  readonly pipeline: GPUComputePipeline;
  readonly bindGroup: GPUBindGroup;
  readonly workgroups: readonly [number, number, number];
}

/** A uniform whose value comes from the run context, and where it lives (in 32-bit words). */
interface DynamicUniform {
  readonly word: number;
  readonly type: Uniform['type'];
  readonly value: (ctx: RunContext) => number;
}

export interface Readback {
  readonly tensor: TensorId;
  readonly buffer: GPUBuffer;
  readonly length: number;
}

export interface DispatchPlan {
  readonly batch: number;
  /** The state's generation the bind groups were made for. */
  readonly generation: number;
  readonly dispatches: readonly PlannedDispatch[];
  readonly feeds: readonly { readonly decl: TensorDecl; readonly buffer: GPUBuffer }[];
  readonly uniformBuffer: GPUBuffer;
  readonly uniformWords: ArrayBuffer;
  readonly dynamicUniforms: readonly DynamicUniform[];
  /** Distinct tensors copied back after a run: the results, then mirrored state. */
  readonly readbacks: readonly Readback[];
  /** State tensors the program writes. */
  readonly writtenState: readonly { readonly name: string; readonly tensor: TensorId }[];
  /** Feeds read as class indices, checked on the host before a run (as the CPU does). */
  readonly labelChecks: readonly {
    readonly feed: string;
    readonly classes: number;
    readonly op: PrimKind;
  }[];
  /** Buffers the plan created, destroyed with it. */
  readonly owned: readonly GPUBuffer[];
  /** Mappable buffers for the read-back that no run is using (runs may overlap). */
  readonly idleStaging: GPUBuffer[];
  /** Resolves to the first error of creating pipelines, buffers and bind groups. */
  readonly ready: Promise<GpuError | undefined>;
}

export interface PlanContext {
  readonly device: WebGpuDevice;
  readonly pipelines: PipelineCache;
  readonly kernels: WgslKernelTable;
  readonly limits: KernelLimits;
  readonly mirrorState: boolean;
  /** The variant each call should use (tuning.ts); kernels' defaults when absent. */
  readonly variantFor?: (call: WgslCall<PrimKind>) => string | undefined;
}

/** What a kernel is told about one instruction at one batch size. */
export function instructionCall(
  program: Program,
  instr: Instr,
  batch: number,
  limits: KernelLimits,
): WgslCall<PrimKind> {
  const shapeOf = (id: TensorId): number[] => {
    const decl = program.tensors[id]!;
    return decl.batched ? [batch, ...decl.shape] : [...decl.shape];
  };
  return {
    op: instr.op,
    attrs: instr.attrs,
    inputShapes: instr.inputs.map(shapeOf),
    outputShapes: instr.outputs.map(shapeOf),
    inputIds: instr.inputs,
    outputIds: instr.outputs,
    limits,
  };
}

/** The primitives of `program` that have no WGSL kernel in `kernels`. */
export function unsupportedOps(program: Program, kernels: WgslKernelTable): PrimKind[] {
  return [...new Set(program.instrs.map((i) => i.op))].filter((op) => !kernels[op]);
}

export function buildPlan(
  context: PlanContext,
  program: Program,
  state: WebGpuState,
  batch: number,
): DispatchPlan {
  const { device, pipelines, kernels, limits } = context;
  const missing = unsupportedOps(program, kernels);
  if (missing.length > 0) {
    throw new RuntimeError(
      `not yet supported on WebGPU: ${missing.map((op) => `\`${op}\``).join(', ')}; use the CPU backend (\`--backend cpu\`) for this model`,
    );
  }
  const shapeOf = (decl: TensorDecl): number[] =>
    decl.batched ? [batch, ...decl.shape] : [...decl.shape];
  const lengthOf = (decl: TensorDecl) => shapeOf(decl).reduce((a, d) => a * d, 1);
  const owned: GPUBuffer[] = [];
  const errors: Promise<GpuError | undefined>[] = [];
  const generation = state.generation;

  // Buffers: state tensors are the state's own; feeds and temps belong to the plan. Temps
  // of one memory-plan slot share a buffer as large as its largest tenant; a view binds its
  // source's buffer.
  const buffers: (GPUBuffer | undefined)[] = new Array(program.tensors.length);
  const feeds: { decl: TensorDecl; buffer: GPUBuffer }[] = [];
  const slotLengths = new Map<number, number>();
  for (const decl of program.tensors) {
    if (decl.slot === undefined) continue;
    slotLengths.set(decl.slot, Math.max(slotLengths.get(decl.slot) ?? 0, lengthOf(decl)));
  }
  const slotBuffers = new Map<number, GPUBuffer>();
  for (const [slot, length] of slotLengths) {
    const buffer = allocate(device, `slot ${slot}`, length);
    owned.push(buffer);
    slotBuffers.set(slot, buffer);
  }
  for (const decl of program.tensors) {
    if (decl.view !== undefined) continue;
    if (decl.storage === 'state') {
      const tensor = state.tensor(decl.name);
      if (tensor.length !== lengthOf(decl)) {
        throw new RuntimeError(
          `state tensor \`${decl.name}\` holds ${tensor.length} numbers, expected ${lengthOf(decl)}`,
        );
      }
      buffers[decl.id] = tensor.buffer;
    } else if (decl.slot !== undefined) {
      buffers[decl.id] = slotBuffers.get(decl.slot);
    } else {
      const buffer = allocate(device, decl.name, lengthOf(decl));
      owned.push(buffer);
      buffers[decl.id] = buffer;
      if (decl.storage === 'feed') feeds.push({ decl, buffer });
    }
  }
  for (const decl of program.tensors) {
    if (decl.view !== undefined) buffers[decl.id] = buffers[decl.view];
  }
  const bufferOf = (id: TensorId): GPUBuffer => {
    const buffer = buffers[id];
    if (!buffer) throw new Error(`internal error: the program has no tensor ${id}`);
    return buffer;
  };

  // Dispatches, with their uniforms laid out at aligned offsets of one buffer.
  const planned: { instr: Instr; dispatch: WgslDispatch; offset: number; bytes: number }[] = [];
  let uniformBytes = 0;
  const align = device.limits.minUniformBufferOffsetAlignment;
  for (const instr of program.instrs) {
    const untuned = instructionCall(program, instr, batch, limits);
    const variant = context.variantFor?.(untuned);
    const call = variant === undefined ? untuned : { ...untuned, variant };
    const kernel = kernels[instr.op] as WgslKernel<PrimKind>;
    for (const dispatch of kernel(call)) {
      const bytes = uniformMembers(dispatch.uniforms).length * 4;
      planned.push({ instr, dispatch, offset: uniformBytes, bytes });
      if (bytes > 0) uniformBytes += Math.ceil(bytes / align) * align;
    }
  }
  const uniformBuffer = device.scopedLater('allocating uniforms', () =>
    device.gpu.createBuffer({
      label: 'netc uniforms',
      size: Math.max(16, uniformBytes),
      usage: GPUBufferUsage.UNIFORM | GPUBufferUsage.COPY_DST,
    }),
  );
  owned.push(uniformBuffer);
  const uniformWords = new ArrayBuffer(Math.max(16, uniformBytes));
  const dynamicUniforms: DynamicUniform[] = [];
  // Bound at the tensor's own size: a slot's buffer may be larger.
  const operandBinding = (instr: Instr, binding: StorageBinding): GPUBufferBinding => {
    const { operand } = binding;
    const id = (operand.side === 'input' ? instr.inputs : instr.outputs)[operand.index];
    if (id === undefined) throw new Error(`internal error: \`${instr.op}\` lacks an operand`);
    const bytes = Math.max(4, lengthOf(program.tensors[id]!) * 4);
    return { buffer: bufferOf(id), size: binding.vec4 ? Math.ceil(bytes / 16) * 16 : bytes };
  };

  const dispatches = planned.map(({ instr, dispatch, offset, bytes }) => {
    dispatch.uniforms.forEach((u, i) => {
      const word = offset / 4 + i;
      if (typeof u.value === 'function')
        dynamicUniforms.push({ word, type: u.type, value: u.value });
      else storeUniform(uniformWords, word, u.type, u.value);
    });
    const compiled = pipelines.get(
      dispatch.label,
      dispatch.code,
      dispatch.entryPoint,
      dispatch.bindings,
      bytes > 0,
    );
    errors.push(compiled.error.then((e) => e?.from(instr.origin)));
    const { value: bindGroup, error } = device.scoped(`binding \`${dispatch.label}\``, () => {
      const entries: GPUBindGroupEntry[] = dispatch.bindings.map((b, i) => ({
        binding: i,
        resource: operandBinding(instr, b),
      }));
      if (bytes > 0) {
        entries.push({
          binding: dispatch.bindings.length,
          resource: { buffer: uniformBuffer, offset, size: bytes },
        });
      }
      return device.gpu.createBindGroup({
        label: dispatch.label,
        layout: compiled.layout,
        entries,
      });
    });
    errors.push(error.then((e) => e?.from(instr.origin)));
    return {
      label: dispatch.label,
      pipeline: compiled.pipeline,
      bindGroup,
      workgroups: dispatch.workgroups,
    };
  });

  // What comes back: the results, and the state the program writes when it is mirrored.
  const written = new Set(program.instrs.flatMap((i) => i.outputs));
  const writtenState = program.tensors
    .filter((d) => d.storage === 'state' && written.has(d.id))
    .map((d) => ({ name: d.name, tensor: d.id }));
  const readIds = new Set(program.results.map((r) => r.tensor));
  if (context.mirrorState) for (const w of writtenState) readIds.add(w.tensor);
  const readbacks = [...readIds].map((id) => ({
    tensor: id,
    buffer: bufferOf(id),
    length: lengthOf(program.tensors[id]!),
  }));

  return {
    batch,
    generation,
    dispatches,
    feeds,
    uniformBuffer,
    uniformWords,
    dynamicUniforms,
    readbacks,
    writtenState,
    labelChecks: labelChecks(program),
    owned,
    idleStaging: [],
    ready: Promise.all([...errors, device.takeDeferredError()]).then((all) =>
      all.find((e) => e !== undefined),
    ),
  };
}

/** Writes the uniforms that depend on the run context into the host copy. */
export function updateUniforms(plan: DispatchPlan, ctx: RunContext): void {
  for (const u of plan.dynamicUniforms)
    storeUniform(plan.uniformWords, u.word, u.type, u.value(ctx));
}

export function storeUniform(
  words: ArrayBuffer,
  word: number,
  type: Uniform['type'],
  value: number,
) {
  if (type === 'f32') new Float32Array(words, word * 4, 1)[0] = value;
  else if (type === 'u32') new Uint32Array(words, word * 4, 1)[0] = value;
  else new Int32Array(words, word * 4, 1)[0] = value;
}

/** Cross-entropies whose class-index target is a feed: its values are checked on the host. */
function labelChecks(program: Program): DispatchPlan['labelChecks'] {
  const checks: { feed: string; classes: number; op: PrimKind }[] = [];
  for (const instr of program.instrs) {
    if (
      instr.op !== 'softmax_cross_entropy' &&
      instr.op !== 'softmax_cross_entropy_grad' &&
      instr.op !== 'softmax_cross_entropy_with_grad'
    )
      continue;
    if (instr.attrs.target !== 'index') continue;
    const target = program.tensors[instr.inputs[1]!];
    const logits = program.tensors[instr.inputs[0]!];
    if (target?.storage !== 'feed' || !logits) continue;
    const classes = logits.shape[logits.shape.length - 1] ?? 1;
    checks.push({ feed: target.name, classes, op: instr.op });
  }
  return checks;
}
