import { numberArg } from '../args.js';
import { checkFloat } from '../checks.js';
import { isFailure, single, wrongRank } from '../inputs.js';
import type { ArgSpec, OpSpec } from '../opSpec.js';
import { buffer, inferred, ones, unregularized, zeros } from '../result.js';

/*
 * Normalization. Parameters are named and laid out as PyTorch's: `weight` is γ (starts at one),
 * `bias` is β (starts at zero); neither is regularized.
 */

const epsArg: ArgSpec = {
  name: 'eps',
  type: { kind: 'float' },
  default: 1e-5,
  doc: 'added to the variance before the square root, greater than 0',
};

const normRanks = 'a vector [D] or an image [C, H, W]';
const normRankHelp = 'insert `flatten` before it, or `reshape` to [C, H, W]';

export const batchnorm: OpSpec<'batchnorm'> = {
  kind: 'batchnorm',
  doc: 'Normalizes each feature of [D] or each channel of [C, H, W] with batch statistics in training and running statistics at inference (PyTorch BatchNorm1d / BatchNorm2d).',
  arity: 1,
  args: [
    {
      name: 'momentum',
      type: { kind: 'float' },
      default: 0.1,
      doc: 'weight of the current batch in the running statistics, in [0, 1]',
    },
    epsArg,
  ],
  attrs(args) {
    const momentum = numberArg(args, 'momentum');
    const eps = numberArg(args, 'eps');
    return (
      checkFloat('momentum', momentum, { min: 0, max: 1 }) ??
      checkFloat('eps', eps, { above: 0 }) ?? { ok: true, attrs: { momentum, eps } }
    );
  },
  infer(inputs) {
    const input = single('batchnorm', inputs);
    if (isFailure(input)) return input;
    const [channels] = input;
    if ((input.length !== 1 && input.length !== 3) || channels === undefined) {
      return wrongRank('batchnorm', input, normRanks, normRankHelp);
    }
    return inferred('batchnorm', {
      shape: input,
      params: [
        unregularized('weight', [channels], ones),
        unregularized('bias', [channels], zeros),
        buffer('running_mean', [channels], zeros),
        buffer('running_var', [channels], ones),
      ],
      macs: 0,
    });
  },
};

export const layernorm: OpSpec<'layernorm'> = {
  kind: 'layernorm',
  doc: 'Normalizes each sample over all its axes (the features of [D], or the whole [C, H, W]) with a learned element-wise scale and shift.',
  arity: 1,
  args: [epsArg],
  attrs(args) {
    const eps = numberArg(args, 'eps');
    return checkFloat('eps', eps, { above: 0 }) ?? { ok: true, attrs: { eps } };
  },
  infer(inputs) {
    const input = single('layernorm', inputs);
    if (isFailure(input)) return input;
    if (input.length !== 1 && input.length !== 3) {
      return wrongRank('layernorm', input, normRanks, normRankHelp);
    }
    return inferred('layernorm', {
      shape: input,
      params: [unregularized('weight', input, ones), unregularized('bias', input, zeros)],
      macs: 0,
    });
  },
};
