import { afterAll } from 'vitest';
import { acquireWebGpuDevice, type WebGpuDevice } from '../../src/runtime/webgpu/device.js';

/*
 * The device for a WebGPU test file. Without one the file's tests are skipped, with the
 * reason printed, except under CI (`CI=true`), where `.ci/run` installs a software driver:
 * there a missing adapter fails the run instead of passing it silently.
 */

export interface TestDevice {
  /** Undefined when WebGPU is unavailable (and not required). */
  readonly device: WebGpuDevice | undefined;
  /** Why there is no device. */
  readonly reason: string;
}

export async function testDevice(): Promise<TestDevice> {
  const acquired = await acquireWebGpuDevice();
  if (acquired.ok) {
    const device = acquired.device;
    // Dawn keeps a process alive or may crash at exit while devices live.
    afterAll(() => device.destroy());
    return { device, reason: '' };
  }
  const reason = `WebGPU is unavailable: ${acquired.reason} (fix: ${acquired.fix})`;
  if (process.env['CI'] === 'true') {
    throw new Error(`${reason}; CI=true requires a WebGPU adapter`);
  }
  console.warn(`skipping the WebGPU tests: ${reason}`);
  return { device: undefined, reason };
}
