import { numberArg } from '../args.js';
import { checkFloat } from '../checks.js';
import type { OpSpec } from '../opSpec.js';
import { sameShape } from '../sameShape.js';

/* Training-only noise. Both are the identity at inference and keep the input's shape. */

export const dropout: OpSpec<'dropout'> = {
  kind: 'dropout',
  doc: 'In training, zeroes each element with probability p and scales the rest by 1/(1-p).',
  arity: 1,
  args: [
    {
      name: 'p',
      type: { kind: 'float' },
      doc: 'probability of zeroing an element, in [0, 1)',
    },
  ],
  attrs(args) {
    const p = numberArg(args, 'p');
    return checkFloat('p', p, { min: 0, below: 1 }) ?? { ok: true, attrs: { p } };
  },
  infer: sameShape('dropout'),
};

export const gaussian_noise: OpSpec<'gaussian_noise'> = {
  kind: 'gaussian_noise',
  doc: 'In training, adds independent normal noise N(0, std²) to every element.',
  arity: 1,
  args: [
    {
      name: 'std',
      type: { kind: 'float' },
      doc: 'standard deviation of the noise, at least 0',
    },
  ],
  attrs(args) {
    const std = numberArg(args, 'std');
    return checkFloat('std', std, { min: 0 }) ?? { ok: true, attrs: { std } };
  },
  infer: sameShape('gaussian_noise'),
};
