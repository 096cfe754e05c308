import { suggestionHelp } from '../diagnostics/didYouMean.js';
import type { Span } from '../source.js';
import type { Expr } from '../syntax/ast.js';
import type { TrainContext } from './context.js';
import { exprText } from './exprText.js';
import { listItems } from './listItems.js';

/**
 * `update = D` or `update = [G, E]`: the networks a phase trains. Each must be a network
 * the phase's loss applies (`used`; undefined when the loss had errors), or updating it
 * could not change the loss.
 */
export function updateNetworks(
  expr: Expr,
  used: readonly string[] | undefined,
  ctx: TrainContext,
): string[] | undefined {
  const result: string[] = [];
  const seen = new Map<string, Span>();
  let ok = true;
  for (const item of listItems(expr)) {
    if (item.kind !== 'Name') {
      if (item.kind !== 'ErrorExpr') {
        ctx.diagnostics.error(
          'NETC4006',
          item.span,
          `expected a network name, got \`${exprText(item)}\``,
          {
            help: 'name the networks this phase trains, e.g. `update = D`',
          },
        );
      }
      ok = false;
      continue;
    }
    const name = item.name;
    if (!ctx.networks.has(name)) {
      if (!ctx.brokenNetworks.has(name)) {
        ctx.diagnostics.error('NETC4001', item.span, `unknown network \`${name}\``, {
          help:
            suggestionHelp(name, used ?? [...ctx.networks.keys()]) ??
            suggestionHelp(name, ctx.networks.keys()),
        });
      }
      ok = false;
      continue;
    }
    const first = seen.get(name);
    if (first) {
      ctx.diagnostics.error('NETC4036', item.span, `\`${name}\` is listed twice`, {
        labels: [{ span: first, message: 'first listed here' }],
      });
      ok = false;
      continue;
    }
    seen.set(name, item.span);
    if (used && !used.includes(name)) {
      ctx.diagnostics.error(
        'NETC4035',
        item.span,
        `this phase's loss does not use \`${name}\`, so updating it changes nothing`,
        {
          help: used.length ? `the loss uses ${used.map((n) => `\`${n}\``).join(', ')}` : undefined,
        },
      );
      ok = false;
      continue;
    }
    result.push(name);
  }
  return ok ? result : undefined;
}
