import type { DiagnosticBag } from '../diagnostics/diagnostic.js';
import type { IRNetwork, ValueId } from '../ir/ir.js';
import type { Module, Symbol } from './modules.js';
import type { Ctx, Session } from './expand/context.js';
import { childEnv, rootEnv } from './expand/env.js';
import { GraphBuilder } from './expand/graphBuilder.js';
import { expandNetwork, networkInputShapes } from './expand/instances.js';
import { rootScope } from './expand/naming.js';

export interface BuiltNetwork {
  readonly network: IRNetwork;
  /** Values bound by name in the body (for `l1(code)` in train sections). */
  readonly namedValues: ReadonlyMap<string, ValueId>;
}

/** Expands one `network` definition into its IR graph; undefined when it has errors. */
export function buildNetwork(
  symbol: Extract<Symbol, { kind: 'network' }>,
  session: Session,
): BuiltNetwork | undefined {
  const decl = symbol.decl;
  // Recursion is reported where it is found; syntax errors where the parser recovered.
  if (session.recursive.has(decl) || decl.recovered) return undefined;
  const builder = new GraphBuilder();
  const env = childEnv(rootEnv(symbol.module));
  const ctx: Ctx = {
    session,
    builder,
    diagnostics: session.diagnostics,
    callSites: [],
    depth: 0,
    ns: rootScope(),
    env,
    budget: { nodesExceeded: false },
  };
  const errorsBefore = countErrors(session.diagnostics);
  const shapes = networkInputShapes(decl, ctx);
  if (!shapes) return undefined;
  const inputs: ValueId[] = decl.inputs.map((input, i) =>
    builder.addInput(input.name.name, shapes[i]!, { span: input.span, callSites: [] }),
  );
  const outputs = expandNetwork(decl, inputs, ctx);
  if (!outputs || countErrors(session.diagnostics) > errorsBefore) return undefined;

  const outputValues = new Set(outputs.map((o) => o.value));
  const namedValues = new Map<string, ValueId>();
  for (const [name, entry] of env.entries) {
    if (entry.kind !== 'value') continue;
    namedValues.set(name, entry.id);
    if (!entry.used && !outputValues.has(entry.id)) {
      const isInput = decl.inputs.some((i) => i.name.name === name);
      session.diagnostics.warning(
        'NETC2026',
        entry.span,
        `${isInput ? 'input' : 'value'} \`${name}\` is never used`,
        {
          help: isInput
            ? 'remove the input, or use it'
            : 'remove the binding, or use the value in a later step',
        },
      );
    }
  }
  return {
    network: {
      name: decl.name.name,
      ...(decl.doc !== undefined ? { doc: decl.doc } : {}),
      inputs: decl.inputs.map((input, i) => ({ name: input.name.name, value: inputs[i]! })),
      outputs,
      nodes: builder.nodes,
      params: builder.params,
      span: decl.span,
    },
    namedValues,
  };
}

function countErrors(diagnostics: DiagnosticBag): number {
  return diagnostics.items.filter((d) => d.severity === 'error').length;
}

export type { Module };
