/*
 * `netc/runtime`: what generated modules and apps import at run time. It must never import
 * the compiler front end (chevrotain, prettier); a test checks that. The backends and the
 * training loop arrive with the training issue; today it carries the IR types they consume.
 */
export type {
  IRNetwork,
  IRNode,
  IRParam,
  InputNode,
  OpNode,
  ValueId,
  ParamId,
} from '../compiler/ir/ir.js';
export type { Shape, OpKind, OpAttrMap, Init, ParamRole } from '../compiler/ir/ops.js';
