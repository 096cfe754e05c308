import type { Span } from '../source.js';
import type { Init, OpAttrMap, OpKind, ParamRole, Shape } from './ops.js';

/*
 * The typed IR: one graph per network, fully expanded (blocks inlined, repeats unrolled,
 * conditionals selected), every shape concrete except the implicit batch dimension.
 * Autodiff and code generation consume this.
 */

export type ValueId = number;
export type ParamId = number;

/** Where a node came from: its own span plus, innermost first, the block calls that expanded it. */
export interface Origin {
  readonly span: Span;
  readonly callSites: readonly Span[];
}

export interface InputNode {
  readonly id: ValueId;
  readonly op: 'input';
  readonly name: string;
  readonly inputs: readonly [];
  readonly shape: Shape;
  readonly origin: Origin;
}

export type OpNode = {
  [K in OpKind]: {
    readonly id: ValueId;
    readonly op: K;
    readonly attrs: OpAttrMap[K];
    /** Stable layer name, e.g. `ConvBN_1.conv2d_0` or a user name like `c1`. */
    readonly name: string;
    readonly inputs: readonly ValueId[];
    readonly shape: Shape;
    /** Parameters by role; shared (`let`) instances point at the same ids. */
    readonly params: Partial<Record<ParamRole, ParamId>>;
    /** Multiply-adds per sample. */
    readonly macs: number;
    readonly origin: Origin;
  };
}[OpKind];

export type IRNode = InputNode | OpNode;

export interface IRParam {
  readonly id: ParamId;
  /** PyTorch-style state-dict name, e.g. `c1.weight`, `ConvBN_1.batchnorm_0.running_var`. */
  readonly name: string;
  readonly role: ParamRole;
  readonly shape: Shape;
  readonly init: Init;
  readonly trainable: boolean;
  readonly regularized: boolean;
  /** The layer name that owns it (`c1`), for `freeze` and summaries. */
  readonly owner: string;
  readonly origin: Origin;
}

export interface IRNetworkOutput {
  readonly name: string;
  readonly value: ValueId;
}

export interface IRNetwork {
  readonly name: string;
  readonly doc?: string;
  readonly inputs: readonly { readonly name: string; readonly value: ValueId }[];
  readonly outputs: readonly IRNetworkOutput[];
  /** Topologically ordered: every node's inputs come before it. `nodes[i].id === i`. */
  readonly nodes: readonly IRNode[];
  readonly params: readonly IRParam[];
  readonly span: Span;
}
