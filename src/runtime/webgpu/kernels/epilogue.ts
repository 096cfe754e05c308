import type {
  ActivationGrad,
  EpilogueActivation,
  OutputGradActivationKind,
} from '../../program.js';
import { input, output, type Operand, type Uniform, type WgslKernel } from './kernel.js';
import { pointwiseRules } from './pointwise.js';
import { gridDispatch, sizeOf, type WgslFunction } from './shader.js';

/*
 * Epilogues: what a kernel does to a value between computing it and storing it, so that an
 * activation after dense or conv2d, or the activation's gradient before an input gradient,
 * costs no dispatch of its own (cpu/kernels/epilogue.ts is the reference). The forward
 * activations are pointwise.ts's rules, the very expressions of the stand-alone kernels; the
 * derivatives are written from the activation's output y (program.ts, ActivationGrad).
 *
 * Each epilogue is one WGSL function (`act_` or `act_grad_`) so the stored expression is
 * evaluated once; the activation's kind is part of the module text, its alpha a uniform
 * (`act_alpha`), so every alpha shares one pipeline.
 */

/** The WGSL operand name of the activation output an `activationGrad` epilogue reads. */
const Y = 'act_y';

export interface Epilogue {
  /** Extra operands the epilogue reads, by WGSL name. */
  readonly operands: { readonly [name: string]: Operand };
  readonly uniforms: readonly Uniform[];
  readonly functions: readonly WgslFunction[];
  /**
   * The expression to store in place of `value`, the computed element at flat index `at`
   * of the output; `t` names the bound operands (the epilogue's among them).
   */
  readonly apply: (value: string, at: string, t: Readonly<Record<string, string>>) => string;
}

/** Stores the value as computed. */
export const noEpilogue: Epilogue = {
  operands: {},
  uniforms: [],
  functions: [],
  apply: (value) => value,
};

const alphaUniform = (alpha: number): Uniform => ({ name: 'act_alpha', type: 'f32', value: alpha });

/** act(value) before the store; none when `activation` is absent. */
export function activationEpilogue(activation: EpilogueActivation | undefined): Epilogue {
  if (activation === undefined) return noEpilogue;
  const rule = pointwiseRules[activation.kind];
  const act: WgslFunction = {
    code: `
fn act_(x: f32) -> f32 {
  return ${rule.expr(['x'], () => 'u.act_alpha')};
}`,
    uses: rule.functions ?? [],
  };
  return {
    operands: {},
    uniforms: [alphaUniform(activation.alpha)],
    functions: [act],
    apply: (value) => `act_(${value})`,
  };
}

/** The WGSL operand name of the residual a forward epilogue adds. */
const RESIDUAL = 'res_in';

/**
 * What a forward kernel (dense, conv2d, batchnorm) does before the store: adds the residual,
 * its last input, with `residual`, then applies the activation (cpu/kernels/epilogue.ts's
 * `outputEpilogue`).
 */
export function forwardEpilogue(
  attrs: { readonly activation?: EpilogueActivation; readonly residual?: boolean },
  inputCount: number,
): Epilogue {
  const act = activationEpilogue(attrs.activation);
  if (!attrs.residual) return act;
  return {
    operands: { ...act.operands, [RESIDUAL]: input(inputCount - 1) },
    uniforms: act.uniforms,
    functions: act.functions,
    apply: (value, at, t) => act.apply(`(${value} + ${t[RESIDUAL]}[${at}])`, at, t),
  };
}

/**
 * dY·act'(y) as a WGSL expression. Each holds on the whole range of its activation because
 * y > 0 exactly when x > 0 (alpha ≥ 0 for leaky_relu, alpha > 0 for elu); sigmoid and tanh
 * reuse pointwise.ts's gradients, which already read y.
 */
export const outputDerivative: {
  readonly [K in OutputGradActivationKind]: (y: string, dy: string, alpha: string) => string;
} = {
  relu: (y, dy) => `${dy} * select(0.0, 1.0, ${y} > 0.0)`,
  sigmoid: (y, dy) => pointwiseRules.sigmoid_grad.expr([y, dy], () => ''),
  tanh: (y, dy) => pointwiseRules.tanh_grad.expr([y, dy], () => ''),
  elu: (y, dy, alpha) => `${dy} * select(${y} + ${alpha}, 1.0, ${y} > 0.0)`,
  leaky_relu: (y, dy, alpha) => `${dy} * select(${alpha}, 1.0, ${y} > 0.0)`,
};

/** The function `act_grad_(y, dy)` = dY·act'(y). */
function derivativeFunction(grad: ActivationGrad): WgslFunction {
  return {
    code: `
fn act_grad_(y: f32, dy: f32) -> f32 {
  return ${outputDerivative[grad.kind]('y', 'dy', 'u.act_alpha')};
}`,
  };
}

/**
 * value·act'(y[at]) before the store, `y` being the activation's output (the instruction's
 * last input); none when `grad` is absent.
 */
export function activationGradEpilogue(grad: ActivationGrad | undefined, y: Operand): Epilogue {
  if (grad === undefined) return noEpilogue;
  return {
    operands: { [Y]: y },
    uniforms: [alphaUniform(grad.alpha)],
    functions: [derivativeFunction(grad)],
    apply: (value, at, t) => `act_grad_(${t[Y]}[${at}], ${value})`,
  };
}

/** [y, dY] → [dX] = dY·act'(y), one invocation per element. */
export const activationGrad: WgslKernel<'activation_grad'> = (call) => [
  gridDispatch(call, {
    label: 'activation_grad',
    operands: { y: input(0), dy: input(1), dx: output(0) },
    uniforms: [alphaUniform(call.attrs.alpha)],
    functions: [derivativeFunction(call.attrs)],
    invocations: sizeOf(call.outputShapes[0]),
    body: (t) => `${t.dx}[idx] = act_grad_(${t.y}[idx], ${t.dy}[idx]);`,
  }),
];
