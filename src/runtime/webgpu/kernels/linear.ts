import type { PrimKind } from '../../program.js';
import {
  input,
  output,
  type Operand,
  type Uniform,
  type WgslCall,
  type WgslDispatch,
  type WgslKernel,
} from './kernel.js';
import {
  activationEpilogue,
  activationGradEpilogue,
  noEpilogue,
  type Epilogue,
} from './epilogue.js';
import { gridDispatch, sizeOf } from './shader.js';

/*
 * dense (weight [units, D]) and its gradients (cpu/kernels/linear.ts) as one strided matrix
 * product C[i, j] = Σ_k A(i, k)·B(k, j), the layouts given as strides in uniforms, so the
 * three share one pipeline (dense with a bias has its own). Each invocation accumulates a BLOCK×BLOCK block of C in registers
 * straight from global memory, which on a software rasterizer is several times faster than
 * one output per invocation; loads at the ragged edge are clamped to the last row or column
 * and the stores there are skipped. The sum over k runs in order, in float32. A weight
 * gradient with `biasGrad` also sums A (dY) over k as it goes: db without a dispatch of its
 * own. Tiled, device-tuned kernels come with the fusion passes.
 */

const BLOCK = 4;

const u32 = (name: string, value: number): Uniform => ({ name, type: 'u32', value });

/** [units, D] from the weight's shape. */
function weightDims(shape: readonly number[] | undefined, op: string): [number, number] {
  if (shape?.length !== 2) {
    throw new Error(`internal error: \`${op}\` expects a [units, D] weight, got [${shape}]`);
  }
  return [shape[0]!, shape[1]!];
}

interface Product {
  readonly a: Operand;
  readonly b: Operand;
  readonly c: Operand;
  /** Added to column j of C. */
  readonly bias?: Operand;
  /**
   * Written with Σ_k A(i, k) at i, by the invocations of the first column block from the A
   * values they load anyway: dense_grad_weight's db in the same dispatch as dW.
   */
  readonly rowSums?: Operand;
  /** Applied to C[i, j] (after the bias) as it is stored. */
  readonly epilogue?: Epilogue;
  readonly m: number;
  readonly n: number;
  readonly k: number;
  /** A(i, k) = a[i·ai + k·ak]; B(k, j) = b[k·bk + j·bj]; C is row-major [m, n]. */
  readonly strides: {
    readonly ai: number;
    readonly ak: number;
    readonly bk: number;
    readonly bj: number;
  };
}

