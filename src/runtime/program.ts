import type { Origin } from '../compiler/ir/ir.js';
import type { OpAttrMap, Pair, Shape } from '../compiler/ir/ops.js';

/*
 * The kernel program: what a backend executes. The compiler lowers a network (inference)
 * or one training phase (forward, loss, backward, regularization, optimizer update) into a
 * flat list of primitive instructions over tensors. The CPU interpreter runs it as written;
 * the WebGPU backend fuses and schedules the same instructions. It is plain data (no
 * functions), so generated modules can embed it as JSON.
 *
 * Conventions every kernel follows:
 * - Tensors are dense, row-major, batch-major: a batched tensor of declared shape [C, H, W]
 *   holds N·C·H·W numbers laid out as [N, C, H, W]. Only the batch size N is known late.
 * - Parameters use PyTorch's layouts: dense weight [units, D]; conv2d weight
 *   [F, C/groups, kh, kw]; conv_transpose2d weight [C, F, kh, kw]; biases [F].
 * - A kernel writes every element of its outputs (outputs arrive uninitialized) unless
 *   the instruction lists an output that is also one of its inputs: then it updates that
 *   tensor in place (optimizer state, running statistics).
 * - Randomness is counter-based: element i of the random stream of an instruction is a
 *   pure function of (seed, stream, step, i) (see rng.ts), so a run is reproducible bit for
 *   bit on any backend and any batch order.
 */

export type TensorId = number;

export interface TensorDecl {
  readonly id: TensorId;
  /** Unbatched shape; `[]` is a scalar. */
  readonly shape: Shape;
  /** Whether the tensor has a leading batch dimension N. */
  readonly batched: boolean;
  /**
   * A view: this tensor is the numbers of tensor `view` under another shape (a reshape
   * removed by the views pass). No instruction writes it; it lives as long as its source.
   */
  readonly view?: TensorId;
  /**
   * Temps with the same slot share one buffer (the memory plan); their lifetimes never
   * overlap. Absent: a buffer of its own.
   */
  readonly slot?: number;
  /**
   * `state`: persistent across runs (parameters, buffers, optimizer state), keyed by `name`.
   * `feed`: supplied by the caller for each run, keyed by `name`.
   * `temp`: produced and consumed inside one run.
   */
  readonly storage: 'state' | 'feed' | 'temp';
  /** The state or feed key; for temps a readable label used in dumps. */
  readonly name: string;
}

type ConvAttrs = Omit<OpAttrMap['conv2d'], 'init'>;
type ConvTransposeAttrs = Omit<OpAttrMap['conv_transpose2d'], 'init'>;
/** Pools here never antialias: the compiler lowers `antialias` into a stride-1 pool + `blur`. */
interface PoolAttrs {
  readonly kernel: Pair;
  readonly stride: Pair;
  readonly pad: Pair;
}
type None = Record<string, never>;

/** Activations a producing kernel can apply to its result before storing it (epilogue fusion). */
export type EpilogueActivationKind =
  'relu' | 'sigmoid' | 'tanh' | 'softplus' | 'gelu' | 'elu' | 'leaky_relu';

export interface EpilogueActivation {
  readonly kind: EpilogueActivationKind;
  /** `elu` and `leaky_relu`'s alpha; 0 for the others. */
  readonly alpha: number;
}

/**
 * Activations whose derivative is a function of their output y, so a fused forward kernel
 * need not keep the pre-activation: relu 1[y>0]; sigmoid y(1−y); tanh 1−y²; leaky_relu
 * (alpha ≥ 0) y>0 ? 1 : alpha; elu (alpha > 0) y>0 ? 1 : y+alpha.
 */
export type OutputGradActivationKind = 'relu' | 'sigmoid' | 'tanh' | 'elu' | 'leaky_relu';

export interface ActivationGrad {
  readonly kind: OutputGradActivationKind;
  readonly alpha: number;
}

