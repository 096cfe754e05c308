import type { PrimKind } from '../../program.js';
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
 * Kernels that move, combine or fill data (cpu/kernels/structure.ts): n-ary sums, the
 * weighted sum of loss terms, constants, concatenation and slicing. The n-ary ones bind one
 * buffer per input, so above the device's storage-buffer limit they split into several
 * dispatches, each adding its share to the output the previous one wrote.
 */

const u32 = (name: string, value: number): Uniform => ({ name, type: 'u32', value });
const f32 = (name: string, value: number): Uniform => ({ name, type: 'f32', value });

/** Input indices in groups of at most `size`, the output taking one of the buffers. */
export function inputChunks(call: WgslCall<PrimKind>, reserved = 1): number[][] {
  const size = call.limits.maxStorageBuffersPerShaderStage - reserved;
  if (size < 1) throw new Error('internal error: the device binds too few storage buffers');
  const chunks: number[][] = [];
  for (let j = 0; j < call.inputIds.length; j += size) {
    chunks.push(Array.from({ length: Math.min(size, call.inputIds.length - j) }, (_, k) => j + k));
  }
  const aliased = call.outputIds.some((id) => call.inputIds.includes(id));
  if (chunks.length > 1 && aliased) {
    throw new Error(`internal error: \`${call.op}\` updates an input in place across dispatches`);
  }
  return chunks;
}

/** Operands `a<j>` for the inputs of a chunk, then `y`. */
function chunkOperands(chunk: readonly number[]): Record<string, Operand> {
  const operands: Record<string, Operand> = {};
  for (const j of chunk) operands[`a${j}`] = input(j);
  operands['y'] = output(0);
  return operands;
}

const part = (op: string, c: number, chunks: readonly unknown[]) =>
  chunks.length > 1 ? `${op} (part ${c + 1} of ${chunks.length})` : op;

/** [a, b, ...] → [y]: elementwise sum. */
export const add: WgslKernel<'add'> = (call) => {
  const chunks = inputChunks(call);
  return chunks.map((chunk, c) =>
    gridDispatch(call, {
      label: part('add', c, chunks),
      operands: chunkOperands(chunk),
      invocations: sizeOf(call.outputShapes[0]),
      body: (t) => {
        const terms = chunk.map((j) => `${t[`a${j}`]}[idx]`);
        if (c > 0) terms.unshift(`${t['y']}[idx]`);
        return `${t['y']}[idx] = ${terms.join(' + ')};`;
      },
    }),
  );
};

/** [s0, s1, ...] scalars → [total] = Σ weights[j]·s_j. */
export const weightedSum: WgslKernel<'weighted_sum'> = (call) => {
  const { weights } = call.attrs;
  if (weights.length !== call.inputIds.length) {
    throw new Error(
      `internal error: weighted_sum has ${call.inputIds.length} terms but ${weights.length} weights`,
    );
  }
  const chunks = inputChunks(call);
  return chunks.map((chunk, c) =>
    gridDispatch(call, {
      label: part('weighted_sum', c, chunks),
      operands: chunkOperands(chunk),
      uniforms: chunk.map((j) => f32(`w${j}`, weights[j]!)),
      invocations: 1,
      body: (t) => {
        const terms = chunk.map((j) => `u.w${j} * ${t[`a${j}`]}[0]`);
        if (c > 0) terms.unshift(`${t['y']}[0]`);
        return `${t['y']}[0] = ${terms.join(' + ')};`;
      },
    }),
  );
};

/** [] → [y]: every element `value`. */
export const fill: WgslKernel<'fill'> = (call) => [
  gridDispatch(call, {
    label: 'fill',
    operands: { y: output(0) },
    uniforms: [f32('value', call.attrs.value)],
    invocations: sizeOf(call.outputShapes[0]),
    body: (t) => `${t.y}[idx] = u.value;`,
  }),
];

/** A run-time shape around `axis` (batch included) as [outer, length, inner]. */
export function around(
  shape: readonly number[] | undefined,
  axis: number,
): { outer: number; length: number; inner: number } {
  const length = shape?.[axis];
  if (shape === undefined || length === undefined || !Number.isInteger(axis) || axis < 0) {
    throw new Error(`internal error: axis ${axis} is outside the shape [${shape?.join(', ')}]`);
  }
  return {
    outer: sizeOf(shape.slice(0, axis)),
    length,
    inner: sizeOf(shape.slice(axis + 1)),
  };
}

/**
 * Along `axis` of the unbatched shape (one further along at run time), output row o is input
 * 0's row o, then input 1's, and so on. Each dispatch writes the stretch of its inputs: work
 * item (o, k, i) finds the input that position k of the stretch belongs to.
 */
export const concat: WgslKernel<'concat'> = (call) => {
  const axis = call.attrs.axis + 1;
  const out = around(call.outputShapes[0], axis);
  const lengths = call.inputShapes.map((s) => around(s, axis).length);
  const chunks = inputChunks(call);
  let start = 0;
  return chunks.map((chunk, c) => {
    const stretch = chunk.reduce((sum, j) => sum + lengths[j]!, 0);
    const dispatch = gridDispatch(call, {
      label: part('concat', c, chunks),
      operands: chunkOperands(chunk),
      uniforms: [
        u32('inner', out.inner),
        u32('stretch', stretch),
        u32('out_length', out.length),
        u32('start', start),
        ...chunk.map((j) => u32(`len${j}`, lengths[j]!)),
      ],
      invocations: out.outer * stretch * out.inner,
      body: (t) => {
        const lines = [
          'let o = idx / (u.stretch * u.inner);',
          'var k = (idx / u.inner) % u.stretch;',
          'let i = idx % u.inner;',
          `let at = (o * u.out_length + u.start + k) * u.inner + i;`,
        ];
        chunk.forEach((j, n) => {
          if (n > 0) lines.push(`k = k - u.len${chunk[n - 1]};`);
          lines.push(
            `if (k < u.len${j}) {`,
            `  ${t['y']}[at] = ${t[`a${j}`]}[(o * u.len${j} + k) * u.inner + i];`,
            '  return;',
            '}',
          );
        });
        return lines.join('\n');
      },
    });
    start += stretch;
    return dispatch;
  });
};

/** [x] → [y]: positions start … start + (y's length) − 1 along the axis. */
export const slice: WgslKernel<'slice'> = (call) => {
  const axis = call.attrs.axis + 1;
  const from = around(call.inputShapes[0], axis);
  const to = around(call.outputShapes[0], axis);
  const { start } = call.attrs;
  if (start < 0 || start + to.length > from.length) {
    throw new Error(
      `internal error: slice [${start}, ${start + to.length}) is outside an axis of ${from.length}`,
    );
  }
  return [
    gridDispatch(call, {
      label: 'slice',
      operands: { x: input(0), y: output(0) },
      uniforms: [
        u32('inner', to.inner),
        u32('length', to.length),
        u32('in_length', from.length),
        u32('start', start),
      ],
      invocations: sizeOf(call.outputShapes[0]),
      body: (t) => `
        let o = idx / (u.length * u.inner);
        let k = (idx / u.inner) % u.length;
        let i = idx % u.inner;
        ${t.y}[idx] = ${t.x}[(o * u.in_length + u.start + k) * u.inner + i];`,
    }),
  ];
};