function product(call: WgslCall<PrimKind>, p: Product): WgslDispatch {
  const range = [...Array(BLOCK).keys()];
  const blocks = Math.ceil(p.m / BLOCK) * Math.ceil(p.n / BLOCK);
  const epilogue = p.epilogue ?? noEpilogue;
  return gridDispatch(call, {
    label: call.op,
    operands: { a: p.a, b: p.b, c: p.c, bias: p.bias, rows: p.rowSums, ...epilogue.operands },
    functions: epilogue.functions,
    uniforms: [
      u32('m', p.m),
      u32('n', p.n),
      u32('k', p.k),
      u32('ai', p.strides.ai),
      u32('ak', p.strides.ak),
      u32('bk', p.strides.bk),
      u32('bj', p.strides.bj),
      ...epilogue.uniforms,
    ],
    invocations: blocks,
    body: (t) => {
      const lines = [
        `let blocks_n = (u.n + ${BLOCK - 1}u) / ${BLOCK}u;`,
        `let i0 = (idx / blocks_n) * ${BLOCK}u;`,
        `let j0 = (idx % blocks_n) * ${BLOCK}u;`,
        ...range.map((r) => `let ra${r} = min(i0 + ${r}u, u.m - 1u) * u.ai;`),
        ...range.map((s) => `let cb${s} = min(j0 + ${s}u, u.n - 1u) * u.bj;`),
        ...range.flatMap((r) => range.map((s) => `var c${r}${s}: f32 = 0.0;`)),
        // Row sums: every invocation adds (uniform control flow, BLOCK adds per k beside
        // BLOCK² multiply-adds), the first column block stores.
        ...(p.rowSums ? range.map((r) => `var s${r}: f32 = 0.0;`) : []),
        'for (var kk = 0u; kk < u.k; kk = kk + 1u) {',
        '  let ka = kk * u.ak;',
        '  let kb = kk * u.bk;',
        ...range.map((r) => `  let a${r} = ${t.a}[ra${r} + ka];`),
        ...range.map((s) => `  let b${s} = ${t.b}[cb${s} + kb];`),
        ...range.flatMap((r) => range.map((s) => `  c${r}${s} = c${r}${s} + a${r} * b${s};`)),
        ...(p.rowSums ? range.map((r) => `  s${r} = s${r} + a${r};`) : []),
        '}',
      ];
      if (p.rowSums) {
        lines.push('if (j0 == 0u) {');
        for (const r of range) {
          lines.push(`  if (i0 + ${r}u < u.m) {`, `    ${t.rows}[i0 + ${r}u] = s${r};`, '  }');
        }
        lines.push('}');
      }
      for (const r of range) {
        lines.push(`if (i0 + ${r}u < u.m) {`);
        for (const s of range) {
          const value = p.bias ? `${t.bias}[j0 + ${s}u] + c${r}${s}` : `c${r}${s}`;
          const at = `(i0 + ${r}u) * u.n + j0 + ${s}u`;
          lines.push(
            `  if (j0 + ${s}u < u.n) {`,
            `    ${t.c}[${at}] = ${epilogue.apply(value, at, t)};`,
            '  }',
          );
        }
        lines.push('}');
      }
      return lines.join('\n');
    },
  });
}

/** [x, W, b?] → [y]: y[r, o] = act(b[o] + Σ_d x[r, d]·W[o, d]). */
export const dense: WgslKernel<'dense'> = (call) => {
  const [units, depth] = weightDims(call.inputShapes[1], 'dense');
  return [
    product(call, {
      a: input(0),
      b: input(1),
      c: output(0),
      ...(call.attrs.bias ? { bias: input(2) } : {}),
      epilogue: activationEpilogue(call.attrs.activation),
      m: sizeOf(call.inputShapes[0]) / depth,
      n: units,
      k: depth,
      strides: { ai: depth, ak: 1, bk: 1, bj: depth },
    }),
  ];
};

/** [dY, W, y?] → [dX]: dX[r, d] = Σ_o dY[r, o]·W[o, d], times act'(y[r, d]) when fused. */
export const denseGradInput: WgslKernel<'dense_grad_input'> = (call) => {
  const [units, depth] = weightDims(call.inputShapes[1], 'dense_grad_input');
  return [
    product(call, {
      a: input(0),
      b: input(1),
      c: output(0),
      epilogue: activationGradEpilogue(call.attrs.activationGrad, input(2)),
      m: sizeOf(call.inputShapes[0]) / units,
      n: depth,
      k: units,
      strides: { ai: units, ak: 1, bk: depth, bj: 1 },
    }),
  ];
};

/**
 * [dY, x] → [dW, db?]: dW[o, d] = Σ_r dY[r, o]·x[r, d]; with `biasGrad`, db[o] = Σ_r dY[r, o]
 * from the same dispatch, summed in the order of reduce.ts's bias_grad.
 */
export const denseGradWeight: WgslKernel<'dense_grad_weight'> = (call) => {
  const [units, depth] = weightDims(call.outputShapes[0], 'dense_grad_weight');
  return [
    product(call, {
      a: input(0),
      b: input(1),
      c: output(0),
      ...(call.attrs.biasGrad ? { rowSums: output(1) } : {}),
      m: units,
      n: depth,
      k: sizeOf(call.inputShapes[0]) / units,
      strides: { ai: 1, ak: units, bk: depth, bj: 1 },
    }),
  ];
};
