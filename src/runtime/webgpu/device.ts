/// <reference types="@webgpu/types" />
import type { DiagnosticCode } from '../../compiler/diagnostics/codes.js';
import type { Origin } from '../../compiler/ir/ir.js';
import { RuntimeError } from '../backend.js';
import { hostIdlerFor, type HostIdler } from './hostIdle.js';

/*
 * Getting a GPU and keeping track of what goes wrong on it. In Node the adapter comes from
 * Dawn's optional `webgpu` package, loaded on demand; in a browser from `navigator.gpu`.
 * Not finding one is an ordinary outcome, returned with the reason and the fix. Once a
 * device exists, validation and out-of-memory errors are caught with error scopes and
 * become `GpuError`s (NETC5010, NETC5011); a lost device makes every later call fail with
 * NETC5012.
 */

/** The limits the kernels and the backend rely on, as granted to the device. */
export interface GpuLimits {
  readonly maxStorageBufferBindingSize: number;
  readonly maxBufferSize: number;
  readonly maxComputeWorkgroupsPerDimension: number;
  readonly maxStorageBuffersPerShaderStage: number;
  readonly minUniformBufferOffsetAlignment: number;
}

/** The limits requested at their adapter's maximum (the defaults are far lower). */
const raisedLimits = [
  'maxStorageBufferBindingSize',
  'maxBufferSize',
  'maxComputeWorkgroupsPerDimension',
  'maxStorageBuffersPerShaderStage',
] as const;

/** A GPU problem at run time; the message starts with the code. */
export class GpuError extends RuntimeError {
  constructor(
    readonly code: Extract<DiagnosticCode, `NETC501${number}`>,
    /** The message without the code. */
    readonly detail: string,
    /** The layer of the user's source that the failing step came from, when known. */
    readonly origin?: Origin,
  ) {
    super(`${code}: ${detail}`);
  }

  /** The same error, attributed to `origin`. */
  from(origin: Origin | undefined): GpuError {
    return origin && !this.origin ? new GpuError(this.code, this.detail, origin) : this;
  }
}

/** A live device with its limits, its loss state and error scopes. */
export class WebGpuDevice {
  private lostInfo: { readonly reason: string; readonly message: string } | undefined;
  /** Errors of work that could not wait for them (state writes); the next run reports them. */
  private deferred: Promise<GpuError | undefined>[] = [];
  /** Keeps Dawn's polling from taking the software driver's cores (hostIdle.ts). */
  private readonly idler: HostIdler | undefined;

  constructor(
    readonly gpu: GPUDevice,
    readonly limits: GpuLimits,
    /** The adapter's vendor, architecture and driver, in one line for logs. */
    readonly adapter: string,
    /**
     * A CPU implementation (the adapter's `isFallbackAdapter`, such as lavapipe): the
     * tuner times only the kernel layouts that suit one (tuning.ts).
     */
    readonly software = false,
  ) {
    this.idler = hostIdlerFor(software);
    void gpu.lost.then((info) => {
      this.lostInfo = { reason: info.reason, message: info.message };
    });
  }

  /** Why the device was lost, or undefined while it works. */
  get lost(): { readonly reason: string; readonly message: string } | undefined {
    return this.lostInfo;
  }

  /** Throws NETC5012 once the device is gone. */
  assertAlive(): void {
    if (this.lostInfo) throw lostError(this.lostInfo);
  }

  /**
   * Runs `work` inside validation and out-of-memory error scopes. Returns its value and a
   * promise of the first error, as a GpuError that says it happened while doing `what`.
   * `work` must not await: scopes belong to the device, not to one task.
   */
  scoped<T>(what: string, work: () => T): { value: T; error: Promise<GpuError | undefined> } {
    this.assertAlive();
    this.gpu.pushErrorScope('out-of-memory');
    this.gpu.pushErrorScope('validation');
    let outcome: { readonly value: T } | { readonly thrown: unknown };
    try {
      outcome = { value: work() };
    } catch (thrown) {
      outcome = { thrown };
    }
    // Popped even when `work` threw, so the scope stack stays balanced.
    const validation = this.waitFor(this.gpu.popErrorScope());
    const memory = this.waitFor(this.gpu.popErrorScope());
    if ('thrown' in outcome) throw outcome.thrown;
    const error = Promise.all([validation, memory]).then(
      ([v, m]) => (m ? memoryError(m, what) : v ? validationError(v, what) : undefined),
      (cause: unknown) => this.failure(cause, what),
    );
    const value = outcome.value;
    return { value, error };
  }

  /**
   * `promise`, a wait on the GPU (mapping, completed work, an error scope), with the host
   * idle while it is pending where that helps the driver (hostIdle.ts).
   */
  waitFor<T>(promise: Promise<T>): Promise<T> {
    return this.idler ? this.idler.track(promise) : promise;
  }

  /** Like `scoped`, but the error is reported by the next `takeDeferredError`. */
  scopedLater<T>(what: string, work: () => T): T {
    const { value, error } = this.scoped(what, work);
    this.deferred.push(error);
    return value;
  }

  /** The first error of deferred work since the last call, if any. */
  async takeDeferredError(): Promise<GpuError | undefined> {
    const pending = this.deferred;
    this.deferred = [];
    const errors = await Promise.all(pending);
    return errors.find((e) => e !== undefined);
  }

  /** An exception from the device (a rejected mapAsync, a failed pop) as a GpuError. */
  failure(cause: unknown, what: string): GpuError {
    if (this.lostInfo) return lostError(this.lostInfo);
    const detail = cause instanceof Error ? cause.message : String(cause);
    return new GpuError('NETC5010', `the GPU failed while ${what}: ${detail}`);
  }

  destroy(): void {
    this.gpu.destroy();
  }
}

