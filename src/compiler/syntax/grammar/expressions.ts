import { tokenMatcher } from 'chevrotain';
import {
  Arrow,
  BinaryOperator,
  Colon,
  Comma,
  Else,
  Equals,
  False,
  Identifier,
  If,
  LBracket,
  LParen,
  Not,
  NumberToken,
  RBracket,
  RParen,
  SignOperator,
  StringLiteral,
  Then,
  True,
} from '../tokens.js';
import { moreItemsBefore, type Grammar } from './dsl.js';

/**
 * LANGUAGE §3–§4: one expression grammar for layers, values, shapes, conditions and training
 * settings. Lowest precedence first: `if`, `->` chains, then the binary operators of an
 * `operation` (`or`, `and`, `not`, comparisons, `+ -`, `* / %`), then signs.
 *
 * An `operation` is a flat list of operands and operators; their precedence is applied when
 * the AST is built (toAst/operations.ts). One rule per precedence level would create a
 * dozen CST nodes per name or number, which made large files slow. Only brackets and `if`
 * make this grammar recurse; operator chains are repetitions.
 */
export function defineExpressionRules($: Grammar): void {
  // Alternatives and repetition bodies are created once, not on every rule invocation.
  const nextStep = () => {
    $.CONSUME(Arrow);
    $.SUBRULE2($.step);
  };
  const layerName = {
    GATE: () => startsNamedLayer($),
    DEF: () => {
      $.CONSUME(Identifier, { LABEL: 'layerName' });
      $.CONSUME(Colon, { LABEL: 'nameColon' });
    },
  };
  const stepKinds = [
    { ALT: () => $.SUBRULE($.ifExpression) },
    { ALT: () => $.SUBRULE($.operation) },
  ];
  const shapeAscription = () => {
    $.CONSUME2(Colon);
    $.SUBRULE($.list, { LABEL: 'shape' });
  };
  const nextOperand = () => {
    $.CONSUME(BinaryOperator);
    $.SUBRULE2($.operand);
  };
  const primaries = [
    { ALT: () => $.CONSUME(NumberToken) },
    { ALT: () => $.CONSUME(StringLiteral) },
    { ALT: () => $.CONSUME(True) },
    { ALT: () => $.CONSUME(False) },
    { ALT: () => $.SUBRULE($.call) },
    { ALT: () => $.SUBRULE($.parenthesized) },
    { ALT: () => $.SUBRULE($.list) },
  ];
  const notPrefix = () => $.CONSUME(Not);
  const signPrefix = () => $.CONSUME(SignOperator);
  const callArguments = () => $.SUBRULE($.arguments);
  const callBody = () => $.SUBRULE($.body);
  const argumentName = () => {
    $.CONSUME(Identifier);
    $.CONSUME(Equals);
  };

  // conv2d(6, 5) -> tanh -> avgpool(2)
  $.RULE('expression', () => {
    $.SUBRULE($.step);
    $.MANY(nextStep);
  });

  // c1: conv2d(6, 5) : [6, 28, 28]   (name and shape optional; `name: [` is a shape)
  $.RULE('step', () => {
    $.OPTION(layerName);
    $.OR(stepKinds);
    $.OPTION2(shapeAscription);
  });

  // if stride == 1 then identity else conv2d(c, 1) -> batchnorm
  $.RULE('ifExpression', () => {
    $.CONSUME(If);
    $.SUBRULE($.expression, { LABEL: 'condition' });
    $.CONSUME(Then);
    $.SUBRULE2($.expression, { LABEL: 'then' });
    $.CONSUME(Else);
    $.SUBRULE3($.expression, { LABEL: 'else' });
  });

  // bce(recon, x) + 1e-3 * l1(code)
  $.RULE('operation', () => {
    $.SUBRULE($.operand);
    $.MANY(nextOperand);
  });

  // not -x
  $.RULE('operand', () => {
    $.MANY(notPrefix);
    $.MANY2(signPrefix);
    $.OR(primaries);
  });

  // relu  |  dense(10)  |  repeat(3) { ... }  |  concat { ... }
  $.RULE('call', () => {
    $.CONSUME(Identifier);
    $.OPTION(callArguments);
    $.OPTION2(callBody);
  });

  $.RULE('arguments', () => {
    $.CONSUME(LParen);
    $.OPTION(() => {
      $.SUBRULE($.argument);
      $.MANY({
        GATE: moreItemsBefore($, RParen),
        DEF: () => {
          $.CONSUME(Comma);
          $.SUBRULE2($.argument);
        },
      });
      $.OPTION2(() => $.CONSUME2(Comma));
    });
    $.CONSUME(RParen);
  });

  // 6  |  stride=2
  $.RULE('argument', () => {
    $.OPTION(argumentName);
    $.SUBRULE($.expression);
  });

  // (a -> b) is a group, (3, 5) and (a,) are tuples
  $.RULE('parenthesized', () => {
    $.CONSUME(LParen);
    $.SUBRULE($.expression);
    $.MANY({
      GATE: moreItemsBefore($, RParen),
      DEF: () => {
        $.CONSUME(Comma);
        $.SUBRULE2($.expression);
      },
    });
    $.OPTION(() => $.CONSUME2(Comma));
    $.CONSUME(RParen);
  });

  // [6, 28, 28]  |  [accuracy, f1]  |  []
  $.RULE('list', () => {
    $.CONSUME(LBracket);
    $.OPTION(() => {
      $.SUBRULE($.expression);
      $.MANY({
        GATE: moreItemsBefore($, RBracket),
        DEF: () => {
          $.CONSUME(Comma);
          $.SUBRULE2($.expression);
        },
      });
      $.OPTION2(() => $.CONSUME2(Comma));
    });
    $.CONSUME(RBracket);
  });
}

/** `name :` not followed by `[` (that would be a shape ascription of `name`). */
function startsNamedLayer($: Grammar): boolean {
  return (
    tokenMatcher($.LA(1), Identifier) &&
    $.LA(2).tokenType === Colon &&
    $.LA(3).tokenType !== LBracket
  );
}
