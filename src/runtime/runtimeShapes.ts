import { RuntimeError } from './backend.js';
import { chainProblem } from './pointwiseChain.js';
import {
  MAX_CHAIN_INPUTS,
  type Instr,
  type PrimAttrMap,
  type PrimKind,
  type Program,
  type TensorDecl,
} from './program.js';

/*
 * The run-time side of shape checking: what an eager framework computes as it goes. Every
 * primitive's output shapes follow from the shapes its inputs actually have (batch first
 * where batched) and its attributes, the way PyTorch computes them, and inconsistent inputs
 * (a channel count the weight does not expect, an add of two shapes) are refused. This is
 * written apart from the compiler's shape rules on purpose: it is the independent check that
 * the shapes inferred statically, which fill the program's tensor table and which the kernels
 * trust, are the shapes the run produces.
 *
 * A few outputs cannot be derived from the inputs alone, exactly as in PyTorch:
 * - creation ops (`fill`, `random_*`) have the size the program asks for (`torch.randn(N, *s)`);
 * - `reshape` and `slice` take their target extent from the declared output, checked against
 *   the input (same element count; a slice inside the axis);
 * - some input gradients (strided conv, pools, blur) have the size of the forward input,
 *   which autograd remembers and the kernel program declares: that size is taken from the
 *   declared output and checked by running the forward rule on it, which must give dY.
 */

export type RunShape = readonly number[];

/** Inputs that no run could accept, or a declared shape a rule cannot reconcile with them. */
export class ShapeError extends RuntimeError {}

/**
 * Output shapes (batch first where batched) from the input shapes. `declared` holds the
 * declared output shapes, read only where PyTorch too needs more than the inputs (above).
 */
export type RuntimeShapeRule<K extends PrimKind> = (
  attrs: PrimAttrMap[K],
  inputs: readonly RunShape[],
  declared: readonly RunShape[],
) => number[][];

// ------------------------------------------------------------------ helpers

const show = (shape: RunShape): string => `[${shape.join(', ')}]`;
const count = (shape: RunShape): number => shape.reduce((a, d) => a * d, 1);
const equal = (a: RunShape, b: RunShape): boolean =>
  a.length === b.length && a.every((d, i) => d === b[i]);

function fail(message: string): never {
  throw new ShapeError(message);
}

/** The inputs, after checking how many there are. */
function arity(inputs: readonly RunShape[], min: number, max = min): readonly RunShape[] {
  if (inputs.length < min || inputs.length > max) {
    const wanted = min === max ? `${min}` : max === Infinity ? `at least ${min}` : `${min}–${max}`;
    fail(`expects ${wanted} inputs, got ${inputs.length}`);
  }
  return inputs;
}

function ofRank(shape: RunShape, rank: number, what: string): RunShape {
  if (shape.length !== rank) fail(`${what} ${show(shape)} should have rank ${rank}`);
  return shape;
}

function sameShape(a: RunShape, b: RunShape, what: string): void {
  if (!equal(a, b)) fail(`${what}: ${show(a)} and ${show(b)} differ`);
}

/** [N, C, H, W]. */
function image(shape: RunShape, what: string): [number, number, number, number] {
  return ofRank(shape, 4, what) as unknown as [number, number, number, number];
}

/** One spatial axis of a convolution or pool: floor((H + 2p − d(k−1) − 1)/s) + 1. */
function windowed(size: number, k: number, s: number, p: number, d: number): number {
  const out = Math.floor((size + 2 * p - d * (k - 1) - 1) / s) + 1;
  if (out < 1) fail(`a window of ${k} (dilation ${d}) does not fit ${size} with padding ${p}`);
  return out;
}

/** The optional bias [F] after the operands, as PyTorch's `bias=` argument. */
function checkBias(bias: boolean, inputs: readonly RunShape[], at: number, features: number) {
  arity(inputs, bias ? at + 1 : at);
  if (bias) sameShape(inputs[at]!, [features], 'bias vs output channels');
}

/**
 * With `residual` a forward kernel reads one more input, last, of its output's shape, added
 * before the activation: the other inputs are checked by `rule`.
 */
