import { describe, expect, it } from 'vitest';
import { MAX_CHAIN_INPUTS, type ChainStep } from '../../src/runtime/program.js';
import { createWebGpuBackend, type WebGpuBackend } from '../../src/runtime/webgpu/backend.js';
import { pointwiseChain } from '../../src/runtime/webgpu/kernels/chain.js';
import type { KernelLimits } from '../../src/runtime/webgpu/kernels/kernel.js';
import { size } from '../helpers/kernels.js';
import {
  chainInput,
  exampleChains,
  randomChains,
  type ChainCase,
} from '../runtime/kernels/chainCases.js';
import { transcendental } from './cases.js';
import { testDevice } from './gpu.js';
import { expectClose, runCpu, runGpu, type OpCase } from './harness.js';

/*
 * `pointwise_chain` on WebGPU against the CPU kernel (float32 buffers, as the CPU backend
 * runs it): the chains the fusion pass makes of the examples and random chains over every
 * step primitive, on 1 element, primes, one workgroup (64) and one more, 1031 elements on a
 * 2-D grid of workgroups; always one dispatch.
 *
 * Tolerance: cases.ts's `transcendental`, rtol 1e-5, atol 1e-6. The GPU rounds every step
 * to float32 and its exp, log, tanh and erfc differ from the CPU's float64 ones by a few ulp;
 * the CPU rounds once, at the end. Those differences pass through the later steps, whose
 * slopes on these inputs (values in [−3, 3), saturating ±12) stay small: measured, the worst
 * element of every case here is within 0.3 of the tolerance.
 */

const { device, reason } = await testDevice();
const backend: WebGpuBackend | undefined = device && createWebGpuBackend(device);
/** Five workgroups per grid dimension: 1031 elements (17 workgroups) take a 2-D grid. */
const narrow =
  device && createWebGpuBackend(device, { limits: { maxComputeWorkgroupsPerDimension: 5 } });

const limits: KernelLimits = {
  maxComputeWorkgroupsPerDimension: 65535,
  maxStorageBuffersPerShaderStage: 8,
};

function plan(steps: readonly ChainStep[], inputs: number, shape: readonly number[]) {
  return pointwiseChain({
    op: 'pointwise_chain',
    attrs: { steps },
    inputShapes: Array.from({ length: inputs }, () => [...shape]),
    outputShapes: [[...shape]],
    inputIds: Array.from({ length: inputs }, (_, j) => j),
    outputIds: [inputs],
    limits,
  });
}

function opCase(c: ChainCase, shape: readonly number[], seed: number): OpCase<'pointwise_chain'> {
  const n = size(shape);
  return {
    op: 'pointwise_chain',
    attrs: { steps: c.steps },
    inputs: Array.from({ length: c.inputs }, (_, j) => ({ data: chainInput(n, j, seed), shape })),
    outputShapes: [shape],
  };
}

describe('the pointwise_chain dispatch', () => {
  const [residual, mse, fanIn] = [exampleChains[0]!, exampleChains[1]!, exampleChains[3]!];

  it('is one dispatch binding each input read-only and the output, bounds-checked', () => {
    for (const c of exampleChains) {
      const ds = plan(c.steps, c.inputs, [5, 13]);
      expect(ds, c.name).toHaveLength(1);
      const d = ds[0]!;
      expect(d.bindings.map((b) => `${b.operand.side} ${b.operand.index} ${b.access}`)).toEqual([
        ...Array.from({ length: c.inputs }, (_, j) => `input ${j} read`),
        'output 0 read_write',
      ]);
      expect(d.code).toMatch(/if \(idx >= u\.invocations\) \{\s*return;/);
      expect(d.uniforms[0]).toEqual({ name: 'invocations', type: 'u32', value: 65 });
      // Only the last step's value is stored.
      expect(d.code.match(/t\d+\[idx\] = /g), c.name).toHaveLength(1);
    }
  });

  it('binds each step with a let and names its uniforms after it', () => {
    const d = plan(fanIn.steps, fanIn.inputs, [7])[0]!;
    expect(d.code).toContain('let s0 = v1 + v2;');
    expect(d.code).toContain('let s1 = s0 * select(v0 + u.s1_alpha, 1.0, v0 > 0.0);');
    expect(d.uniforms.map((u) => u.name)).toEqual(['invocations', 's1_alpha']);
  });

  it('shares one module across sizes, alphas and weights: they are uniforms', () => {
    const scaled = mse.steps.map((s) =>
      s.op === 'mse_loss_grad' ? { ...s, attrs: { weight: 3 } } : s,
    );
    const a = plan(mse.steps, 2, [4, 9])[0]!;
    const b = plan(scaled as ChainStep[], 2, [64, 9])[0]!;
    expect(a.code).toBe(b.code);
    // weight·2/M with M the elements of y, as mse_loss_grad's own kernel.
    expect(a.uniforms.find((u) => u.name === 's0_factor')!.value).toBeCloseTo(2 / 36, 15);
    expect(b.uniforms.find((u) => u.name === 's0_factor')!.value).toBeCloseTo(6 / 576, 15);
    const elu = fanIn.steps;
    const relu = elu.map((s) =>
      s.op === 'activation_grad' ? { ...s, attrs: { kind: 'relu', alpha: 0 } } : s,
    );
    expect(plan(elu, 3, [7])[0]!.code).not.toBe(plan(relu as ChainStep[], 3, [7])[0]!.code);
    expect(plan(residual.steps, 2, [1])[0]!.workgroups).toEqual([1, 1, 1]);
  });

  it(`refuses more than ${MAX_CHAIN_INPUTS} inputs, so it never binds more than 8 buffers`, () => {
    const steps: ChainStep[] = [{ op: 'add', attrs: {}, args: [0, 1, 2, 3, 4, 5, 6] }];
    expect(() => plan(steps, 7, [3])).toThrow(/internal error: a pointwise_chain has 7 inputs/);
    const most = plan(exampleChains[4]!.steps, MAX_CHAIN_INPUTS, [3])[0]!;
    expect(most.bindings).toHaveLength(MAX_CHAIN_INPUTS + 1);
  });
});

describe.skipIf(!device)(
  `pointwise_chain on WebGPU matches the CPU${device ? '' : ` (skipped: ${reason})`}`,
  () => {
    const shapes = [[1], [7], [64], [65], [3, 7, 11]];
    const cases = [...exampleChains, ...randomChains(24, 11)];

    it.each(cases.map((c) => [c.name, c] as const))('%s', async (_, c) => {
      for (const [s, shape] of shapes.entries()) {
        const oc = opCase(c, shape, s + 1);
        const [gpu] = await runGpu(backend!, backend!.createState(), oc);
        expect(backend!.stats.lastDispatches, `${c.name} dispatches`).toBe(1);
        const [cpu] = runCpu(oc);
        expectClose(gpu!, cpu!, transcendental, `${c.name} on [${shape.join(', ')}]`);
      }
    });

    it('on a 2-D grid of workgroups (1031 elements, 5 workgroups a dimension)', async () => {
      for (const c of exampleChains) {
        const oc = opCase(c, [1031], 9);
        const [gpu] = await runGpu(narrow!, narrow!.createState(), oc);
        expectClose(gpu!, runCpu(oc)[0]!, transcendental, `${c.name} on [1031]`);
      }
    });
  },
);
