import type { OptimizerConfig } from '../train/trainConfig.js';
import type { TensorId } from '../../runtime/program.js';
import type { ProgramBuilder } from './builder.js';

/*
 * One in-place update instruction per parameter, with the optimizer state it needs as
 * persistent tensors named `<phase>/<parameter key>/<slot>`, so each phase of a GAN keeps
 * its own moments and a checkpoint holds them by name.
 */
export function lowerOptimizerStep(
  b: ProgramBuilder,
  optimizer: OptimizerConfig,
  phase: string,
  paramKey: string,
  param: TensorId,
  grad: TensorId,
): void {
  const shape = b.decl(param).shape;
  const slot = (name: string) => b.state(`${phase}/${paramKey}/${name}`, shape);
  switch (optimizer.kind) {
    case 'sgd': {
      const state = optimizer.momentum > 0 ? [slot('momentum_buffer')] : [];
      const attrs = {
        momentum: optimizer.momentum,
        nesterov: optimizer.nesterov,
        weightDecay: optimizer.weightDecay,
      };
      b.emit('sgd_update', attrs, [param, grad, ...state], [param, ...state]);
      return;
    }
    case 'adagrad': {
      const sum = slot('sum');
      b.emit(
        'adagrad_update',
        { eps: optimizer.eps, weightDecay: optimizer.weightDecay },
        [param, grad, sum],
        [param, sum],
      );
      return;
    }
    case 'adam':
    case 'adamw': {
      const m = slot('exp_avg');
      const v = slot('exp_avg_sq');
      const attrs = {
        beta1: optimizer.beta1,
        beta2: optimizer.beta2,
        eps: optimizer.eps,
        weightDecay: optimizer.weightDecay,
        decoupled: optimizer.kind === 'adamw',
      };
      b.emit('adam_update', attrs, [param, grad, m, v], [param, m, v]);
      return;
    }
    case 'rmsprop': {
      const state = [
        slot('square_avg'),
        ...(optimizer.momentum > 0 ? [slot('momentum_buffer')] : []),
      ];
      const attrs = {
        alpha: optimizer.alpha,
        eps: optimizer.eps,
        momentum: optimizer.momentum,
        weightDecay: optimizer.weightDecay,
      };
      b.emit('rmsprop_update', attrs, [param, grad, ...state], [param, ...state]);
      return;
    }
  }
}