function withResidual(
  residual: boolean | undefined,
  inputs: readonly RunShape[],
  rule: (inputs: readonly RunShape[]) => number[][],
): number[][] {
  if (!residual) return rule(inputs);
  const r = inputs[inputs.length - 1] ?? fail('expects the residual as its last input');
  const outputs = rule(inputs.slice(0, -1));
  sameShape(r, outputs[0]!, 'the residual vs the output');
  return outputs;
}

/**
 * With `activationGrad` an input gradient reads one more input, last: the output y of the
 * activation that produced the forward input, which must have the gradient's shape.
 */
function checkActivationOutput(
  fused: boolean,
  inputs: readonly RunShape[],
  at: number,
  dX: RunShape,
): void {
  arity(inputs, fused ? at + 1 : at);
  if (fused) sameShape(inputs[at]!, dX, 'the activation output vs the input gradient');
}

/** A weight gradient [dW], and with `biasGrad` also [db] (one per output channel, dW's first axis). */
function withBiasGrad(bias: boolean | undefined, w: number[]): number[][] {
  return bias ? [w, [w[0]!]] : [w];
}

/** A gradient the size of the forward input: the declared one, which `forward` must map to dY. */
function inputSized(
  declared: readonly RunShape[],
  dY: RunShape,
  forward: (x: RunShape) => number[],
): number[][] {
  const x = declared[0] ?? fail('has no declared output');
  sameShape(forward(x), dY, 'the forward op on the declared input gradient vs dY');
  return [[...x]];
}

// ------------------------------------------------------------------ forward rules

type ConvAttrs = PrimAttrMap['conv2d'];
type ConvTransposeAttrs = PrimAttrMap['conv_transpose2d'];
type PoolAttrs = PrimAttrMap['maxpool'];

/** nn.Conv2d: x [N, C, H, W], weight [F, C/groups, kh, kw] → [N, F, H', W']. */
function conv(attrs: ConvAttrs, x: RunShape, w: RunShape): number[] {
  const [n, c, h, width] = image(x, 'input');
  const [f, perGroup, kh, kw] = image(w, 'weight');
  const { kernel, stride, pad, dilation, groups } = attrs;
  if (kh !== kernel[0] || kw !== kernel[1]) {
    fail(`weight ${show(w)} has a ${kh}×${kw} kernel, the attributes say ${kernel.join('×')}`);
  }
  if (c !== perGroup * groups) {
    fail(
      `input has ${c} channels, weight ${show(w)} with groups=${groups} expects ${perGroup * groups}`,
    );
  }
  if (f % groups !== 0) fail(`${f} filters are not divisible by groups=${groups}`);
  if (attrs.padMode === 'reflect' && (pad[0] >= h || pad[1] >= width)) {
    fail(`reflect padding ${pad.join('×')} needs an input larger than ${h}×${width}`);
  }
  return [
    n,
    f,
    windowed(h, kh, stride[0], pad[0], dilation[0]),
    windowed(width, kw, stride[1], pad[1], dilation[1]),
  ];
}

/** nn.ConvTranspose2d: x [N, C, H, W], weight [C, F, kh, kw]; H' = (H−1)s − 2p + d(k−1) + op + 1. */
function convTranspose(attrs: ConvTransposeAttrs, x: RunShape, w: RunShape): number[] {
  const [n, c, h, width] = image(x, 'input');
  const [wc, f, kh, kw] = image(w, 'weight');
  const { kernel, stride, pad, outputPad, dilation } = attrs;
  if (kh !== kernel[0] || kw !== kernel[1]) {
    fail(`weight ${show(w)} has a ${kh}×${kw} kernel, the attributes say ${kernel.join('×')}`);
  }
  if (c !== wc) fail(`input has ${c} channels, weight ${show(w)} expects ${wc}`);
  const axis = (size: number, i: 0 | 1) => {
    if (outputPad[i] >= stride[i] && outputPad[i] >= dilation[i]) {
      fail(`output padding ${outputPad[i]} must be smaller than the stride or the dilation`);
    }
    const out =
      (size - 1) * stride[i] - 2 * pad[i] + dilation[i] * (kernel[i] - 1) + outputPad[i] + 1;
    if (out < 1) fail(`transposed convolution of ${size} gives an empty output (${out})`);
    return out;
  };
  return [n, f, axis(h, 0), axis(width, 1)];
}

