import type { Shape } from '../ir/ops.js';
import type { ValueId } from '../ir/ir.js';
import type { Span } from '../source.js';

/*
 * The typed, validated form of a `train` section (LANGUAGE §6): what the trainer consumes.
 * Every default is filled in, every name is resolved, every hyper-parameter is a number.
 * A section without `phase`s becomes one phase that updates the trained network, so the
 * training loop handles plain and multi-network (GAN) sections alike.
 */

export interface TrainConfig {
  /** The name after `train`: the trained network, or only a label when the section has phases. */
  readonly name: string;
  /** The trained network of a plain section; undefined for a section with phases. */
  readonly network: string | undefined;
  /** Every network the section runs, in order of first use (the trained one first). */
  readonly networks: readonly string[];
  readonly data: DataConfig;
  /** `normalize = standard`: features scaled with the training set's mean and std. */
  readonly normalize: 'none' | 'standard';
  /** Applied to training batches only, in order. */
  readonly augment: readonly Augmentation[];
  readonly noise: readonly NoiseConfig[];
  /** At least one. Each iteration (one batch) runs every phase in order, each `steps` times. */
  readonly phases: readonly PhaseConfig[];
  readonly batch: number;
  readonly epochs: number;
  /** Empty for sections with phases (metrics need one trained network). */
  readonly metrics: readonly MetricConfig[];
  /** Fraction of the training set held out for validation, in [0, 1). */
  readonly validation: number;
  /** undefined when the section sets no seed. */
  readonly seed: number | undefined;
  /** Weights loaded into the trained network before training (matching names). */
  readonly weights: FilePath | undefined;
  readonly freeze: readonly FrozenLayer[];
  readonly span: Span;
}

/** A path as written and resolved against the directory of the `.net` file. */
export interface FilePath {
  readonly written: string;
  readonly resolved: string;
}

// ---------------------------------------------------------------- data

export type DataSource =
  /** The bundled 10,000 real digits; `pairs` yields image pairs and `same` instead of `label`. */
  | {
      readonly kind: 'mnist';
      readonly train: number;
      readonly test: number;
      readonly pairs: boolean;
    }
  /** `n` points around the corners of the unit square, label = XOR of the coordinates. */
  | { readonly kind: 'xor'; readonly n: number; readonly noise: number }
  | { readonly kind: 'moons'; readonly n: number; readonly noise: number }
  | {
      readonly kind: 'spirals';
      readonly n: number;
      readonly classes: number;
      readonly noise: number;
    }
  /** One row per sample: every column but `label` is a feature. */
  | {
      readonly kind: 'csv';
      readonly file: FilePath;
      readonly label: string;
      readonly test: FilePath | undefined;
    }
  /** MNIST's IDX format (images and labels files), e.g. the full 60,000-digit set. */
  | {
      readonly kind: 'idx';
      readonly images: FilePath;
      readonly labels: FilePath;
      readonly testImages: FilePath | undefined;
      readonly testLabels: FilePath | undefined;
    };

export type DataSourceKind = DataSource['kind'];

/** One named thing a data source yields per sample. */
export type DataField =
  /** Features, fed to the network's inputs in declaration order (`index`). */
  | {
      readonly role: 'feature';
      readonly name: string;
      readonly index: number;
      /** undefined when only the file knows (csv, idx): then it must fit the network's input. */
      readonly shape: Shape | undefined;
      readonly image: boolean;
    }
  /** A class index per sample; `classes` undefined when only the file knows. */
  | { readonly role: 'label'; readonly name: string; readonly classes: number | undefined };

export interface DataConfig {
  readonly source: DataSource;
  /** Features first (in input order), then the label. */
  readonly fields: readonly DataField[];
  readonly span: Span;
}

export type Augmentation =
  /** Random translation by up to `pixels` in each direction, zero fill. */
  | { readonly kind: 'shift'; readonly pixels: number }
  /** Mirror left-right with probability 1/2. */
  | { readonly kind: 'flip_horizontal' }
  /** Add a uniform random offset in [-delta, delta] to every pixel of an image. */
  | { readonly kind: 'brightness'; readonly delta: number };

