import type { IRNetwork, IRParam, ParamId } from './ir/ir.js';
import type { ParamRole, Shape } from './ir/ops.js';
import { countElements } from './shapes/format.js';

/*
 * What `netc summary` reports about a network. Counts follow `torch.nn.Module.parameters()`:
 * buffers (batch norm's running statistics) are not parameters, and a parameter shared by
 * several layers (a `let` instance used twice) counts once.
 */

export interface LayerSummary {
  /** The stable layer name, e.g. `c1` or `ResBlock_0.conv2d_1`. */
  readonly name: string;
  readonly op: string;
  /** Unbatched output shape. */
  readonly output: readonly number[];
  /** Parameter elements first used by this layer (a shared parameter shows on its first use). */
  readonly params: number;
  /** Multiply-adds per sample. */
  readonly macs: number;
}

export interface NetworkSummary {
  readonly name: string;
  readonly doc?: string;
  /** Unbatched shapes by input name. */
  readonly inputs: Readonly<Record<string, readonly number[]>>;
  /** Unbatched shapes by output name. */
  readonly outputs: Readonly<Record<string, readonly number[]>>;
  /** Parameter elements (trainable and not), buffers excluded. */
  readonly params: number;
  readonly trainableParams: number;
  readonly nonTrainableParams: number;
  /** Buffer elements (not parameters), e.g. batch norm running statistics. */
  readonly buffers: number;
  /** Bytes the parameters take as float32. */
  readonly paramBytes: number;
  /** Multiply-adds per sample, summed over layers (a shared layer computes at every use). */
  readonly macs: number;
  /** One row per op node, in graph order; inputs have no row. */
  readonly layers: readonly LayerSummary[];
}

const bufferRoles: ReadonlySet<ParamRole> = new Set(['running_mean', 'running_var']);
const float32Bytes = 4;

/** Buffers are state that training updates without gradients; torch lists them apart from parameters. */
export function isBuffer(param: IRParam): boolean {
  return bufferRoles.has(param.role);
}

export function summarizeNetwork(network: IRNetwork): NetworkSummary {
  const paramsById = new Map(network.params.map((p) => [p.id, p]));
  const counted = new Set<ParamId>();
  const layers: LayerSummary[] = [];
  for (const node of network.nodes) {
    if (node.op === 'input') continue;
    let params = 0;
    for (const id of Object.values(node.params)) {
      const param = id === undefined ? undefined : paramsById.get(id);
      if (param === undefined || isBuffer(param) || counted.has(param.id)) continue;
      counted.add(param.id);
      params += countElements(param.shape);
    }
    layers.push({ name: node.name, op: node.op, output: node.shape, params, macs: node.macs });
  }

  const elementsOf = (keep: (p: IRParam) => boolean) =>
    [...paramsById.values()].filter(keep).reduce((sum, p) => sum + countElements(p.shape), 0);
  const trainableParams = elementsOf((p) => !isBuffer(p) && p.trainable);
  const nonTrainableParams = elementsOf((p) => !isBuffer(p) && !p.trainable);
  const params = trainableParams + nonTrainableParams;
  const shapeOf = (value: number): Shape => network.nodes[value]?.shape ?? [];
  return {
    name: network.name,
    ...(network.doc === undefined ? {} : { doc: network.doc }),
    inputs: Object.fromEntries(network.inputs.map((i) => [i.name, shapeOf(i.value)])),
    outputs: Object.fromEntries(network.outputs.map((o) => [o.name, shapeOf(o.value)])),
    params,
    trainableParams,
    nonTrainableParams,
    buffers: elementsOf(isBuffer),
    paramBytes: params * float32Bytes,
    macs: layers.reduce((sum, layer) => sum + layer.macs, 0),
    layers,
  };
}

export { renderSummaryText } from './summary/table.js';
export { summaryJson } from './summary/json.js';
