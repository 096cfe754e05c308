/*
 * The v1 op catalogue (LANGUAGE §5) as types. Every per-op fact lives in a table keyed by
 * `OpKind` and typed `{ [K in OpKind]: ... }`, so adding an op without its rule fails the build.
 */

/** An unbatched shape, channels first. The batch dimension N is implicit and symbolic. */
export type Shape = readonly number[];

/** (height, width) */
export type Pair = readonly [number, number];

export type Init =
  | { readonly kind: 'glorot' }
  | { readonly kind: 'glorot_normal' }
  | { readonly kind: 'he' }
  | { readonly kind: 'lecun' }
  | { readonly kind: 'zeros' }
  | { readonly kind: 'ones' }
  | { readonly kind: 'normal'; readonly std: number }
  | { readonly kind: 'uniform'; readonly low: number; readonly high: number };

export type PadMode = 'zeros' | 'reflect' | 'replicate';

export interface OpAttrMap {
  dense: { readonly units: number; readonly bias: boolean; readonly init: Init };
  conv2d: {
    readonly filters: number;
    readonly kernel: Pair;
    readonly stride: Pair;
    /** Resolved per-side padding (`same` and `valid` are turned into numbers). */
    readonly pad: Pair;
    readonly dilation: Pair;
    readonly groups: number;
    readonly bias: boolean;
    readonly padMode: PadMode;
    readonly init: Init;
  };
  conv_transpose2d: {
    readonly filters: number;
    readonly kernel: Pair;
    readonly stride: Pair;
    readonly pad: Pair;
    readonly outputPad: Pair;
    readonly dilation: Pair;
    readonly bias: boolean;
    readonly init: Init;
  };
  maxpool: {
    readonly kernel: Pair;
    readonly stride: Pair;
    readonly pad: Pair;
    readonly antialias: boolean;
  };
  avgpool: {
    readonly kernel: Pair;
    readonly stride: Pair;
    readonly pad: Pair;
    readonly antialias: boolean;
  };
  global_avgpool: Record<string, never>;
  global_maxpool: Record<string, never>;
  flatten: Record<string, never>;
  /** `shape` as written (it may hold one `-1`); the node's shape is the resolved one. */
  reshape: { readonly shape: Shape };
  upsample: { readonly scale: number; readonly mode: 'nearest' | 'bilinear' };
  relu: Record<string, never>;
  sigmoid: Record<string, never>;
  tanh: Record<string, never>;
  softplus: Record<string, never>;
  gelu: Record<string, never>;
  elu: { readonly alpha: number };
  leaky_relu: { readonly alpha: number };
  step: { readonly threshold: number };
  identity: Record<string, never>;
  /** `axis` normalized to a non-negative axis of the unbatched shape. */
  softmax: { readonly axis: number };
  log_softmax: { readonly axis: number };
  dropout: { readonly p: number };
  gaussian_noise: { readonly std: number };
  batchnorm: { readonly momentum: number; readonly eps: number };
  layernorm: { readonly eps: number };
  add: Record<string, never>;
  /** `axis` normalized to a non-negative axis of the unbatched shape. */
  concat: { readonly axis: number };
  mul: Record<string, never>;
  sample_normal: Record<string, never>;
}

export type OpKind = keyof OpAttrMap;

/** What a parameter tensor is for; also the last component of its name (PyTorch's). */
export type ParamRole = 'weight' | 'bias' | 'running_mean' | 'running_var';

/** A parameter or buffer an op instance needs, as declared by its shape rule. */
export interface ParamDecl {
  readonly role: ParamRole;
  readonly shape: Shape;
  readonly init: Init;
  /** false for buffers such as batchnorm running statistics (not counted as parameters). */
  readonly trainable: boolean;
  /** Whether `l1`/`l2` regularization applies (weights yes, biases and norms no). */
  readonly regularized: boolean;
}
