import type { LossConfig, LossTerm, Target } from '../train/trainConfig.js';
import type { TensorId } from '../../runtime/program.js';
import type { ProgramBuilder } from './builder.js';
import type { RefLowering } from './refs.js';

/*
 * Lowers a loss expression: one scalar per term, their weighted sum, and, when training, the
 * instructions seeding the backward pass (d(weight·term)/d(input) per input). A final
 * softmax or sigmoid is fused into the loss: the loss reads the logits under it, which is
 * the numerically stable form, and the backward pass never goes through the activation.
 */

/** A gradient contribution to a forward tensor. */
export interface GradSeed {
  readonly tensor: TensorId;
  readonly grad: TensorId;
}

export interface LoweredLoss {
  /** Unweighted scalar per term, in order. */
  readonly terms: readonly TensorId[];
  readonly weights: readonly number[];
  readonly lowerings: readonly TermLowering[];
}

/** The forward part: every term's scalar. Resolving the terms lowers the networks they read. */
export function lowerLoss(b: ProgramBuilder, refs: RefLowering, loss: LossConfig): LoweredLoss {
  const terms: TensorId[] = [];
  const lowerings: TermLowering[] = [];
  for (const { term } of loss.terms) {
    const lowered = lowerTerm(b, refs, term);
    const scalar = b.temp(term.kind, [], false);
    b.emit(lowered.op, lowered.attrs as never, lowered.inputs, [scalar]);
    terms.push(scalar);
    lowerings.push(lowered);
  }
  return { terms, weights: loss.terms.map((t) => t.weight), lowerings };
}

/** The seeds of the backward pass: d(weight·term)/d(input) for inputs that need a gradient. */
export function lossGradSeeds(
  b: ProgramBuilder,
  loss: LoweredLoss,
  requires: (t: TensorId) => boolean,
): GradSeed[] {
  const seeds: GradSeed[] = [];
  loss.lowerings.forEach((lowered, k) => {
    const wanted = lowered.differentiable.filter((i) => requires(lowered.inputs[i]!));
    if (wanted.length === 0) return;
    const grads = lowered.differentiable.map((i) => {
      const decl = b.decl(lowered.inputs[i]!);
      return b.temp(`${lowered.op}.grad`, decl.shape, decl.batched);
    });
    const attrs = { ...lowered.attrs, weight: loss.weights[k]! };
    b.emit(lowered.gradOp, attrs as never, lowered.inputs, grads);
    lowered.differentiable.forEach((i, j) => {
      if (requires(lowered.inputs[i]!)) seeds.push({ tensor: lowered.inputs[i]!, grad: grads[j]! });
    });
  });
  return seeds;
}

interface TermLowering {
  readonly op:
    | 'mse_loss'
    | 'l1_loss'
    | 'l1_activity'
    | 'softmax_cross_entropy'
    | 'sigmoid_bce'
    | 'kl_normal'
    | 'contrastive';
  readonly gradOp: `${TermLowering['op']}_grad`;
  readonly attrs: object;
  readonly inputs: readonly TensorId[];
  /** Which inputs the `_grad` instruction writes gradients for, in its output order. */
  readonly differentiable: readonly number[];
}

function lowerTerm(b: ProgramBuilder, refs: RefLowering, term: LossTerm): TermLowering {
  const make = (
    op: TermLowering['op'],
    inputs: TensorId[],
    differentiable: number[],
    attrs: object = {},
  ): TermLowering => ({
    op,
    gradOp: `${op}_grad`,
    attrs,
    inputs,
    differentiable,
  });
  switch (term.kind) {
    case 'mse':
    case 'l1': {
      const prediction = refs.tensor(term.prediction);
      const target = targetTensor(b, refs, term.target, prediction);
      return make(term.kind === 'mse' ? 'mse_loss' : 'l1_loss', [prediction, target], [0]);
    }
    case 'l1_activity':
      return make('l1_activity', [refs.tensor(term.value)], [0]);
    case 'cross_entropy': {
      const prediction = refs.tensor(term.prediction);
      const logits = term.form === 'logits' ? prediction : fusedInput(refs, prediction);
      const index = term.target.kind === 'label';
      const target = index
        ? refs.label((term.target as Target & { kind: 'label' }).field)
        : targetTensor(b, refs, term.target, prediction);
      return make('softmax_cross_entropy', [logits, target], [0], {
        target: index ? 'index' : 'distribution',
      });
    }
    case 'bce': {
      const prediction = refs.tensor(term.prediction);
      const logits = term.form === 'logits' ? prediction : fusedInput(refs, prediction);
      return make('sigmoid_bce', [logits, targetTensor(b, refs, term.target, prediction)], [0]);
    }
    case 'kl_normal':
      return make('kl_normal', [refs.tensor(term.mu), refs.tensor(term.logvar)], [0, 1]);
    case 'contrastive':
      return make(
        'contrastive',
        [refs.tensor(term.a), refs.tensor(term.b), refs.label(term.same.field)],
        [0, 1],
        {
          margin: term.margin,
        },
      );
  }
}

/** The input of the softmax / log_softmax / sigmoid that produced `prediction`: its logits. */
function fusedInput(refs: RefLowering, prediction: TensorId): TensorId {
  const producer = refs.tape.find((e) => e.output === prediction);
  if (!producer) throw new Error('internal compiler error: fused loss without its activation');
  return producer.inputs[0]!;
}

/** A target as a tensor of the prediction's shape (labels as numbers, constants filled). */
export function targetTensor(
  b: ProgramBuilder,
  refs: RefLowering,
  target: Target,
  prediction: TensorId,
): TensorId {
  const shape = b.decl(prediction).shape;
  switch (target.kind) {
    case 'tensor':
      return refs.tensor(target.ref, shape);
    case 'constant': {
      const t = b.temp(`constant(${target.value})`, shape);
      b.emit('fill', { value: target.value }, [], [t]);
      return t;
    }
    case 'label': {
      // A 0/1 label compared with a one-element prediction.
      const label = refs.label(target.field);
      if (shape.reduce((a, d) => a * d, 1) !== 1) {
        throw new Error(
          `internal compiler error: label \`${target.field}\` against a prediction of shape [${shape.join(', ')}]`,
        );
      }
      const t = b.temp(`${target.field}.as_prediction`, shape);
      b.emit('reshape', {}, [label], [t]);
      return t;
    }
  }
}
