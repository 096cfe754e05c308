import { input, output, type Uniform, type WgslKernel } from './kernel.js';
import { beats } from './pool.js';
import { gridDispatch } from './shader.js';
import { imageDims } from './taps.js';

/*
 * Global pools (cpu/kernels/globalPool.ts): plane p = n·C + c of x [N, C, H, W] holds
 * elements p·H·W … (p+1)·H·W − 1 and reduces to y[p]. One invocation per plane walks it in
 * order, so the maximum is the first one and the mean sums left to right (in float32). The
 * max pool's gradient is one invocation per plane too: it finds the first maximum, then
 * writes the whole plane, so no element is written twice.
 */

const u32 = (name: string, value: number): Uniform => ({ name, type: 'u32', value });

function planes(shape: readonly number[] | undefined, op: string) {
  const d = imageDims(shape, op);
  return { count: d.n * d.c, plane: d.h * d.w };
}

/** Statements setting `arg` to the offset of the first maximum of the plane at `base`. */
const argmax = (x: string) => `
  var best = ${x}[base];
  var arg = 0u;
  for (var k = 1u; k < u.plane; k = k + 1u) {
    let v = ${x}[base + k];
    if (beats_(v, best)) {
      best = v;
      arg = k;
    }
  }`;

/** [x] → [y]. */
export const globalAvgpool: WgslKernel<'global_avgpool'> = (call) => {
  const p = planes(call.inputShapes[0], call.op);
  return [
    gridDispatch(call, {
      label: 'global_avgpool',
      operands: { x: input(0), y: output(0) },
      uniforms: [u32('plane', p.plane)],
      invocations: p.count,
      body: (t) => `
        let base = idx * u.plane;
        var sum: f32 = 0.0;
        for (var k = 0u; k < u.plane; k = k + 1u) {
          sum = sum + ${t.x}[base + k];
        }
        ${t.y}[idx] = sum / f32(u.plane);`,
    }),
  ];
};

/** [dY] → [dX]: every element of a plane receives an equal share. */
export const globalAvgpoolGrad: WgslKernel<'global_avgpool_grad'> = (call) => {
  const p = planes(call.outputShapes[0], call.op);
  return [
    gridDispatch(call, {
      label: 'global_avgpool_grad',
      operands: { dy: input(0), dx: output(0) },
      uniforms: [u32('plane', p.plane)],
      invocations: p.count * p.plane,
      body: (t) => `${t.dx}[idx] = ${t.dy}[idx / u.plane] / f32(u.plane);`,
    }),
  ];
};

/** [x] → [y]. */
export const globalMaxpool: WgslKernel<'global_maxpool'> = (call) => {
  const p = planes(call.inputShapes[0], call.op);
  return [
    gridDispatch(call, {
      label: 'global_maxpool',
      operands: { x: input(0), y: output(0) },
      uniforms: [u32('plane', p.plane)],
      functions: [beats],
      invocations: p.count,
      body: (t) => `
        let base = idx * u.plane;
        ${argmax(t.x)}
        ${t.y}[idx] = best;`,
    }),
  ];
};

/** [x, dY] → [dX]: to the first maximum of each plane, zero elsewhere. */
export const globalMaxpoolGrad: WgslKernel<'global_maxpool_grad'> = (call) => {
  const p = planes(call.inputShapes[0], call.op);
  return [
    gridDispatch(call, {
      label: 'global_maxpool_grad',
      operands: { x: input(0), dy: input(1), dx: output(0) },
      uniforms: [u32('plane', p.plane)],
      functions: [beats],
      invocations: p.count,
      body: (t) => `
        let base = idx * u.plane;
        ${argmax(t.x)}
        let g = ${t.dy}[idx];
        for (var k = 0u; k < u.plane; k = k + 1u) {
          ${t.dx}[base + k] = select(0.0, g, k == arg);
        }`,
    }),
  ];
};
