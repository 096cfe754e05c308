import type { IRNode, IRParam, Origin, OpNode, ParamId, ValueId } from '../../ir/ir.js';
import type { OpAttrMap, OpKind, ParamDecl, ParamRole, Shape } from '../../ir/ops.js';

/** Accumulates the nodes and parameters of one network while it is expanded. */
export class GraphBuilder {
  readonly nodes: IRNode[] = [];
  readonly params: IRParam[] = [];
  private readonly paramIds = new Map<string, ParamId>();

  addInput(name: string, shape: Shape, origin: Origin): ValueId {
    const id = this.nodes.length;
    this.nodes.push({ id, op: 'input', name, inputs: [], shape, origin });
    return id;
  }

  hasParam(name: string): boolean {
    return this.paramIds.has(name);
  }

  addParam(name: string, owner: string, decl: ParamDecl, origin: Origin): ParamId {
    const id = this.params.length;
    this.params.push({
      id,
      name,
      role: decl.role,
      shape: decl.shape,
      init: decl.init,
      trainable: decl.trainable,
      regularized: decl.regularized,
      owner,
      origin,
    });
    this.paramIds.set(name, id);
    return id;
  }

  addOp<K extends OpKind>(
    op: K,
    attrs: OpAttrMap[K],
    name: string,
    inputs: readonly ValueId[],
    shape: Shape,
    params: Partial<Record<ParamRole, ParamId>>,
    macs: number,
    origin: Origin,
  ): ValueId {
    const id = this.nodes.length;
    const node = { id, op, attrs, name, inputs, shape, params, macs, origin } as unknown as OpNode;
    this.nodes.push(node);
    return id;
  }

  shapeOf(id: ValueId): Shape {
    return this.nodes[id]!.shape;
  }
}
