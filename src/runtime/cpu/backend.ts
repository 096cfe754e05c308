import type { Shape } from '../../compiler/ir/ops.js';
import { RuntimeError, type Backend, type DeviceState } from '../backend.js';
import type { Program, RunContext } from '../program.js';
import { interpret, type Precision } from './interpreter.js';
import type { Buffer } from './kernel.js';
import { cpuKernels } from './kernels/index.js';

/*
 * The CPU reference backend: plain TypeScript loops, float32 by default; float64 for
 * gradient checks. Not fast, but obviously right.
 */

export function createCpuBackend(options: { readonly precision?: Precision } = {}): Backend {
  const precision = options.precision ?? 'float32';
  let deferred: Record<string, Float32Array>[] = [];
  return {
    kind: 'cpu',
    description: `CPU reference interpreter (${precision})`,
    createState: () => cpuState(precision),
    run(program: Program, state: DeviceState, feeds, ctx: RunContext, runOptions) {
      const tensors = stateBuffers(state);
      const results = interpret(
        cpuKernels,
        program,
        { precision, get: (n) => tensors.get(n) },
        feeds,
        ctx,
      );
      const out: Record<string, Float32Array> = {};
      for (const [name, buffer] of results) out[name] = Float32Array.from(buffer);
      if (runOptions?.read === false) {
        deferred.push(out);
        return Promise.resolve({});
      }
      return Promise.resolve(out);
    },
    collect() {
      const out = deferred;
      deferred = [];
      return Promise.resolve(out);
    },
  };
}

const buffersOf = new WeakMap<DeviceState, Map<string, Buffer>>();

/** The live buffer behind a CPU state tensor (float64 gradient checks perturb it in place). */
export function cpuStateBuffer(state: DeviceState, name: string): Buffer {
  const buffer = stateBuffers(state).get(name);
  if (!buffer) throw new RuntimeError(`no state tensor \`${name}\``);
  return buffer;
}

function stateBuffers(state: DeviceState): Map<string, Buffer> {
  const buffers = buffersOf.get(state);
  if (!buffers) throw new RuntimeError('this state belongs to another backend');
  return buffers;
}

function cpuState(precision: Precision): DeviceState {
  const buffers = new Map<string, Buffer>();
  const size = (shape: Shape) => shape.reduce((a, d) => a * d, 1);
  const state: DeviceState = {
    has: (name) => buffers.has(name),
    create(name, shape, values) {
      const buffer =
        precision === 'float64' ? new Float64Array(size(shape)) : new Float32Array(size(shape));
      if (values) buffer.set(values);
      buffers.set(name, buffer);
    },
    read(name) {
      const buffer = buffers.get(name);
      if (!buffer) throw new RuntimeError(`no state tensor \`${name}\``);
      return Float32Array.from(buffer);
    },
    readAsync: (name) => Promise.resolve(state.read(name)),
    write(name, values) {
      const buffer = buffers.get(name);
      if (!buffer) throw new RuntimeError(`no state tensor \`${name}\``);
      if (buffer.length !== values.length) {
        throw new RuntimeError(`\`${name}\` holds ${buffer.length} numbers, got ${values.length}`);
      }
      buffer.set(values);
    },
    names: () => [...buffers.keys()],
  };
  buffersOf.set(state, buffers);
  return state;
}