/** nn.MaxPool2d / nn.AvgPool2d with ceil_mode=False. */
function pool(attrs: PoolAttrs, x: RunShape): number[] {
  const [n, c, h, w] = image(x, 'input');
  const { kernel, stride, pad } = attrs;
  if (2 * pad[0] > kernel[0] || 2 * pad[1] > kernel[1]) {
    fail(`pad ${pad.join('×')} should be at most half of the kernel ${kernel.join('×')}`);
  }
  return [
    n,
    c,
    windowed(h, kernel[0], stride[0], pad[0], 1),
    windowed(w, kernel[1], stride[1], pad[1], 1),
  ];
}

/** The 3×3 binomial filter with one pixel of edge padding: floor((H − 1)/s) + 1. */
function blur(stride: readonly [number, number], x: RunShape): number[] {
  const [n, c, h, w] = image(x, 'input');
  return [n, c, windowed(h, 3, stride[0], 1, 1), windowed(w, 3, stride[1], 1, 1)];
}

function upsample(scale: number, x: RunShape): number[] {
  const [n, c, h, w] = image(x, 'input');
  return [n, c, h * scale, w * scale];
}

/** Axis attributes count the unbatched shape; activations are batched, one axis further. */
function batchedAxis(axis: number, shape: RunShape): number {
  const at = axis + 1;
  if (!Number.isInteger(axis) || axis < 0 || at >= shape.length) {
    fail(`axis ${axis} is outside the unbatched part of ${show(shape)}`);
  }
  return at;
}

function concat(axis: number, inputs: readonly RunShape[]): number[] {
  const first = arity(inputs, 1, Infinity)[0]!;
  const at = batchedAxis(axis, first);
  const out = [...first];
  for (const [i, shape] of inputs.entries()) {
    if (i === 0) continue;
    const off = (s: RunShape) => s.filter((_, j) => j !== at);
    if (shape.length !== first.length || !equal(off(shape), off(first))) {
      fail(`input ${i + 1} ${show(shape)} does not match ${show(first)} off axis ${axis}`);
    }
    out[at]! += shape[at]!;
  }
  return out;
}

/** Inputs that must all have one shape, and an output of that shape. */
function elementwise(inputs: readonly RunShape[], min: number, max = min): number[][] {
  const first = arity(inputs, min, max)[0]!;
  for (const [i, shape] of inputs.entries()) sameShape(shape, first, `input ${i + 1} vs input 1`);
  return [[...first]];
}

const unary =
  <K extends PrimKind>(): RuntimeShapeRule<K> =>
  (_, inputs) =>
    elementwise(inputs, 1);
/** [source, dY] → [dX]: the source (x or y) and dY have one shape, the gradient too. */
const pointwiseGrad =
  <K extends PrimKind>(): RuntimeShapeRule<K> =>
  (_, inputs) =>
    elementwise(inputs, 2);

/** A creation op has the size it is asked for (`torch.full`, `torch.randn`). */
const created =
  <K extends PrimKind>(): RuntimeShapeRule<K> =>
  (_, inputs, declared) => {
    arity(inputs, 0);
    return [[...(declared[0] ?? fail('has no declared output'))]];
  };

function batchnorm(inputs: readonly RunShape[]): { x: RunShape; channels: number } {
  const [x, gamma, beta, mean, variance] = arity(inputs, 5) as RunShape[];
  if (x!.length !== 2 && x!.length !== 4)
    fail(`input ${show(x!)} should be [N, D] or [N, C, H, W]`);
  const channels = x![1]!;
  for (const [name, shape] of [
    ['weight', gamma],
    ['bias', beta],
    ['running_mean', mean],
    ['running_var', variance],
  ] as const) {
    sameShape(shape!, [channels], `${name} vs input channels`);
  }
  return { x: x!, channels };
}

