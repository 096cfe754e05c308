import type { Init, Shape } from '../compiler/ir/ops.js';
import type {
  OptimizerConfig,
  ScheduleConfig,
  TrainConfig,
} from '../compiler/train/trainConfig.js';
import type { Program } from './program.js';

/*
 * Everything a model needs at run time, as plain data: the programs, the persistent state
 * they read and write, and the training settings. The compiler produces it; generated
 * modules embed it; `instantiate` turns it into a live model on a backend.
 */

export interface TensorSpec {
  readonly name: string;
  readonly shape: Shape;
}

/** One parameter or buffer of a network, under its PyTorch-style name. */
export interface ParamPlan {
  /** The state key (`<network>/<name>`). */
  readonly key: string;
  /** The state-dict name (`c1.weight`). */
  readonly name: string;
  readonly shape: Shape;
  readonly init: Init;
  readonly trainable: boolean;
}

export interface NetworkPlan {
  readonly name: string;
  readonly inputs: readonly TensorSpec[];
  readonly outputs: readonly TensorSpec[];
  readonly params: readonly ParamPlan[];
  /** Inference: training-only layers off, batchnorm with running statistics. */
  readonly inference: Program;
  /** Training-mode forward (dropout and noise on, batch statistics): `forward(x, { training: true })`. */
  readonly trainingForward: Program;
}

export interface PhasePlan {
  readonly name: string;
  readonly steps: number;
  /** One optimizer step; reads the batch's data fields as feeds; result `loss`. */
  readonly program: Program;
  readonly optimizer: OptimizerConfig;
  readonly schedule: ScheduleConfig;
}

export interface TrainPlan {
  readonly config: TrainConfig;
  readonly phases: readonly PhasePlan[];
  /** Inference-mode loss and metric inputs (`metric.<i>.prediction`, `metric.<i>.target`). */
  readonly evaluation: Program;
}

export interface ModelPlan {
  /** The network that `forward`, `saveWeights` and `loadWeights` are about. */
  readonly network: NetworkPlan;
  /** Every network the model holds: the main one first, then those its training uses (GAN). */
  readonly networks: readonly NetworkPlan[];
  readonly train: TrainPlan | undefined;
  /** Identifies the model's structure; checkpoints of a different model are refused. */
  readonly hash: string;
}