export interface NoiseConfig {
  readonly name: string;
  readonly shape: Shape;
  readonly distribution: NoiseDistribution;
  readonly span: Span;
}

export type NoiseDistribution =
  | { readonly kind: 'normal'; readonly mean: number; readonly std: number }
  /** Uniform on [low, high), like `torch.rand` for the defaults 0 and 1. */
  | { readonly kind: 'uniform'; readonly low: number; readonly high: number };

// ---------------------------------------------------------------- loss

/**
 * A tensor a loss reads, per sample. References are trees: `D(G(z))` is a network value
 * whose input is another network value. Equal trees mean the same computation; see
 * `tensorRefKey` to share one forward pass between them.
 */
export type TensorRef =
  /** Value `name` (an output, or a named value of the body) of `network` applied to `inputs`. */
  | {
      readonly kind: 'network';
      readonly network: string;
      /** One per network input, in declaration order. */
      readonly inputs: readonly TensorRef[];
      readonly name: string;
      readonly value: ValueId;
      readonly shape: Shape;
    }
  /** A data feature; `shape` undefined when only the file knows. */
  | { readonly kind: 'data'; readonly field: string; readonly shape: Shape | undefined }
  | { readonly kind: 'noise'; readonly name: string; readonly shape: Shape };

/** A loss's target: a tensor, the data's label, or a number broadcast over the prediction. */
export type Target =
  | { readonly kind: 'tensor'; readonly ref: TensorRef }
  /** The class index `field` (`label`, `same`); as a number (0/1) for `mse`/`l1`/`bce`. */
  | { readonly kind: 'label'; readonly field: string; readonly classes: number | undefined }
  | { readonly kind: 'constant'; readonly value: number };

/**
 * How a prediction reaches the loss, decided by the op that produced it: a loss fuses a
 * final `softmax`/`log_softmax` (cross-entropy) or `sigmoid` (bce) into the stable form,
 * and treats any other value as logits.
 */
export type PredictionForm = 'logits' | 'probabilities' | 'log_probabilities';

/**
 * One loss function applied to its arguments. Reductions follow PyTorch's defaults: the
 * mean over batch and elements for `mse`, `l1`, `bce`; the mean over the batch for
 * `cross_entropy` and `contrastive`; per-sample sums averaged over the batch for
 * `kl_normal` and the `l1` activity penalty.
 */
export type LossTerm =
  | { readonly kind: 'mse'; readonly prediction: TensorRef; readonly target: Target }
  | { readonly kind: 'l1'; readonly prediction: TensorRef; readonly target: Target }
  /** `l1(value)`: sparsity penalty sum(|value|) on an activation. */
  | { readonly kind: 'l1_activity'; readonly value: TensorRef }
  | {
      readonly kind: 'cross_entropy';
      readonly prediction: TensorRef;
      readonly form: PredictionForm;
      readonly classes: number;
      /** A class index (`label`) or a one-hot / probability tensor of the prediction's shape. */
      readonly target: Target;
    }
  | {
      readonly kind: 'bce';
      readonly prediction: TensorRef;
      readonly form: Exclude<PredictionForm, 'log_probabilities'>;
      readonly target: Target;
    }
  /** KL(N(mu, exp(logvar)) || N(0, 1)) = -1/2 · sum(1 + logvar - mu² - exp(logvar)). */
  | { readonly kind: 'kl_normal'; readonly mu: TensorRef; readonly logvar: TensorRef }
  /** Hadsell et al. 2006: same·d² + (1 - same)·max(0, margin - d)², d = ‖a - b‖₂. */
  | {
      readonly kind: 'contrastive';
      readonly a: TensorRef;
      readonly b: TensorRef;
      readonly same: Target & { readonly kind: 'label' };
      readonly margin: number;
    };

export type LossKind = LossTerm['kind'];

export interface WeightedTerm {
  readonly weight: number;
  readonly term: LossTerm;
  readonly span: Span;
}

/** A loss is a weighted sum of terms: `mse(recon, x) + 1e-3 * l1(code)`. */
export interface LossConfig {
  readonly terms: readonly WeightedTerm[];
  readonly span: Span;
}

