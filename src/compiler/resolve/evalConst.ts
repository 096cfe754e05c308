import type { DiagnosticBag } from '../diagnostics/diagnostic.js';
import { suggestionHelp } from '../diagnostics/didYouMean.js';
import type { BinaryExpr, Expr } from '../syntax/ast.js';
import { describeValue, kindName, type ConstValue } from './values.js';

/** What a name means to the constant evaluator. */
export type ConstLookup =
  | { readonly kind: 'const'; readonly value: ConstValue }
  /** A name that exists but is not a compile-time value, e.g. "a layer", "the value `h`". */
  | { readonly kind: 'other'; readonly description: string }
  /** A name whose definition had an error, already reported: evaluate to nothing, silently. */
  | { readonly kind: 'poisoned' };

export interface ConstScope {
  lookup(name: string): ConstLookup | undefined;
  /** Names in scope, for "did you mean". */
  names(): Iterable<string>;
}

/**
 * Evaluates a compile-time expression. Unknown bare names are enumeration words (`same`,
 * `nearest`) and evaluate to symbols; the consumer decides whether the word is valid.
 * Returns undefined after reporting when the expression is not constant or ill-typed.
 */
export function evalConst(
  expr: Expr,
  scope: ConstScope,
  diagnostics: DiagnosticBag,
): ConstValue | undefined {
  switch (expr.kind) {
    case 'Number':
      return expr.isInteger
        ? checkInt(expr.value, expr, diagnostics)
        : { kind: 'float', value: expr.value };
    case 'String':
      return { kind: 'string', value: expr.value };
    case 'Boolean':
      return { kind: 'bool', value: expr.value };
    case 'Name': {
      const found = scope.lookup(expr.name);
      if (!found) return { kind: 'symbol', name: expr.name };
      if (found.kind === 'const') return found.value;
      if (found.kind === 'poisoned') return undefined;
      diagnostics.error(
        'NETC2011',
        expr.span,
        `\`${expr.name}\` is ${found.description}, not a compile-time value`,
        {
          help: 'only numbers, booleans, strings, names such as `same`, and `const`s can be used here',
        },
      );
      return undefined;
    }
    case 'List':
    case 'Tuple': {
      const items: ConstValue[] = [];
      for (const item of expr.items) {
        const value = evalConst(item, scope, diagnostics);
        if (value === undefined) return undefined;
        items.push(value);
      }
      return { kind: expr.kind === 'List' ? 'list' : 'tuple', items };
    }
    case 'Group':
      return evalConst(expr.expr, scope, diagnostics);
    case 'Unary': {
      const operand = evalConst(expr.operand, scope, diagnostics);
      if (operand === undefined) return undefined;
      if (expr.operator === 'not') {
        if (operand.kind === 'bool') return { kind: 'bool', value: !operand.value };
      } else if (operand.kind === 'int' || operand.kind === 'float') {
        const value = expr.operator === '-' ? -operand.value : operand.value;
        return { kind: operand.kind, value: value === 0 ? 0 : value };
      }
      diagnostics.error(
        'NETC2019',
        expr.span,
        `\`${expr.operator}\` cannot be applied to ${kindName(operand)}`,
      );
      return undefined;
    }
    case 'Binary':
      return evalBinary(expr, scope, diagnostics);
    case 'If': {
      const condition = evalConst(expr.condition, scope, diagnostics);
      if (condition === undefined) return undefined;
      if (condition.kind !== 'bool') {
        diagnostics.error(
          'NETC2018',
          expr.condition.span,
          `the condition is ${kindName(condition)}, not a boolean`,
          {
            help: 'compare with `==`, `<`, ... to get a boolean',
          },
        );
        return undefined;
      }
      return evalConst(condition.value ? expr.then : expr.else, scope, diagnostics);
    }
    case 'Call':
    case 'Chain':
    case 'NamedLayer':
    case 'Ascribed':
      diagnostics.error('NETC2011', expr.span, 'a layer is not a compile-time value', {
        help: 'layers can only be passed to parameters of type `layer`',
      });
      return undefined;
    case 'ErrorExpr':
      return undefined;
  }
}

function checkInt(value: number, expr: Expr, diagnostics: DiagnosticBag): ConstValue | undefined {
  if (!Number.isSafeInteger(value)) {
    diagnostics.error('NETC5008', expr.span, `the integer ${describeNumber(value)} is too large`, {
      notes: ['integers must stay below 2^53 so that sizes and counts are exact'],
    });
    return undefined;
  }
  return { kind: 'int', value };
}

function describeNumber(value: number): string {
  return Number.isFinite(value) ? String(value) : 'value';
}

function evalBinary(
  expr: BinaryExpr,
  scope: ConstScope,
  diagnostics: DiagnosticBag,
): ConstValue | undefined {
  const left = evalConst(expr.left, scope, diagnostics);
  if (left === undefined) return undefined;
  const right = evalConst(expr.right, scope, diagnostics);
  if (right === undefined) return undefined;
  const op = expr.operator;
  const invalid = (): undefined => {
    diagnostics.error(
      'NETC2019',
      expr.operatorSpan,
      `\`${op}\` cannot combine ${kindName(left)} and ${kindName(right)}`,
      { notes: [`left is ${describeValue(left)}, right is ${describeValue(right)}`] },
    );
    return undefined;
  };
  if (op === 'and' || op === 'or') {
    if (left.kind !== 'bool' || right.kind !== 'bool') return invalid();
    return {
      kind: 'bool',
      value: op === 'and' ? left.value && right.value : left.value || right.value,
    };
  }
  if (op === '==' || op === '!=') {
    const equal = describeValue(left) === describeValue(right) && sameKindFamily(left, right);
    return { kind: 'bool', value: op === '==' ? equal : !equal };
  }
  if (
    (left.kind !== 'int' && left.kind !== 'float') ||
    (right.kind !== 'int' && right.kind !== 'float')
  ) {
    return invalid();
  }
  const a = left.value;
  const b = right.value;
  const bothInt = left.kind === 'int' && right.kind === 'int';
  switch (op) {
    case '<':
      return { kind: 'bool', value: a < b };
    case '<=':
      return { kind: 'bool', value: a <= b };
    case '>':
      return { kind: 'bool', value: a > b };
    case '>=':
      return { kind: 'bool', value: a >= b };
    case '/':
    case '%':
      if (b === 0) {
        diagnostics.error('NETC2019', expr.operatorSpan, 'division by zero');
        return undefined;
      }
      if (op === '/') return { kind: 'float', value: a / b };
      return bothInt ? { kind: 'int', value: a % b } : { kind: 'float', value: a % b };
    case '+':
    case '-':
    case '*': {
      const value = op === '+' ? a + b : op === '-' ? a - b : a * b;
      if (!bothInt) return { kind: 'float', value };
      return checkInt(value, expr, diagnostics);
    }
  }
}

function sameKindFamily(a: ConstValue, b: ConstValue): boolean {
  const numeric = (v: ConstValue) => v.kind === 'int' || v.kind === 'float';
  return numeric(a) ? numeric(b) : a.kind === b.kind;
}

/** For "did you mean" on a symbol that was meant to be a name in scope. */
export function symbolHelp(name: string, scope: ConstScope): string | undefined {
  return suggestionHelp(name, scope.names());
}
