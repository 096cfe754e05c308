import { tokenMatcher } from 'chevrotain';
import {
  AdditiveOperator,
  And,
  Arrow,
  Colon,
  Comma,
  ComparisonOperator,
  Else,
  Equals,
  False,
  Identifier,
  If,
  LBracket,
  LParen,
  MultiplicativeOperator,
  Not,
  NumberToken,
  Or,
  RBracket,
  RParen,
  StringLiteral,
  Then,
  True,
  UnaryOperator,
} from '../tokens.js';
import { moreItemsBefore, type Grammar } from './dsl.js';

/**
 * LANGUAGE §3–§4: one expression grammar for layers, values, shapes, conditions and training
 * settings. Precedence, lowest first: `if`, `->` chains, `or`, `and`, `not`, comparisons,
 * `+ -`, `* / %`, unary `- +`. Repetitions (not recursion) handle operator chains, so only
 * brackets and `if` make the parser recurse.
 */
export function defineExpressionRules($: Grammar): void {
  // conv2d(6, 5) -> tanh -> avgpool(2)
  $.RULE('expression', () => {
    $.SUBRULE($.step);
    $.MANY(() => {
      $.CONSUME(Arrow);
      $.SUBRULE2($.step);
    });
  });

  $.RULE('step', () => {
    $.OR([
      { GATE: () => startsNamedLayer($), ALT: () => $.SUBRULE($.namedLayer) },
      { ALT: () => $.SUBRULE($.ifExpression) },
      { ALT: () => $.SUBRULE($.ascription) },
    ]);
  });

  // c1: conv2d(6, 5)   (a `:` followed by `[` is an ascription instead)
  $.RULE('namedLayer', () => {
    $.CONSUME(Identifier);
    $.CONSUME(Colon);
    $.SUBRULE($.ascription);
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

  // conv2d(6, 5) : [6, 28, 28]
  $.RULE('ascription', () => {
    $.SUBRULE($.orExpression);
    $.OPTION(() => {
      $.CONSUME(Colon);
      $.SUBRULE($.list);
    });
  });

  $.RULE('orExpression', () => {
    $.SUBRULE($.andExpression);
    $.MANY(() => {
      $.CONSUME(Or);
      $.SUBRULE2($.andExpression);
    });
  });

  $.RULE('andExpression', () => {
    $.SUBRULE($.notExpression);
    $.MANY(() => {
      $.CONSUME(And);
      $.SUBRULE2($.notExpression);
    });
  });

  $.RULE('notExpression', () => {
    $.MANY(() => $.CONSUME(Not));
    $.SUBRULE($.comparison);
  });

  // Comparisons do not chain: `a < b < c` is an error.
  $.RULE('comparison', () => {
    $.SUBRULE($.additive);
    $.OPTION(() => {
      $.CONSUME(ComparisonOperator);
      $.SUBRULE2($.additive);
    });
  });

  $.RULE('additive', () => {
    $.SUBRULE($.multiplicative);
    $.MANY(() => {
      $.CONSUME(AdditiveOperator);
      $.SUBRULE2($.multiplicative);
    });
  });

  $.RULE('multiplicative', () => {
    $.SUBRULE($.unary);
    $.MANY(() => {
      $.CONSUME(MultiplicativeOperator);
      $.SUBRULE2($.unary);
    });
  });

  $.RULE('unary', () => {
    $.MANY(() => $.CONSUME(UnaryOperator));
    $.SUBRULE($.primary);
  });

  $.RULE('primary', () => {
    $.OR([
      { ALT: () => $.CONSUME(NumberToken) },
      { ALT: () => $.CONSUME(StringLiteral) },
      { ALT: () => $.CONSUME(True) },
      { ALT: () => $.CONSUME(False) },
      { ALT: () => $.SUBRULE($.callOrName) },
      { ALT: () => $.SUBRULE($.parenthesized) },
      { ALT: () => $.SUBRULE($.list) },
    ]);
  });

  // relu  |  dense(10)  |  repeat(3) { ... }  |  concat { ... }
  $.RULE('callOrName', () => {
    $.CONSUME(Identifier);
    $.OPTION(() => $.SUBRULE($.arguments));
    $.OPTION2(() => $.SUBRULE($.body));
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

  $.RULE('argument', () => {
    $.OR([
      { ALT: () => $.SUBRULE($.namedArgument) },
      { ALT: () => $.SUBRULE($.positionalArgument) },
    ]);
  });

  // stride=2
  $.RULE('namedArgument', () => {
    $.CONSUME(Identifier);
    $.CONSUME(Equals);
    $.SUBRULE($.expression);
  });

  $.RULE('positionalArgument', () => {
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
