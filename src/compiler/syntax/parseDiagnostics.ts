import { tokenMatcher, type IRecognitionException, type IToken } from 'chevrotain';
import type { SourceFile } from '../source.js';
import type { Diagnostic, Label } from '../diagnostics/diagnostic.js';
import {
  allTokens,
  Arrow,
  Comma,
  Equals,
  False,
  Identifier,
  If,
  LBracket,
  LParen,
  Minus,
  Noise,
  Not,
  NumberToken,
  Phase,
  Plus,
  RCurly,
  reservedWords,
  StringLiteral,
  True,
} from './tokens.js';
import type { TopLevelItem } from './layout.js';
import { describeTokenType, listAlternatives } from './describe.js';
import { tokenSpan } from './spans.js';
import { parseErrorContext, type ParseErrorContext } from './parseErrorContext.js';

/*
 * Turns chevrotain's recognition errors into NETC1xxx diagnostics that say what was
 * expected and what was found, and where possible how to fix it.
 */

export function parseErrorDiagnostic(
  error: IRecognitionException,
  item: TopLevelItem,
  source: SourceFile,
): Diagnostic {
  const context = parseErrorContext(error, item, source);
  return { severity: 'error', span: context.found.span, ...explain(context) };
}

type Detail = Pick<Diagnostic, 'code' | 'message' | 'help' | 'labels'>;

function explain(context: ParseErrorContext): Detail {
  const { problem, found } = context;
  if (problem.rule === 'statementEnd') {
    return {
      code: 'NETC1019',
      message: `expected end of statement but found ${found.words}`,
      help: context.inTrain
        ? 'put each entry on its own line, or separate entries with `;`'
        : 'put each statement on its own line or separate statements with `;`; to chain steps, put `->` between them',
    };
  }
  switch (problem.kind) {
    case 'mismatch':
    case 'earlyExit':
      return explainMismatch(context, problem.rule, problem.expected[0] ?? '');
    case 'noViableAlternative':
      return explainNoAlternative(context, problem.rule, problem.expected);
    case 'redundant':
      return explainLeftover(context);
  }
}

/** Tokens after a complete definition: on its last line, or on lines after it. */
function explainLeftover(context: ParseErrorContext): Detail {
  const { found, endedBefore } = context;
  if (!endedBefore) {
    return {
      code: 'NETC1019',
      message: `expected end of line after the definition but found ${found.words}`,
      help: 'put each definition on its own line',
    };
  }
  return {
    code: 'NETC1012',
    message: `expected a definition but found ${found.words}`,
    labels: [
      { span: tokenSpan(context.file, endedBefore), message: 'the definition before ends here' },
    ],
    help: 'check that each `{` is closed by the `}` meant for it',
  };
}

// ---------------------------------------------------------------- a required token is missing

const closingBrackets = {
  RParen: { opener: 'LParen', text: ')', openText: '(' },
  RBracket: { opener: 'LBracket', text: ']', openText: '[' },
  RCurly: { opener: 'LCurly', text: '}', openText: '{' },
} as const;

/** Lists whose items start with a name (so a reserved word there is a misused name). */
const namedItems = new Set(['blockParameters', 'networkInputs', 'networkOutputs', 'importNames']);

function reservedWord(token: IToken): Detail {
  return {
    code: 'NETC1023',
    message: `\`${token.image}\` is a reserved word and cannot be used as a name`,
    help: 'choose another name',
  };
}

/** What a bracketed list holds, by rule. */
const itemWords: Readonly<Record<string, string>> = {
  arguments: 'an argument',
  list: 'an item',
  parenthesized: 'an item',
  blockParameters: 'a parameter',
  networkInputs: 'an input',
  networkOutputs: 'an output',
  importNames: 'a name',
};

function explainMismatch(context: ParseErrorContext, rule: string, expected: string): Detail {
  const { found } = context;
  if (expected === 'Then') {
    if (found.token?.tokenType === Equals) {
      return {
        code: 'NETC1014',
        message: 'assignment `=` used in a condition',
        help: 'compare with `==`',
      };
    }
    return {
      code: 'NETC1017',
      message: `expected \`then\` after the condition of \`if\` but found ${found.words}`,
      help: 'write `if condition then a else b`',
    };
  }
  if (expected === 'Else') {
    return {
      code: 'NETC1018',
      message: `expected \`else\` but found ${found.words}`,
      help: 'an `if` chooses between two values: write `if condition then a else b`',
    };
  }
  if (expected in closingBrackets) {
    return explainUnclosed(
      context,
      rule,
      closingBrackets[expected as keyof typeof closingBrackets],
    );
  }
  if (expected === 'Identifier' && found.token && reservedWords.includes(found.token.tokenType)) {
    return reservedWord(found.token);
  }
  if (expected === 'StringLiteral' && rule === 'importDefinition') {
    return {
      code: 'NETC1010',
      message: `expected the path of the imported file but found ${found.words}`,
      help: 'write `import "./file.net"` or `import { Name } from "./file.net"`',
    };
  }
  return {
    code: 'NETC1010',
    message: `expected ${describeTokenName(expected)} but found ${found.words}`,
  };
}

