import { suggestionHelp } from '../diagnostics/didYouMean.js';
import type { IRNetwork } from '../ir/ir.js';
import type { Expr } from '../syntax/ast.js';
import type { TrainContext } from './context.js';
import { exprText } from './exprText.js';
import { listItems } from './listItems.js';
import type { FrozenLayer } from './trainConfig.js';

/**
 * `freeze = [features]`: each item names a layer or block instance (`features`, or a dotted
 * path as a string, `"features.conv2d_0"`). It freezes every parameter whose owner is that
 * name or lies under it. Names are looked up in every given network.
 */
export function checkFreeze(
  expr: Expr,
  networks: readonly IRNetwork[],
  ctx: TrainContext,
): FrozenLayer[] | undefined {
  const result: FrozenLayer[] = [];
  const names = new Map(networks.map((n) => [n, layerNames(n)]));
  let ok = true;
  for (const item of listItems(expr)) {
    const name = item.kind === 'Name' ? item.name : item.kind === 'String' ? item.value : undefined;
    if (name === undefined) {
      if (item.kind !== 'ErrorExpr') {
        ctx.diagnostics.error(
          'NETC4006',
          item.span,
          `expected a layer name, got \`${exprText(item)}\``,
          {
            help: 'name a layer or block instance, e.g. `freeze = [features]`',
          },
        );
      }
      ok = false;
      continue;
    }
    const matches = networks.filter((n) => names.get(n)!.has(name));
    if (matches.length === 0) {
      ctx.diagnostics.error(
        'NETC4032',
        item.span,
        `no layer \`${name}\` in ${networks.map((n) => `\`${n.name}\``).join(' or ')}`,
        {
          help: suggestionHelp(
            name,
            [...names.values()].flatMap((set) => [...set]),
          ),
        },
      );
      ok = false;
      continue;
    }
    for (const network of matches) {
      const params = network.params
        .filter((p) => p.owner === name || p.owner.startsWith(`${name}.`))
        .map((p) => p.name);
      if (params.length === 0) {
        ctx.diagnostics.warning(
          'NETC4033',
          item.span,
          `\`${name}\` has no parameters, so freezing it changes nothing`,
        );
        continue;
      }
      result.push({ network: network.name, layer: name, params });
    }
  }
  return ok ? result : undefined;
}

/** Every layer name and every block-instance name (each dotted prefix) of a network. */
export function layerNames(network: IRNetwork): Set<string> {
  const names = new Set<string>();
  const addWithPrefixes = (name: string) => {
    const parts = name.split('.');
    for (let i = 1; i <= parts.length; i++) names.add(parts.slice(0, i).join('.'));
  };
  for (const node of network.nodes) if (node.op !== 'input') addWithPrefixes(node.name);
  for (const param of network.params) addWithPrefixes(param.owner);
  return names;
}
