import type { IRNetwork, OpNode, ValueId } from '../ir/ir.js';
import type { OpAttrMap, ParamRole, Shape } from '../ir/ops.js';
import type { PrimAttrMap, PrimKind, TensorId } from '../../runtime/program.js';
import type { ProgramBuilder } from './builder.js';

/*
 * Lowers one application of a network to kernel instructions. In `train` mode dropout,
 * noise and batchnorm use their training forms and every applied node is recorded on a
 * tape for the backward pass; in `infer` mode the training-only layers vanish (their
 * output is their input). Every lowered node is recorded on a tape, which the backward
 * pass walks and the loss lowering reads to find the logits under a final softmax.
 */

export type Mode = 'train' | 'infer';

/** One applied IR node, as the backward pass needs it. */
export interface TapeEntry {
  readonly node: OpNode;
  readonly inputs: readonly TensorId[];
  readonly output: TensorId;
  /** Parameter tensors by role, and their state keys. */
  readonly params: Partial<Record<ParamRole, TensorId>>;
  readonly paramKeys: Partial<Record<ParamRole, string>>;
  /**
   * Tensors the forward instruction saved for the backward one: the dropout mask,
   * batchnorm/layernorm mean and invstd, sample_normal's eps, an antialiased pool's dense map.
   */
  readonly saved: readonly TensorId[];
}

/** The state key of a parameter: unique across the networks of one model. */
export function stateKey(network: string, param: string): string {
  return `${network}/${param}`;
}

export function lowerNetwork(
  b: ProgramBuilder,
  network: IRNetwork,
  inputs: readonly TensorId[],
  mode: Mode,
  tape: TapeEntry[],
): ReadonlyMap<ValueId, TensorId> {
  const values = new Map<ValueId, TensorId>();
  network.inputs.forEach((input, i) => values.set(input.value, inputs[i]!));
  for (const node of network.nodes) {
    if (node.op === 'input') continue;
    const params: Partial<Record<ParamRole, TensorId>> = {};
    const paramKeys: Partial<Record<ParamRole, string>> = {};
    for (const [role, id] of Object.entries(node.params) as [ParamRole, number][]) {
      const param = network.params[id]!;
      const key = stateKey(network.name, param.name);
      params[role] = b.state(key, param.shape);
      paramKeys[role] = key;
    }
    const nodeInputs = node.inputs.map((v) => values.get(v)!);
    const lowered = lowerNode(b, node, nodeInputs, params, mode);
    values.set(node.id, lowered.output);
    // A node that vanished (identity, inference-mode dropout) has nothing to differentiate.
    if (!nodeInputs.includes(lowered.output)) {
      tape.push({
        node,
        inputs: nodeInputs,
        output: lowered.output,
        params,
        paramKeys,
        saved: lowered.saved,
      });
    }
  }
  return values;
}

interface Lowered {
  readonly output: TensorId;
  readonly saved: readonly TensorId[];
}

