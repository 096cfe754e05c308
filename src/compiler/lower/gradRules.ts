import type { OpNode } from '../ir/ir.js';
import type { OpKind, ParamRole, Shape } from '../ir/ops.js';
import type { PrimAttrMap, PrimKind, TensorId } from '../../runtime/program.js';
import type { ProgramBuilder } from './builder.js';
import type { TapeEntry } from './forward.js';

/*
 * Reverse-mode rules, one per op of the catalogue: given the gradient dY of a node's output,
 * emit the instructions for the gradients of its inputs and parameters. A rule computes only
 * what is asked for (`wantInput`, `wantParam`); the driver sums contributions.
 */

export interface GradCall<K extends OpKind> {
  readonly b: ProgramBuilder;
  readonly entry: TapeEntry & { readonly node: OpNode & { readonly op: K } };
  readonly dY: TensorId;
  wantInput(i: number): boolean;
  wantParam(role: ParamRole): boolean;
}

export interface GradResult {
  /** Per input; undefined where no gradient flows (not wanted, or zero). */
  readonly inputs: readonly (TensorId | undefined)[];
  readonly params: Partial<Record<ParamRole, TensorId>>;
}

type GradRule<K extends OpKind> = (call: GradCall<K>) => GradResult;

const none: GradResult = { inputs: [], params: {} };

/** Emits `op` producing one tensor shaped like `like`. */
function grad<K extends PrimKind>(
  call: GradCall<OpKind>,
  op: K,
  attrs: PrimAttrMap[K],
  inputs: readonly TensorId[],
  like: TensorId,
  label: string,
): TensorId {
  const decl = call.b.decl(like);
  const out = call.b.temp(`${call.entry.node.name}.${label}`, decl.shape, decl.batched);
  call.b.emit(op, attrs, inputs, [out], call.entry.node.origin);
  return out;
}

const dX = (call: GradCall<OpKind>) => call.entry.inputs[0]!;

/** Rules for ops that read only their input x (or output y) and dY. */
function pointwise<K extends OpKind>(
  op: PrimKind,
  reads: 'x' | 'y',
  attrs: (node: OpNode & { op: K }) => object = () => ({}),
): GradRule<K> {
  return (call) => {
    if (!call.wantInput(0)) return none;
    const source = reads === 'x' ? call.entry.inputs[0]! : call.entry.output;
    const g = grad(call, op, attrs(call.entry.node) as never, [source, call.dY], dX(call), 'grad');
    return { inputs: [g], params: {} };
  };
}

/** The gradient passes through unchanged (a reshape where the shapes differ). */
function passThrough(call: GradCall<OpKind>): GradResult {
  if (!call.wantInput(0)) return none;
  const input = dX(call);
  const same = sameShape(call.b.decl(input).shape, call.b.decl(call.dY).shape);
  return {
    inputs: [same ? call.dY : grad(call, 'reshape', {}, [call.dY], input, 'grad')],
    params: {},
  };
}

function sameShape(a: Shape, b: Shape): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

/** dense, conv2d and conv_transpose2d: input gradient, weight gradient, bias gradient. */
function linear<K extends 'dense' | 'conv2d' | 'conv_transpose2d'>(
  inputOp: 'dense_grad_input' | 'conv2d_grad_input' | 'conv_transpose2d_grad_input',
  weightOp: 'dense_grad_weight' | 'conv2d_grad_weight' | 'conv_transpose2d_grad_weight',
): GradRule<K> {
  return (call) => {
    const { node, params } = call.entry;
    const attrs = node.op === 'dense' ? {} : withoutInit(node.attrs);
    const x = dX(call);
    const input = call.wantInput(0)
      ? grad(call, inputOp, attrs as never, [call.dY, params.weight!], x, 'grad')
      : undefined;
    const result: Partial<Record<ParamRole, TensorId>> = {};
    if (call.wantParam('weight'))
      result.weight = grad(
        call,
        weightOp,
        attrs as never,
        [call.dY, x],
        params.weight!,
        'weight.grad',
      );
    if (params.bias !== undefined && call.wantParam('bias'))
      result.bias = grad(call, 'bias_grad', {}, [call.dY], params.bias, 'bias.grad');
    return { inputs: [input], params: result };
  };
}

function withoutInit<T extends { readonly init: unknown }>(attrs: T): Omit<T, 'init'> {
  const { init: _init, ...rest } = attrs;
  return rest;
}

function pool<K extends 'maxpool' | 'avgpool'>(op: K): GradRule<K> {
  return (call) => {
    if (!call.wantInput(0)) return none;
    const { node, inputs, saved } = call.entry;
    const { kernel, stride, pad, antialias } = node.attrs;
    let dPooled = call.dY;
    let poolStride = stride;
    if (antialias) {
      dPooled = grad(call, 'blur_grad', { stride }, [call.dY], saved[0]!, 'dense.grad');
      poolStride = [1, 1];
    }
    const attrs = { kernel, stride: poolStride, pad };
    const g =
      op === 'maxpool'
        ? grad(call, 'maxpool_grad', attrs, [inputs[0]!, dPooled], inputs[0]!, 'grad')
        : grad(call, 'avgpool_grad', attrs, [dPooled], inputs[0]!, 'grad');
    return { inputs: [g], params: {} };
  };
}

