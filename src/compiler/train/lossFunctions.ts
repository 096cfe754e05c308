import type { CallExpr } from '../syntax/ast.js';
import { elementCount, formatShape, sameShape } from './describe.js';
import type { Operand, OperandEnv } from './operands.js';
import type { LossTerm, PredictionForm, Target } from './trainConfig.js';

/*
 * The loss functions: which arguments each takes and what they must be. Each rule gets its
 * arguments already resolved to operands and either builds the term or reports why not.
 */

export const lossFunctionNames = [
  'mse',
  'l1',
  'cross_entropy',
  'bce',
  'kl_normal',
  'contrastive',
] as const;
export type LossFunctionName = (typeof lossFunctionNames)[number];

type Tensor = Operand & { readonly kind: 'tensor' };
type Args = ReadonlyMap<string, Operand>;

export interface LossRule {
  readonly params: readonly { readonly name: string; readonly required: boolean }[];
  /** One line for docs/training.md. */
  readonly doc: string;
  readonly build: (args: Args, call: CallExpr, env: OperandEnv) => LossTerm | undefined;
}

const required = (name: string) => ({ name, required: true });
const optional = (name: string) => ({ name, required: false });

export const lossRules: { readonly [K in LossFunctionName]: LossRule } = {
  mse: {
    params: [required('a'), required('b')],
    doc: 'mean squared error between two tensors of one shape (or a tensor and a number)',
    build: (args, call, env) => {
      const pair = comparison(args, call, env);
      return pair && { kind: 'mse', prediction: pair.prediction.ref, target: pair.target };
    },
  },
  l1: {
    params: [required('a'), optional('b')],
    doc: 'mean absolute error; with one argument, the sparsity penalty sum(|a|) on an activation',
    build: (args, call, env) => {
      if (!args.has('b')) {
        const value = tensorArg(args, 'a', call, env);
        return value && { kind: 'l1_activity', value: value.ref };
      }
      const pair = comparison(args, call, env);
      return pair && { kind: 'l1', prediction: pair.prediction.ref, target: pair.target };
    },
  },
  cross_entropy: {
    params: [required('input'), required('target')],
    doc: 'cross-entropy of class scores `[classes]` against a class index or a one-hot tensor',
    build: (args, call, env) => {
      const input = tensorArg(args, 'input', call, env);
      const target = args.get('target')!;
      if (!input || target.kind === 'unknown' || input.shape === undefined) return undefined;
      const classes = input.shape[0] ?? 0;
      if (input.shape.length !== 1 || classes < 2) {
        const single = input.shape.length === 1 && classes === 1;
        env.ctx.diagnostics.error(
          'NETC4019',
          input.span,
          `\`cross_entropy\` needs class scores of shape [classes], but \`${input.text}\` has shape ${formatShape(input.shape)}`,
          {
            help: single
              ? 'for a single output use `bce`'
              : 'end the network with `flatten` and `dense(classes)`',
          },
        );
        return undefined;
      }
      const form: PredictionForm =
        input.producer === 'softmax'
          ? 'probabilities'
          : input.producer === 'log_softmax'
            ? 'log_probabilities'
            : 'logits';
      if (target.kind === 'label') {
        if (target.classes !== undefined && target.classes !== classes) {
          env.ctx.diagnostics.error(
            'NETC4020',
            target.span,
            `\`${target.field}\` has ${target.classes} classes, but \`${input.text}\` has ${classes} scores`,
            {
              labels: [{ span: input.span, message: `shape ${formatShape(input.shape)}` }],
              help: `end the network with \`dense(${target.classes})\``,
            },
          );
          return undefined;
        }
        return {
          kind: 'cross_entropy',
          prediction: input.ref,
          form,
          classes,
          target: labelTarget(target),
        };
      }
      if (target.kind === 'tensor') {
        if (!sameShapes(input, target, 'cross_entropy', env)) return undefined;
        return {
          kind: 'cross_entropy',
          prediction: input.ref,
          form,
          classes,
          target: { kind: 'tensor', ref: target.ref },
        };
      }
      env.ctx.diagnostics.error(
        'NETC4020',
        target.span,
        '`cross_entropy` needs a class label or a one-hot tensor as its target, not a number',
        {
          help: 'use `bce(input, target)` to compare with a constant probability',
        },
      );
      return undefined;
    },
  },
  bce: {
    params: [required('input'), required('target')],
    doc: 'binary cross-entropy of probabilities (or logits) against targets in [0, 1]',
    build: (args, call, env) => {
      const input = tensorArg(args, 'input', call, env);
      const target = args.get('target')!;
      if (!input || target.kind === 'unknown') return undefined;
      if (target.kind === 'constant' && !(target.value >= 0 && target.value <= 1)) {
        env.ctx.diagnostics.error(
          'NETC4020',
          target.span,
          `\`bce\` targets are probabilities in [0, 1], got ${target.value}`,
        );
        return undefined;
      }
      const checked = numericTarget(input, target, 'bce', env);
      const form = input.producer === 'sigmoid' ? 'probabilities' : 'logits';
      return checked && { kind: 'bce', prediction: input.ref, form, target: checked };
    },
  },
  kl_normal: {
    params: [required('mu'), required('logvar')],
    doc: 'KL divergence of N(mu, exp(logvar)) from N(0, 1), summed over features',
    build: (args, call, env) => {
      const mu = tensorArg(args, 'mu', call, env);
      const logvar = tensorArg(args, 'logvar', call, env);
      if (!mu || !logvar || !sameShapes(mu, logvar, 'kl_normal', env)) return undefined;
      return { kind: 'kl_normal', mu: mu.ref, logvar: logvar.ref };
    },
  },
  contrastive: {
    params: [required('a'), required('b'), required('same'), optional('margin')],
    doc: 'contrastive loss on two embeddings and a 0/1 label saying whether they match',
    build: (args, call, env) => {
      const a = tensorArg(args, 'a', call, env);
      const b = tensorArg(args, 'b', call, env);
      const same = args.get('same')!;
      const margin = args.get('margin') ?? { kind: 'constant', value: 1, span: call.span };
      if (!a || !b || same.kind === 'unknown' || margin.kind === 'unknown') return undefined;
      if (!sameShapes(a, b, 'contrastive', env)) return undefined;
      if (same.kind !== 'label' || (same.classes !== undefined && same.classes !== 2)) {
        env.ctx.diagnostics.error(
          'NETC4020',
          same.span,
          same.kind === 'label'
            ? `\`contrastive\` needs a 0/1 label saying whether the pair matches, but \`${same.field}\` has ${same.classes} classes`
            : '`contrastive` needs a 0/1 label saying whether the pair matches',
          { help: '`mnist(pairs=true)` yields such a label, `same`' },
        );
        return undefined;
      }
      if (margin.kind !== 'constant') {
        env.ctx.diagnostics.error('NETC4006', margin.span, '`margin` must be a number');
        return undefined;
      }
      if (!(margin.value > 0)) {
        env.ctx.diagnostics.error(
          'NETC4007',
          margin.span,
          `\`margin\` must be greater than 0, got ${margin.value}`,
        );
        return undefined;
      }
      return {
        kind: 'contrastive',
        a: a.ref,
        b: b.ref,
        same: labelTarget(same),
        margin: margin.value,
      };
    },
  },
};

