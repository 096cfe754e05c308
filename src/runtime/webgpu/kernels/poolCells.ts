import type { PrimKind } from '../../program.js';
import { baked } from './baked.js';
import type { Epilogue } from './epilogue.js';
import type { Operand, Uniform, WgslCall, WgslDispatch } from './kernel.js';
import { gridDispatch, type WgslFunction } from './shader.js';
import { tapUniforms, type TapGeometry } from './taps.js';

/*
 * maxpool_grad for windows that tile the image: kernel == stride on both axes and no
 * padding, as in LeNet's and most CNNs' 2×2 pools. Every element of x then lies in at most
 * one window, so instead of each element of dX searching the windows that contain it (two
 * divisions per axis and a window scan per element), one invocation takes a cell of
 * kh × kw elements: it finds the window's first maximum once and stores dY there and zero
 * at the other elements. Cells past the last window (the rows and columns that floor-mode
 * pooling leaves out) store zeros. Each element is still written by one invocation, with
 * the same value as the general kernel: dY (0 + dY), or 0, through the epilogue.
 */

const i32 = (name: string, value: number): Uniform => ({ name, type: 'i32', value });
const range = (n: number) => [...Array(n).keys()];

/** Whether the windows tile the image (the cell kernel applies). */
export function tiles(g: TapGeometry): boolean {
  return (
    g.kernel[0] === g.stride[0] && g.kernel[1] === g.stride[1] && g.pad[0] === 0 && g.pad[1] === 0
  );
}

export interface CellSpec {
  /** Depthwise geometry from x (window side) to dY (strided side). */
  readonly geometry: TapGeometry;
  readonly x: Operand;
  readonly dy: Operand;
  readonly dx: Operand;
  readonly epilogue: Epilogue;
  /** `beats_(v, best)`: the first-maximum rule of pool.ts. */
  readonly beats: WgslFunction;
}

export function maxpoolGradCells(call: WgslCall<PrimKind>, s: CellSpec): WgslDispatch {
  const g = s.geometry;
  const [kh, kw] = g.kernel;
  const cellsH = Math.ceil(g.inSize[0] / kh);
  const cellsW = Math.ceil(g.inSize[1] / kw);
  const window = range(kh).flatMap((wy) => range(kw).map((wx) => ({ wy, wx, k: wy * kw + wx })));
  return gridDispatch(
    call,
    baked({
      label: 'maxpool_grad',
      operands: { x: s.x, dy: s.dy, dx: s.dx, ...s.epilogue.operands },
      uniforms: [
        ...tapUniforms(g),
        i32('cells_h', cellsH),
        i32('cells_w', cellsW),
        ...s.epilogue.uniforms,
      ],
      functions: [s.beats, ...s.epilogue.functions],
      invocations: g.batch * g.inChannels * cellsH * cellsW,
      body: (t) =>
        [
          'var r = i32(idx);',
          'let cx = r % u.cells_w;',
          'r = r / u.cells_w;',
          'let cy = r % u.cells_h;',
          'r = r / u.cells_h;',
          'let c = r % u.in_c;',
          'let n = r / u.in_c;',
          'let plane = (n * u.in_c + c) * u.in_h;',
          `let y0 = cy * ${kh};`,
          `let x0 = cx * ${kw};`,
          'var best: f32 = 0.0;',
          'var at = -1;',
          'var grad: f32 = 0.0;',
          'if (cy < u.out_h && cx < u.out_w) {',
          ...window.flatMap(({ wy, wx, k }) => [
            `if (y0 + ${wy} < u.in_h && x0 + ${wx} < u.in_w) {`,
            `  let v = ${t.x}[(plane + y0 + ${wy}) * u.in_w + x0 + ${wx}];`,
            '  if (at < 0 || beats_(v, best)) {',
            '    best = v;',
            `    at = ${k};`,
            '  }',
            '}',
          ]),
          `  grad = 0.0 + ${t.dy}[((n * u.out_c + c) * u.out_h + cy) * u.out_w + cx];`,
          '}',
          ...window.flatMap(({ wy, wx, k }) => [
            `if (y0 + ${wy} < u.in_h && x0 + ${wx} < u.in_w) {`,
            `  let i${k} = (plane + y0 + ${wy}) * u.in_w + x0 + ${wx};`,
            `  ${t.dx}[i${k}] = ${s.epilogue.apply(`select(0.0, grad, at == ${k})`, `i${k}`, t)};`,
            '}',
          ]),
        ].join('\n'),
    }),
  );
}
