import { doc, type Doc } from 'prettier';
import type { Arg, Comment, Expr, Identifier } from '../compiler/syntax/ast.js';
import {
  attachedTo,
  isLineComment,
  printCommentRun,
  withComments,
  type PrintContext,
} from './comments.js';
import { printChain } from './printChain.js';
import { printBody } from './printStatements.js';

const { group, indent, line, softline, ifBreak, join, breakParent, fill: fillLines } = doc.builders;

/*
 * Expressions. `inBrackets` says whether a line break may go here: inside `( )` and `[ ]`
 * newlines are ignored, so groups may break; directly inside a body or a train section a
 * newline ends the statement, so only a chain (at its `->`) may break there.
 */

export function printExpr(expr: Expr, ctx: PrintContext, inBrackets: boolean): Doc {
  return withComments(expr, ctx, printBareExpr(expr, ctx, inBrackets));
}

export function printIdentifier(id: Identifier, ctx: PrintContext): Doc {
  return withComments(id, ctx, id.name);
}

/** An expression without its own leading comments (the caller printed them). */
export function printExprWithoutLeading(expr: Expr, ctx: PrintContext, inBrackets: boolean): Doc {
  return withComments(expr, ctx, printBareExpr(expr, ctx, inBrackets), { leading: false });
}

function printBareExpr(expr: Expr, ctx: PrintContext, inBrackets: boolean): Doc {
  switch (expr.kind) {
    case 'Number':
      return expr.text;
    case 'String':
      return quoteString(expr.value);
    case 'Boolean':
      return expr.value ? 'true' : 'false';
    case 'Name':
      return expr.name;
    case 'List':
      return printBracketed(
        '[',
        ']',
        expr.items.map((item) => printExpr(item, ctx, true)),
        attachedTo(expr, ctx).dangling,
        ctx,
        {
          fill: expr.items.every((item) => isWord(item) && !hasComments(item, ctx)),
        },
      );
    case 'Tuple':
      return printBracketed(
        '(',
        ')',
        expr.items.map((item) => printExpr(item, ctx, true)),
        attachedTo(expr, ctx).dangling,
        ctx,
        {
          alwaysTrailingComma: expr.items.length === 1,
        },
      );
    case 'Group':
      return ['(', printExpr(expr.expr, ctx, true), ')'];
    case 'Unary':
      return printUnary(expr.operator, expr.operand, ctx, inBrackets);
    case 'Binary': {
      const left = printExpr(expr.left, ctx, inBrackets);
      const right = printExpr(expr.right, ctx, inBrackets);
      return inBrackets
        ? group([left, ' ', expr.operator, indent([line, right])])
        : [left, ' ', expr.operator, ' ', right];
    }
    case 'If':
      return printIf(expr, ctx, inBrackets);
    case 'Call':
      return [
        printIdentifier(expr.callee, ctx),
        expr.hasParens ? printArgs(expr.args, ctx, attachedTo(expr, ctx).dangling) : '',
        expr.body ? [' ', printBody(expr.body, ctx)] : '',
      ];
    case 'Chain':
      return printChain(expr, ctx, inBrackets);
    case 'NamedLayer':
      return [printIdentifier(expr.name, ctx), ': ', printExpr(expr.layer, ctx, inBrackets)];
    case 'Ascribed':
      return [printExpr(expr.expr, ctx, inBrackets), ' : ', printExpr(expr.shape, ctx, inBrackets)];
    case 'ErrorExpr':
      // Files with syntax errors are never printed: refuse rather than lose the user's text.
      throw new Error(
        `netc formatter: cannot format an incomplete syntax tree (at offset ${expr.span.start})`,
      );
  }
}

/** `"..."` with the language's escapes: `\"`, `\\`, `\n`, `\t`. */
export function quoteString(value: string): string {
  const escapes: Readonly<Record<string, string>> = {
    '"': '\\"',
    '\\': '\\\\',
    '\n': '\\n',
    '\t': '\\t',
  };
  return `"${value.replace(/["\\\n\t]/g, (ch) => escapes[ch]!)}"`;
}

