import { describe, it } from 'vitest';
import { primitivesMissingOnWebGpu } from '../../src/runtime/createBackend.js';
import { createWebGpuBackend } from '../../src/runtime/webgpu/backend.js';
import { wgslKernels } from '../../src/runtime/webgpu/kernels/index.js';
import { foundationOps, kernelCases, limitCases, type NamedCase } from './cases.js';
import { testDevice } from './gpu.js';
import { expectClose, runCpu, runGpu } from './harness.js';
import { expect } from 'vitest';

/* Every WGSL kernel against the CPU reference kernel, with the tolerances stated in cases.ts. */

const { device, reason } = await testDevice();

async function check(backend: ReturnType<typeof createWebGpuBackend>, c: NamedCase) {
  const state = backend.createState();
  const gpu = await runGpu(backend, state, c.case);
  const cpu = runCpu(c.case);
  gpu.forEach((out, j) => expectClose(out, cpu[j]!, c.tolerance, `${c.name}, output ${j}`));
}

describe('the WGSL kernel table', () => {
  it('has a kernel for every primitive of the program contract', () => {
    expect(primitivesMissingOnWebGpu()).toEqual([]);
  });
});

describe.skipIf(!device)(
  `WebGPU kernels match the CPU kernels${device ? '' : ` (skipped: ${reason})`}`,
  () => {
    const backend = device && createWebGpuBackend(device);
    const cases = kernelCases();

    it('cover every primitive of the foundation, each of which has a WGSL kernel', () => {
      const tested = new Set(cases.map((c) => c.case.op));
      expect(foundationOps.filter((op) => !tested.has(op))).toEqual([]);
      expect(foundationOps.filter((op) => !wgslKernels[op])).toEqual([]);
    });

    it.each(cases.map((c) => [c.name, c] as const))('%s', async (_, c) => check(backend!, c));
  },
);

describe.skipIf(!device)('WebGPU kernels under tight limits', () => {
  const backend =
    device &&
    createWebGpuBackend(device, {
      limits: { maxComputeWorkgroupsPerDimension: 5, maxStorageBuffersPerShaderStage: 4 },
    });
  it.each(limitCases().map((c) => [c.name, c] as const))('%s', async (_, c) => check(backend!, c));
});
