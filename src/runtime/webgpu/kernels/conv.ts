import type { PrimKind } from '../../program.js';
import { blockedInput, blockedOutput, type BlockedSpec } from './convBlocked.js';
import { blockedWeight, type BlockedWeightSpec } from './convWeight.js';
import { activationGradEpilogue, forwardEpilogue } from './epilogue.js';
import { input, output, type WgslCall, type WgslDispatch, type WgslKernel } from './kernel.js';
import { gatherInput, gatherOutput, gatherWeight } from './taps.js';
import { convTaps, transposeTaps } from '../../cpu/kernels/convGeometry.js';

/*
 * conv2d, conv_transpose2d and their gradients (cpu/kernels/conv.ts) as the gathers of
 * taps.ts, in their blocked forms (convBlocked.ts, convWeight.ts). A conv2d from x to y
 * reads x on the window side and writes y on the strided side; a conv_transpose2d from x to
 * y is the adjoint of the conv2d from y to x with the same weight [C, F, kh, kw], so its
 * forward pass is that conv2d's input gradient, its input gradient that conv2d's forward
 * pass, and its weight gradient that conv2d's weight gradient with the sides swapped. The
 * input gather has a blocked form for zero padding only; reflect and replicate padding (rare,
 * and conv2d only) use the plain one.
 */

type ConvPrim =
  | 'conv2d'
  | 'conv2d_grad_input'
  | 'conv2d_grad_weight'
  | 'conv_transpose2d'
  | 'conv_transpose2d_grad_input'
  | 'conv_transpose2d_grad_weight';

/** Which gather computes an instruction, and over which geometry and operands. */
interface ConvGather extends BlockedSpec {
  readonly gather: 'output' | 'input';
}

function plain(call: WgslCall<PrimKind>, s: ConvGather): WgslDispatch {
  const spec = { ...s, weight: { kind: 'tensor', operand: s.weight } } as const;
  return s.gather === 'output' ? gatherOutput(call, spec) : gatherInput(call, spec);
}

/** Blocked where there is a blocked form (the input gather only for zero padding). */
function blocked(call: WgslCall<PrimKind>, s: ConvGather): WgslDispatch {
  if (s.gather === 'output') return blockedOutput(call, s);
  return s.geometry.padMode === 'zeros' ? blockedInput(call, s) : plain(call, s);
}

const bias = (call: WgslCall<'conv2d' | 'conv_transpose2d'>) =>
  call.attrs.bias ? { bias: input(2) } : {};

const conv2dGather = (call: WgslCall<'conv2d'>): ConvGather => ({
  gather: 'output',
  label: 'conv2d',
  geometry: convTaps(call.attrs, call.inputShapes[0], call.outputShapes[0], call.op),
  from: input(0),
  to: output(0),
  weight: input(1),
  ...bias(call),
  epilogue: forwardEpilogue(call.attrs, call.inputShapes.length),
});

const conv2dGradInputGather = (call: WgslCall<'conv2d_grad_input'>): ConvGather => ({
  gather: 'input',
  label: 'conv2d_grad_input',
  geometry: convTaps(call.attrs, call.outputShapes[0], call.inputShapes[0], call.op),
  from: input(0),
  to: output(0),
  weight: input(1),
  epilogue: activationGradEpilogue(call.attrs.activationGrad, input(2)),
});

const convTranspose2dGather = (call: WgslCall<'conv_transpose2d'>): ConvGather => ({
  gather: 'input',
  label: 'conv_transpose2d',
  geometry: transposeTaps(call.attrs, call.inputShapes[0], call.outputShapes[0], call.op),
  from: input(0),
  to: output(0),
  weight: input(1),
  ...bias(call),
});

const convTranspose2dGradInputGather = (
  call: WgslCall<'conv_transpose2d_grad_input'>,
): ConvGather => ({
  gather: 'output',
  label: 'conv_transpose2d_grad_input',
  geometry: transposeTaps(call.attrs, call.outputShapes[0], call.inputShapes[0], call.op),
  from: input(0),
  to: output(0),
  weight: input(1),
});

/** With `biasGrad`, db (output 1) sums the strided side dY in the same dispatch. */
const conv2dGradWeightSums = (call: WgslCall<'conv2d_grad_weight'>): BlockedWeightSpec => ({
  label: 'conv2d_grad_weight',
  geometry: convTaps(call.attrs, call.inputShapes[1], call.inputShapes[0], call.op),
  from: input(0),
  window: input(1),
  to: output(0),
  ...(call.attrs.biasGrad ? { db: output(1) } : {}),
});

/** The underlying conv2d's strided side is x, its window side dY. */
const convTranspose2dGradWeightSums = (
  call: WgslCall<'conv_transpose2d_grad_weight'>,
): BlockedWeightSpec => ({
  label: 'conv_transpose2d_grad_weight',
  geometry: transposeTaps(call.attrs, call.inputShapes[1], call.inputShapes[0], call.op),
  from: input(1),
  window: input(0),
  to: output(0),
});

/** [x, W, b?] → [y], then `activation` in the store. */
export const conv2d: WgslKernel<'conv2d'> = (call) => [blocked(call, conv2dGather(call))];

/** [dY, W, y?] → [dX], times act'(y) in the store with `activationGrad`. */
export const conv2dGradInput: WgslKernel<'conv2d_grad_input'> = (call) => [
  blocked(call, conv2dGradInputGather(call)),
];

/** [dY, x] → [dW, db?]. */
export const conv2dGradWeight: WgslKernel<'conv2d_grad_weight'> = (call) => [
  blockedWeight(call, conv2dGradWeightSums(call)),
];

/** [x, W, b?] → [y]. */
export const convTranspose2d: WgslKernel<'conv_transpose2d'> = (call) => [
  blocked(call, convTranspose2dGather(call)),
];

/** [dY, W] → [dX]. */
export const convTranspose2dGradInput: WgslKernel<'conv_transpose2d_grad_input'> = (call) => [
  blocked(call, convTranspose2dGradInputGather(call)),
];

/** [dY, x] → [dW]. */
export const convTranspose2dGradWeight: WgslKernel<'conv_transpose2d_grad_weight'> = (call) => [
  blockedWeight(call, convTranspose2dGradWeightSums(call)),
];

/**
 * The one-output-per-invocation forms of the blocked kernels: simpler, slower, and kept
 * as the reference the blocked ones are tested against.
 */
export const plainConvKernels: {
  readonly [K in ConvPrim]: WgslKernel<K>;
} = {
  conv2d: (call) => [plain(call, conv2dGather(call))],
  conv2d_grad_input: (call) => [plain(call, conv2dGradInputGather(call))],
  conv_transpose2d: (call) => [plain(call, convTranspose2dGather(call))],
  conv_transpose2d_grad_input: (call) => [plain(call, convTranspose2dGradInputGather(call))],
  conv2d_grad_weight: (call) => [gatherWeight(call, conv2dGradWeightSums(call))],
  conv_transpose2d_grad_weight: (call) => [gatherWeight(call, convTranspose2dGradWeightSums(call))],
};
