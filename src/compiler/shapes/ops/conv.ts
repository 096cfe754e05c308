import type { Pair } from '../../ir/ops.js';
import { boolArg, enumArg, initArg, numberArg, pairArg, paddingArg } from '../args.js';
import { checkInt, checkPair } from '../checks.js';
import { checkedMul, checkedProduct } from '../exact.js';
import { fail, type Failure } from '../failure.js';
import { formatPairArg, formatSize, formatShape } from '../format.js';
import { image, isFailure, single } from '../inputs.js';
import type { ArgSpec, OpSpec } from '../opSpec.js';
import { inferred, optionalBias, weight } from '../result.js';
import { resolvePadding, slideWindow, transposeWindow } from '../spatial.js';

/*
 * Convolutions use PyTorch's layouts so weights interchange: `conv2d` weight
 * [F, C/groups, kh, kw], `conv_transpose2d` weight [C, F, kh, kw]; bias [F].
 * Both default to `he` (Kaiming normal) weights, the usual choice for ReLU networks.
 */

const padModes = ['zeros', 'reflect', 'replicate'] as const;

const filtersArg: ArgSpec = {
  name: 'filters',
  type: { kind: 'int' },
  doc: 'number of output channels F (at least 1)',
};
const kernelArg: ArgSpec = {
  name: 'k',
  type: { kind: 'pair' },
  doc: 'kernel size: an int or `(kh, kw)`',
};
const strideArg: ArgSpec = {
  name: 'stride',
  type: { kind: 'pair' },
  default: 1,
  doc: 'step between windows: an int or `(sh, sw)`',
};
const dilationArg: ArgSpec = {
  name: 'dilation',
  type: { kind: 'pair' },
  default: 1,
  doc: 'spacing between kernel taps: an int or `(dh, dw)`',
};
const biasArg: ArgSpec = {
  name: 'bias',
  type: { kind: 'bool' },
  default: true,
  doc: 'whether to learn a per-filter bias',
};
const initArgSpec: ArgSpec = {
  name: 'init',
  type: { kind: 'init' },
  default: { kind: 'he' },
  doc: 'initializer of the weight',
};

function groupsFailure(groups: number, count: number, what: string): Failure | undefined {
  if (count % groups === 0) return undefined;
  return fail('NETC3005', `\`groups=${groups}\` does not divide the ${count} ${what}`, {
    arg: 'groups',
    help: 'the input channels and `filters` must both be multiples of `groups`',
  });
}

/** Reflection can only mirror pixels that exist: PyTorch needs padding below the input size. */
function reflectFailure(pad: Pair, size: Pair): Failure | undefined {
  if (pad[0] < size[0] && pad[1] < size[1]) return undefined;
  return fail(
    'NETC3004',
    `\`pad_mode=reflect\` needs padding smaller than the input ${formatSize(size)}, got padding ${formatPairArg(pad)}`,
    { arg: 'pad', help: 'use a smaller `pad`, or `pad_mode=replicate`' },
  );
}

export const conv2d: OpSpec<'conv2d'> = {
  kind: 'conv2d',
  doc: '2-D convolution (cross-correlation) of a [C, H, W] image with F learned kernels.',
  arity: 1,
  args: [
    filtersArg,
    kernelArg,
    strideArg,
    {
      name: 'pad',
      type: { kind: 'padding' },
      default: 0,
      doc: 'padding per side: an int, `(ph, pw)`, `same` (keeps the size; stride 1) or `valid` (0)',
    },
    dilationArg,
    {
      name: 'groups',
      type: { kind: 'int' },
      default: 1,
      doc: 'split channels into this many independent groups (must divide C and F)',
    },
    biasArg,
    {
      name: 'pad_mode',
      type: { kind: 'enum', values: padModes },
      default: 'zeros',
      doc: 'what padding is filled with: `zeros`, `reflect` or `replicate`',
    },
    initArgSpec,
  ],
  attrs(args) {
    const filters = numberArg(args, 'filters');
    const kernel = pairArg(args, 'k');
    const stride = pairArg(args, 'stride');
    const dilation = pairArg(args, 'dilation');
    const groups = numberArg(args, 'groups');
    const failure =
      checkInt('filters', filters, 1) ??
      checkPair('k', kernel, 1) ??
      checkPair('stride', stride, 1) ??
      checkPair('dilation', dilation, 1) ??
      checkInt('groups', groups, 1) ??
      groupsFailure(groups, filters, 'filters');
    if (failure !== undefined) return failure;
    const pad = resolvePadding(paddingArg(args, 'pad'), kernel, dilation);
    if (isFailure(pad)) return pad;
    return {
      ok: true,
      attrs: {
        filters,
        kernel,
        stride,
        pad,
        dilation,
        groups,
        bias: boolArg(args, 'bias'),
        padMode: enumArg(args, 'pad_mode', padModes),
        init: initArg(args, 'init'),
      },
    };
  },
  infer(inputs, attrs) {
    const input = single('conv2d', inputs);
    if (isFailure(input)) return input;
    const picture = image('conv2d', input);
    if (isFailure(picture)) return picture;
    const [channels, height, width] = picture;
    const failure =
      groupsFailure(attrs.groups, channels, `input channels of ${formatShape(input)}`) ??
      (attrs.padMode === 'reflect' ? reflectFailure(attrs.pad, [height, width]) : undefined);
    if (failure !== undefined) return failure;
    const { kernel, stride, pad, dilation } = attrs;
    const out = slideWindow('conv2d', [height, width], kernel, stride, pad, dilation);
    if (isFailure(out)) return out;
    const shape = [attrs.filters, out[0], out[1]];
    const perGroup = channels / attrs.groups;
    return inferred('conv2d', {
      shape,
      params: [
        weight([attrs.filters, perGroup, kernel[0], kernel[1]], attrs.init),
        ...optionalBias(attrs.bias, attrs.filters),
      ],
      macs: checkedMul(checkedProduct(shape), checkedProduct([perGroup, kernel[0], kernel[1]])),
    });
  },
};

