import { afterEach, describe, expect, it } from 'vitest';
import { RuntimeError } from '../../src/runtime/backend.js';
import { createCpuBackend } from '../../src/runtime/cpu/backend.js';
import { createBackend, primitivesMissingOnWebGpu } from '../../src/runtime/createBackend.js';
import type { Program } from '../../src/runtime/program.js';
import { createWebGpuBackend, type WebGpuBackend } from '../../src/runtime/webgpu/backend.js';
import {
  acquireWebGpuDevice,
  GpuError,
  WebGpuDevice,
  type GpuLimits,
} from '../../src/runtime/webgpu/device.js';
import { WebGpuState } from '../../src/runtime/webgpu/state.js';
import { defaultContext } from '../helpers/kernels.js';
import { testDevice } from './gpu.js';
import { opProgram } from './harness.js';

/*
 * What goes wrong on a GPU becomes a RuntimeError with a NETC501x code, or a value that says
 * why there is no GPU, never a crash: rejected WGSL, tensors above the buffer limit, a lost
 * device, running out of memory (simulated: it cannot be provoked safely), missing adapters.
 */

const { device } = await testDevice();

const reluOf = (n: number): Program =>
  opProgram({ op: 'relu', attrs: {}, inputs: [{ data: [], shape: [n] }], outputShapes: [[n]] });

async function expectGpuError(promise: Promise<unknown>, code: string): Promise<GpuError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(GpuError);
  expect(error).toBeInstanceOf(RuntimeError);
  expect((error as GpuError).code).toBe(code);
  expect((error as GpuError).message.startsWith(`${code}: `)).toBe(true);
  return error as GpuError;
}