/**
 * Every primitive with its attributes. Comments give `inputs → outputs`; `dX` is the
 * gradient of the loss with respect to X. Shapes of outputs are in the tensor table.
 */
export interface PrimAttrMap {
  // ------------------------------------------------------------ forward
  /**
   * [x, W, b?, r?] → [y]: y = act(x·Wᵀ + b + r), x: [N, D]; no activation when absent, r
   * (the output's shape, last) only with `residual`.
   */
  dense: {
    readonly bias: boolean;
    readonly activation?: EpilogueActivation;
    readonly residual?: boolean;
  };
  /**
   * [x, W, b?, r?] → [y] (plus r with `residual`, then `activation`); `padMode`
   * reflect/replicate pads with mirrored/edge values.
   */
  conv2d: ConvAttrs & {
    readonly activation?: EpilogueActivation;
    readonly residual?: boolean;
  };
  /** [x, W, b?] → [y]: PyTorch's ConvTranspose2d. */
  conv_transpose2d: ConvTransposeAttrs;
  /** [x] → [y]; pads with −∞. */
  maxpool: PoolAttrs;
  /** [x] → [y]; zero padding counted in the divisor (count_include_pad). */
  avgpool: PoolAttrs;
  /** [x] → [y]: per channel 3×3 binomial [1,2,1]ᵀ[1,2,1]/16, 1-pixel edge replication, stride. */
  blur: { readonly stride: Pair };
  /** [x: N,C,H,W] → [y: N,C]. */
  global_avgpool: None;
  global_maxpool: None;
  /** [x] → [y]: same data, the output's declared shape (flatten too). */
  reshape: None;
  /** [x] → [y]; bilinear uses align_corners=false (PyTorch's default). */
  upsample: { readonly scale: number; readonly mode: 'nearest' | 'bilinear' };
  relu: None;
  /** Stable: never exponentiates a positive number. */
  sigmoid: None;
  tanh: None;
  /** log(1 + exp(x)) computed as max(x, 0) + log1p(exp(-|x|)). */
  softplus: None;
  /** The exact (erf) form, PyTorch's default. */
  gelu: None;
  elu: { readonly alpha: number };
  leaky_relu: { readonly alpha: number };
  /** x > threshold ? 1 : 0. */
  step: { readonly threshold: number };
  /** [x] → [y]: a copy. */
  identity: None;
  /** [x] → [y] along `axis` of the unbatched shape; subtracts the max. */
  softmax: { readonly axis: number };
  log_softmax: { readonly axis: number };
  /** [x] → [y, mask]; mask is 0 or 1/(1-p) (drop when uniform < p), y = x·mask. */
  dropout: { readonly p: number; readonly stream: number };
  /** [x] → [y]: y = x + std·normal. */
  gaussian_noise: { readonly std: number; readonly stream: number };
  /**
   * Training mode. [x, gamma, beta, running_mean, running_var] → [y, mean, invstd,
   * running_mean, running_var]: statistics per channel (axis 1) over N (and H, W); invstd =
   * 1/sqrt(biased var + eps); running stats updated in place with `momentum`, the variance
   * unbiased (n/(n-1)), as PyTorch.
   */
  batchnorm_train: {
    readonly momentum: number;
    readonly eps: number;
    /** Applied to y before it is stored (epilogue fusion). */
    readonly activation?: EpilogueActivation;
    /** y + r, r an extra last input of y's shape, before the activation (epilogue fusion). */
    readonly residual?: boolean;
  };
  /**
   * Inference mode. [x, gamma, beta, running_mean, running_var, r?] → [y] (plus r with
   * `residual`, then `activation`).
   */
  batchnorm_infer: {
    readonly eps: number;
    readonly activation?: EpilogueActivation;
    readonly residual?: boolean;
  };
  /**
   * [x, gamma, beta] → [y, mean, invstd]: statistics per sample over all its elements;
   * gamma and beta have the unbatched shape of x; mean and invstd are batched scalars.
   */
  layernorm: { readonly eps: number };
  /** [a, b, ...] → [y]: elementwise sum of tensors of one shape (also gradient accumulation). */
  add: None;
  /** [a, b, ...] → [y] along `axis` of the unbatched shape. */
  concat: { readonly axis: number };
  /** [a, b] → [y]: elementwise product of tensors of one shape. */
  mul: None;
  /** [mu, logvar] → [z, eps]: z = mu + exp(logvar/2)·eps, eps standard normal. */
  sample_normal: { readonly stream: number };
  /** [] → [y]: normal(mean, std) noise, e.g. a GAN's `noise z: [100] ~ normal`. */
  random_normal: { readonly mean: number; readonly std: number; readonly stream: number };
  /** [] → [y]: uniform on [low, high). */
  random_uniform: { readonly low: number; readonly high: number; readonly stream: number };
  /** [] → [y]: every element `value` (constant loss targets). */
  fill: { readonly value: number };
  /** [x] → [y]: y = factor·x. */
  scale: { readonly factor: number };

