import type { Origin } from '../ir/ir.js';
import type { Shape } from '../ir/ops.js';
import type {
  Instr,
  PrimAttrMap,
  PrimKind,
  Program,
  TensorDecl,
  TensorId,
} from '../../runtime/program.js';

/*
 * Accumulates a kernel program: a tensor table and a straight list of instructions. The
 * lowering passes only append; nothing is rewritten here.
 */
export interface ProgramBuilder {
  /** A tensor computed inside the run. */
  temp(label: string, shape: Shape, batched?: boolean): TensorId;
  /** A tensor the caller feeds (one per name). */
  feed(name: string, shape: Shape, batched?: boolean): TensorId;
  /** A persistent tensor (parameter, buffer, optimizer state), one per name. */
  state(name: string, shape: Shape): TensorId;
  decl(id: TensorId): TensorDecl;
  emit<K extends PrimKind>(
    op: K,
    attrs: PrimAttrMap[K],
    inputs: readonly TensorId[],
    outputs: readonly TensorId[],
    origin?: Origin,
  ): void;
  /** A fresh random stream number for an instruction that draws random numbers. */
  stream(): number;
  result(name: string, tensor: TensorId): void;
  finish(): Program;
}

export function programBuilder(): ProgramBuilder {
  const tensors: TensorDecl[] = [];
  const instrs: Instr[] = [];
  const results: { name: string; tensor: TensorId }[] = [];
  const named = new Map<string, TensorId>();
  let streams = 0;

  const add = (decl: Omit<TensorDecl, 'id'>): TensorId => {
    const id = tensors.length;
    tensors.push({ id, ...decl });
    return id;
  };
  const unique = (storage: 'feed' | 'state', name: string, shape: Shape, batched: boolean) => {
    const key = `${storage}:${name}`;
    const existing = named.get(key);
    if (existing !== undefined) return existing;
    const id = add({ name, shape, batched, storage });
    named.set(key, id);
    return id;
  };

  return {
    temp: (label, shape, batched = true) => add({ name: label, shape, batched, storage: 'temp' }),
    feed: (name, shape, batched = true) => unique('feed', name, shape, batched),
    state: (name, shape) => unique('state', name, shape, false),
    decl: (id) => tensors[id]!,
    emit(op, attrs, inputs, outputs, origin) {
      instrs.push({ op, attrs, inputs, outputs, ...(origin && { origin }) } as Instr);
    },
    stream: () => streams++,
    result(name, tensor) {
      results.push({ name, tensor });
    },
    finish: () => ({ tensors, instrs, results }),
  };
}