describe.skipIf(!device)('GPU errors on a real device', () => {
  const backend = device && createWebGpuBackend(device);

  it('turns WGSL the GPU rejects into NETC5010 naming the primitive, and carries on', async () => {
    const broken = createWebGpuBackend(device!, {
      kernels: {
        relu: () => [
          {
            label: 'relu',
            code: 'fn main( {',
            entryPoint: 'main',
            workgroups: [1, 1, 1],
            bindings: [],
            uniforms: [],
          },
        ],
      },
    });
    const state = broken.createState();
    const run = broken.run(reluOf(3), state, { in0: new Float32Array(3) }, defaultContext);
    const error = await expectGpuError(run, 'NETC5010');
    expect(error.message).toContain('the WGSL kernel for `relu`');
    expect(error.message).toContain('error');
    // The device is still usable.
    const out = await backend!.run(
      reluOf(3),
      backend!.createState(),
      { in0: Float32Array.of(-1, 0, 2) },
      defaultContext,
    );
    expect([...out['out0']!]).toEqual([0, 0, 2]);
  });

  it('refuses a state tensor above maxStorageBufferBindingSize with NETC5013', () => {
    const state = backend!.createState();
    const tooMany = device!.limits.maxStorageBufferBindingSize / 4 + 1;
    expect(() => state.create('huge', [tooMany])).toThrow(GpuError);
    expect(() => state.create('huge', [tooMany])).toThrow(/^NETC5013: `huge` needs .* MiB/);
    expect(state.has('huge')).toBe(false);
  });

  it('refuses an activation above the limit with NETC5013 before allocating anything', async () => {
    const program: Program = {
      tensors: [
        { id: 0, shape: [4], batched: true, storage: 'feed', name: 'x' },
        { id: 1, shape: [4], batched: true, storage: 'temp', name: 'relu_0' },
      ],
      instrs: [{ op: 'relu', attrs: {}, inputs: [0], outputs: [1] }],
      results: [{ name: 'y', tensor: 1 }],
    };
    const batch = device!.limits.maxStorageBufferBindingSize / 16 + 1;
    const run = backend!.run(
      program,
      backend!.createState(),
      { x: new Float32Array(4) },
      {
        ...defaultContext,
        batch,
      },
    );
    const error = await expectGpuError(run, 'NETC5013');
    expect(error.message).toContain('`x`');
  });

  it('names the primitives it has no kernel for', async () => {
    const bare = createWebGpuBackend(device!, { kernels: {} });
    expect(bare.unsupported(reluOf(2))).toEqual(['relu']);
    await expect(
      bare.run(reluOf(2), bare.createState(), { in0: new Float32Array(2) }, defaultContext),
    ).rejects.toThrow('not yet supported on WebGPU: `relu`');
  });

  it('checks feeds as the CPU does: missing, wrong length, class indices out of range', async () => {
    const state = backend!.createState();
    await expect(backend!.run(reluOf(2), state, {}, defaultContext)).rejects.toThrow(
      'missing input `in0`',
    );
    await expect(
      backend!.run(reluOf(2), state, { in0: new Float32Array(3) }, defaultContext),
    ).rejects.toThrow('input `in0` has 3 numbers');
    const ce = opProgram({
      op: 'softmax_cross_entropy',
      attrs: { target: 'index' },
      inputs: [
        { data: [], shape: [2, 3] },
        { data: [], shape: [2] },
      ],
      outputShapes: [[]],
    });
    const feeds = { in0: new Float32Array(6), in1: Float32Array.of(1, 3) };
    await expect(backend!.run(ce, state, feeds, defaultContext)).rejects.toThrow(
      'softmax_cross_entropy: the target of row 1 is 3, not a class index 0..2',
    );
  });

  it('refuses a state of another backend', async () => {
    await expect(
      backend!.run(reluOf(1), createCpuBackend().createState(), {}, defaultContext),
    ).rejects.toThrow('this state belongs to another backend');
  });

  it('keeps `read` honest without a mirror: stale tensors point to readAsync', async () => {
    const lean = createWebGpuBackend(device!, { mirrorState: false });
    const state = lean.createState() as WebGpuState;
    state.create('g', [3], Float32Array.of(1, 2, 3));
    state.create('w', [3], Float32Array.of(1, -1, 0));
    const program: Program = {
      tensors: [
        { id: 0, shape: [3], batched: false, storage: 'state', name: 'g' },
        { id: 1, shape: [3], batched: false, storage: 'state', name: 'w' },
      ],
      instrs: [{ op: 'add_scaled', attrs: { alpha: 2 }, inputs: [0, 1], outputs: [0] }],
      results: [],
    };
    await lean.run(program, state, {}, defaultContext);
    expect(() => state.read('g')).toThrow('use `await state.readAsync(name)`');
    expect([...state.read('w')]).toEqual([1, -1, 0]);
    expect([...(await state.readAsync('g'))]).toEqual([3, 0, 3]);
    expect([...state.read('g')]).toEqual([3, 0, 3]);
  });

  it('uses a state tensor created anew under the same name', async () => {
    const state = backend!.createState();
    state.create('w', [2], Float32Array.of(1, 2));
    const program: Program = {
      tensors: [
        { id: 0, shape: [2], batched: false, storage: 'state', name: 'w' },
        { id: 1, shape: [2], batched: false, storage: 'temp', name: 'y' },
      ],
      instrs: [{ op: 'scale', attrs: { factor: 10 }, inputs: [0], outputs: [1] }],
      results: [{ name: 'y', tensor: 1 }],
    };
    expect([...(await backend!.run(program, state, {}, defaultContext))['y']!]).toEqual([10, 20]);
    state.create('w', [2], Float32Array.of(-3, 4));
    expect([...(await backend!.run(program, state, {}, defaultContext))['y']!]).toEqual([-30, 40]);
  });
});

describe.skipIf(!device)('a lost device', () => {
  it('fails every later run and write with NETC5012', async () => {
    const acquired = await acquireWebGpuDevice();
    if (!acquired.ok) throw new Error(acquired.reason);
    const doomed = createWebGpuBackend(acquired.device);
    const state = doomed.createState();
    state.create('w', [2]);
    doomed.destroy();
    await acquired.device.gpu.lost;
    const error = await expectGpuError(
      doomed.run(reluOf(2), state, { in0: new Float32Array(2) }, defaultContext),
      'NETC5012',
    );
    expect(error.message).toContain('the GPU device was lost (it was destroyed)');
  });
});

