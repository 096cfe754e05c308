import { suggestionHelp } from '../diagnostics/didYouMean.js';
import type { Span } from '../source.js';
import type { BinaryExpr, CallExpr, Expr } from '../syntax/ast.js';
import { matchArgs } from './args.js';
import { exprText } from './exprText.js';
import { lossFunctionNames, lossRules, type LossFunctionName } from './lossFunctions.js';
import { mentionsTensor, resolveOperand, type Operand, type OperandEnv } from './operands.js';
import type { LossConfig, WeightedTerm } from './trainConfig.js';

/**
 * Checks `loss = ...`: a sum of loss terms, each optionally scaled by a constant
 * (`mse(recon, x) + 1e-3 * l1(code)`). Returns the flattened weighted sum, or undefined
 * after reporting. `env.used` collects the networks the loss applies.
 */
export function checkLoss(expr: Expr, env: OperandEnv): LossConfig | undefined {
  const terms = lossTerms(expr, 1, env);
  return terms && { terms, span: expr.span };
}

function lossTerms(expr: Expr, weight: number, env: OperandEnv): WeightedTerm[] | undefined {
  switch (expr.kind) {
    case 'Group':
      return lossTerms(expr.expr, weight, env);
    case 'Call':
      return lossCall(expr, weight, env);
    case 'Binary':
      return lossBinary(expr, weight, env);
    case 'Unary':
      if (expr.operator === '+') return lossTerms(expr.operand, weight, env);
      if (containsLoss(expr.operand, env)) {
        negativeLoss(expr.span, env);
        return undefined;
      }
      notALoss(expr, env);
      return undefined;
    case 'ErrorExpr':
      return undefined;
    default:
      notALoss(expr, env);
      return undefined;
  }
}

function lossCall(expr: CallExpr, weight: number, env: OperandEnv): WeightedTerm[] | undefined {
  const name = expr.callee.name;
  const fn = lossFunctionNames.find((n) => n === name);
  if (!fn) {
    if (env.ctx.networks.has(name) || env.ctx.brokenNetworks.has(name)) {
      notALoss(expr, env);
      return undefined;
    }
    env.ctx.diagnostics.error('NETC4017', expr.callee.span, `unknown loss function \`${name}\``, {
      help:
        suggestionHelp(name, lossFunctionNames) ??
        `the losses are ${lossFunctionNames.map((n) => `\`${n}\``).join(', ')}`,
    });
    return undefined;
  }
  const term = lossTerm(fn, expr, env);
  return term && [{ weight, term, span: expr.span }];
}

function lossTerm(fn: LossFunctionName, expr: CallExpr, env: OperandEnv) {
  const rule = lossRules[fn];
  const call = { name: fn, nameSpan: expr.callee.span, args: expr.args, span: expr.span };
  const matched = matchArgs(call, rule.params, env.ctx.diagnostics);
  if (!matched) return undefined;
  const operands = new Map<string, Operand>();
  for (const [name, arg] of matched) operands.set(name, resolveOperand(arg.expr, env));
  if ([...operands.values()].some((o) => o.kind === 'unknown')) return undefined;
  return rule.build(operands, expr, env);
}

function lossBinary(expr: BinaryExpr, weight: number, env: OperandEnv): WeightedTerm[] | undefined {
  const { diagnostics } = env.ctx;
  switch (expr.operator) {
    case '+': {
      const left = lossTerms(expr.left, weight, env);
      const right = lossTerms(expr.right, weight, env);
      return left && right && [...left, ...right];
    }
    case '*':
    case '/': {
      const leftIsLoss = containsLoss(expr.left, env);
      const rightIsLoss = containsLoss(expr.right, env);
      if (leftIsLoss && rightIsLoss) {
        diagnostics.error(
          'NETC4018',
          expr.operatorSpan,
          `two losses cannot be ${expr.operator === '*' ? 'multiplied' : 'divided'}`,
          {
            help: 'add losses with `+`; scale a loss by a constant, e.g. `0.5 * mse(output, x)`',
          },
        );
        return undefined;
      }
      if (!leftIsLoss && !rightIsLoss) {
        notALoss(expr, env);
        return undefined;
      }
      if (expr.operator === '/' && !leftIsLoss) {
        diagnostics.error('NETC4018', expr.operatorSpan, 'a number cannot be divided by a loss', {
          help: 'scale a loss by a constant, e.g. `mse(output, x) / 2`',
        });
        return undefined;
      }
      const lossSide = leftIsLoss ? expr.left : expr.right;
      const factorSide = leftIsLoss ? expr.right : expr.left;
      const factor = constantFactor(factorSide, env);
      if (factor === undefined) return undefined;
      if (factor < 0) {
        negativeLoss(factorSide.span, env);
        return undefined;
      }
      if (expr.operator === '/' && factor === 0) {
        diagnostics.error('NETC4018', factorSide.span, 'division by zero');
        return undefined;
      }
      return lossTerms(lossSide, expr.operator === '*' ? weight * factor : weight / factor, env);
    }
    case '-':
      negativeLoss(expr.operatorSpan, env);
      return undefined;
    default:
      notALoss(expr, env);
      return undefined;
  }
}

function constantFactor(expr: Expr, env: OperandEnv): number | undefined {
  if (mentionsTensor(expr, env)) {
    env.ctx.diagnostics.error(
      'NETC4018',
      expr.span,
      `a loss can only be scaled by a constant, not by \`${exprText(expr)}\``,
      {
        help: 'use a number or a `const`',
      },
    );
    return undefined;
  }
  const value = env.ctx.evalConst(expr);
  if (value === undefined) return undefined;
  if (value.kind === 'int' || value.kind === 'float') return value.value;
  env.ctx.diagnostics.error(
    'NETC4018',
    expr.span,
    `a loss can only be scaled by a number, not by \`${exprText(expr)}\``,
  );
  return undefined;
}

/**
 * Whether the expression contains a loss (as opposed to a factor): a call of anything but a
 * network, so that a misspelled loss function still gets "did you mean".
 */
function containsLoss(expr: Expr, env: OperandEnv): boolean {
  switch (expr.kind) {
    case 'Call':
      return (
        !env.ctx.networks.has(expr.callee.name) && !env.ctx.brokenNetworks.has(expr.callee.name)
      );
    case 'Group':
      return containsLoss(expr.expr, env);
    case 'Unary':
      return containsLoss(expr.operand, env);
    case 'Binary':
      return containsLoss(expr.left, env) || containsLoss(expr.right, env);
    default:
      return false;
  }
}

/** Training minimizes the loss; a negated term would be maximized without bound. */
function negativeLoss(span: Span, env: OperandEnv): void {
  env.ctx.diagnostics.error(
    'NETC4018',
    span,
    'losses can only be added with non-negative weights',
    {
      help: 'write `a + b`; to weigh a term, scale it by a constant: `a + 0.5 * b`',
    },
  );
}

function notALoss(expr: Expr, env: OperandEnv): void {
  const text = exprText(expr);
  env.ctx.diagnostics.error('NETC4018', expr.span, `\`${text}\` is not a loss`, {
    help: `apply a loss function to it, e.g. \`mse(${text}, x)\` or \`bce(${text}, 1)\`; the losses are ${lossFunctionNames
      .map((n) => `\`${n}\``)
      .join(', ')}`,
  });
}