  // ------------------------------------------------------------ gradients
  /*
   * `activationGrad` (epilogue fusion): the instruction takes one more input last, the
   * output y of the activation that produced its input, and writes dX·act'(y), the gradient
   * before that activation. `biasGrad` on a weight gradient: one more output last, db, as
   * `bias_grad` of dY would write it (named so because conv attributes already have `bias`,
   * whether the layer has one).
   */
  /** [dY, W, y?] → [dX]. */
  dense_grad_input: { readonly activationGrad?: ActivationGrad };
  /** [dY, x] → [dW, db?]: dW = dYᵀ·x. */
  dense_grad_weight: { readonly biasGrad?: boolean };
  /** [dY] → [db]: sums dY over N and every axis after the first unbatched one. */
  bias_grad: None;
  /** [dY, W, y?] → [dX]. */
  conv2d_grad_input: ConvAttrs & { readonly activationGrad?: ActivationGrad };
  /** [dY, x] → [dW, db?]. */
  conv2d_grad_weight: ConvAttrs & { readonly biasGrad?: boolean };
  conv_transpose2d_grad_input: ConvTransposeAttrs;
  conv_transpose2d_grad_weight: ConvTransposeAttrs;
  /** [x, dY, y?] → [dX]: the gradient goes to the first maximum of each window. */
  maxpool_grad: PoolAttrs & { readonly activationGrad?: ActivationGrad };
  /** [dY, y?] → [dX]. */
  avgpool_grad: PoolAttrs & { readonly activationGrad?: ActivationGrad };
  /** [dY] → [dX]. */
  blur_grad: { readonly stride: Pair };
  /** [dY] → [dX]. */
  global_avgpool_grad: None;
  /** [x, dY] → [dX]: to the first maximum. */
  global_maxpool_grad: None;
  /** [dY] → [dX]. */
  upsample_grad: { readonly scale: number; readonly mode: 'nearest' | 'bilinear' };
  /** [x, dY] → [dX]. */
  relu_grad: None;
  /** [y, dY] → [dX] from the forward output y. */
  sigmoid_grad: None;
  /** [y, dY] → [dX]. */
  tanh_grad: None;
  /** [x, dY] → [dX]. */
  softplus_grad: None;
  /** [x, dY] → [dX]. */
  gelu_grad: None;
  /** [x, dY] → [dX]. */
  elu_grad: { readonly alpha: number };
  /** [x, dY] → [dX]. */
  leaky_relu_grad: { readonly alpha: number };
  /** [y, dY] → [dX] = dY·act'(y), the derivative written from the output (see ActivationGrad). */
  activation_grad: ActivationGrad;
  /** [y, dY] → [dX]. */
  softmax_grad: { readonly axis: number };
  /** [y, dY] → [dX]. */
  log_softmax_grad: { readonly axis: number };
  /** [x, gamma, mean, invstd, dY] → [dX, dgamma, dbeta] (training-mode statistics). */
  batchnorm_grad: None;
  /** [x, gamma, mean, invstd, dY] → [dX, dgamma, dbeta]. */
  layernorm_grad: None;
  /** [x] → [y]: the part of x along `axis` starting at `start`, as long as y's shape says. */
  slice: { readonly axis: number; readonly start: number };
  /** [logvar, eps, dZ] → [dLogvar] = dZ·eps·exp(logvar/2)/2. */
  sample_normal_grad_logvar: None;