/** PyTorch allows an output padding only below the stride or the dilation on each axis. */
function outputPadFailure(outputPad: Pair, stride: Pair, dilation: Pair): Failure | undefined {
  const axisFits = (axis: 0 | 1) =>
    outputPad[axis] < stride[axis] || outputPad[axis] < dilation[axis];
  if (axisFits(0) && axisFits(1)) return undefined;
  return fail(
    'NETC3014',
    `\`output_pad=${formatPairArg(outputPad)}\` must be smaller than the stride ${formatPairArg(stride)} or the dilation ${formatPairArg(dilation)}`,
    {
      arg: 'output_pad',
      help: '`output_pad` only chooses among the output sizes that map back to the same input size; keep it below the stride',
    },
  );
}

export const conv_transpose2d: OpSpec<'conv_transpose2d'> = {
  kind: 'conv_transpose2d',
  doc: 'Transposed 2-D convolution ("deconvolution"): the gradient of `conv2d`, used to upsample in decoders.',
  arity: 1,
  args: [
    filtersArg,
    kernelArg,
    strideArg,
    {
      name: 'pad',
      type: { kind: 'pair' },
      default: 0,
      doc: 'rows and columns removed from each side of the output: an int or `(ph, pw)`',
    },
    {
      name: 'output_pad',
      type: { kind: 'pair' },
      default: 0,
      doc: 'extra rows and columns added on one side of the output (below the stride)',
    },
    dilationArg,
    biasArg,
    initArgSpec,
  ],
  attrs(args) {
    const filters = numberArg(args, 'filters');
    const kernel = pairArg(args, 'k');
    const stride = pairArg(args, 'stride');
    const pad = pairArg(args, 'pad');
    const outputPad = pairArg(args, 'output_pad');
    const dilation = pairArg(args, 'dilation');
    const failure =
      checkInt('filters', filters, 1) ??
      checkPair('k', kernel, 1) ??
      checkPair('stride', stride, 1) ??
      checkPair('pad', pad, 0) ??
      checkPair('output_pad', outputPad, 0) ??
      checkPair('dilation', dilation, 1) ??
      outputPadFailure(outputPad, stride, dilation);
    if (failure !== undefined) return failure;
    return {
      ok: true,
      attrs: {
        filters,
        kernel,
        stride,
        pad,
        outputPad,
        dilation,
        bias: boolArg(args, 'bias'),
        init: initArg(args, 'init'),
      },
    };
  },
  infer(inputs, attrs) {
    const input = single('conv_transpose2d', inputs);
    if (isFailure(input)) return input;
    const picture = image('conv_transpose2d', input);
    if (isFailure(picture)) return picture;
    const [channels, height, width] = picture;
    const { kernel, stride, pad, outputPad, dilation } = attrs;
    const out = transposeWindow([height, width], kernel, stride, pad, outputPad, dilation);
    if (isFailure(out)) return out;
    return inferred('conv_transpose2d', {
      shape: [attrs.filters, out[0], out[1]],
      params: [
        weight([channels, attrs.filters, kernel[0], kernel[1]], attrs.init),
        ...optionalBias(attrs.bias, attrs.filters),
      ],
      // Every input element scatters into F·kh·kw outputs, one multiply-add each.
      macs: checkedMul(
        checkedProduct(input),
        checkedProduct([attrs.filters, kernel[0], kernel[1]]),
      ),
    });
  },
};
