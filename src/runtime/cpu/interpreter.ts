import { RuntimeError } from '../backend.js';
import type { Instr, Program, RunContext, TensorDecl } from '../program.js';
import { runtimeShapeCheck } from '../runtimeShapes.js';
import type { Buffer, KernelCall, KernelTable } from './kernel.js';

/*
 * Runs a kernel program instruction by instruction: the reference semantics every other
 * backend is checked against. Temps are allocated fresh for each run; state tensors are
 * read and updated in place.
 */

export type Precision = 'float32' | 'float64';

export interface InterpreterState {
  readonly precision: Precision;
  /**
   * Recompute every output shape from the input shapes before each kernel runs, as an eager
   * framework would, and stop with a `ShapeError` where it differs from the declared one.
   */
  readonly checkShapes?: boolean;
  get(name: string): Buffer | undefined;
}

export function interpret(
  kernels: KernelTable,
  program: Program,
  state: InterpreterState,
  feeds: Readonly<Record<string, ArrayLike<number>>>,
  ctx: RunContext,
): Map<string, Buffer> {
  const allocate = (n: number): Buffer =>
    state.precision === 'float64' ? new Float64Array(n) : new Float32Array(n);
  const shapeOf = (decl: TensorDecl): number[] =>
    decl.batched ? [ctx.batch, ...decl.shape] : [...decl.shape];
  const buffers: (Buffer | undefined)[] = new Array(program.tensors.length);

  for (const decl of program.tensors) {
    const size = shapeOf(decl).reduce((a, d) => a * d, 1);
    if (decl.storage === 'state') {
      const buffer = state.get(decl.name);
      if (!buffer) throw new RuntimeError(`the model has no state tensor \`${decl.name}\``);
      if (buffer.length !== size) {
        throw new RuntimeError(
          `state tensor \`${decl.name}\` holds ${buffer.length} numbers, expected ${size}`,
        );
      }
      buffers[decl.id] = buffer;
    } else if (decl.storage === 'feed') {
      const values = feeds[decl.name];
      if (!values) throw new RuntimeError(`missing input \`${decl.name}\``);
      if (values.length !== size) {
        throw new RuntimeError(
          `input \`${decl.name}\` has ${values.length} numbers; a batch of ${ctx.batch} of shape [${decl.shape.join(', ')}] needs ${size}`,
        );
      }
      const buffer = allocate(size);
      buffer.set(values);
      buffers[decl.id] = buffer;
    }
  }

  // A view (see TensorDecl.view) reads its source's buffer.
  const bufferOf = (id: number): Buffer => {
    const buffer = buffers[id] ?? buffers[program.tensors[id]!.view ?? id];
    if (!buffer) throw new Error(`internal error: tensor ${id} is read before it is written`);
    return buffer;
  };
  const checkShapes = state.checkShapes ? runtimeShapeCheck(program, ctx.batch) : undefined;
  for (const instr of program.instrs) {
    checkShapes?.(instr);
    const inputs = instr.inputs.map((id) => bufferOf(id));
    const outputs = instr.outputs.map((id) => {
      const existing = buffers[id];
      if (existing) return existing;
      const created = allocate(shapeOf(program.tensors[id]!).reduce((a, d) => a * d, 1));
      buffers[id] = created;
      return created;
    });
    runKernel(kernels, instr, {
      attrs: instr.attrs,
      inputs,
      inputShapes: instr.inputs.map((id) => shapeOf(program.tensors[id]!)),
      outputs,
      outputShapes: instr.outputs.map((id) => shapeOf(program.tensors[id]!)),
      ctx,
    });
  }

  return new Map(program.results.map((r) => [r.name, bufferOf(r.tensor)]));
}

function runKernel(kernels: KernelTable, instr: Instr, call: KernelCall<Instr['op']>): void {
  (kernels[instr.op] as (c: KernelCall<Instr['op']>) => void)(call);
}