  // ------------------------------------------------------------ losses
  /*
   * A loss reads batched tensors and writes an unbatched scalar. Its `_grad` writes
   * d(weight·loss)/d(input) directly (the backward pass starts there). Reductions follow
   * PyTorch: mean over batch and elements for mse, l1, bce; mean over the batch for
   * cross-entropy and contrastive; per-sample sums averaged over the batch for kl_normal
   * and l1_activity.
   */
  /** [pred, target] → [loss]. */
  mse_loss: None;
  /** [pred, target] → [dPred]. */
  mse_loss_grad: { readonly weight: number };
  l1_loss: None;
  /** Subgradient 0 at equality. */
  l1_loss_grad: { readonly weight: number };
  /** [x] → [loss] = mean over N of sum |x|. */
  l1_activity: None;
  l1_activity_grad: { readonly weight: number };
  /**
   * [logits, target] → [loss] along the last axis; target is a class index per sample
   * (a batched scalar) or a distribution of the logits' shape.
   */
  softmax_cross_entropy: { readonly target: 'index' | 'distribution' };
  /** [logits, target] → [dLogits] = weight·(softmax(logits) − target)/N. */
  softmax_cross_entropy_grad: {
    readonly target: 'index' | 'distribution';
    readonly weight: number;
  };
  /** [logits, target] → [loss]: max(x,0) − x·y + log1p(exp(−|x|)), mean. */
  sigmoid_bce: None;
  sigmoid_bce_grad: { readonly weight: number };
  /** [logits, target] → [loss, dLogits]: the loss and its `_grad` in one kernel (fusion). */
  softmax_cross_entropy_with_grad: {
    readonly target: 'index' | 'distribution';
    readonly weight: number;
  };
  /** [logits, target] → [loss, dLogits]. */
  sigmoid_bce_with_grad: { readonly weight: number };
  /** [mu, logvar] → [loss] = mean over N of −½·Σ(1 + logvar − mu² − exp(logvar)). */
  kl_normal: None;
  /** [mu, logvar] → [dMu, dLogvar]. */
  kl_normal_grad: { readonly weight: number };
  /** [a, b, same] → [loss]: mean of same·d² + (1−same)·max(0, margin−d)², d = ‖a−b‖₂. */
  contrastive: { readonly margin: number };
  /** [a, b, same] → [dA, dB]; at d = 0 the gradient is 0. */
  contrastive_grad: { readonly margin: number; readonly weight: number };
  /** [s0, s1, ...] scalars → [total] = Σ weights[i]·s_i. */
  weighted_sum: { readonly weights: readonly number[] };

  // ------------------------------------------------------------ regularization
  /** [w0, w1, ...] → [scalar] = Σ over all tensors of w². */
  sum_squares: None;
  /** [w0, w1, ...] → [scalar] = Σ |w|. */
  sum_abs: None;
  /** [g, w] → [g] in place: g += alpha·w. */
  add_scaled: { readonly alpha: number };
  /** [g, w] → [g] in place: g += alpha·sign(w). */
  add_sign_scaled: { readonly alpha: number };