function lostError(info: { readonly reason: string; readonly message: string }): GpuError {
  const why = info.reason === 'destroyed' ? 'it was destroyed' : info.message || 'unknown reason';
  return new GpuError(
    'NETC5012',
    `the GPU device was lost (${why}); create a new backend to continue`,
  );
}

function memoryError(error: GPUError, what: string): GpuError {
  const detail = error.message.trim().split('\n')[0] ?? '';
  return new GpuError('NETC5011', `out of GPU memory while ${what}: ${detail}`);
}

function validationError(error: GPUError, what: string): GpuError {
  return new GpuError('NETC5010', `the GPU rejected ${what}: ${error.message.trim()}`);
}

/** Why no device could be had, and what to do about it. */
export interface NoDevice {
  readonly ok: false;
  readonly reason: string;
  readonly fix: string;
}

export type DeviceAcquisition = { readonly ok: true; readonly device: WebGpuDevice } | NoDevice;

export interface AcquireOptions {
  /** Prefer a low-power or high-performance adapter where there is a choice. */
  readonly powerPreference?: GPUPowerPreference;
}

/** Finds an adapter and opens a device on it with the limits the backend needs. */
export async function acquireWebGpuDevice(
  options: AcquireOptions = {},
): Promise<DeviceAcquisition> {
  const gpu = await gpuEntryPoint();
  if ('ok' in gpu) return gpu;
  let adapter: GPUAdapter | null;
  try {
    adapter = await gpu.requestAdapter(
      options.powerPreference ? { powerPreference: options.powerPreference } : undefined,
    );
  } catch (error) {
    return noDevice(`requesting a WebGPU adapter failed: ${messageOf(error)}`, driverFix);
  }
  if (!adapter) return noDevice('no WebGPU adapter was found', driverFix);
  const requiredLimits: Record<string, number> = {};
  for (const name of raisedLimits) requiredLimits[name] = adapter.limits[name];
  let gpuDevice: GPUDevice;
  try {
    gpuDevice = await adapter.requestDevice({ requiredLimits });
  } catch (error) {
    return noDevice(`the adapter refused a device: ${messageOf(error)}`, driverFix);
  }
  const granted = gpuDevice.limits;
  const limits: GpuLimits = {
    maxStorageBufferBindingSize: granted.maxStorageBufferBindingSize,
    maxBufferSize: granted.maxBufferSize,
    maxComputeWorkgroupsPerDimension: granted.maxComputeWorkgroupsPerDimension,
    maxStorageBuffersPerShaderStage: granted.maxStorageBuffersPerShaderStage,
    minUniformBufferOffsetAlignment: granted.minUniformBufferOffsetAlignment,
  };
  // `isFallbackAdapter` is on GPUAdapterInfo in current WebGPU, on the adapter before.
  const info = adapter.info as GPUAdapterInfo & { readonly isFallbackAdapter?: boolean };
  const older = adapter as GPUAdapter & { readonly isFallbackAdapter?: boolean };
  const software = !!(info?.isFallbackAdapter ?? older.isFallbackAdapter);
  return {
    ok: true,
    device: new WebGpuDevice(gpuDevice, limits, adapterName(adapter.info), software),
  };
}

const driverFix =
  'on Linux without a GPU, run scripts/setup-webgpu-driver.sh to install a software Vulkan driver (Mesa lavapipe); otherwise install or update the GPU driver, or use `--backend cpu`';

function adapterName(info: GPUAdapterInfo | undefined): string {
  const parts = [info?.vendor, info?.architecture, info?.device, info?.description]
    .map((p) => p?.trim())
    .filter((p): p is string => !!p);
  return parts.length > 0 ? [...new Set(parts)].join(', ') : 'an unnamed adapter';
}

function noDevice(reason: string, fix: string): NoDevice {
  return { ok: false, reason, fix };
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** One Dawn instance per process: creating more is slow and gains nothing. */
let nodeGpu: Promise<GPU | NoDevice> | undefined;

/** `navigator.gpu` where it exists (browsers), else Dawn for Node. */
async function gpuEntryPoint(): Promise<GPU | NoDevice> {
  const nav = (globalThis as { navigator?: { gpu?: GPU } }).navigator;
  if (nav?.gpu) return nav.gpu;
  if (typeof process === 'undefined' || !process.versions?.node) {
    return noDevice('this browser does not support WebGPU', 'use a browser with WebGPU enabled');
  }
  nodeGpu ??= loadDawn();
  return nodeGpu;
}

interface DawnModule {
  create(options: string[]): GPU;
  globals: Record<string, unknown>;
}

async function loadDawn(): Promise<GPU | NoDevice> {
  // A variable specifier keeps bundlers from resolving the optional package at build time.
  const specifier = 'webgpu';
  let dawn: DawnModule;
  try {
    dawn = (await import(specifier)) as DawnModule;
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    if (code === 'ERR_MODULE_NOT_FOUND' && messageOf(error).includes(`'${specifier}'`)) {
      return noDevice(
        'the optional package `webgpu` (Dawn for Node.js) is not installed',
        'npm install webgpu',
      );
    }
    return noDevice(`Dawn (the \`webgpu\` package) failed to load: ${messageOf(error)}`, driverFix);
  }
  // Dawn's classes and constants (GPUBufferUsage, GPUValidationError, ...) are what browsers
  // define globally; add the missing ones without replacing anything already there.
  for (const [name, value] of Object.entries(dawn.globals)) {
    if (!(name in globalThis)) (globalThis as Record<string, unknown>)[name] = value;
  }
  try {
    return dawn.create([]);
  } catch (error) {
    return noDevice(`Dawn could not start: ${messageOf(error)}`, driverFix);
  }
}
