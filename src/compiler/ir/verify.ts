import type { IRNetwork } from './ir.js';

/**
 * Structural invariants of a network graph. A violation is a compiler bug, never a user
 * error, so this returns descriptions for the caller to raise as an internal error.
 */
export function verifyNetwork(network: IRNetwork): string[] {
  const problems: string[] = [];
  const names = new Map<string, number>();
  network.nodes.forEach((node, index) => {
    if (node.id !== index) problems.push(`node ${index} has id ${node.id}`);
    for (const input of node.inputs) {
      if (!(input >= 0 && input < index))
        problems.push(`node ${index} (${node.name}) reads ${input}, which is not an earlier node`);
    }
    if (node.shape.length === 0 || node.shape.some((d) => !Number.isSafeInteger(d) || d < 1)) {
      problems.push(`node ${index} (${node.name}) has an invalid shape [${node.shape.join(', ')}]`);
    }
    if (node.op === 'input') {
      if (node.inputs.length !== 0) problems.push(`input node ${index} has inputs`);
      return;
    }
    if (!Number.isSafeInteger(node.macs) || node.macs < 0)
      problems.push(`node ${index} has invalid macs ${node.macs}`);
    for (const [role, id] of Object.entries(node.params)) {
      const param = network.params[id!];
      if (!param) problems.push(`node ${index} refers to missing parameter ${id}`);
      else if (param.role !== role) problems.push(`node ${index} uses ${param.name} as ${role}`);
    }
  });
  network.params.forEach((param, index) => {
    if (param.id !== index) problems.push(`parameter ${index} has id ${param.id}`);
    if (names.has(param.name)) problems.push(`parameter name ${param.name} is used twice`);
    names.set(param.name, index);
    if (!param.name.endsWith(`.${param.role}`))
      problems.push(`parameter ${param.name} does not end with its role ${param.role}`);
  });
  for (const input of network.inputs) {
    if (network.nodes[input.value]?.op !== 'input')
      problems.push(`input ${input.name} is not an input node`);
  }
  for (const output of network.outputs) {
    if (!network.nodes[output.value])
      problems.push(`output ${output.name} refers to a missing node`);
  }
  return problems;
}