// ---------------------------------------------------------------- optimization

/** Hyper-parameters with PyTorch's names (camel-cased) and defaults. */
export type OptimizerConfig =
  | {
      readonly kind: 'sgd';
      readonly lr: number;
      readonly momentum: number;
      readonly nesterov: boolean;
      readonly weightDecay: number;
    }
  | {
      readonly kind: 'adagrad';
      readonly lr: number;
      readonly eps: number;
      readonly weightDecay: number;
    }
  | {
      readonly kind: 'adam' | 'adamw';
      readonly lr: number;
      readonly beta1: number;
      readonly beta2: number;
      readonly eps: number;
      /** Coupled L2 for `adam` (PyTorch's), decoupled for `adamw`. */
      readonly weightDecay: number;
    }
  | {
      readonly kind: 'rmsprop';
      readonly lr: number;
      readonly alpha: number;
      readonly eps: number;
      readonly momentum: number;
      readonly weightDecay: number;
    };

export type OptimizerKind = OptimizerConfig['kind'];

/** Learning-rate schedules; `t` counts finished epochs. */
export type ScheduleConfig =
  | { readonly kind: 'constant' }
  /** lr / (1 + decay·t) */
  | { readonly kind: 'inverse'; readonly decay: number }
  /** lr · gamma^floor(t / every) */
  | { readonly kind: 'step'; readonly every: number; readonly gamma: number }
  /** lr · gamma^t */
  | { readonly kind: 'exponential'; readonly gamma: number }
  /** lr · (1 + cos(π·min(t, total)/total)) / 2 */
  | { readonly kind: 'cosine'; readonly total: number };

/** Added to the loss over trainable, regularized parameters (weights, never biases). */
export interface RegularizerConfig {
  /** `l2`: lambda · sum(w²); `l1`: lambda · sum(|w|). */
  readonly kind: 'l1' | 'l2';
  readonly lambda: number;
}

export interface PhaseConfig {
  /** The phase's name; `train` for the single phase of a section without phases. */
  readonly name: string;
  readonly steps: number;
  readonly loss: LossConfig;
  readonly optimizer: OptimizerConfig;
  readonly schedule: ScheduleConfig;
  readonly regularize: RegularizerConfig | undefined;
  /** The networks whose (unfrozen) parameters this phase updates; each has its own optimizer state. */
  readonly update: readonly string[];
  readonly span: Span;
}

// ---------------------------------------------------------------- evaluation

export type MetricName =
  | 'accuracy'
  | 'precision'
  | 'recall'
  | 'f1'
  | 'tpr'
  | 'fpr'
  | 'tnr'
  | 'fnr'
  | 'confusion'
  | 'mse'
  | 'mae';

export type MetricConfig =
  /**
   * Compares predicted classes with the label: argmax over `classes` outputs, or for a
   * single output `prediction > threshold` (0.5 for probabilities, 0 for logits).
   * Multi-class precision/recall/f1/rates are macro-averaged.
   */
  | {
      readonly kind: 'classification';
      readonly name: Exclude<MetricName, 'mse' | 'mae'>;
      readonly prediction: TensorRef;
      readonly label: string;
      readonly classes: number | undefined;
      readonly threshold: number | undefined;
    }
  /** Mean squared / absolute difference between the prediction and a loss's target. */
  | {
      readonly kind: 'regression';
      readonly name: 'mse' | 'mae';
      readonly prediction: TensorRef;
      readonly target: Target;
    };

/** Parameters of one layer or block instance kept fixed (no update, no optimizer state). */
export interface FrozenLayer {
  readonly network: string;
  /** The layer or block-instance name as written: a prefix of parameter names. */
  readonly layer: string;
  /** The full names of the parameters it freezes. */
  readonly params: readonly string[];
}

/** A stable key for a tensor reference: equal keys mean one shared computation. */
export function tensorRefKey(ref: TensorRef): string {
  switch (ref.kind) {
    case 'network':
      return `${ref.network}(${ref.inputs.map(tensorRefKey).join(', ')}).${ref.name}`;
    case 'data':
      return `data.${ref.field}`;
    case 'noise':
      return `noise.${ref.name}`;
  }
}
