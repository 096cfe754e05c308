import { input, output, type Uniform, type WgslCall, type WgslKernel } from './kernel.js';
import { groupDispatch } from './groups.js';
import { reduceDispatch, sizeOf } from './shader.js';

/*
 * The contrastive loss of siamese networks and its gradient (cpu/kernels/contrastive.ts):
 * per sample d = ‖a − b‖₂ over its elements, the loss is the mean over the batch of
 * same·d² + (1 − same)·max(0, margin − d)². The loss is one workgroup, each invocation taking
 * whole samples; the gradient needs each sample's d before writing its elements, so it runs
 * one workgroup per sample (groups.ts). Sums are float32, the CPU's float64.
 */

const u32 = (name: string, value: number): Uniform => ({ name, type: 'u32', value });
const f32 = (name: string, value: number): Uniform => ({ name, type: 'f32', value });

function pairs(call: WgslCall<'contrastive' | 'contrastive_grad'>) {
  const batch = call.inputShapes[0]?.[0];
  if (batch === undefined || sizeOf(call.inputShapes[2]) !== batch) {
    throw new Error('internal error: contrastive needs batched pairs and one `same` per sample');
  }
  return { batch, width: sizeOf(call.inputShapes[0]) / batch };
}

/** [a, b, same] → [loss]. */
export const contrastive: WgslKernel<'contrastive'> = (call) => {
  const { batch, width } = pairs(call);
  return [
    reduceDispatch(call, {
      label: 'contrastive',
      operands: { a: input(0), b: input(1), same: input(2), y: output(0) },
      uniforms: [u32('batch', batch), u32('width', width), f32('margin', call.attrs.margin)],
      body: (t) => `
        for (var r = lid; r < u.batch; r = r + WG) {
          var squares: f32 = 0.0;
          for (var j = r * u.width; j < (r + 1u) * u.width; j = j + 1u) {
            let diff = ${t.a}[j] - ${t.b}[j];
            squares = squares + diff * diff;
          }
          let d = sqrt(squares);
          let gap = max(0.0, u.margin - d);
          acc = acc + ${t.same}[r] * d * d + (1.0 - ${t.same}[r]) * gap * gap;
        }`,
      finish: (t) => `${t.y}[0] = total / f32(u.batch);`,
    }),
  ];
};

/**
 * [a, b, same] → [dA, dB]: dA = c·(a − b), dB = −dA, with
 * c = weight/N·(2·same − (1 − same)·2·max(0, margin − d)/d); the hinge term is 0 at d = 0.
 */
export const contrastiveGrad: WgslKernel<'contrastive_grad'> = (call) => {
  const { batch, width } = pairs(call);
  return [
    groupDispatch(call, {
      label: 'contrastive_grad',
      operands: { a: input(0), b: input(1), same: input(2), da: output(0), db: output(1) },
      uniforms: [
        u32('width', width),
        f32('margin', call.attrs.margin),
        f32('factor', call.attrs.weight / batch),
      ],
      items: batch,
      body: (t) => `
        let base = item * u.width;
        var squares: f32 = 0.0;
        for (var j = lid; j < u.width; j = j + WG) {
          let diff = ${t.a}[base + j] - ${t.b}[base + j];
          squares = squares + diff * diff;
        }
        let d = sqrt(group_sum(lid, vec2<f32>(squares, 0.0)).x);
        let hinge = select(0.0, 2.0 * max(0.0, u.margin - d) / d, d > 0.0);
        let same = ${t.same}[item];
        let c = u.factor * (2.0 * same - (1.0 - same) * hinge);
        for (var j = lid; j < u.width; j = j + WG) {
          let g = c * (${t.a}[base + j] - ${t.b}[base + j]);
          ${t.da}[base + j] = g;
          ${t.db}[base + j] = -g;
        }`,
    }),
  ];
};
