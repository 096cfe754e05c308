import { limits } from '../../limits.js';
import type { Shape } from '../../ir/ops.js';
import { formatShape } from '../../shapes/format.js';
import type { ListExpr } from '../../syntax/ast.js';
import { evalConst } from '../evalConst.js';
import { describeValue } from '../values.js';
import { report, type Ctx } from './context.js';
import { constScope } from './expand.js';

/** Evaluates a written shape such as `[1, 28, 28]` or `[classes]`. */
export function evalShape(expr: ListExpr, ctx: Ctx): Shape | undefined {
  const dims: number[] = [];
  for (const item of expr.items) {
    const value = evalConst(item, constScope(ctx), ctx.diagnostics);
    if (value === undefined) return undefined;
    if (value.kind !== 'int' || value.value < 1) {
      report(
        ctx,
        'NETC2010',
        item,
        `a dimension must be a positive int, got ${describeValue(value)}`,
        {
          help: 'shapes are written without the batch dimension, e.g. `[1, 28, 28]`',
        },
      );
      return undefined;
    }
    dims.push(value.value);
  }
  if (dims.length === 0) {
    report(ctx, 'NETC2010', expr, 'a shape needs at least one dimension', {
      help: 'e.g. `[10]` for a vector',
    });
    return undefined;
  }
  return checkShapeLimits(dims, expr, ctx) ? dims : undefined;
}

/** Rank and dimension limits that every tensor must respect. */
export function checkShapeLimits(
  shape: Shape,
  at: { readonly span: ListExpr['span'] } | ListExpr,
  ctx: Ctx,
): boolean {
  const span = at.span;
  if (shape.length > limits.maxRank) {
    report(ctx, 'NETC5005', span, `rank ${shape.length} is above the limit of ${limits.maxRank}`, {
      notes: [`the shape is ${formatShape(shape)}`],
    });
    return false;
  }
  const big = shape.find((d) => d > limits.maxDimension);
  if (big !== undefined) {
    report(ctx, 'NETC5006', span, `dimension ${big} is above the limit of 2^31-1`, {
      notes: [`the shape is ${formatShape(shape)}`],
    });
    return false;
  }
  return true;
}