function explainUnclosed(
  context: ParseErrorContext,
  rule: string,
  bracket: (typeof closingBrackets)[keyof typeof closingBrackets],
): Detail {
  const { found, previous } = context;
  const inBody = rule === 'body' || rule === 'trainBlock';
  // A body's repetition stops at a token no statement starts with, then wants its `}`.
  if (inBody && found.token && found.token.tokenType !== RCurly) {
    return expectedStatement(context.inTrain, found.words);
  }
  const opener = context.openBracket(bracket.opener);
  const labels: Label[] = opener
    ? [{ span: tokenSpan(context.file, opener), message: `unclosed \`${bracket.openText}\`` }]
    : [];
  const itemWord = itemWords[rule];
  if (itemWord && previous && (previous.tokenType === Comma || previous === opener)) {
    if (namedItems.has(rule) && found.token && reservedWords.includes(found.token.tokenType)) {
      return reservedWord(found.token);
    }
    return {
      code: 'NETC1010',
      message: `expected ${itemWord} or \`${bracket.text}\` but found ${found.words}`,
      labels,
    };
  }
  const holdsItems = bracket.text !== '}' || rule === 'importNames';
  const commaMissing = holdsItems && found.token !== undefined && startsExpression(found.token);
  return {
    code: 'NETC1011',
    message: `expected \`${bracket.text}\` to close \`${bracket.openText}\` but found ${found.words}`,
    labels,
    help: commaMissing
      ? `separate items with \`,\`, or close the \`${bracket.openText}\` with \`${bracket.text}\``
      : `add \`${bracket.text}\``,
  };
}

// ---------------------------------------------------------------- no alternative fits

const expressionRules = new Set([
  'expression',
  'step',
  'ifExpression',
  'operation',
  'operand',
  'argument',
  'parenthesized',
  'list',
]);

function explainNoAlternative(
  context: ParseErrorContext,
  rule: string,
  expected: readonly string[],
): Detail {
  const { found, previous } = context;
  if (expressionRules.has(rule)) {
    if (previous?.tokenType === Arrow) {
      return {
        code: 'NETC1016',
        message: `expected a step after \`->\` but found ${found.words}`,
        help: 'remove the trailing `->`, or add the step it leads to',
      };
    }
    return { code: 'NETC1013', message: `expected an expression but found ${found.words}` };
  }
  if (rule === 'trainEntry') return explainTrainEntry(found.token, found.words);
  if (rule === 'statement') return expectedStatement(false, found.words);
  if (rule === 'definition') {
    return { code: 'NETC1012', message: `expected a definition but found ${found.words}` };
  }
  if (rule === 'networkOutputs') {
    return {
      code: 'NETC1010',
      message: `expected the output shape after \`->\` but found ${found.words}`,
      help: 'write `-> [10]`, or name the outputs: `-> (mu: [20], logvar: [20])`',
    };
  }
  const alternatives = listAlternatives(expected.map(describeTokenName));
  return { code: 'NETC1010', message: `expected ${alternatives} but found ${found.words}` };
}

function explainTrainEntry(token: IToken | undefined, words: string): Detail {
  if (token?.tokenType === Noise || token?.tokenType === Phase) {
    return {
      code: 'NETC1010',
      message: `expected a name after ${words}`,
      help:
        token.tokenType === Noise
          ? 'write `noise z: [100] ~ normal`'
          : 'write `phase name { ... }`',
    };
  }
  if (token && tokenMatcher(token, Identifier)) {
    return {
      code: 'NETC1010',
      message: `expected \`=\` after the setting name ${words}`,
      help: 'settings are written `key = value`',
    };
  }
  return expectedStatement(true, words);
}

function expectedStatement(inTrain: boolean, words: string): Detail {
  return inTrain
    ? {
        code: 'NETC1021',
        message: `expected a setting, \`noise\` or \`phase\` but found ${words}`,
        help: 'settings are written `key = value`',
      }
    : { code: 'NETC1021', message: `expected a statement but found ${words}` };
}

// ---------------------------------------------------------------- helpers

const tokenTypesByName = new Map(allTokens.map((type) => [type.name, type]));

function describeTokenName(name: string): string {
  const type = tokenTypesByName.get(name);
  return type ? describeTokenType(type) : `\`${name}\``;
}

const expressionStarts = [
  Identifier,
  NumberToken,
  StringLiteral,
  LParen,
  LBracket,
  Minus,
  Plus,
  Not,
  If,
  True,
  False,
];

function startsExpression(token: IToken): boolean {
  return expressionStarts.some((type) => tokenMatcher(token, type));
}
