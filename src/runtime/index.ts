/*
 * `netc/runtime`: what generated modules and apps import at run time. It must never import
 * the compiler front end (chevrotain, prettier); a test checks that.
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
export type * from './program.js';
export type * from './plan.js';
export { RuntimeError, type Backend, type BackendKind, type DeviceState } from './backend.js';
export {
  createBackend,
  BackendUnavailableError,
  type BackendChoice,
  type CreateBackendOptions,
} from './createBackend.js';
export { createCpuBackend } from './cpu/backend.js';
export {
  Model,
  instantiateModel,
  type InstantiateOptions,
  type Feeds,
  type StepLoss,
} from './model.js';
