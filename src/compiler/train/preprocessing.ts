import { suggestionHelp } from '../diagnostics/didYouMean.js';
import type { Expr } from '../syntax/ast.js';
import { asCallLike, readArgs, type FunctionSpec } from './args.js';
import type { TrainContext } from './context.js';
import { describeSource } from './dataSources.js';
import { listItems } from './listItems.js';
import type { Augmentation, DataConfig, TrainConfig } from './trainConfig.js';

const normalizations = ['standard', 'none'] as const;

/** `normalize = standard` (training-set mean and std, applied to every split) or `none`. */
export function checkNormalize(
  expr: Expr,
  ctx: TrainContext,
): TrainConfig['normalize'] | undefined {
  const found = expr.kind === 'Name' ? normalizations.find((n) => n === expr.name) : undefined;
  if (found) return found;
  if (expr.kind === 'ErrorExpr') return undefined;
  const name = expr.kind === 'Name' ? expr.name : undefined;
  ctx.diagnostics.error(
    'NETC4029',
    expr.span,
    name ? `unknown normalization \`${name}\`` : 'expected `standard` or `none`',
    {
      help:
        (name && suggestionHelp(name, normalizations)) ??
        'write `normalize = standard` or `normalize = none`',
    },
  );
  return undefined;
}

export const augmentationSpecs: { readonly [K in Augmentation['kind']]: FunctionSpec } = {
  shift: {
    name: 'shift',
    doc: 'translate each image by a random whole number of pixels in [-pixels, pixels] per axis, filling with 0',
    params: [
      {
        name: 'pixels',
        type: 'int',
        default: 2,
        range: { min: 1, max: 1024 },
        doc: 'largest shift',
      },
    ],
  },
  flip_horizontal: {
    name: 'flip_horizontal',
    doc: 'mirror each image left-right with probability 1/2',
    params: [],
  },
  brightness: {
    name: 'brightness',
    doc: 'add one random offset in [-delta, delta] to every pixel of an image',
    params: [
      {
        name: 'delta',
        type: 'float',
        default: 0.1,
        range: { min: 0, max: 1, minOpen: true },
        doc: 'largest offset',
      },
    ],
  },
};

const augmentationNames = Object.keys(augmentationSpecs) as Augmentation['kind'][];

/** `augment = [shift(2), flip_horizontal, brightness(0.1)]`: random changes to training images. */
export function checkAugment(
  expr: Expr,
  data: DataConfig | undefined,
  ctx: TrainContext,
): Augmentation[] | undefined {
  const result: Augmentation[] = [];
  let ok = true;
  for (const item of listItems(expr)) {
    const augmentation = checkAugmentation(item, ctx);
    if (!augmentation) {
      ok = false;
      continue;
    }
    const nonImage = data?.fields.find((f) => f.role === 'feature' && !f.image);
    if (data && nonImage) {
      ctx.diagnostics.error(
        'NETC4031',
        item.span,
        `\`${augmentation.kind}\` changes images, but ${describeSource(data.source)} yields \`${nonImage.name}\`, which is not an image`,
        {
          labels: [{ span: data.span, message: 'the data is set here' }],
          help: 'remove `augment`, or train on images (`mnist`, `idx`)',
        },
      );
      ok = false;
      continue;
    }
    result.push(augmentation);
  }
  return ok ? result : undefined;
}

function checkAugmentation(expr: Expr, ctx: TrainContext): Augmentation | undefined {
  const call = asCallLike(expr);
  const kind = call && augmentationNames.find((n) => n === call.name);
  if (!call || !kind) {
    if (expr.kind === 'ErrorExpr') return undefined;
    const span = expr.kind === 'Call' ? expr.callee.span : expr.span;
    ctx.diagnostics.error(
      'NETC4030',
      span,
      call ? `unknown augmentation \`${call.name}\`` : 'expected an augmentation',
      {
        help:
          (call && suggestionHelp(call.name, augmentationNames)) ??
          `the augmentations are ${augmentationNames.map((n) => `\`${n}\``).join(', ')}`,
      },
    );
    return undefined;
  }
  const args = readArgs(augmentationSpecs[kind], call, ctx);
  if (!args) return undefined;
  switch (kind) {
    case 'shift':
      return { kind, pixels: args.get('pixels') as number };
    case 'flip_horizontal':
      return { kind };
    case 'brightness':
      return { kind, delta: args.get('delta') as number };
  }
}
