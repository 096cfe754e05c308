import { CallSiteDiagnostics, type DiagnosticBag } from '../../diagnostics/diagnostic.js';
import type { DiagnosticCode } from '../../diagnostics/codes.js';
import type { Origin, ValueId } from '../../ir/ir.js';
import type { Span } from '../../source.js';
import type { BlockDecl, NetworkDecl } from '../../syntax/ast.js';
import type { ConstScope } from '../evalConst.js';
import type { Env } from './env.js';
import type { GraphBuilder } from './graphBuilder.js';
import type { NameScope } from './naming.js';

/** A value that could not be computed because of an error already reported: skip silently. */
export const POISON = -1;

/** The current value flowing through a body: a node, none yet (undefined), or POISON. */
export type Flow = ValueId | undefined;

/** State shared by the whole compilation of one entry file. */
export interface Session {
  readonly diagnostics: DiagnosticBag;
  /** Blocks and networks that take part in a recursion (reported once, never expanded). */
  readonly recursive: ReadonlySet<BlockDecl | NetworkDecl>;
  /** Evaluates a module-level `const` (memoized). */
  readonly moduleConstScope: (env: Env) => ConstScope;
}

/** Everything an expansion step needs; a new one is derived for each scope. */
export interface Ctx {
  readonly session: Session;
  readonly builder: GraphBuilder;
  readonly diagnostics: DiagnosticBag;
  readonly callSites: readonly Span[];
  readonly depth: number;
  readonly ns: NameScope;
  readonly env: Env;
  /** Set when expanding a `return`-capable body (a block or a network). */
  readonly budget: { nodesExceeded: boolean };
}

export function originOf(ctx: Ctx, expr: { readonly span: Span } | Span): Origin {
  const span = 'span' in expr ? expr.span : expr;
  return { span, callSites: ctx.callSites };
}

/** The context inside a block/network instance called at `callSpan`. */
export function enterInstance(ctx: Ctx, callSpan: Span, env: Env, ns: NameScope): Ctx {
  const callSites = [callSpan, ...ctx.callSites];
  return {
    ...ctx,
    env,
    ns,
    callSites,
    depth: ctx.depth + 1,
    diagnostics: new CallSiteDiagnostics(ctx.session.diagnostics, callSites),
  };
}

export function report(
  ctx: Ctx,
  code: DiagnosticCode,
  at: { readonly span: Span } | Span,
  message: string,
  extra: {
    help?: string | undefined;
    notes?: string[];
    labels?: { span: Span; message: string }[];
  } = {},
): typeof POISON {
  const span = 'span' in at ? at.span : at;
  const clean = Object.fromEntries(Object.entries(extra).filter(([, v]) => v !== undefined));
  ctx.diagnostics.error(code, span, message, clean);
  return POISON;
}
