import type { IRNetworkOutput, ValueId } from '../../ir/ir.js';
import { formatShape } from '../../shapes/format.js';
import type { Span } from '../../source.js';
import type { NetworkDecl, NetworkOutput } from '../../syntax/ast.js';
import { report, type Ctx } from './context.js';
import { evalShape } from './shapes.js';

/** A value a network body produces as an output, with the name it was written as, if any. */
export interface ProducedOutput {
  readonly name: string | undefined;
  readonly value: ValueId;
  readonly span: Span;
}

/**
 * Matches what a network body produces against its declared outputs (names, order and
 * shapes) and returns the network's outputs, or undefined after reporting.
 */
export function checkOutputs(
  decl: NetworkDecl,
  produced: readonly ProducedOutput[],
  ctx: Ctx,
): IRNetworkOutput[] | undefined {
  const declared = decl.outputs;
  if (!declared || declared.length === 0) {
    if (produced.length === 1) return [{ name: 'output', value: produced[0]!.value }];
    return produced.map((p, i) => ({ name: p.name ?? `output_${i}`, value: p.value }));
  }
  if (declared.length !== produced.length) {
    report(
      ctx,
      'NETC3052',
      produced[0]!.span,
      `network \`${decl.name.name}\` declares ${declared.length} output(s) but produces ${produced.length}`,
      {
        labels: [{ span: declared[0]!.span, message: 'declared here' }],
        help:
          declared.length > 1
            ? `end with \`return ${declared.map((d) => d.name?.name ?? '...').join(', ')}\``
            : undefined,
      },
    );
    return undefined;
  }
  // Outputs returned under another declared name: reported once, and their shapes not checked.
  const misnamed = misnamedOutputs(decl, declared, produced, ctx);
  const outputs: IRNetworkOutput[] = [];
  let ok = misnamed.size === 0;
  for (const [i, out] of declared.entries()) {
    const value = produced[i]!.value;
    const expected = evalShape(out.shape, ctx);
    if (!expected) return undefined;
    const actual = ctx.builder.shapeOf(value);
    if (!misnamed.has(i) && formatShape(actual) !== formatShape(expected)) {
      report(
        ctx,
        'NETC3051',
        produced[i]!.span,
        `the output ${out.name ? `\`${out.name.name}\` ` : ''}has shape ${formatShape(actual)}, but the network declares ${formatShape(expected)}`,
        {
          labels: [{ span: out.shape.span, message: 'declared here' }],
          help: 'fix the layers, or the declared shape if it is the one that is wrong',
        },
      );
      ok = false;
    }
    const name = out.name?.name ?? (declared.length === 1 ? 'output' : `output_${i}`);
    outputs.push({ name, value });
  }
  return ok ? outputs : undefined;
}

/**
 * Reports, once for the whole `return`, the outputs returned under the name of a value other
 * than the one declared in their place (`return mu, logvar, recon` for `(recon, mu, logvar)`);
 * returns their positions.
 */
function misnamedOutputs(
  decl: NetworkDecl,
  declared: readonly NetworkOutput[],
  produced: readonly { name: string | undefined; span: Span }[],
  ctx: Ctx,
): Set<number> {
  const misnamed = new Set<number>();
  for (const [i, out] of declared.entries()) {
    const written = produced[i]!.name;
    if (out.name && written !== undefined && written !== out.name.name) misnamed.add(i);
  }
  if (misnamed.size === 0) return misnamed;
  const declaredOrder = declared.map((d) => d.name?.name ?? '...').join(', ');
  const help = `return the outputs in the declared order: \`return ${declaredOrder}\``;
  const [first] = misnamed;
  const out = declared[first!]!;
  if (misnamed.size === 1) {
    report(
      ctx,
      'NETC3052',
      produced[first!]!.span,
      `output ${first! + 1} is declared as \`${out.name!.name}\` but \`${produced[first!]!.name}\` is returned here`,
      { labels: [{ span: out.name!.span, message: 'declared here' }], help },
    );
    return misnamed;
  }
  const returnedOrder = produced.map((p) => p.name ?? '...').join(', ');
  const spans = [...misnamed].map((i) => produced[i]!.span);
  const declaredSpan = { ...declared[0]!.span, end: declared[declared.length - 1]!.span.end };
  report(
    ctx,
    'NETC3052',
    { ...spans[0]!, end: spans[spans.length - 1]!.end },
    `\`${decl.name.name}\` returns \`${returnedOrder}\`, but declares its outputs as \`${declaredOrder}\``,
    { labels: [{ span: declaredSpan, message: 'declared here' }], help },
  );
  return misnamed;
}
