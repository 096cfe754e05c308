import {
  Arrow,
  Block,
  Colon,
  Comma,
  Const,
  Equals,
  From,
  Identifier,
  Import,
  LCurly,
  LParen,
  Network,
  RCurly,
  RParen,
  StringLiteral,
} from '../tokens.js';
import { moreItemsBefore, type Grammar } from './dsl.js';

/** LANGUAGE §2: the definitions a file is made of. */
export function defineDefinitionRules($: Grammar): void {
  $.RULE('definition', () => {
    $.OR([
      { ALT: () => $.SUBRULE($.importDefinition) },
      { ALT: () => $.SUBRULE($.constDefinition) },
      { ALT: () => $.SUBRULE($.blockDefinition) },
      { ALT: () => $.SUBRULE($.networkDefinition) },
      { ALT: () => $.SUBRULE($.trainDefinition) },
    ]);
  });

  // import "./blocks.net"  |  import { A, B } from "./resnet.net"
  $.RULE('importDefinition', () => {
    $.CONSUME(Import);
    $.OPTION(() => {
      $.SUBRULE($.importNames);
      $.CONSUME(From);
    });
    $.CONSUME(StringLiteral);
  });

  $.RULE('importNames', () => {
    $.CONSUME(LCurly);
    $.CONSUME(Identifier);
    $.MANY({
      GATE: moreItemsBefore($, RCurly),
      DEF: () => {
        $.CONSUME(Comma);
        $.CONSUME2(Identifier);
      },
    });
    $.OPTION(() => $.CONSUME2(Comma));
    $.CONSUME(RCurly);
  });

  $.RULE('constDefinition', () => {
    $.CONSUME(Const);
    $.CONSUME(Identifier);
    $.CONSUME(Equals);
    $.SUBRULE($.expression);
  });

  // block ConvBN(out: int, stride: int = 1) { ... }  |  block Stem { ... }
  $.RULE('blockDefinition', () => {
    $.CONSUME(Block);
    $.CONSUME(Identifier);
    $.OPTION(() => $.SUBRULE($.blockParameters));
    $.SUBRULE($.body);
  });

  $.RULE('blockParameters', () => {
    $.CONSUME(LParen);
    $.OPTION(() => {
      $.SUBRULE($.blockParameter);
      $.MANY({
        GATE: moreItemsBefore($, RParen),
        DEF: () => {
          $.CONSUME(Comma);
          $.SUBRULE2($.blockParameter);
        },
      });
      $.OPTION2(() => $.CONSUME2(Comma));
    });
    $.CONSUME(RParen);
  });

  // out: int  |  stride: int = 1  |  act = relu
  $.RULE('blockParameter', () => {
    $.CONSUME(Identifier, { LABEL: 'name' });
    $.OPTION(() => {
      $.CONSUME(Colon);
      $.CONSUME2(Identifier, { LABEL: 'type' });
    });
    $.OPTION2(() => {
      $.CONSUME(Equals);
      $.SUBRULE($.expression, { LABEL: 'default' });
    });
  });

  // network LeNet5(x: [1, 28, 28]) -> [10] { ... }
  $.RULE('networkDefinition', () => {
    $.CONSUME(Network);
    $.CONSUME(Identifier);
    $.SUBRULE($.networkInputs);
    $.OPTION(() => {
      $.CONSUME(Arrow);
      $.SUBRULE($.networkOutputs);
    });
    $.SUBRULE($.body);
  });

  $.RULE('networkInputs', () => {
    $.CONSUME(LParen);
    $.OPTION(() => {
      $.SUBRULE($.networkInput);
      $.MANY({
        GATE: moreItemsBefore($, RParen),
        DEF: () => {
          $.CONSUME(Comma);
          $.SUBRULE2($.networkInput);
        },
      });
      $.OPTION2(() => $.CONSUME2(Comma));
    });
    $.CONSUME(RParen);
  });

  $.RULE('networkInput', () => {
    $.CONSUME(Identifier);
    $.CONSUME(Colon);
    $.SUBRULE($.list);
  });

  // -> [10]  |  -> (recon: [784], mu: [20])
  $.RULE('networkOutputs', () => {
    $.OR([
      { ALT: () => $.SUBRULE($.list) },
      {
        ALT: () => {
          $.CONSUME(LParen);
          $.SUBRULE($.namedOutput);
          $.MANY({
            GATE: moreItemsBefore($, RParen),
            DEF: () => {
              $.CONSUME(Comma);
              $.SUBRULE2($.namedOutput);
            },
          });
          $.OPTION(() => $.CONSUME2(Comma));
          $.CONSUME(RParen);
        },
      },
    ]);
  });

  $.RULE('namedOutput', () => {
    $.CONSUME(Identifier);
    $.CONSUME(Colon);
    $.SUBRULE($.list);
  });
}
