import type {
  AscribedExpr,
  BindStatement,
  Expr,
  NameRef,
  Statement,
  StepStatement,
} from '../../syntax/ast.js';
import type { Ctx } from './context.js';
import { lookupEntry } from './env.js';

/*
 * A step that starts again from a named value (a value's name on its own line, or a chain
 * that starts at one) replaces the current value. When that value is the unnamed result of
 * the step just before, that step is computed for nothing: NETC2029 warns about it.
 */

/** A value's name on its own, perhaps with a shape ascription: `h` or `h : [64]`. */
export function isValueName(expr: Expr, ctx: Ctx): expr is NameRef | AscribedExpr {
  const start = expr.kind === 'Ascribed' ? expr.expr : expr;
  return start.kind === 'Name' && lookupEntry(ctx.env, start.name)?.kind === 'value';
}

/**
 * NETC2029: `statement` starts again from a named value, so the unnamed result of `dropped`,
 * the step just before it, is computed for nothing.
 */
export function warnDiscarded(
  dropped: Statement,
  statement: StepStatement | BindStatement,
  ctx: Ctx,
): void {
  const expr = statement.expr;
  const start = expr.kind === 'Chain' ? expr.steps[0]! : expr;
  const name = (start.kind === 'Ascribed' ? start.expr : start) as NameRef;
  const bare = statement.kind === 'Step' && isValueName(expr, ctx);
  ctx.diagnostics.warning(
    'NETC2029',
    bare ? statement.span : start.span,
    `${bare ? `\`${name.name}\` on its own` : `starting again from \`${name.name}\``} discards the value of the step before it`,
    {
      labels: [{ span: dropped.span, message: 'this value is never used' }],
      help: bare
        ? `remove this line to go on from the step before; to use both, name that value (\`h = ...\`) and combine them, e.g. \`add(h, ${name.name})\``
        : 'name the value of the step before (`h = ...`) and use it, or remove that step',
    },
  );
}
