import { CstParser, type IRecognitionException } from 'chevrotain';
import { allTokens } from '../tokens.js';
import type { GrammarRules, Grammar } from './dsl.js';
import { defineDefinitionRules } from './definitions.js';
import { defineBodyRules } from './bodies.js';
import { defineExpressionRules } from './expressions.js';
import { defineTrainRules } from './train.js';
import { problemRecorder } from './problems.js';

/** Thrown from inside a parse once the error budget is spent; parse.ts catches it. */
export class SyntaxErrorBudgetSpent extends Error {
  constructor() {
    super('syntax error budget spent');
  }
}

// Chevrotain's own bookkeeping for a recognition error (not part of its typed API).
const saveError = (
  CstParser.prototype as unknown as {
    SAVE_ERROR(this: CstParser, error: IRecognitionException): IRecognitionException;
  }
).SAVE_ERROR;

/**
 * The `.net` grammar as a chevrotain CST parser. The rules live in one file per LANGUAGE
 * section; the grammar builds no AST (see toAst/). Create it once and reuse it: chevrotain
 * analyses the grammar in the constructor.
 */
export class NetParser extends CstParser {
  /** How many more errors the current parse may record before it is abandoned. */
  errorBudget = Infinity;
  private errorsSaved = 0;

  constructor() {
    super([...allTokens], {
      recoveryEnabled: true,
      maxLookahead: 3,
      nodeLocationTracking: 'none',
      errorMessageProvider: problemRecorder,
    });
    // The rule definitions need chevrotain's protected DSL methods (see dsl.ts).
    const grammar = this as unknown as Grammar;
    defineDefinitionRules(grammar);
    defineBodyRules(grammar);
    defineExpressionRules(grammar);
    defineTrainRules(grammar);
    this.performSelfAnalysis();
  }

  override reset(): void {
    super.reset();
    this.errorsSaved = 0;
  }

  /**
   * Chevrotain records every recognition error here. Error recovery can cost a scan of the
   * remaining input per error, so a hopeless input is abandoned after a budget of errors.
   */
  SAVE_ERROR(error: IRecognitionException): IRecognitionException {
    if (this.errorsSaved >= this.errorBudget) throw new SyntaxErrorBudgetSpent();
    this.errorsSaved++;
    return saveError.call(this, error);
  }
}

// Rules are installed as properties by chevrotain's RULE (`this[name] = rule`).
export interface NetParser extends GrammarRules {}
