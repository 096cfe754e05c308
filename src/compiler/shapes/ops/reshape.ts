import type { Shape } from '../../ir/ops.js';
import { enumArg, numberArg, shapeArg } from '../args.js';
import { checkInt } from '../checks.js';
import { checkedMul, checkedProduct, MAX_DIMENSION } from '../exact.js';
import { fail, type Failure } from '../failure.js';
import { formatShape } from '../format.js';
import { image, isFailure, single } from '../inputs.js';
import type { OpSpec } from '../opSpec.js';
import { inferred } from '../result.js';

/* Ops that rearrange or repeat elements without learning anything. */

export const flatten: OpSpec<'flatten'> = {
  kind: 'flatten',
  doc: 'All axes into one vector, row-major (C, then H, then W): [...] → [product].',
  arity: 1,
  args: [],
  attrs: () => ({ ok: true, attrs: {} }),
  infer(inputs) {
    const input = single('flatten', inputs);
    if (isFailure(input)) return input;
    const count = checkedProduct(input);
    if (count === undefined) {
      return fail(
        'NETC3013',
        `\`flatten\` of ${formatShape(input)} has more than 2^53 - 1 elements`,
      );
    }
    return inferred('flatten', { shape: [count], macs: 0 });
  },
};

/** What is wrong with a target shape on its own, before the input is known. */
function targetFailure(target: Shape): Failure | undefined {
  const invalid = (message: string, help: string) =>
    fail('NETC3011', message, { arg: 'shape', help });
  if (target.length === 0) {
    return invalid(
      '`reshape` needs at least one dimension',
      'write e.g. `reshape([-1])` for a vector',
    );
  }
  if (target.filter((d) => d === -1).length > 1) {
    return invalid(
      `\`reshape\` target ${formatShape(target)} has more than one \`-1\``,
      'only one dimension can be inferred; write the others out',
    );
  }
  const bad = target.find((d) => d !== -1 && d < 1);
  if (bad !== undefined) {
    return invalid(
      `\`reshape\` target ${formatShape(target)} has the dimension ${bad}`,
      'dimensions are at least 1, or `-1` for the one to infer',
    );
  }
  const large = target.find((d) => d > MAX_DIMENSION);
  if (large !== undefined) {
    return fail(
      'NETC3012',
      `\`reshape\` target ${formatShape(target)} has the dimension ${large}, larger than ${MAX_DIMENSION} (2^31 - 1)`,
      { arg: 'shape' },
    );
  }
  return undefined;
}

function sizeMismatch(input: Shape, target: Shape, count: number): Failure {
  return fail(
    'NETC3010',
    `cannot reshape ${formatShape(input)} (${count} elements) into ${formatShape(target)}`,
    {
      arg: 'shape',
      help: target.includes(-1)
        ? 'the other dimensions must divide the element count; `-1` infers only one of them'
        : 'the target must have as many elements as the input; `-1` infers one dimension',
    },
  );
}

export const reshape: OpSpec<'reshape'> = {
  kind: 'reshape',
  doc: 'Same elements in the same (row-major) order, viewed as another shape; one `-1` is inferred.',
  arity: 1,
  args: [
    {
      name: 'shape',
      type: { kind: 'shape' },
      doc: 'the target shape without the batch dimension, e.g. `[16, 7, 7]`; one `-1` allowed',
    },
  ],
  attrs(args) {
    const shape = shapeArg(args, 'shape');
    return targetFailure(shape) ?? { ok: true, attrs: { shape } };
  },
  infer(inputs, attrs) {
    const input = single('reshape', inputs);
    if (isFailure(input)) return input;
    const count = checkedProduct(input);
    if (count === undefined) {
      return fail(
        'NETC3013',
        `\`reshape\` of ${formatShape(input)} has more than 2^53 - 1 elements`,
      );
    }
    const target = attrs.shape;
    const known = checkedProduct(target.filter((d) => d !== -1));
    if (known === undefined || count % known !== 0) return sizeMismatch(input, target, count);
    const inferredDim = count / known;
    if (!target.includes(-1) && inferredDim !== 1) return sizeMismatch(input, target, count);
    return inferred('reshape', {
      shape: target.map((d) => (d === -1 ? inferredDim : d)),
      macs: 0,
    });
  },
};

const upsampleModes = ['nearest', 'bilinear'] as const;

export const upsample: OpSpec<'upsample'> = {
  kind: 'upsample',
  doc: 'Enlarges each spatial axis by an integer factor: [C, H, W] → [C, H·scale, W·scale].',
  arity: 1,
  args: [
    { name: 'scale', type: { kind: 'int' }, default: 2, doc: 'integer factor per spatial axis' },
    {
      name: 'mode',
      type: { kind: 'enum', values: upsampleModes },
      default: 'nearest',
      doc: '`nearest` copies pixels; `bilinear` interpolates (corners not aligned)',
    },
  ],
  attrs(args) {
    const scale = numberArg(args, 'scale');
    return (
      checkInt('scale', scale, 1) ?? {
        ok: true,
        attrs: { scale, mode: enumArg(args, 'mode', upsampleModes) },
      }
    );
  },
  infer(inputs, attrs) {
    const input = single('upsample', inputs);
    if (isFailure(input)) return input;
    const picture = image('upsample', input);
    if (isFailure(picture)) return picture;
    const [channels, height, width] = picture;
    const h = checkedMul(height, attrs.scale);
    const w = checkedMul(width, attrs.scale);
    if (h === undefined || w === undefined) {
      return fail(
        'NETC3012',
        `\`upsample\` of ${formatShape(input)} by ${attrs.scale} is larger than ${MAX_DIMENSION} (2^31 - 1)`,
        { arg: 'scale' },
      );
    }
    return inferred('upsample', { shape: [channels, h, w], macs: 0 });
  },
};
