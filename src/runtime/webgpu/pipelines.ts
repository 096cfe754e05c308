import type { StorageBinding } from './kernels/kernel.js';
import type { GpuError, WebGpuDevice } from './device.js';

/*
 * Compute pipelines by WGSL source. A module's text fixes its bindings, so the source alone
 * is the key; sizes and attributes are uniforms, so one pipeline serves every instance of a
 * primitive at every batch size, except for convolutions and pools, whose geometry is baked
 * into the text (kernels/baked.ts): a pipeline per layer shape. Each new pipeline is created inside an error scope: a
 * kernel the GPU rejects becomes NETC5010 naming the primitive, reported by the plan that
 * asked for it (a rejected module stays cached with its error, reported again each time).
 */

export interface CompiledKernel {
  readonly pipeline: GPUComputePipeline;
  readonly layout: GPUBindGroupLayout;
  /** Resolves to the compilation error, if any. */
  readonly error: Promise<GpuError | undefined>;
}

export class PipelineCache {
  private readonly pipelines = new Map<string, CompiledKernel>();
  /** How many distinct modules were compiled. */
  compiled = 0;

  constructor(private readonly device: WebGpuDevice) {}

  get(
    label: string,
    code: string,
    entryPoint: string,
    bindings: readonly StorageBinding[],
    hasUniforms: boolean,
  ): CompiledKernel {
    const key = `${entryPoint}\n${code}`;
    const cached = this.pipelines.get(key);
    if (cached) return cached;
    const gpu = this.device.gpu;
    const { value, error } = this.device.scoped(`the WGSL kernel for \`${label}\``, () => {
      const entries: GPUBindGroupLayoutEntry[] = bindings.map((b, i) => ({
        binding: i,
        visibility: GPUShaderStage.COMPUTE,
        buffer: { type: b.access === 'read' ? 'read-only-storage' : 'storage' },
      }));
      if (hasUniforms) {
        entries.push({
          binding: bindings.length,
          visibility: GPUShaderStage.COMPUTE,
          buffer: { type: 'uniform' },
        });
      }
      const layout = gpu.createBindGroupLayout({ label, entries });
      const module = gpu.createShaderModule({ label, code });
      const pipeline = gpu.createComputePipeline({
        label,
        layout: gpu.createPipelineLayout({ label, bindGroupLayouts: [layout] }),
        compute: { module, entryPoint },
      });
      return { pipeline, layout };
    });
    const compiled = { ...value, error };
    this.pipelines.set(key, compiled);
    this.compiled++;
    return compiled;
  }
}
