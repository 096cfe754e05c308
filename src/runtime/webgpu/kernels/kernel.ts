import type { PrimAttrMap, PrimKind, RunContext } from '../../program.js';

/*
 * The WGSL kernel contract. A kernel turns one instruction, with its run-time shapes (batch
 * included), into one or more compute dispatches. Each dispatch is a complete WGSL module
 * plus what the backend needs to run it: the grid, the storage buffers to bind (named by
 * operand, never by buffer) and the uniforms.
 *
 * Sizes and attributes travel as uniforms, so a module's text depends only on the
 * primitive's structure (how many operands, which alias, a `bias` flag): every `relu` of
 * every program, at every batch size, shares one pipeline. Uniform values may depend on the
 * run context (lr, t, seed, step), which changes from run to run without re-planning.
 *
 * Elementwise primitives are described once more, as scalar WGSL expressions (pointwise.ts),
 * so that a fusion pass can chain them into one kernel later instead of calling these.
 */

/** Operand `index` of the instruction's inputs or outputs. */
export interface Operand {
  readonly side: 'input' | 'output';
  readonly index: number;
}

export const input = (index: number): Operand => ({ side: 'input', index });
export const output = (index: number): Operand => ({ side: 'output', index });

/** What a kernel may assume about the device. */
export interface KernelLimits {
  readonly maxComputeWorkgroupsPerDimension: number;
  /** Storage buffers one dispatch may bind; n-ary primitives split into several dispatches. */
  readonly maxStorageBuffersPerShaderStage: number;
}

export interface WgslCall<K extends PrimKind> {
  readonly op: K;
  readonly attrs: PrimAttrMap[K];
  /** Full run-time shapes, batch dimension first for batched tensors. */
  readonly inputShapes: readonly (readonly number[])[];
  readonly outputShapes: readonly (readonly number[])[];
  /**
   * Which tensor each operand is: operands with equal ids are the same tensor (an in-place
   * update, or one tensor passed twice), and are bound once, read-write if any is written.
   */
  readonly inputIds: readonly number[];
  readonly outputIds: readonly number[];
  readonly limits: KernelLimits;
  /**
   * Which layout of the work to use, for kernels that have several (a `WgslTunable`'s
   * candidates); absent, the kernel's fixed default, so that untuned plans and listings do
   * not depend on timing.
   */
  readonly variant?: string;
}

export type UniformType = 'u32' | 'i32' | 'f32';

export interface Uniform {
  /** A WGSL struct member name; the module reads it as `u.<name>`. */
  readonly name: string;
  readonly type: UniformType;
  /** Fixed when planned, or computed from the run context before every run. */
  readonly value: number | ((ctx: RunContext) => number);
}

export interface StorageBinding {
  /** Any operand that is this tensor. */
  readonly operand: Operand;
  readonly access: 'read' | 'read_write';
  /**
   * `vec4`: the module reads the tensor as `array<vec4<f32>>`, four numbers per element, the
   * last one padded (buffers are allocated in whole 16-byte units, state.ts), so a kernel
   * moves 16 bytes per access where a software driver gathers lane by lane.
   */
  readonly vec4?: boolean;
}

export interface WgslDispatch {
  /** For error messages and dumps: the primitive, and which part when there are several. */
  readonly label: string;
  readonly code: string;
  readonly entryPoint: string;
  readonly workgroups: readonly [number, number, number];
  /** `@binding(i)` is `bindings[i]`; the uniforms, when any, follow at `bindings.length`. */
  readonly bindings: readonly StorageBinding[];
  readonly uniforms: readonly Uniform[];
}

export type WgslKernel<K extends PrimKind> = (call: WgslCall<K>) => readonly WgslDispatch[];

/** The primitives WebGPU can run so far; the rest make `run` fail with the primitive named. */
export type WgslKernelTable = Partial<{ readonly [K in PrimKind]: WgslKernel<K> }>;

/**
 * A kernel that can lay out its work in several ways (`WgslCall.variant`), none fastest on
 * every device and shape; the backend's tuner (tuning.ts) times the candidates once per
 * class of calls and adapter.
 */
export interface WgslTunable<K extends PrimKind> {
  /** Calls with equal keys share a choice; undefined when there is nothing to choose. */
  readonly key: (call: WgslCall<K>) => string | undefined;
  /**
   * The variants worth timing for this call on this kind of adapter (`software`: a CPU
   * implementation); every variant must run any call correctly.
   */
  readonly candidates: (
    call: WgslCall<K>,
    adapter: { readonly software: boolean },
  ) => readonly string[];
  /** The call's size for reports: an m×n×k product, and its floating-point operations. */
  readonly size: (call: WgslCall<K>) => {
    readonly m: number;
    readonly n: number;
    readonly k: number;
    readonly flops: number;
  };
}

export type WgslTuningTable = Partial<{ readonly [K in PrimKind]: WgslTunable<K> }>;
