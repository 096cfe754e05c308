import type { OpAttrMap } from '../../ir/ops.js';
import { numberArg } from '../args.js';
import { checkFloat } from '../checks.js';
import { axisOutOfRange, isFailure, normalizeAxis, single } from '../inputs.js';
import type { OpSpec } from '../opSpec.js';
import { sameShape } from '../sameShape.js';
import { inferred } from '../result.js';

/* Element-wise activations and the softmax family: the output has the input's shape. */

type Plain = 'relu' | 'sigmoid' | 'tanh' | 'softplus' | 'gelu' | 'identity';

function plain<K extends Plain>(kind: K, doc: string): OpSpec<K> {
  return {
    kind,
    doc,
    arity: 1,
    args: [],
    attrs: () => ({ ok: true, attrs: {} }),
    infer: sameShape(kind),
  };
}

export const relu = plain('relu', 'max(x, 0)');
export const sigmoid = plain('sigmoid', '1 / (1 + exp(-x))');
export const tanh = plain('tanh', 'hyperbolic tangent');
export const softplus = plain('softplus', 'log(1 + exp(x)), a smooth relu');
export const gelu = plain('gelu', 'x · Φ(x) with the exact normal CDF Φ (PyTorch `nn.GELU()`)');
export const identity = plain('identity', 'returns its input unchanged (e.g. as a shortcut)');

export const elu: OpSpec<'elu'> = {
  kind: 'elu',
  doc: 'x for x > 0, alpha · (exp(x) - 1) otherwise',
  arity: 1,
  args: [
    {
      name: 'alpha',
      type: { kind: 'float' },
      default: 1.0,
      doc: 'negative inputs approach -alpha',
    },
  ],
  attrs(args) {
    const alpha = numberArg(args, 'alpha');
    return checkFloat('alpha', alpha) ?? { ok: true, attrs: { alpha } };
  },
  infer: sameShape('elu'),
};

export const leaky_relu: OpSpec<'leaky_relu'> = {
  kind: 'leaky_relu',
  doc: 'x for x > 0, alpha · x otherwise',
  arity: 1,
  args: [
    { name: 'alpha', type: { kind: 'float' }, default: 0.01, doc: 'slope for negative inputs' },
  ],
  attrs(args) {
    const alpha = numberArg(args, 'alpha');
    return checkFloat('alpha', alpha) ?? { ok: true, attrs: { alpha } };
  },
  infer: sameShape('leaky_relu'),
};

export const step: OpSpec<'step'> = {
  kind: 'step',
  doc: '1 where x > threshold, 0 elsewhere; its gradient is zero everywhere',
  arity: 1,
  args: [
    { name: 'threshold', type: { kind: 'float' }, default: 0, doc: 'where the output jumps to 1' },
  ],
  attrs(args) {
    const threshold = numberArg(args, 'threshold');
    return checkFloat('threshold', threshold) ?? { ok: true, attrs: { threshold } };
  },
  infer: sameShape('step'),
};

type Softmax = 'softmax' | 'log_softmax';

function softmaxSpec<K extends Softmax>(kind: K, doc: string): OpSpec<K> {
  return {
    kind,
    doc,
    arity: 1,
    args: [
      {
        name: 'axis',
        type: { kind: 'int' },
        default: -1,
        doc: 'the axis that sums to one, counted without the batch dimension; negative counts from the end',
      },
    ],
    // Both kinds have the attributes `{ axis }`; TypeScript cannot see that through `K`.
    attrs: (args) => ({ ok: true, attrs: { axis: numberArg(args, 'axis') } as OpAttrMap[K] }),
    infer(inputs, attrs) {
      const input = single(kind, inputs);
      if (isFailure(input)) return input;
      const axis = normalizeAxis(attrs.axis, input.length);
      if (axis === undefined) return axisOutOfRange(kind, attrs.axis, input);
      return inferred(kind, { shape: input, macs: 0, attrs: { axis } as OpAttrMap[K] });
    },
  };
}

export const softmax = softmaxSpec('softmax', 'exp(x) normalized to sum to one along `axis`');
export const log_softmax = softmaxSpec(
  'log_softmax',
  'log(softmax(x)), computed stably as x - logsumexp(x) along `axis`',
);