function printUnary(
  operator: '-' | '+' | 'not',
  operand: Expr,
  ctx: PrintContext,
  inBrackets: boolean,
): Doc {
  const printed = printExpr(operand, ctx, inBrackets);
  if (operator === 'not') return ['not ', printed];
  // `- -x` rather than `--x`, which reads like a decrement.
  const sameSign = operand.kind === 'Unary' && operand.operator !== 'not';
  return [operator, sameSign ? ' ' : '', printed];
}

/**
 * `if c then a else b` on one line; inside brackets, when it does not fit, `else` moves to
 * its own line (outside brackets a newline would end the statement).
 */
function printIf(expr: Extract<Expr, { kind: 'If' }>, ctx: PrintContext, inBrackets: boolean): Doc {
  const condition = printExpr(expr.condition, ctx, inBrackets);
  const then = printExpr(expr.then, ctx, inBrackets);
  const otherwise = printExpr(expr.else, ctx, inBrackets);
  if (!inBrackets) return ['if ', condition, ' then ', then, ' else ', otherwise];
  return group(['if ', condition, ' then ', then, indent([line, 'else ', otherwise])]);
}

function printArg(arg: Arg, ctx: PrintContext): Doc {
  if (arg.kind === 'PositionalArg') return withComments(arg, ctx, printExpr(arg.value, ctx, true));
  const equals = isAtom(arg.value) ? '=' : ' = ';
  return withComments(arg, ctx, [
    printIdentifier(arg.name, ctx),
    equals,
    printExpr(arg.value, ctx, true),
  ]);
}

/** A name or a number: lists of these fill their lines rather than taking one line each. */
function isWord(expr: Expr): boolean {
  return (
    expr.kind === 'Name' ||
    expr.kind === 'Number' ||
    (expr.kind === 'Unary' && isWord(expr.operand))
  );
}

function hasComments(expr: Expr, ctx: PrintContext): boolean {
  const attached = attachedTo(expr, ctx);
  return attached.leading.length + attached.trailing.length + attached.dangling.length > 0;
}

/** `pad=2`, but `shortcut = (conv2d(c, 1) -> batchnorm)`: spaces only around compound values. */
function isAtom(expr: Expr): boolean {
  switch (expr.kind) {
    case 'Number':
    case 'String':
    case 'Boolean':
    case 'Name':
    case 'List':
    case 'Tuple':
      return true;
    case 'Call':
      return expr.body === undefined;
    case 'Unary':
      return isAtom(expr.operand);
    default:
      return false;
  }
}

/** `(a, b, name=c)`; `dangling` are comments inside empty parentheses. */
export function printArgs(
  args: readonly Arg[],
  ctx: PrintContext,
  dangling: readonly Comment[] = [],
): Doc {
  return printBracketed(
    '(',
    ')',
    args.map((arg) => printArg(arg, ctx)),
    dangling,
    ctx,
  );
}

/**
 * `open items close` on one line when it fits, else one item per line with a trailing
 * comma (`spaced`: `{ a, b }`). Dangling comments of an empty list go between the brackets.
 */
export function printBracketed(
  open: string,
  close: string,
  items: readonly Doc[],
  dangling: readonly Comment[],
  ctx: PrintContext,
  {
    alwaysTrailingComma = false,
    spaced = false,
    fill = false,
  }: { alwaysTrailingComma?: boolean; spaced?: boolean; fill?: boolean } = {},
): Doc {
  const edge = spaced ? line : softline;
  if (items.length === 0) {
    if (dangling.length === 0) return [open, close];
    const breaks = dangling.some(isLineComment) ? breakParent : '';
    return group([open, indent([edge, ...printCommentRun(dangling, ctx)]), edge, close, breaks]);
  }
  const comma = alwaysTrailingComma ? ',' : ifBreak(',');
  const separated = fill ? fillLines(join([',', line], [...items])) : join([',', line], [...items]);
  return group([open, indent([edge, separated, comma]), edge, close]);
}
