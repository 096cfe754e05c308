import { describe, expect, it } from 'vitest';
import { cpuKernels } from '../../../src/runtime/cpu/kernels/index.js';
import type { Kernel } from '../../../src/runtime/cpu/kernel.js';
import { chainArity } from '../../../src/runtime/pointwiseChain.js';
import type { ChainOp, ChainStep, PrimKind } from '../../../src/runtime/program.js';
import { runtimeShapeRules, ShapeError } from '../../../src/runtime/runtimeShapes.js';
import { callKernel, size } from '../../helpers/kernels.js';
import { chainInput, exampleChains, randomChains, type ChainCase } from './chainCases.js';

/*
 * The CPU `pointwise_chain` against its steps run one by one through their own kernels, in
 * float64: a chain calls the same scalar functions in the same order, so the two agree to
 * rounding (1e-12 relative is the bound asked; they are in fact equal). In float32 the
 * chain rounds once, at the end, where the steps round after each. Malformed chains are
 * refused by the kernel and by the run-time shape rule.
 */

const shapes: readonly (readonly number[])[] = [[1], [7], [3, 5], [4, 1, 2, 3], [257]];

/** Every step through its own CPU kernel; the values of inputs then steps. */
function stepByStep(c: ChainCase, inputs: readonly number[][], shape: readonly number[]) {
  const values: Float64Array[] = inputs.map((x) => Float64Array.from(x));
  for (const step of c.steps) {
    const kernel = cpuKernels[step.op] as Kernel<PrimKind>;
    const args = step.args.map((a) => ({ data: values[a]!, shape }));
    const [out] = callKernel(kernel, step.attrs as never, args, [shape]);
    values.push(out as Float64Array);
  }
  return values[values.length - 1]!;
}

function chain(
  c: ChainCase,
  inputs: readonly number[][],
  shape: readonly number[],
  precision: 'float32' | 'float64' = 'float64',
) {
  const args = inputs.map((data) => ({ data, shape }));
  return callKernel(cpuKernels.pointwise_chain, { steps: c.steps }, args, [shape], {
    precision,
  })[0]!;
}

function expectEqualTo1e12(actual: ArrayLike<number>, expected: ArrayLike<number>, what: string) {
  expect(actual.length, what).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) {
    const [a, e] = [actual[i]!, expected[i]!];
    if (Object.is(a, e) || Math.abs(a - e) <= 1e-12 * Math.max(1, Math.abs(e))) continue;
    expect.fail(`${what}: element ${i} is ${a} in the chain, ${e} step by step`);
  }
}

describe('pointwise_chain on the CPU equals its steps one by one (float64)', () => {
  const cases = [...exampleChains, ...randomChains(40, 7)];
  it.each(cases.map((c) => [c.name, c] as const))('%s', (_, c) => {
    shapes.forEach((shape, s) => {
      const inputs = Array.from({ length: c.inputs }, (_, j) => chainInput(size(shape), j, s));
      const what = `${c.name} on [${shape.join(', ')}]`;
      expectEqualTo1e12(chain(c, inputs, shape), stepByStep(c, inputs, shape), what);
    });
  });

  it('uses every step primitive somewhere among the random chains', () => {
    const used = new Set(randomChains(40, 7).flatMap((c) => c.steps.map((s) => s.op)));
    expect(Object.keys(chainArity).filter((op) => !used.has(op as ChainOp))).toEqual([]);
  });

  it('in float32 rounds once: the float64 chain rounded, not the float32 steps', () => {
    const c = exampleChains[1]!; // mse_loss_grad → sigmoid_grad
    const shape = [65];
    const inputs = [chainInput(65, 0, 1).map(Math.fround), chainInput(65, 1, 1).map(Math.fround)];
    const single = chain(c, inputs, shape, 'float32');
    const double = chain(c, inputs, shape);
    expect(Array.from(single)).toEqual(Array.from(double, Math.fround));
  });
});

describe('malformed chains', () => {
  const shape = [4];
  const x = { data: [1, 2, 3, 4], shape };
  const refuse = (steps: readonly ChainStep[], inputs = [x]) => {
    expect(() => callKernel(cpuKernels.pointwise_chain, { steps }, inputs, [shape])).toThrow(
      /compiler bug: a pointwise_chain/,
    );
    expect(() =>
      runtimeShapeRules.pointwise_chain(
        { steps },
        inputs.map((t) => t.shape),
        [shape],
      ),
    ).toThrow(ShapeError);
  };

  it('refuses no steps, a wrong argument count, a forward reference and a non-chain op', () => {
    refuse([]);
    refuse([{ op: 'mul', attrs: {}, args: [0] }]);
    refuse([{ op: 'relu', attrs: {}, args: [1] }]);
    refuse([{ op: 'softmax', attrs: { axis: 0 }, args: [0] } as unknown as ChainStep]);
    refuse([{ op: 'relu', attrs: {}, args: [0] }], Array(7).fill(x));
  });

  it('maps inputs of one shape to that shape, and refuses two shapes', () => {
    const steps: ChainStep[] = [{ op: 'add', attrs: {}, args: [0, 1] }];
    expect(
      runtimeShapeRules.pointwise_chain(
        { steps },
        [
          [2, 3],
          [2, 3],
        ],
        [[2, 3]],
      ),
    ).toEqual([[2, 3]]);
    expect(() =>
      runtimeShapeRules.pointwise_chain(
        { steps },
        [
          [2, 3],
          [3, 2],
        ],
        [[2, 3]],
      ),
    ).toThrow(ShapeError);
  });
});