/** [x, gamma, beta]: gamma and beta have the shape of one sample. */
function layernorm(inputs: readonly RunShape[]): RunShape {
  const [x, gamma, beta] = arity(inputs, 3) as [RunShape, RunShape, RunShape];
  if (x.length < 2) fail(`input ${show(x)} has no per-sample axes`);
  sameShape(gamma, x.slice(1), 'weight vs the normalized shape');
  sameShape(beta, x.slice(1), 'bias vs the normalized shape');
  return x;
}

// ------------------------------------------------------------------ loss rules

/** [pred, target] of one shape → a scalar. */
const pairLoss =
  <K extends PrimKind>(): RuntimeShapeRule<K> =>
  (_, inputs) => {
    elementwise(inputs, 2);
    return [[]];
  };
/** [pred, target] → [dPred]. */
const pairLossGrad =
  <K extends PrimKind>(): RuntimeShapeRule<K> =>
  (_, inputs) =>
    elementwise(inputs, 2);

/** [pred, target] → [loss, dPred]: a loss and its gradient from one kernel. */
const pairLossWithGrad =
  <K extends PrimKind>(): RuntimeShapeRule<K> =>
  (_, inputs) => [[], ...elementwise(inputs, 2)];

/** Logits [..., K] against class indices [...] or a distribution [..., K]. */
function crossEntropy(target: 'index' | 'distribution', inputs: readonly RunShape[]): RunShape {
  const [logits, labels] = arity(inputs, 2) as [RunShape, RunShape];
  if (logits.length < 2) fail(`logits ${show(logits)} should be [N, ..., classes]`);
  const expected = target === 'index' ? logits.slice(0, -1) : logits;
  sameShape(labels, expected, `${target} target vs logits`);
  return logits;
}

function contrastive(inputs: readonly RunShape[]): RunShape {
  const [a, b, same] = arity(inputs, 3) as [RunShape, RunShape, RunShape];
  sameShape(a, b, 'the two embeddings');
  if (a.length < 1) fail('embeddings need a batch axis');
  sameShape(same, [a[0]!], '`same` vs one value per pair');
  return a;
}

/** [w0, w1, ...] of any shapes → a scalar. */
const reduction =
  <K extends PrimKind>(): RuntimeShapeRule<K> =>
  (_, inputs) => {
    arity(inputs, 1, Infinity);
    return [[]];
  };

/**
 * Optimizer updates of one or several parameters: groups [param, grad, ...state] one after
 * another → groups [param, ...state], every tensor of a group of its param's shape.
 */
function update(stateSlots: number, inputs: readonly RunShape[]): number[][] {
  const width = 2 + stateSlots;
  if (inputs.length === 0 || inputs.length % width !== 0) {
    fail(
      `expects groups of ${width} inputs (param, grad, ${stateSlots} state), got ${inputs.length}`,
    );
  }
  const outputs: number[][] = [];
  for (let at = 0; at < inputs.length; at += width) {
    const [param, ...rest] = inputs.slice(at, at + width) as [RunShape, ...RunShape[]];
    const group = at / width + 1;
    rest.forEach((shape, i) =>
      sameShape(shape, param, `group ${group}, input ${i + 2} vs its param`),
    );
    for (let j = 0; j <= stateSlots; j++) outputs.push([...param]);
  }
  return outputs;
}

// ------------------------------------------------------------------ the table