function lowerNode(
  b: ProgramBuilder,
  node: OpNode,
  inputs: readonly TensorId[],
  params: Partial<Record<ParamRole, TensorId>>,
  mode: Mode,
): Lowered {
  const origin = node.origin;
  const out = (shape: Shape = node.shape) => b.temp(node.name, shape);
  /** One instruction from the node's inputs to a fresh output. */
  const simple = <K extends PrimKind>(op: K, attrs: PrimAttrMap[K]): Lowered => {
    const y = out();
    b.emit(op, attrs, inputs, [y], origin);
    return { output: y, saved: [] };
  };
  const withParams = (roles: readonly ParamRole[]) => [
    ...inputs,
    ...roles.flatMap((r) => (params[r] === undefined ? [] : [params[r]!])),
  ];

  switch (node.op) {
    case 'dense': {
      const y = out();
      b.emit('dense', { bias: node.attrs.bias }, withParams(['weight', 'bias']), [y], origin);
      return { output: y, saved: [] };
    }
    case 'conv2d': {
      const y = out();
      const { init: _init, ...attrs } = node.attrs;
      b.emit('conv2d', attrs, withParams(['weight', 'bias']), [y], origin);
      return { output: y, saved: [] };
    }
    case 'conv_transpose2d': {
      const y = out();
      const { init: _init, ...attrs } = node.attrs;
      b.emit('conv_transpose2d', attrs, withParams(['weight', 'bias']), [y], origin);
      return { output: y, saved: [] };
    }
    case 'maxpool':
    case 'avgpool':
      return lowerPool(b, node, inputs[0]!);
    case 'global_avgpool':
    case 'global_maxpool':
    case 'relu':
    case 'sigmoid':
    case 'tanh':
    case 'softplus':
    case 'gelu':
      return simple(node.op, {});
    case 'flatten':
    case 'reshape':
      return simple('reshape', {});
    case 'upsample':
      return simple('upsample', node.attrs);
    case 'elu':
    case 'leaky_relu':
      return simple(node.op, { alpha: node.attrs.alpha });
    case 'step':
      return simple('step', node.attrs);
    case 'softmax':
    case 'log_softmax':
      return simple(node.op, node.attrs);
    case 'identity':
      return { output: inputs[0]!, saved: [] };
    case 'dropout': {
      if (mode === 'infer' || node.attrs.p === 0) return { output: inputs[0]!, saved: [] };
      const y = out();
      const mask = b.temp(`${node.name}.mask`, node.shape);
      b.emit('dropout', { p: node.attrs.p, stream: b.stream() }, inputs, [y, mask], origin);
      return { output: y, saved: [mask] };
    }
    case 'gaussian_noise': {
      if (mode === 'infer') return { output: inputs[0]!, saved: [] };
      return simple('gaussian_noise', { std: node.attrs.std, stream: b.stream() });
    }
    case 'batchnorm':
      return lowerBatchnorm(b, node, inputs[0]!, params, mode);
    case 'layernorm': {
      const y = out();
      const mean = b.temp(`${node.name}.mean`, []);
      const invstd = b.temp(`${node.name}.invstd`, []);
      b.emit('layernorm', node.attrs, withParams(['weight', 'bias']), [y, mean, invstd], origin);
      return { output: y, saved: [mean, invstd] };
    }
    case 'add':
    case 'mul':
      return simple(node.op, {});
    case 'concat':
      return simple('concat', node.attrs);
    case 'sample_normal': {
      // At inference the code is its mean, so `netc run` is deterministic.
      if (mode === 'infer') return { output: inputs[0]!, saved: [] };
      const z = out();
      const eps = b.temp(`${node.name}.eps`, node.shape);
      b.emit('sample_normal', { stream: b.stream() }, inputs, [z, eps], origin);
      return { output: z, saved: [eps] };
    }
  }
}

/** An antialiased pool is a dense (stride 1) pool followed by a strided blur. */
function lowerPool(
  b: ProgramBuilder,
  node: OpNode & { op: 'maxpool' | 'avgpool' },
  x: TensorId,
): Lowered {
  const { kernel, stride, pad, antialias } = node.attrs;
  const y = b.temp(node.name, node.shape);
  if (!antialias) {
    b.emit(node.op, { kernel, stride, pad }, [x], [y], node.origin);
    return { output: y, saved: [] };
  }
  const [c, h, w] = b.decl(x).shape as [number, number, number];
  const dense = b.temp(`${node.name}.dense`, [
    c,
    h + 2 * pad[0] - kernel[0] + 1,
    w + 2 * pad[1] - kernel[1] + 1,
  ]);
  b.emit(node.op, { kernel, stride: [1, 1], pad }, [x], [dense], node.origin);
  b.emit('blur', { stride }, [dense], [y], node.origin);
  return { output: y, saved: [dense] };
}

function lowerBatchnorm(
  b: ProgramBuilder,
  node: OpNode & { op: 'batchnorm' },
  x: TensorId,
  params: Partial<Record<ParamRole, TensorId>>,
  mode: Mode,
): Lowered {
  const attrs: OpAttrMap['batchnorm'] = node.attrs;
  const y = b.temp(node.name, node.shape);
  const stateInputs = [x, params.weight!, params.bias!, params.running_mean!, params.running_var!];
  if (mode === 'infer') {
    b.emit('batchnorm_infer', { eps: attrs.eps }, stateInputs, [y], node.origin);
    return { output: y, saved: [] };
  }
  const channels = node.shape[0]!;
  const mean = b.temp(`${node.name}.mean`, [channels], false);
  const invstd = b.temp(`${node.name}.invstd`, [channels], false);
  b.emit(
    'batchnorm_train',
    { momentum: attrs.momentum, eps: attrs.eps },
    stateInputs,
    [y, mean, invstd, params.running_mean!, params.running_var!],
    node.origin,
  );
  return { output: y, saved: [mean, invstd] };
}