/** The argument `name`, which must be a tensor. */
function tensorArg(args: Args, name: string, call: CallExpr, env: OperandEnv): Tensor | undefined {
  const operand = args.get(name);
  if (!operand || operand.kind === 'unknown') return undefined;
  if (operand.kind === 'tensor') return operand;
  const what =
    operand.kind === 'label'
      ? `the class index \`${operand.field}\``
      : `the number ${operand.value}`;
  env.ctx.diagnostics.error(
    'NETC4022',
    operand.span,
    `\`${call.callee.name}\` needs a tensor as \`${name}\`, got ${what}`,
    {
      help: 'pass a network output, a named value, a data field or a network application such as `D(x)`',
    },
  );
  return undefined;
}

/** The two sides of `mse`/`l1`: the network's value is the prediction, the other the target. */
function comparison(
  args: Args,
  call: CallExpr,
  env: OperandEnv,
): { prediction: Tensor; target: Target } | undefined {
  let a = args.get('a')!;
  let b = args.get('b')!;
  if (a.kind === 'unknown' || b.kind === 'unknown') return undefined;
  const isNetworkValue = (o: Operand) => o.kind === 'tensor' && o.ref.kind === 'network';
  if (a.kind !== 'tensor' || (!isNetworkValue(a) && isNetworkValue(b))) [a, b] = [b, a];
  if (a.kind !== 'tensor') {
    env.ctx.diagnostics.error(
      'NETC4022',
      call.span,
      `\`${call.callee.name}\` needs at least one tensor to compare`,
      {
        help: 'compare a network output with a target, e.g. `mse(output, x)`',
      },
    );
    return undefined;
  }
  const target = numericTarget(a, b, call.callee.name, env);
  return target && { prediction: a, target };
}

