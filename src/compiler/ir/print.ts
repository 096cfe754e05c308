import type { IRNetwork, IRNode } from './ir.js';
import type { Init } from './ops.js';

/*
 * A stable text form of the IR, one line per node and parameter, for tests and
 * `netc build --dump-ir`. Same graph, same text: no spans, no object identities.
 */

export function printNetwork(network: IRNetwork): string {
  const lines: string[] = [`network ${network.name}`];
  for (const param of network.params) {
    const kind = param.trainable ? 'param' : 'buffer';
    lines.push(
      `  ${kind} ${param.name} ${dims(param.shape)} init=${printInit(param.init)}${param.regularized ? ' regularized' : ''}`,
    );
  }
  for (const node of network.nodes) lines.push(`  ${printNode(network, node)}`);
  lines.push(`  return ${network.outputs.map((o) => `${o.name}=%${o.value}`).join(', ')}`);
  return lines.join('\n') + '\n';
}

function printNode(network: IRNetwork, node: IRNode): string {
  const head = `%${node.id}: ${dims(node.shape)} = `;
  if (node.op === 'input') return `${head}input ${node.name}`;
  const inputs = node.inputs.map((i) => `%${i}`).join(', ');
  const attrs = Object.entries(node.attrs as Record<string, unknown>)
    .map(([k, v]) => `${k}=${printValue(v)}`)
    .join(' ');
  const params = Object.entries(node.params)
    .map(([role, id]) => `${role}=${network.params[id!]!.name}`)
    .join(' ');
  const parts = [
    `${node.op}(${inputs})`,
    node.name ? `name=${node.name}` : '',
    attrs,
    params,
    node.macs ? `macs=${node.macs}` : '',
  ];
  return head + parts.filter(Boolean).join(' ');
}

function printValue(value: unknown): string {
  if (Array.isArray(value)) return `(${value.map(printValue).join(',')})`;
  if (value && typeof value === 'object' && 'kind' in value) return printInit(value as Init);
  return String(value);
}

function printInit(init: Init): string {
  switch (init.kind) {
    case 'normal':
      return `normal(${init.std})`;
    case 'uniform':
      return `uniform(${init.low},${init.high})`;
    default:
      return init.kind;
  }
}

function dims(shape: readonly number[]): string {
  return `[N,${shape.join(',')}]`;
}
