import type { OpKind, Shape } from '../../ir/ops.js';
import { numberArg } from '../args.js';
import { checkedSum } from '../exact.js';
import { fail, type Failure } from '../failure.js';
import { formatShape } from '../format.js';
import { axisOutOfRange, isFailure, many, normalizeAxis, pair } from '../inputs.js';
import type { OpSpec } from '../opSpec.js';
import { inferred } from '../result.js';

/* Ops on several values. Inputs are numbered from 1 in messages, in the order written. */

function sameShapes(a: Shape, b: Shape): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

/** When two images differ only in channels, a 1×1 convolution is the usual fix. */
function mismatchHelp(op: OpKind, first: Shape, other: Shape, index: number): string | undefined {
  const [c1, h1, w1] = first;
  const [c2, h2, w2] = other;
  if (first.length === 3 && other.length === 3 && h1 === h2 && w1 === w2 && c1 !== c2) {
    return `a 1×1 convolution such as \`conv2d(${c1}, 1)\` on input ${index} would match the channels`;
  }
  if (op === 'sample_normal') return '`mu` and `logvar` must have the same shape';
  return undefined;
}

/** Every input must have the first input's shape (`add`, `mul`, `sample_normal`). */
function identicalShapes(op: OpKind, inputs: readonly Shape[]): Shape | Failure {
  const [first = []] = inputs;
  const index = inputs.findIndex((shape) => !sameShapes(shape, first));
  const other = inputs[index];
  if (other === undefined) return first;
  const help = mismatchHelp(op, first, other, index + 1);
  return fail(
    'NETC3008',
    `input ${index + 1} of \`${op}\` has shape ${formatShape(other)}, but input 1 has ${formatShape(first)}`,
    help === undefined ? {} : { help },
  );
}

export const add: OpSpec<'add'> = {
  kind: 'add',
  doc: 'Element-wise sum of two or more values of the same shape (residual connections).',
  arity: 'many',
  args: [],
  attrs: () => ({ ok: true, attrs: {} }),
  infer(inputs) {
    const values = many('add', inputs);
    if (isFailure(values)) return values;
    const shape = identicalShapes('add', values);
    return isFailure(shape) ? shape : inferred('add', { shape, macs: 0 });
  },
};

export const mul: OpSpec<'mul'> = {
  kind: 'mul',
  doc: 'Element-wise product of two values of the same shape (gating).',
  arity: 'pair',
  args: [],
  attrs: () => ({ ok: true, attrs: {} }),
  infer(inputs) {
    const values = pair('mul', inputs);
    if (isFailure(values)) return values;
    const shape = identicalShapes('mul', values);
    return isFailure(shape) ? shape : inferred('mul', { shape, macs: 0 });
  },
};

export const sample_normal: OpSpec<'sample_normal'> = {
  kind: 'sample_normal',
  doc: 'The reparameterization trick of VAEs: mu + exp(logvar / 2) · ε with ε ~ N(0, 1).',
  arity: 'pair',
  args: [],
  attrs: () => ({ ok: true, attrs: {} }),
  infer(inputs) {
    const values = pair('sample_normal', inputs);
    if (isFailure(values)) return values;
    const shape = identicalShapes('sample_normal', values);
    return isFailure(shape) ? shape : inferred('sample_normal', { shape, macs: 0 });
  },
};

/** Inputs must agree on rank and on every axis but `axis`. */
function concatFailure(inputs: readonly Shape[], axis: number): Failure | undefined {
  const [first = []] = inputs;
  for (const [i, shape] of inputs.entries()) {
    if (shape.length !== first.length) {
      return fail(
        'NETC3009',
        `input ${i + 1} of \`concat\` has rank ${shape.length} (${formatShape(shape)}), but input 1 has rank ${first.length} (${formatShape(first)})`,
        { help: 'concatenated values must have the same number of axes' },
      );
    }
    if (shape.some((d, j) => j !== axis && d !== first[j])) {
      return fail(
        'NETC3009',
        `input ${i + 1} of \`concat\` is ${formatShape(shape)}, but input 1 is ${formatShape(first)}; they may differ only along axis ${axis}`,
        {
          help:
            axis === 0 && first.length === 3
              ? 'every branch must keep the same height and width: use the same strides, and padding such as `pad=same`'
              : `make the inputs agree on every axis except axis ${axis}`,
        },
      );
    }
  }
  return undefined;
}

export const concat: OpSpec<'concat'> = {
  kind: 'concat',
  doc: 'Joins two or more values along one axis (channels by default, as in Inception and DenseNet).',
  arity: 'many',
  args: [
    {
      name: 'axis',
      type: { kind: 'int' },
      default: 0,
      doc: 'the axis to join along, counted without the batch dimension; negative counts from the end',
    },
  ],
  attrs: (args) => ({ ok: true, attrs: { axis: numberArg(args, 'axis') } }),
  infer(inputs, attrs) {
    const values = many('concat', inputs);
    if (isFailure(values)) return values;
    const [first = []] = values;
    const axis = normalizeAxis(attrs.axis, first.length);
    if (axis === undefined) return axisOutOfRange('concat', attrs.axis, first);
    const failure = concatFailure(values, axis);
    if (failure !== undefined) return failure;
    const joined = checkedSum(values.map((shape) => shape[axis] ?? 0));
    if (joined === undefined) {
      return fail('NETC3012', `\`concat\` along axis ${axis} gives a dimension above 2^53 - 1`);
    }
    return inferred('concat', {
      shape: first.map((d, j) => (j === axis ? joined : d)),
      macs: 0,
      attrs: { axis },
    });
  },
};