export const runtimeShapeRules: { readonly [K in PrimKind]: RuntimeShapeRule<K> } = {
  dense: (attrs, all) =>
    withResidual(attrs.residual, all, (inputs) => {
      const [x, w] = arity(inputs, 2, 3) as [RunShape, RunShape];
      ofRank(x, 2, 'input');
      ofRank(w, 2, 'weight');
      if (x[1] !== w[1]) fail(`input width ${x[1]} ≠ weight ${show(w)} columns ${w[1]}`);
      checkBias(attrs.bias, inputs, 2, w[0]!);
      return [[x[0]!, w[0]!]];
    }),
  conv2d: (attrs, all) =>
    withResidual(attrs.residual, all, (inputs) => {
      const [x, w] = arity(inputs, 2, 3) as [RunShape, RunShape];
      const y = conv(attrs, x, w);
      checkBias(attrs.bias, inputs, 2, y[1]!);
      return [y];
    }),
  conv_transpose2d: (attrs, inputs) => {
    const [x, w] = arity(inputs, 2, 3) as [RunShape, RunShape];
    const y = convTranspose(attrs, x, w);
    checkBias(attrs.bias, inputs, 2, y[1]!);
    return [y];
  },
  maxpool: (attrs, inputs) => [pool(attrs, arity(inputs, 1)[0]!)],
  avgpool: (attrs, inputs) => [pool(attrs, arity(inputs, 1)[0]!)],
  blur: (attrs, inputs) => [blur(attrs.stride, arity(inputs, 1)[0]!)],
  global_avgpool: (_, inputs) => [image(arity(inputs, 1)[0]!, 'input').slice(0, 2)],
  global_maxpool: (_, inputs) => [image(arity(inputs, 1)[0]!, 'input').slice(0, 2)],
  reshape: (_, inputs, declared) => {
    const x = arity(inputs, 1)[0]!;
    const target = declared[0] ?? fail('has no declared output');
    if (count(x) !== count(target)) {
      fail(
        `cannot reshape ${show(x)} (${count(x)} elements) into ${show(target)} (${count(target)})`,
      );
    }
    return [[...target]];
  },
  upsample: (attrs, inputs) => [upsample(attrs.scale, arity(inputs, 1)[0]!)],
  relu: unary(),
  sigmoid: unary(),
  tanh: unary(),
  softplus: unary(),
  gelu: unary(),
  elu: unary(),
  leaky_relu: unary(),
  step: unary(),
  identity: unary(),
  softmax: (attrs, inputs) => {
    batchedAxis(attrs.axis, arity(inputs, 1)[0]!);
    return [[...inputs[0]!]];
  },
  log_softmax: (attrs, inputs) => {
    batchedAxis(attrs.axis, arity(inputs, 1)[0]!);
    return [[...inputs[0]!]];
  },
  dropout: (_, inputs) => {
    const x = arity(inputs, 1)[0]!;
    return [[...x], [...x]];
  },
  gaussian_noise: unary(),
  batchnorm_train: (attrs, all) =>
    withResidual(attrs.residual, all, (inputs) => {
      const { x, channels } = batchnorm(inputs);
      return [[...x], [channels], [channels], [channels], [channels]];
    }),
  batchnorm_infer: (attrs, all) =>
    withResidual(attrs.residual, all, (inputs) => [[...batchnorm(inputs).x]]),
  layernorm: (_, inputs) => {
    const x = layernorm(inputs);
    return [[...x], [x[0]!], [x[0]!]];
  },
  add: (_, inputs) => elementwise(inputs, 1, Infinity),
  concat: (attrs, inputs) => [concat(attrs.axis, inputs)],
  mul: (_, inputs) => elementwise(inputs, 2),
  sample_normal: (_, inputs) => {
    const [z] = elementwise(inputs, 2);
    return [z!, [...z!]];
  },
  random_normal: created(),
  random_uniform: created(),
  fill: created(),
  scale: unary(),

  dense_grad_input: (attrs, inputs) => {
    const [dY, w] = arity(inputs, 2, 3) as [RunShape, RunShape];
    ofRank(dY, 2, 'dY');
    ofRank(w, 2, 'weight');
    if (dY[1] !== w[0]) fail(`dY width ${dY[1]} ≠ weight ${show(w)} rows ${w[0]}`);
    const dX = [dY[0]!, w[1]!];
    checkActivationOutput(attrs.activationGrad !== undefined, inputs, 2, dX);
    return [dX];
  },
  dense_grad_weight: (attrs, inputs) => {
    const [dY, x] = arity(inputs, 2) as [RunShape, RunShape];
    ofRank(dY, 2, 'dY');
    ofRank(x, 2, 'input');
    if (dY[0] !== x[0]) fail(`dY ${show(dY)} and input ${show(x)} differ in batch`);
    return withBiasGrad(attrs.biasGrad, [dY[1]!, x[1]!]);
  },
  bias_grad: (_, inputs) => {
    const dY = arity(inputs, 1)[0]!;
    if (dY.length < 2) fail(`dY ${show(dY)} has no channel axis`);
    return [[dY[1]!]];
  },
  conv2d_grad_input: (attrs, inputs, declared) => {
    const [dY, w] = arity(inputs, 2, 3) as [RunShape, RunShape];
    const [dX] = inputSized(declared, dY, (x) => conv(attrs, x, w));
    checkActivationOutput(attrs.activationGrad !== undefined, inputs, 2, dX!);
    return [dX!];
  },
  conv2d_grad_weight: (attrs, inputs) => {
    const [dY, x] = arity(inputs, 2) as [RunShape, RunShape];
    const [f, c] = [image(dY, 'dY')[1], image(x, 'input')[1]];
    if (c % attrs.groups !== 0) fail(`${c} input channels are not divisible by groups`);
    const w = [f, c / attrs.groups, ...attrs.kernel];
    sameShape(conv(attrs, x, w), dY, 'the convolution of the input vs dY');
    return withBiasGrad(attrs.biasGrad, w);
  },
  conv_transpose2d_grad_input: (attrs, inputs) => {
    const [dY, w] = arity(inputs, 2) as [RunShape, RunShape];
    const [n, , h, width] = image(dY, 'dY');
    const { stride, pad, outputPad, dilation, kernel } = attrs;
    // Solve H' = (H−1)s − 2p + d(k−1) + op + 1 for H: transposed convolutions are exact.
    const axis = (size: number, i: 0 | 1) => {
      const span = size + 2 * pad[i] - dilation[i] * (kernel[i] - 1) - outputPad[i] - 1;
      if (span < 0 || span % stride[i] !== 0) fail(`no input size gives ${size} on axis ${i}`);
      return span / stride[i] + 1;
    };
    const x = [n, image(w, 'weight')[0], axis(h, 0), axis(width, 1)];
    sameShape(convTranspose(attrs, x, w), dY, 'the transposed convolution vs dY');
    return [x];
  },
  conv_transpose2d_grad_weight: (attrs, inputs) => {
    const [dY, x] = arity(inputs, 2) as [RunShape, RunShape];
    const w = [image(x, 'input')[1], image(dY, 'dY')[1], ...attrs.kernel];
    sameShape(convTranspose(attrs, x, w), dY, 'the transposed convolution of the input vs dY');
    return [w];
  },
  maxpool_grad: (attrs, inputs) => {
    const [x, dY] = arity(inputs, 2, 3) as [RunShape, RunShape];
    sameShape(pool(attrs, x), dY, 'the pooled input vs dY');
    checkActivationOutput(attrs.activationGrad !== undefined, inputs, 2, x);
    return [[...x]];
  },
  avgpool_grad: (attrs, inputs, declared) => {
    const dY = arity(inputs, 1, 2)[0]!;
    const [dX] = inputSized(declared, dY, (x) => pool(attrs, x));
    checkActivationOutput(attrs.activationGrad !== undefined, inputs, 1, dX!);
    return [dX!];
  },
  blur_grad: (attrs, inputs, declared) =>
    inputSized(declared, arity(inputs, 1)[0]!, (x) => blur(attrs.stride, x)),
  global_avgpool_grad: (_, inputs, declared) =>
    inputSized(declared, arity(inputs, 1)[0]!, (x) => image(x, 'input').slice(0, 2)),
  global_maxpool_grad: (_, inputs) => {
    const [x, dY] = arity(inputs, 2) as [RunShape, RunShape];
    sameShape(image(x, 'input').slice(0, 2), dY, 'the pooled input vs dY');
    return [[...x]];
  },
  upsample_grad: (attrs, inputs) => {
    const [n, c, h, w] = image(arity(inputs, 1)[0]!, 'dY');
    if (h % attrs.scale !== 0 || w % attrs.scale !== 0) {
      fail(`dY ${h}×${w} is not an upsampling by ${attrs.scale}`);
    }
    return [[n, c, h / attrs.scale, w / attrs.scale]];
  },
  relu_grad: pointwiseGrad(),
  sigmoid_grad: pointwiseGrad(),
  tanh_grad: pointwiseGrad(),
  softplus_grad: pointwiseGrad(),
  gelu_grad: pointwiseGrad(),
  elu_grad: pointwiseGrad(),
  leaky_relu_grad: pointwiseGrad(),
  activation_grad: pointwiseGrad(),
  softmax_grad: (attrs, inputs) => {
    const [y] = elementwise(inputs, 2);
    batchedAxis(attrs.axis, y!);
    return [y!];
  },
  log_softmax_grad: (attrs, inputs) => {
    const [y] = elementwise(inputs, 2);
    batchedAxis(attrs.axis, y!);
    return [y!];
  },
  batchnorm_grad: (_, inputs) => {
    const [x, gamma, mean, invstd, dY] = arity(inputs, 5) as RunShape[];
    const { channels } = batchnorm([x!, gamma!, gamma!, mean!, invstd!]);
    sameShape(dY!, x!, 'dY vs input');
    return [[...x!], [channels], [channels]];
  },
  layernorm_grad: (_, inputs) => {
    const [x, gamma, mean, invstd, dY] = arity(inputs, 5) as RunShape[];
    layernorm([x!, gamma!, gamma!]);
    sameShape(mean!, [x![0]!], 'mean vs one value per sample');
    sameShape(invstd!, [x![0]!], 'invstd vs one value per sample');
    sameShape(dY!, x!, 'dY vs input');
    return [[...x!], [...gamma!], [...gamma!]];
  },
  slice: (attrs, inputs, declared) => {
    const x = arity(inputs, 1)[0]!;
    const at = batchedAxis(attrs.axis, x);
    const length = (declared[0] ?? fail('has no declared output'))[at];
    if (length === undefined || attrs.start < 0 || attrs.start + length > x[at]!) {
      fail(`slice from ${attrs.start} of length ${length} leaves axis ${attrs.axis} of ${show(x)}`);
    }
    return [x.map((d, i) => (i === at ? length : d))];
  },
  sample_normal_grad_logvar: (_, inputs) => elementwise(inputs, 3),

  mse_loss: pairLoss(),
  mse_loss_grad: pairLossGrad(),
  l1_loss: pairLoss(),
  l1_loss_grad: pairLossGrad(),
  l1_activity: (_, inputs) => {
    if (arity(inputs, 1)[0]!.length < 1) fail('the activation has no batch axis');
    return [[]];
  },
  l1_activity_grad: (_, inputs) => elementwise(inputs, 1),
  softmax_cross_entropy: (attrs, inputs) => {
    crossEntropy(attrs.target, inputs);
    return [[]];
  },
  softmax_cross_entropy_grad: (attrs, inputs) => [[...crossEntropy(attrs.target, inputs)]],
  softmax_cross_entropy_with_grad: (attrs, inputs) => [[], [...crossEntropy(attrs.target, inputs)]],
  sigmoid_bce: pairLoss(),
  sigmoid_bce_grad: pairLossGrad(),
  sigmoid_bce_with_grad: pairLossWithGrad(),
  kl_normal: pairLoss(),
  kl_normal_grad: (_, inputs) => {
    const [mu] = elementwise(inputs, 2);
    return [mu!, [...mu!]];
  },
  contrastive: (_, inputs) => {
    contrastive(inputs);
    return [[]];
  },
  contrastive_grad: (_, inputs) => {
    const a = contrastive(inputs);
    return [[...a], [...a]];
  },
  weighted_sum: (attrs, inputs) => {
    arity(inputs, attrs.weights.length);
    for (const shape of inputs) if (count(shape) !== 1) fail(`term ${show(shape)} is not a scalar`);
    return [[]];
  },

  sum_squares: reduction(),
  sum_abs: reduction(),
  add_scaled: (_, inputs) => elementwise(inputs, 2).slice(0, 1),
  add_sign_scaled: (_, inputs) => elementwise(inputs, 2).slice(0, 1),

  sgd_update: (attrs, inputs) => update(attrs.momentum > 0 ? 1 : 0, inputs),
  adagrad_update: (_, inputs) => update(1, inputs),
  adam_update: (_, inputs) => update(2, inputs),
  rmsprop_update: (attrs, inputs) => update(attrs.momentum > 0 ? 2 : 1, inputs),

  // Every step is elementwise over tensors of one shape, so every input has y's shape.
  pointwise_chain: (attrs, inputs) => {
    const problem = chainProblem(attrs.steps, inputs.length);
    if (problem !== undefined) fail(`the chain ${problem}`);
    return elementwise(inputs, 1, MAX_CHAIN_INPUTS);
  },
};

