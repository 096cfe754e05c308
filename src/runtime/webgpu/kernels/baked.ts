import type { Uniform } from './kernel.js';
import type { GridSpec } from './shader.js';

/*
 * Geometry baked into the module text. kernel.ts keeps sizes in uniforms so that one
 * pipeline serves every shape; for convolutions and pools that costs too much on a software
 * driver (lavapipe compiles WGSL through LLVM for CPU lanes): every index is a chain of
 * divisions and modulos by run-time values, loop trip counts are unknown, and the padding
 * mode is a branch per tap. With the integer geometry written as literals, LLVM turns the
 * divisions into multiplies and shifts, unrolls the small kernel loops and folds the padding
 * checks that cannot fail. The price is a pipeline per geometry and batch size rather than
 * per primitive: a network has a few convolution and pool layers, and a plan is built once
 * per batch size, so a training run compiles a handful more modules, once.
 */

const reference = /\bu\.([A-Za-z_][A-Za-z0-9_]*)\b/g;

/**
 * Splits `uniforms` into those baked (every i32 fixed at planning time, but those named in
 * `keep`) and those kept, and returns the rewrite that puts the baked values into WGSL text
 * as literals. Keep the bound of a loop whose body is large: with a constant trip count
 * LLVM unrolls it, and compiling the unrolled code can take tens of seconds on a cold
 * shader cache.
 */
export function baking(
  uniforms: readonly Uniform[],
  keep: readonly string[] = [],
): {
  readonly kept: Uniform[];
  readonly rewrite: (code: string) => string;
} {
  const values = new Map<string, number>();
  for (const u of uniforms) {
    if (u.type === 'i32' && typeof u.value === 'number' && !keep.includes(u.name)) {
      values.set(u.name, u.value);
    }
  }
  const literal = (whole: string, name: string) => {
    const v = values.get(name);
    return v === undefined ? whole : `(${v})`;
  };
  return {
    kept: uniforms.filter((u) => !values.has(u.name)),
    rewrite: (code) => code.replace(reference, literal),
  };
}

/**
 * The spec with every i32 uniform fixed at planning time replaced, in the body, by its
 * value as a literal, and dropped from the uniform struct. Float uniforms (an activation's
 * alpha) and those computed per run stay uniforms; helper functions are left as they are
 * (they take the geometry as arguments, which become constants once inlined).
 */
export function baked<N extends string>(spec: GridSpec<N>): GridSpec<N> {
  const { kept, rewrite } = baking(spec.uniforms ?? []);
  return { ...spec, uniforms: kept, body: (t) => rewrite(spec.body(t)) };
}
