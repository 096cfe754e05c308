import type { PrimKind } from '../../program.js';
import {
  input,
  output,
  type WgslCall,
  type WgslKernel,
  type WgslTunable,
  type WgslTuningTable,
} from './kernel.js';
import { activationGradEpilogue, forwardEpilogue } from './epilogue.js';
import { product, productCandidates, productKey, type Product } from './product.js';
import { sizeOf } from './shader.js';

/*
 * dense (weight [units, D]) and its gradients (cpu/kernels/linear.ts) as one strided matrix
 * product C[i, j] = Σ_k A(i, k)·B(k, j) (product.ts), the layouts given as strides, so the
 * three share its variants and its tuning. A weight gradient with `biasGrad` also sums A
 * (dY) over k as it goes: db without a dispatch of its own.
 */

/** [units, D] from the weight's shape. */
function weightDims(shape: readonly number[] | undefined, op: string): [number, number] {
  if (shape?.length !== 2) {
    throw new Error(`internal error: \`${op}\` expects a [units, D] weight, got [${shape}]`);
  }
  return [shape[0]!, shape[1]!];
}

/** y[r, o] = act(b[o] + Σ_d x[r, d]·W[o, d]). */
function denseProduct(call: WgslCall<'dense'>): Product {
  const [units, depth] = weightDims(call.inputShapes[1], 'dense');
  return {
    a: input(0),
    b: input(1),
    c: output(0),
    ...(call.attrs.bias ? { bias: input(2) } : {}),
    epilogue: forwardEpilogue(call.attrs, call.inputShapes.length),
    m: sizeOf(call.inputShapes[0]) / depth,
    n: units,
    k: depth,
    strides: { ai: depth, ak: 1, bk: 1, bj: depth },
  };
}

/** dX[r, d] = Σ_o dY[r, o]·W[o, d], times act'(y[r, d]) when fused. */
function gradInputProduct(call: WgslCall<'dense_grad_input'>): Product {
  const [units, depth] = weightDims(call.inputShapes[1], 'dense_grad_input');
  return {
    a: input(0),
    b: input(1),
    c: output(0),
    epilogue: activationGradEpilogue(call.attrs.activationGrad, input(2)),
    m: sizeOf(call.inputShapes[0]) / units,
    n: depth,
    k: units,
    strides: { ai: units, ak: 1, bk: depth, bj: 1 },
  };
}

/** dW[o, d] = Σ_r dY[r, o]·x[r, d]; with `biasGrad`, db[o] = Σ_r dY[r, o], in r order. */
function gradWeightProduct(call: WgslCall<'dense_grad_weight'>): Product {
  const [units, depth] = weightDims(call.outputShapes[0], 'dense_grad_weight');
  return {
    a: input(0),
    b: input(1),
    c: output(0),
    ...(call.attrs.biasGrad ? { rowSums: output(1) } : {}),
    m: units,
    n: depth,
    k: sizeOf(call.inputShapes[0]) / units,
    strides: { ai: 1, ak: units, bk: depth, bj: 1 },
  };
}

/** [x, W, b?] → [y]. */
export const dense: WgslKernel<'dense'> = (call) => [product(call, denseProduct(call))];

/** [dY, W, y?] → [dX]. */
export const denseGradInput: WgslKernel<'dense_grad_input'> = (call) => [
  product(call, gradInputProduct(call)),
];

/** [dY, x] → [dW, db?]. */
export const denseGradWeight: WgslKernel<'dense_grad_weight'> = (call) => [
  product(call, gradWeightProduct(call)),
];

function tunable<K extends PrimKind>(spec: (call: WgslCall<K>) => Product): WgslTunable<K> {
  return {
    key: (call) => productKey(call.op, spec(call)),
    candidates: (call, adapter) => productCandidates(spec(call), adapter.software),
    size: (call) => {
      const { m, n, k } = spec(call);
      return { m, n, k, flops: 2 * m * n * k };
    },
  };
}

/** The variants of the three products, for the backend's tuner. */
export const linearTuning: WgslTuningTable = {
  dense: tunable(denseProduct),
  dense_grad_input: tunable(gradInputProduct),
  dense_grad_weight: tunable(gradWeightProduct),
};
