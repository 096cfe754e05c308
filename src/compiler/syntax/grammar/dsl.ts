import type {
  ConsumeMethodOpts,
  CstNode,
  DSLMethodOpts,
  GrammarAction,
  IOrAlt,
  IToken,
  ParserMethod,
  SubruleMethodOpts,
  TokenType,
} from 'chevrotain';

/** A grammar rule of the `.net` parser; rules take no arguments and produce a CST node. */
export type Rule = ParserMethod<[], CstNode>;

type Repetition = GrammarAction<unknown> | DSLMethodOpts<unknown>;

/**
 * The part of chevrotain's parsing DSL the grammar files use. Chevrotain declares these
 * methods `protected`, which would force every rule into one class body; the parser hands
 * itself to each grammar file through this interface instead (see netParser.ts).
 * The digit in a name is chevrotain's occurrence index: two uses of the same method with
 * the same token or rule inside one rule need different digits.
 */
export interface GrammarDsl {
  RULE(name: string, implementation: () => void): Rule;
  CONSUME(token: TokenType, options?: ConsumeMethodOpts): IToken;
  CONSUME2(token: TokenType, options?: ConsumeMethodOpts): IToken;
  SUBRULE(rule: Rule, options?: SubruleMethodOpts<[]>): CstNode;
  SUBRULE2(rule: Rule, options?: SubruleMethodOpts<[]>): CstNode;
  SUBRULE3(rule: Rule, options?: SubruleMethodOpts<[]>): CstNode;
  OPTION(action: Repetition): unknown;
  OPTION2(action: Repetition): unknown;
  OR(alternatives: IOrAlt<unknown>[]): unknown;
  MANY(action: Repetition): void;
  MANY2(action: Repetition): void;
  AT_LEAST_ONE(action: Repetition): void;
  LA(howFar: number): IToken;
}

/** Every rule of the grammar, by LANGUAGE section. The CST node of each has the rule's name. */
export interface GrammarRules {
  // §2 files and definitions
  readonly definition: Rule;
  readonly importDefinition: Rule;
  readonly importNames: Rule;
  readonly constDefinition: Rule;
  readonly blockDefinition: Rule;
  readonly blockParameters: Rule;
  readonly blockParameter: Rule;
  readonly networkDefinition: Rule;
  readonly networkInputs: Rule;
  readonly networkInput: Rule;
  readonly networkOutputs: Rule;
  readonly namedOutput: Rule;
  // §3 bodies
  readonly body: Rule;
  readonly statement: Rule;
  readonly statementEnd: Rule;
  readonly returnStatement: Rule;
  readonly letStatement: Rule;
  readonly bindStatement: Rule;
  // §3–§4 expressions
  readonly expression: Rule;
  readonly step: Rule;
  readonly ifExpression: Rule;
  readonly operation: Rule;
  readonly operand: Rule;
  readonly call: Rule;
  readonly arguments: Rule;
  readonly argument: Rule;
  readonly parenthesized: Rule;
  readonly list: Rule;
  // §6 training
  readonly trainDefinition: Rule;
  readonly trainBlock: Rule;
  readonly trainEntry: Rule;
  readonly setting: Rule;
  readonly noiseDeclaration: Rule;
  readonly phaseDeclaration: Rule;
}

/** The parser as the grammar files see it: the DSL plus every rule. */
export type Grammar = GrammarDsl & GrammarRules;

/** A gate for the repeated `, item` of a list that may end with a comma before `closer`. */
export function moreItemsBefore($: GrammarDsl, closer: TokenType): () => boolean {
  return () => $.LA(2).tokenType !== closer;
}