  // ------------------------------------------------------------ optimizers
  /*
   * In place, PyTorch's update rules and defaults; `lr` and the 1-based step count `t` of
   * the phase come from the run context. Inputs [param, grad, ...state], outputs
   * [param, ...state] (the same tensors). After optimizer fusion one instruction updates
   * several parameters: inputs and outputs are then those groups one after another.
   */
  /** state: [velocity] when momentum > 0, else none. */
  sgd_update: {
    readonly momentum: number;
    readonly nesterov: boolean;
    readonly weightDecay: number;
  };
  /** state: [sum of squares]. */
  adagrad_update: { readonly eps: number; readonly weightDecay: number };
  /** state: [m, v]; `decoupled` is AdamW. */
  adam_update: {
    readonly beta1: number;
    readonly beta2: number;
    readonly eps: number;
    readonly weightDecay: number;
    readonly decoupled: boolean;
  };
  /** state: [square average] and, when momentum > 0, [momentum buffer]. */
  rmsprop_update: {
    readonly alpha: number;
    readonly eps: number;
    readonly momentum: number;
    readonly weightDecay: number;
  };

  // ------------------------------------------------------------ fused elementwise
  /**
   * [t0, …, tk−1] → [y]: elementwise primitives evaluated element by element in one kernel,
   * so no value between them goes to memory (elementwise fusion). Every input has y's shape;
   * y is the last step's value. A loss gradient among the steps takes its mean's 1/M (or 1/N)
   * from y's shape, as it would from its own input's. At most MAX_CHAIN_INPUTS inputs.
   */
  pointwise_chain: { readonly steps: readonly ChainStep[] };
}

export type PrimKind = keyof PrimAttrMap;

/**
 * The primitives a `pointwise_chain` step may be: element i of the output depends only on
 * element i of each input, and none updates a tensor in place. `add` takes any number of
 * arguments, `step` and the activations one, the gradients two ([a, dY] as their primitives).
 */
export type ChainOp =
  | 'relu'
  | 'sigmoid'
  | 'tanh'
  | 'softplus'
  | 'gelu'
  | 'elu'
  | 'leaky_relu'
  | 'step'
  | 'identity'
  | 'scale'
  | 'add'
  | 'mul'
  | 'relu_grad'
  | 'sigmoid_grad'
  | 'tanh_grad'
  | 'softplus_grad'
  | 'gelu_grad'
  | 'elu_grad'
  | 'leaky_relu_grad'
  | 'activation_grad'
  | 'mse_loss_grad'
  | 'l1_loss_grad'
  | 'sigmoid_bce_grad'
  | 'l1_activity_grad';

/**
 * One step of a `pointwise_chain`: `op` with its attributes, applied to `args`, which index
 * the chain's values: the instruction's k inputs first (0 … k−1), then the steps' results
 * (k + j is step j's). A step reads only inputs and earlier steps.
 */
export type ChainStep = {
  [K in ChainOp]: {
    readonly op: K;
    readonly attrs: PrimAttrMap[K];
    readonly args: readonly number[];
  };
}[ChainOp];

/**
 * The most inputs a `pointwise_chain` takes: with its output, 7 storage buffers, within the
 * 8 that every WebGPU device binds per shader stage, so a chain is always one dispatch.
 */
export const MAX_CHAIN_INPUTS = 6;

export type Instr = {
  [K in PrimKind]: {
    readonly op: K;
    readonly attrs: PrimAttrMap[K];
    readonly inputs: readonly TensorId[];
    readonly outputs: readonly TensorId[];
    /** The user's source line this instruction came from, for run-time errors and dumps. */
    readonly origin?: Origin;
  };
}[PrimKind];

/** What one run reads and returns. */
export interface Program {
  readonly tensors: readonly TensorDecl[];
  readonly instrs: readonly Instr[];
  /** Tensors returned to the caller by name (outputs, `loss`, loss terms). */
  readonly results: readonly { readonly name: string; readonly tensor: TensorId }[];
}

/** Per-run values that are not tensors. */
export interface RunContext {
  /** The batch size N of this run. */
  readonly batch: number;
  /** The model seed (random streams, initializers). */
  readonly seed: number;
  /** A counter that differs for every run that draws random numbers (the global step). */
  readonly step: number;
  /** The learning rate after the schedule. */
  readonly lr: number;
  /** 1-based count of this phase's optimizer steps (Adam's bias correction). */
  readonly t: number;
}