function normalization<K extends 'batchnorm' | 'layernorm'>(
  op: 'batchnorm_grad' | 'layernorm_grad',
): GradRule<K> {
  return (call) => {
    const { b, entry } = call;
    const [mean, invstd] = entry.saved as [TensorId, TensorId];
    const x = dX(call);
    const gamma = entry.params.weight!;
    const beta = entry.params.bias!;
    const dx = b.temp(`${entry.node.name}.grad`, b.decl(x).shape);
    const dGamma = b.temp(`${entry.node.name}.weight.grad`, b.decl(gamma).shape, false);
    const dBeta = b.temp(`${entry.node.name}.bias.grad`, b.decl(beta).shape, false);
    b.emit(op, {}, [x, gamma, mean, invstd, call.dY], [dx, dGamma, dBeta], entry.node.origin);
    const params: Partial<Record<ParamRole, TensorId>> = {};
    if (call.wantParam('weight')) params.weight = dGamma;
    if (call.wantParam('bias')) params.bias = dBeta;
    return { inputs: [call.wantInput(0) ? dx : undefined], params };
  };
}

export const gradRules: { readonly [K in OpKind]: GradRule<K> } = {
  dense: linear('dense_grad_input', 'dense_grad_weight'),
  conv2d: linear('conv2d_grad_input', 'conv2d_grad_weight'),
  conv_transpose2d: linear('conv_transpose2d_grad_input', 'conv_transpose2d_grad_weight'),
  maxpool: pool('maxpool'),
  avgpool: pool('avgpool'),
  global_avgpool: (call) =>
    call.wantInput(0)
      ? { inputs: [grad(call, 'global_avgpool_grad', {}, [call.dY], dX(call), 'grad')], params: {} }
      : none,
  global_maxpool: (call) =>
    call.wantInput(0)
      ? {
          inputs: [grad(call, 'global_maxpool_grad', {}, [dX(call), call.dY], dX(call), 'grad')],
          params: {},
        }
      : none,
  flatten: passThrough,
  reshape: passThrough,
  upsample: (call) =>
    call.wantInput(0)
      ? {
          inputs: [grad(call, 'upsample_grad', call.entry.node.attrs, [call.dY], dX(call), 'grad')],
          params: {},
        }
      : none,
  relu: pointwise('relu_grad', 'x'),
  sigmoid: pointwise('sigmoid_grad', 'y'),
  tanh: pointwise('tanh_grad', 'y'),
  softplus: pointwise('softplus_grad', 'x'),
  gelu: pointwise('gelu_grad', 'x'),
  elu: pointwise<'elu'>('elu_grad', 'x', (n) => ({ alpha: n.attrs.alpha })),
  leaky_relu: pointwise<'leaky_relu'>('leaky_relu_grad', 'x', (n) => ({ alpha: n.attrs.alpha })),
  // A step function is flat almost everywhere: no gradient flows back through it.
  step: () => none,
  identity: passThrough,
  softmax: pointwise<'softmax'>('softmax_grad', 'y', (n) => ({ axis: n.attrs.axis })),
  log_softmax: pointwise<'log_softmax'>('log_softmax_grad', 'y', (n) => ({ axis: n.attrs.axis })),
  dropout: (call) => {
    if (!call.wantInput(0)) return none;
    const mask = call.entry.saved[0];
    // p = 0 lowered to nothing: the gradient passes through.
    if (mask === undefined) return passThrough(call);
    return { inputs: [grad(call, 'mul', {}, [call.dY, mask], dX(call), 'grad')], params: {} };
  },
  gaussian_noise: passThrough,
  batchnorm: normalization('batchnorm_grad'),
  layernorm: normalization('layernorm_grad'),
  add: (call) => ({
    inputs: call.entry.inputs.map((_, i) => (call.wantInput(i) ? call.dY : undefined)),
    params: {},
  }),
  concat: (call) => {
    const axis = call.entry.node.attrs.axis;
    let start = 0;
    const inputs = call.entry.inputs.map((input, i) => {
      const at = start;
      start += call.b.decl(input).shape[axis]!;
      return call.wantInput(i)
        ? grad(call, 'slice', { axis, start: at }, [call.dY], input, 'grad')
        : undefined;
    });
    return { inputs, params: {} };
  },
  mul: (call) => {
    const [a, b] = call.entry.inputs as [TensorId, TensorId];
    return {
      inputs: [
        call.wantInput(0) ? grad(call, 'mul', {}, [call.dY, b], a, 'grad_a') : undefined,
        call.wantInput(1) ? grad(call, 'mul', {}, [call.dY, a], b, 'grad_b') : undefined,
      ],
      params: {},
    };
  },
  sample_normal: (call) => {
    const [, logvar] = call.entry.inputs as [TensorId, TensorId];
    const eps = call.entry.saved[0]!;
    return {
      inputs: [
        call.wantInput(0) ? call.dY : undefined,
        call.wantInput(1)
          ? grad(
              call,
              'sample_normal_grad_logvar',
              {},
              [logvar, eps, call.dY],
              logvar,
              'grad_logvar',
            )
          : undefined,
      ],
      params: {},
    };
  },
};
