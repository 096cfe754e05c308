import {
  input,
  output,
  type Operand,
  type Uniform,
  type WgslCall,
  type WgslKernel,
} from './kernel.js';
import { gridDispatch, sizeOf } from './shader.js';

/*
 * dense (weight [units, D]) and its gradients (cpu/kernels/linear.ts): one invocation per
 * output element, a float32 dot product over the shared axis. Every axis before the last
 * of x is a row. Plain on purpose: tiled, device-tuned matmuls come with the fusion passes.
 */

const u32 = (name: string, value: number): Uniform => ({ name, type: 'u32', value });

/** [units, D] from the weight's shape. */
function weightDims(shape: readonly number[] | undefined, op: string): [number, number] {
  if (shape?.length !== 2) {
    throw new Error(`internal error: \`${op}\` expects a [units, D] weight, got [${shape}]`);
  }
  return [shape[0]!, shape[1]!];
}

/** [x, W, b?] → [y]: y[r, o] = b[o] + Σ_d x[r, d]·W[o, d]. */
export const dense: WgslKernel<'dense'> = (call) => {
  const [units, depth] = weightDims(call.inputShapes[1], 'dense');
  const bias = call.attrs.bias;
  const operands: Record<string, Operand> = { x: input(0), w: input(1), y: output(0) };
  if (bias) operands['b'] = input(2);
  return [
    gridDispatch(call, {
      label: 'dense',
      operands,
      uniforms: [u32('units', units), u32('depth', depth)],
      invocations: sizeOf(call.outputShapes[0]),
      body: (t) => `
        let r = idx / u.units;
        let o = idx % u.units;
        var sum: f32 = ${bias ? `${t['b']}[o]` : '0.0'};
        for (var d = 0u; d < u.depth; d = d + 1u) {
          sum = sum + ${t['x']}[r * u.depth + d] * ${t['w']}[o * u.depth + d];
        }
        ${t['y']}[idx] = sum;`,
    }),
  ];
};

/** [dY, W] → [dX]: dX[r, d] = Σ_o dY[r, o]·W[o, d]. */
export const denseGradInput: WgslKernel<'dense_grad_input'> = (call) => {
  const [units, depth] = weightDims(call.inputShapes[1], 'dense_grad_input');
  return [
    gridDispatch(call, {
      label: 'dense_grad_input',
      operands: { dy: input(0), w: input(1), dx: output(0) },
      uniforms: [u32('units', units), u32('depth', depth)],
      invocations: sizeOf(call.outputShapes[0]),
      body: (t) => `
        let r = idx / u.depth;
        let d = idx % u.depth;
        var sum: f32 = 0.0;
        for (var o = 0u; o < u.units; o = o + 1u) {
          sum = sum + ${t.dy}[r * u.units + o] * ${t.w}[o * u.depth + d];
        }
        ${t.dx}[idx] = sum;`,
    }),
  ];
};

/** [dY, x] → [dW]: dW[o, d] = Σ_r dY[r, o]·x[r, d]. */
export const denseGradWeight: WgslKernel<'dense_grad_weight'> = (
  call: WgslCall<'dense_grad_weight'>,
) => {
  const [units, depth] = weightDims(call.outputShapes[0], 'dense_grad_weight');
  const rows = sizeOf(call.inputShapes[0]) / units;
  return [
    gridDispatch(call, {
      label: 'dense_grad_weight',
      operands: { dy: input(0), x: input(1), dw: output(0) },
      uniforms: [u32('units', units), u32('depth', depth), u32('rows', rows)],
      invocations: units * depth,
      body: (t) => `
        let o = idx / u.depth;
        let d = idx % u.depth;
        var sum: f32 = 0.0;
        for (var r = 0u; r < u.rows; r = r + 1u) {
          sum = sum + ${t.dy}[r * u.units + o] * ${t.x}[r * u.depth + d];
        }
        ${t.dw}[idx] = sum;`,
    }),
  ];
};
