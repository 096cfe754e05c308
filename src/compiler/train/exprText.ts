import type { Arg, Expr } from '../syntax/ast.js';

/** A compact rendering of an expression for messages: `D(G(z))`, `1e-3 * l1(code)`. */
export function exprText(expr: Expr): string {
  switch (expr.kind) {
    case 'Number':
      return expr.text;
    case 'String':
      return JSON.stringify(expr.value);
    case 'Boolean':
      return String(expr.value);
    case 'Name':
      return expr.name;
    case 'List':
      return `[${expr.items.map(exprText).join(', ')}]`;
    case 'Tuple':
      return `(${expr.items.map(exprText).join(', ')})`;
    case 'Group':
      return `(${exprText(expr.expr)})`;
    case 'Unary':
      return expr.operator === 'not'
        ? `not ${exprText(expr.operand)}`
        : `${expr.operator}${exprText(expr.operand)}`;
    case 'Binary':
      return `${exprText(expr.left)} ${expr.operator} ${exprText(expr.right)}`;
    case 'Call':
      return `${expr.callee.name}${expr.hasParens ? `(${expr.args.map(argText).join(', ')})` : ''}`;
    case 'Chain':
      return expr.steps.map(exprText).join(' -> ');
    case 'NamedLayer':
      return `${expr.name.name}: ${exprText(expr.layer)}`;
    case 'Ascribed':
      return `${exprText(expr.expr)} : ${exprText(expr.shape)}`;
    case 'If':
      return `if ${exprText(expr.condition)} then ${exprText(expr.then)} else ${exprText(expr.else)}`;
    case 'ErrorExpr':
      return '?';
  }
}

function argText(arg: Arg): string {
  return arg.kind === 'NamedArg' ? `${arg.name.name}=${exprText(arg.value)}` : exprText(arg.value);
}
