import type { WgslFunction } from './shader.js';

/*
 * Scalar WGSL helpers with the numerically stable forms of the CPU kernels
 * (cpu/kernels/elementwise.ts). WGSL has no log1p, expm1 or erf, and GPU compilers may
 * rewrite (1 + x) − 1 into x, which defeats the usual tricks; so near 0, where rounding
 * 1 + x would lose the digits of x, these use truncated Taylor series instead (|x| < 0.1:
 * the first omitted term is below 1e-9 relative), and the builtins elsewhere.
 */

/** log(1 + x) for x > −1. */
export const log1p: WgslFunction = {
  code: `
fn log1p_(x: f32) -> f32 {
  if (abs(x) < 0.1) {
    return x * (1.0 - x * (0.5 - x * (1.0 / 3.0 - x * (0.25 - x * (0.2 - x * (1.0 / 6.0 - x * (1.0 / 7.0 - x * 0.125)))))));
  }
  return log(1.0 + x);
}`,
};

/** e^x − 1. */
export const expm1: WgslFunction = {
  code: `
fn expm1_(x: f32) -> f32 {
  if (abs(x) < 0.1) {
    return x * (1.0 + x * (0.5 + x * (1.0 / 6.0 + x * (1.0 / 24.0 + x * (1.0 / 120.0 + x * (1.0 / 720.0 + x / 5040.0))))));
  }
  return exp(x) - 1.0;
}`,
};

/** 1/(1 + e^−x), exponentiating only −|x|. */
export const sigmoid: WgslFunction = {
  code: `
fn sigmoid_(x: f32) -> f32 {
  let e = exp(-abs(x));
  let r = 1.0 / (1.0 + e);
  return select(e * r, r, x >= 0.0);
}`,
};

/** max(x, 0) + log1p(e^−|x|). */
export const softplus: WgslFunction = {
  code: `
fn softplus_(x: f32) -> f32 {
  return max(x, 0.0) + log1p_(exp(-abs(x)));
}`,
  uses: [log1p],
};

/**
 * tanh as expm1(2|x|)/(expm1(2|x|) + 2) with the sign restored: no cancellation near 0
 * (where some drivers' tanh loses digits), and |x| ≥ 10 already rounds to ±1.
 */
export const tanh: WgslFunction = {
  code: `
fn tanh_(x: f32) -> f32 {
  let e = expm1_(2.0 * min(abs(x), 10.0));
  return sign(x) * (e / (e + 2.0));
}`,
  uses: [expm1],
};

/**
 * erfc with relative error below 1.2e-7 for all x (about 1e-6 in float32 for x > 4, where
 * erfc < 2e-8): the Chebyshev fit `erfcc` of Press et al., Numerical Recipes, §6.2.
 */
export const erfc: WgslFunction = {
  code: `
fn erfc_(x: f32) -> f32 {
  let z = abs(x);
  let t = 1.0 / (1.0 + 0.5 * z);
  let p = -1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806
    + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277))))))));
  let r = t * exp(p - z * z);
  return select(2.0 - r, r, x >= 0.0);
}`,
};

/** Φ(x) = erfc(−x/√2)/2, accurate in relative terms in the lower tail. */
export const normalCdf: WgslFunction = {
  code: `
fn normal_cdf_(x: f32) -> f32 {
  return 0.5 * erfc_(-x * 0.70710678118654752);
}`,
  uses: [erfc],
};

/** φ(x) = e^(−x²/2)/√(2π). */
export const normalPdf: WgslFunction = {
  code: `
fn normal_pdf_(x: f32) -> f32 {
  return exp(-0.5 * x * x) * 0.39894228040143268;
}`,
};

/**
 * A quiet NaN, for results of bad data (a class index out of range). Read from a private
 * variable: a NaN constant expression is a WGSL compile error.
 */
export const nan: WgslFunction = {
  code: `
var<private> nan_bits: u32 = 0x7fc00000u;

fn nan_() -> f32 {
  return bitcast<f32>(nan_bits);
}`,
};
