import type { Expr } from '../syntax/ast.js';

/** The items of `[a, b]`, or the expression itself when a setting takes one item without brackets. */
export function listItems(expr: Expr): readonly Expr[] {
  return expr.kind === 'List' ? expr.items : [expr];
}
