import { Comma, Equals, Identifier, LCurly, Let, RCurly, Return, Separator } from '../tokens.js';
import type { Grammar } from './dsl.js';

/**
 * LANGUAGE §3: bodies are statements, each ended by a newline or `;` (the layout pass puts
 * one before every `}`, so the last statement needs no special case).
 *
 * The end of a statement is a rule of its own, after the statement rather than inside it:
 * chevrotain's error recovery skips ahead to a token that may follow the failing rule, so a
 * broken statement skips to the end of its line (not to the next name on the same line),
 * and a missing separator costs one error before the next statement is read.
 */
export function defineBodyRules($: Grammar): void {
  $.RULE('body', () => {
    $.CONSUME(LCurly);
    $.MANY(() => $.CONSUME(Separator));
    $.MANY2(() => {
      $.SUBRULE($.statement);
      $.SUBRULE($.statementEnd);
    });
    $.CONSUME(RCurly);
  });

  $.RULE('statement', () => {
    $.OR([
      { ALT: () => $.SUBRULE($.returnStatement) },
      { ALT: () => $.SUBRULE($.letStatement) },
      { ALT: () => $.SUBRULE($.bindStatement) },
      // dense(30) -> sigmoid
      { ALT: () => $.SUBRULE($.expression) },
    ]);
  });

  // a newline or `;` (several collapse into one)
  $.RULE('statementEnd', () => {
    $.AT_LEAST_ONE(() => $.CONSUME(Separator));
  });

  // return recon, mu, logvar
  $.RULE('returnStatement', () => {
    $.CONSUME(Return);
    $.SUBRULE($.expression);
    $.MANY(() => {
      $.CONSUME(Comma);
      $.SUBRULE2($.expression);
    });
  });

  // let enc = Encoder(64)
  $.RULE('letStatement', () => {
    $.CONSUME(Let);
    $.CONSUME(Identifier);
    $.CONSUME(Equals);
    $.SUBRULE($.expression);
  });

  // h = x -> dense(400) -> relu
  $.RULE('bindStatement', () => {
    $.CONSUME(Identifier);
    $.CONSUME(Equals);
    $.SUBRULE($.expression);
  });
}