/** A target compared element by element: a tensor of one shape, a number, or a 0/1 label. */
function numericTarget(
  prediction: Tensor,
  target: Operand,
  fn: string,
  env: OperandEnv,
): Target | undefined {
  switch (target.kind) {
    case 'unknown':
      return undefined;
    case 'constant':
      return { kind: 'constant', value: target.value };
    case 'tensor':
      return sameShapes(prediction, target, fn, env)
        ? { kind: 'tensor', ref: target.ref }
        : undefined;
    case 'label': {
      if (target.classes !== undefined && target.classes > 2) {
        env.ctx.diagnostics.error(
          'NETC4020',
          target.span,
          `\`${target.field}\` is a class index (${target.classes} classes), not a target for \`${fn}\``,
          {
            help: `use \`cross_entropy(${prediction.text}, ${target.field})\``,
          },
        );
        return undefined;
      }
      if (prediction.shape !== undefined && !sameShape(prediction.shape, [1])) {
        env.ctx.diagnostics.error(
          'NETC4020',
          target.span,
          `\`${target.field}\` is one number per sample, but \`${prediction.text}\` has shape ${formatShape(prediction.shape)}`,
          {
            labels: [{ span: prediction.span, message: 'the prediction' }],
            help:
              prediction.shape.length === 1 && target.classes === prediction.shape[0]
                ? `use \`cross_entropy(${prediction.text}, ${target.field})\` for class scores`
                : 'end the network with `dense(1)`',
          },
        );
        return undefined;
      }
      return labelTarget(target);
    }
  }
}

function sameShapes(a: Tensor, b: Tensor, fn: string, env: OperandEnv): boolean {
  if (a.shape === undefined || b.shape === undefined || sameShape(a.shape, b.shape)) return true;
  const help =
    elementCount(a.shape) === elementCount(b.shape)
      ? `the sizes agree: \`reshape(${formatShape(b.shape)})\` the end of the network, or \`flatten\` the other side`
      : undefined;
  env.ctx.diagnostics.error(
    'NETC4019',
    b.span,
    `\`${fn}\` needs arguments of one shape, but \`${a.text}\` has shape ${formatShape(a.shape)} and \`${b.text}\` has shape ${formatShape(b.shape)}`,
    {
      labels: [{ span: a.span, message: `shape ${formatShape(a.shape)}` }],
      ...(help ? { help } : {}),
    },
  );
  return false;
}

function labelTarget(
  label: Operand & { readonly kind: 'label' },
): Target & { readonly kind: 'label' } {
  return { kind: 'label', field: label.field, classes: label.classes };
}