describe('GPU errors that cannot be provoked safely (a simulated device)', () => {
  /** A device whose error scopes report `memory` and `validation`, and whose loss we control. */
  function fakeDevice(scopes: { memory?: string; validation?: string }) {
    let lose: (info: { reason: string; message: string }) => void = () => {};
    const lost = new Promise<{ reason: string; message: string }>((resolve) => (lose = resolve));
    const popped: (string | undefined)[] = [scopes.validation, scopes.memory];
    const gpu = {
      lost,
      pushErrorScope() {},
      popErrorScope() {
        const message = popped.shift();
        return Promise.resolve(message === undefined ? null : { message });
      },
    } as unknown as GPUDevice;
    const limits: GpuLimits = {
      maxStorageBufferBindingSize: 1024,
      maxBufferSize: 1024,
      maxComputeWorkgroupsPerDimension: 4,
      maxStorageBuffersPerShaderStage: 4,
      minUniformBufferOffsetAlignment: 256,
    };
    return { device: new WebGpuDevice(gpu, limits, 'a simulated GPU'), lose };
  }

  it('reports an out-of-memory scope as NETC5011', async () => {
    const { device: fake } = fakeDevice({ memory: 'Out of memory\nwhile creating a buffer' });
    const { error } = fake.scoped('allocating `w`', () => undefined);
    const found = await error;
    expect(found?.code).toBe('NETC5011');
    expect(found?.message).toBe('NETC5011: out of GPU memory while allocating `w`: Out of memory');
  });

  it('reports a validation scope as NETC5010', async () => {
    const { device: fake } = fakeDevice({ validation: 'Binding size is too small' });
    const found = await fake.scoped('binding `dense`', () => undefined).error;
    expect(found?.message).toBe(
      'NETC5010: the GPU rejected binding `dense`: Binding size is too small',
    );
  });

  it('reports a device loss as NETC5012 from then on', async () => {
    const { device: fake, lose } = fakeDevice({});
    expect(() => fake.assertAlive()).not.toThrow();
    lose({ reason: 'unknown', message: 'the driver was reset' });
    await Promise.resolve();
    await Promise.resolve();
    expect(() => fake.assertAlive()).toThrow(
      'NETC5012: the GPU device was lost (the driver was reset); create a new backend to continue',
    );
    expect(() => fake.scoped('anything', () => 1)).toThrow(GpuError);
  });
});

describe('finding a GPU', () => {
  const saved = Object.getOwnPropertyDescriptor(globalThis, 'navigator');
  afterEach(() => {
    if (saved) Object.defineProperty(globalThis, 'navigator', saved);
    else delete (globalThis as { navigator?: unknown }).navigator;
  });
  const browserWith = (gpu: unknown) =>
    Object.defineProperty(globalThis, 'navigator', { value: { gpu }, configurable: true });

  it('says why when the browser has WebGPU but no adapter', async () => {
    browserWith({ requestAdapter: async () => null });
    const found = await acquireWebGpuDevice();
    expect(found.ok).toBe(false);
    if (found.ok) return;
    expect(found.reason).toBe('no WebGPU adapter was found');
    expect(found.fix).toContain('scripts/setup-webgpu-driver.sh');
  });

  it('says why when asking for an adapter fails', async () => {
    browserWith({
      requestAdapter: async () => {
        throw new Error('GPU process crashed');
      },
    });
    const found = await acquireWebGpuDevice();
    expect(found).toMatchObject({
      ok: false,
      reason: expect.stringContaining('GPU process crashed'),
    });
  });

  it.skipIf(!device)('opens a device with the limits the backend needs', async () => {
    const found = await acquireWebGpuDevice();
    expect(found.ok).toBe(true);
    if (!found.ok) return;
    const { limits, adapter } = found.device;
    expect(adapter).not.toBe('');
    expect(limits.maxStorageBufferBindingSize).toBeGreaterThanOrEqual(128 * 2 ** 20);
    expect(limits.maxComputeWorkgroupsPerDimension).toBeGreaterThanOrEqual(65535);
    expect(limits.maxStorageBuffersPerShaderStage).toBeGreaterThanOrEqual(8);
    found.device.destroy();
  });

  it.skipIf(!device)('creates the WebGPU backend for `webgpu`', async () => {
    const backend = (await createBackend('webgpu')) as WebGpuBackend;
    expect(backend.kind).toBe('webgpu');
    expect(backend.description).toBe(`WebGPU on ${backend.device.adapter}`);
    backend.destroy();
  });

  it('takes WebGPU for `auto` once every kernel exists, and says which backend it took', async () => {
    const notices: string[] = [];
    const backend = await createBackend('auto', { onNotice: (line) => notices.push(line) });
    if (primitivesMissingOnWebGpu().length > 0) {
      expect(backend.kind).toBe('cpu');
      expect(notices).toEqual([
        expect.stringMatching(/^netc: using the CPU backend: WebGPU kernels are not complete yet/),
      ]);
    } else if (backend.kind === 'webgpu') {
      expect(notices).toEqual([expect.stringMatching(/^netc: using the WebGPU backend on \S/)]);
      (backend as WebGpuBackend).destroy();
    }
  });
});