// ------------------------------------------------------------------ walking a program

/** The run-time shape of a declared tensor at batch size `batch`. */
function declaredShape(decl: TensorDecl, batch: number): number[] {
  return decl.batched ? [batch, ...decl.shape] : [...decl.shape];
}

/**
 * Follows a program's instructions, propagating run-time shapes from the feeds and state
 * (whose sizes the caller's buffers fix) through the rules. `step` returns what is wrong
 * with one instruction, or undefined; after a refused instruction the walk carries on with
 * its declared output shapes, so one fault is reported once.
 */
function shapeWalk(
  program: Program,
  batch: number,
): (instr: Instr, index: number) => string | undefined {
  const known = program.tensors.map((decl) =>
    decl.storage === 'temp' ? undefined : declaredShape(decl, batch),
  );
  return (instr, index) => {
    const label = (id: number) => `\`${program.tensors[id]?.name ?? `#${id}`}\``;
    const where = `instruction ${index} \`${instr.op}\` → ${instr.outputs.map(label).join(', ')}`;
    const declared = instr.outputs.map((id) => declaredShape(program.tensors[id]!, batch));
    // A view has its declared shape once its source exists, if the sizes agree.
    for (const id of instr.inputs) {
      const source = program.tensors[id]?.view;
      if (source === undefined || known[id] !== undefined || known[source] === undefined) continue;
      const shape = declaredShape(program.tensors[id]!, batch);
      const count = (s: readonly number[]) => s.reduce((a, d) => a * d, 1);
      if (count(shape) !== count(known[source]!)) {
        return `${where}: the view ${label(id)} ${show(shape)} does not fit its source ${label(source)} ${show(known[source]!)}`;
      }
      known[id] = shape;
    }
    const unwritten = instr.inputs.filter((id) => known[id] === undefined);
    if (unwritten.length > 0) {
      instr.outputs.forEach((id, i) => (known[id] = declared[i]));
      return `${where}: reads ${unwritten.map(label).join(', ')} before anything writes it`;
    }
    const rule = runtimeShapeRules[instr.op] as RuntimeShapeRule<PrimKind>;
    let computed: number[][];
    try {
      computed = rule(
        instr.attrs as never,
        instr.inputs.map((id) => known[id]!),
        declared,
      );
    } catch (error) {
      if (!(error instanceof ShapeError)) throw error;
      instr.outputs.forEach((id, i) => (known[id] = declared[i]));
      const inputs = instr.inputs.map((id) => `${label(id)} ${show(known[id]!)}`).join(', ');
      return `${where}: ${error.message} (inputs ${inputs})`;
    }
    if (computed.length !== instr.outputs.length) {
      instr.outputs.forEach((id, i) => (known[id] = declared[i]));
      return `${where}: the op makes ${computed.length} outputs, the instruction lists ${instr.outputs.length}`;
    }
    const differences = instr.outputs.flatMap((id, i) =>
      equal(computed[i]!, declared[i]!)
        ? []
        : [`${label(id)} is ${show(computed[i]!)} at run time, declared ${show(declared[i]!)}`],
    );
    instr.outputs.forEach((id, i) => (known[id] = computed[i]));
    return differences.length > 0 ? `${where}: ${differences.join('; ')}` : undefined;
  };
}

/**
 * Every instruction of `program` whose run-time output shapes at batch size `batch` differ
 * from the declared ones, or whose inputs no run could accept; empty when they all agree.
 */
export function checkProgramShapes(program: Program, batch: number): string[] {
  const step = shapeWalk(program, batch);
  return program.instrs.flatMap((instr, i) => step(instr, i) ?? []);
}

/** For the interpreter: a check to call before each instruction, in order; throws on a fault. */
export function runtimeShapeCheck(program: Program, batch: number): (instr: Instr) => void {
  const step = shapeWalk(program, batch);
  let index = 0;
  return (instr) => {
    const problem = step(instr, index++);
    if (problem !== undefined) throw new ShapeError(`shape check failed: ${problem}`);
  };
}
