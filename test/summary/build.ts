import type { IRNetwork, IRNode, IRParam, Origin } from '../../src/compiler/ir/ir.js';
import type { OpKind, ParamRole } from '../../src/compiler/ir/ops.js';

/*
 * Hand-built IR networks for summary tests: attributes do not matter to summaries, so nodes
 * are built from op, name, shape, parameters and multiply-adds only.
 */

const origin: Origin = { span: { file: 'test.net', start: 0, end: 0 }, callSites: [] };

export interface ParamSpec {
  readonly name: string;
  readonly role: ParamRole;
  readonly shape: readonly number[];
  readonly trainable?: boolean;
}

export interface NodeSpec {
  readonly op: OpKind;
  readonly name: string;
  readonly shape: readonly number[];
  /** Parameter names by role. */
  readonly params?: Partial<Record<ParamRole, string>>;
  readonly macs?: number;
}

export interface NetworkSpec {
  readonly name?: string;
  readonly doc?: string;
  readonly input: readonly number[];
  readonly params?: readonly ParamSpec[];
  readonly nodes: readonly NodeSpec[];
}

/** A chain: the input `x`, then each node fed by the previous one; the last is the output. */
export function chainNetwork(spec: NetworkSpec): IRNetwork {
  const params: IRParam[] = (spec.params ?? []).map((p, id) => ({
    id,
    name: p.name,
    role: p.role,
    shape: p.shape,
    init: { kind: 'zeros' },
    trainable: p.trainable ?? !p.role.startsWith('running_'),
    regularized: p.role === 'weight',
    owner: p.name.split('.').slice(0, -1).join('.'),
    origin,
  }));
  const idOf = (name: string) => {
    const found = params.find((p) => p.name === name);
    if (!found) throw new Error(`no parameter ${name}`);
    return found.id;
  };
  const nodes: IRNode[] = [
    { id: 0, op: 'input', name: 'x', inputs: [], shape: spec.input, origin },
    ...spec.nodes.map(
      (n, i) =>
        ({
          id: i + 1,
          op: n.op,
          attrs: {},
          name: n.name,
          inputs: [i],
          shape: n.shape,
          params: Object.fromEntries(
            Object.entries(n.params ?? {}).map(([role, name]) => [role, idOf(name)]),
          ),
          macs: n.macs ?? 0,
          origin,
        }) as IRNode,
    ),
  ];
  return {
    name: spec.name ?? 'Net',
    ...(spec.doc === undefined ? {} : { doc: spec.doc }),
    inputs: [{ name: 'x', value: 0 }],
    outputs: [{ name: 'output', value: nodes.length - 1 }],
    nodes,
    params,
    span: origin.span,
  };
}
