import { boolArg, initArg, numberArg } from '../args.js';
import { checkInt } from '../checks.js';
import { checkedMul } from '../exact.js';
import { isFailure, single, wrongRank } from '../inputs.js';
import type { OpSpec } from '../opSpec.js';
import { inferred, optionalBias, weight } from '../result.js';

/** `dense(units)`: y = W x + b, PyTorch's `nn.Linear(D, units)`. */
export const dense: OpSpec<'dense'> = {
  kind: 'dense',
  doc: 'Fully connected layer: every output is a weighted sum of all input features plus a bias.',
  arity: 1,
  args: [
    { name: 'units', type: { kind: 'int' }, doc: 'number of output features (at least 1)' },
    { name: 'bias', type: { kind: 'bool' }, default: true, doc: 'whether to learn a bias' },
    {
      name: 'init',
      type: { kind: 'init' },
      default: { kind: 'glorot' },
      doc: 'initializer of the weight',
    },
  ],
  attrs(args) {
    const units = numberArg(args, 'units');
    return (
      checkInt('units', units, 1) ?? {
        ok: true,
        attrs: { units, bias: boolArg(args, 'bias'), init: initArg(args, 'init') },
      }
    );
  },
  infer(inputs, attrs) {
    const input = single('dense', inputs);
    if (isFailure(input)) return input;
    const [features] = input;
    if (input.length !== 1 || features === undefined) {
      return wrongRank('dense', input, 'a vector [D]', 'insert `flatten` before it');
    }
    return inferred('dense', {
      shape: [attrs.units],
      params: [
        weight([attrs.units, features], attrs.init),
        ...optionalBias(attrs.bias, attrs.units),
      ],
      macs: checkedMul(features, attrs.units),
    });
  },
};
