import {
  Colon,
  Equals,
  Identifier,
  LCurly,
  Noise,
  Phase,
  RCurly,
  Separator,
  Tilde,
  Train,
} from '../tokens.js';
import type { Grammar } from './dsl.js';

/** LANGUAGE §6: `train` sections, their settings, `noise` sources and `phase`s. */
export function defineTrainRules($: Grammar): void {
  // train LeNet5 { ... }
  $.RULE('trainDefinition', () => {
    $.CONSUME(Train);
    $.CONSUME(Identifier);
    $.SUBRULE($.trainBlock);
  });

  $.RULE('trainBlock', () => {
    $.CONSUME(LCurly);
    $.MANY(() => $.CONSUME(Separator));
    $.MANY2(() => {
      $.SUBRULE($.trainEntry);
      $.SUBRULE($.statementEnd);
    });
    $.CONSUME(RCurly);
  });

  $.RULE('trainEntry', () => {
    $.OR([
      { ALT: () => $.SUBRULE($.setting) },
      { ALT: () => $.SUBRULE($.noiseDeclaration) },
      { ALT: () => $.SUBRULE($.phaseDeclaration) },
    ]);
  });

  // optimizer = adam(lr=1e-3)
  $.RULE('setting', () => {
    $.CONSUME(Identifier);
    $.CONSUME(Equals);
    $.SUBRULE($.expression);
  });

  // noise z: [100] ~ normal
  $.RULE('noiseDeclaration', () => {
    $.CONSUME(Noise);
    $.CONSUME(Identifier);
    $.CONSUME(Colon);
    $.SUBRULE($.list);
    $.CONSUME(Tilde);
    $.SUBRULE($.expression);
  });

  // phase discriminator(steps=1) { ... }
  $.RULE('phaseDeclaration', () => {
    $.CONSUME(Phase);
    $.CONSUME(Identifier);
    $.OPTION(() => $.SUBRULE($.arguments));
    $.SUBRULE($.trainBlock);
  });
}
