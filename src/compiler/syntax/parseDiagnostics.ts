import { EOF, tokenMatcher, type IRecognitionException, type IToken } from 'chevrotain';
import type { SourceFile, Span } from '../source.js';
import type { Diagnostic, Label } from '../diagnostics/diagnostic.js';
import {
  Arrow,
  Comma,
  Noise,
  Phase,
  Equals,
  Identifier,
  LBracket,
  LCurly,
  LParen,
  Minus,
  Newline,
  Not,
  NumberToken,
  Plus,
  RCurly,
  reservedWords,
  StringLiteral,
  allTokens,
  If,
  True,
  False,
} from './tokens.js';
import { readProblem, type ParseProblem } from './grammar/problems.js';
import { isInsertedSeparator, type TopLevelItem } from './layout.js';
import { describeTokenType, listAlternatives, quoteSourceText } from './describe.js';
import { isRealToken, pointSpan, tokenSpan } from './spans.js';

/*
 * Turns chevrotain's recognition errors (recorded as ParseProblems) into NETC1xxx
 * diagnostics that say what was expected, what was found, and where possible how to fix it.
 */

/** What the parser found instead, in words and in the source. */
interface Found {
  readonly words: string;
  readonly span: Span;
  readonly token: IToken | undefined;
}

export function parseErrorDiagnostic(
  error: IRecognitionException,
  item: TopLevelItem,
  source: SourceFile,
): Diagnostic {
  const problem = readProblem(error.message);
  const found = describeFound(error.token, item, source);
  const previous = (error as { previousToken?: IToken }).previousToken;
  const inTrain = error.context?.ruleStack?.includes('trainBlock') ?? false;
  const detail = explain(problem, found, previous, item, source.path, error.token, inTrain);
  return { severity: 'error', span: found.span, ...detail };
}

type Detail = Pick<Diagnostic, 'code' | 'message' | 'help' | 'labels'>;

function explain(
  problem: ParseProblem,
  found: Found,
  previous: IToken | undefined,
  item: TopLevelItem,
  file: string,
  errorToken: IToken,
  inTrain: boolean,
): Detail {
  switch (problem.kind) {
    case 'mismatch':
      return explainMismatch(
        problem.rule,
        problem.expected[0] ?? '',
        found,
        previous,
        item,
        file,
        errorToken,
      );
    case 'noViableAlternative':
      return explainNoAlternative(problem.rule, problem.expected, found, previous);
    case 'earlyExit':
      return {
        code: 'NETC1019',
        message: `expected end of statement but found ${found.words}`,
        help:
          inTrain
            ? 'put each entry on its own line, or separate entries with `;`'
            : 'put each statement on its own line or separate statements with `;`; to chain steps, put `->` between them',
      };
    case 'redundant':
      return {
        code: 'NETC1019',
        message: `expected end of line after the definition but found ${found.words}`,
        help: 'put each definition on its own line',
      };
  }
}

const closers: Readonly<Record<string, { opener: string; text: string; openText: string }>> = {
  RParen: { opener: 'LParen', text: ')', openText: '(' },
  RBracket: { opener: 'LBracket', text: ']', openText: '[' },
  RCurly: { opener: 'LCurly', text: '}', openText: '{' },
};

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

function explainMismatch(
  rule: string,
  expected: string,
  found: Found,
  previous: IToken | undefined,
  item: TopLevelItem,
  file: string,
  errorToken: IToken,
): Detail {
  const foundToken = found.token;
  if (expected === 'Then') {
    if (foundToken?.tokenType === Equals) {
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
  const closer = closers[expected];
  if (closer) {
    const inBody = rule === 'body' || rule === 'trainBlock';
    if (inBody && foundToken && foundToken.tokenType !== RCurly) {
      return expectedStatement(rule, found);
    }
    const opener = unclosedOpener(item.tokens, errorToken, closer.opener);
    const labels: Label[] = opener
      ? [{ span: tokenSpan(file, opener), message: `unclosed \`${closer.openText}\`` }]
      : [];
    const item_ = itemWords[rule];
    if (item_ && previous && (previous.tokenType === Comma || previous === opener)) {
      return {
        code: 'NETC1010',
        message: `expected ${item_} or \`${closer.text}\` but found ${found.words}`,
        labels,
      };
    }
    const listOfItems = closer.text !== '}' || rule === 'importNames';
    const missingComma = listOfItems && foundToken !== undefined && startsExpression(foundToken);
    return {
      code: 'NETC1011',
      message: `expected \`${closer.text}\` to close \`${closer.openText}\` but found ${found.words}`,
      labels,
      help: missingComma
        ? `separate items with \`,\`, or close the \`${closer.openText}\` with \`${closer.text}\``
        : `add \`${closer.text}\``,
    };
  }
  if (expected === 'Identifier' && foundToken && reservedWords.includes(foundToken.tokenType)) {
    return {
      code: 'NETC1023',
      message: `\`${foundToken.image}\` is a reserved word and cannot be used as a name`,
      help: 'choose another name',
    };
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

const expressionRules = new Set([
  'expression',
  'step',
  'ifExpression',
  'operation',
  'operand',
  'argument',
  'parenthesized',
  'list',
])

function explainNoAlternative(
  rule: string,
  expected: readonly string[],
  found: Found,
  previous: IToken | undefined,
): Detail {
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
  const keyword = found.token?.tokenType;
  if (rule === 'trainEntry' && (keyword === Noise || keyword === Phase)) {
    return {
      code: 'NETC1010',
      message: `expected a name after ${found.words}`,
      help: keyword === Noise ? 'write `noise z: [100] ~ normal`' : 'write `phase name { ... }`',
    };
  }
  if (rule === 'trainEntry' && found.token && tokenMatcher(found.token, Identifier)) {
    return {
      code: 'NETC1010',
      message: `expected \`=\` after the setting name ${found.words}`,
      help: 'settings are written `key = value`',
    };
  }
  if (rule === 'statement' || rule === 'trainEntry') return expectedStatement(rule, found);
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

function expectedStatement(rule: string, found: Found): Detail {
  const inTrain = rule === 'trainEntry' || rule === 'trainBlock';
  const braceHelp =
    found.token?.tokenType === LCurly
      ? 'a body starts on the same line as the call it belongs to: `concat {`'
      : undefined;
  return {
    code: 'NETC1021',
    message: inTrain
      ? `expected a setting, \`noise\` or \`phase\` but found ${found.words}`
      : `expected a statement but found ${found.words}`,
    help: braceHelp ?? (inTrain ? 'settings are written `key = value`' : undefined),
  };
}

// ---------------------------------------------------------------- what was found

function describeFound(token: IToken, item: TopLevelItem, source: SourceFile): Found {
  const file = source.path;
  if (tokenMatcher(token, EOF)) return describeEnd(item.end, source);
  if (isInsertedSeparator(token)) {
    // Inserted before a `}` or at the end of an item with unclosed braces.
    if (source.text[token.startOffset] === '}') {
      return {
        words: '`}`',
        span: { file, start: token.startOffset, end: token.startOffset + 1 },
        token: undefined,
      };
    }
    return describeEnd(item.end, source);
  }
  if (token.tokenType === Newline) {
    return { words: 'end of line', span: pointSpan(file, token.startOffset), token };
  }
  return { words: quoteSourceText(token.image), span: tokenSpan(file, token), token };
}

function describeEnd(end: IToken | undefined, source: SourceFile): Found {
  const file = source.path;
  if (end === undefined) {
    return { words: 'end of file', span: pointSpan(file, source.text.length), token: undefined };
  }
  if (end.tokenType === Newline) {
    return { words: 'end of line', span: pointSpan(file, end.startOffset), token: undefined };
  }
  return { words: quoteSourceText(end.image), span: tokenSpan(file, end), token: undefined };
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

const openerNames = new Set(['LParen', 'LBracket', 'LCurly']);
const closerNames = new Set(['RParen', 'RBracket', 'RCurly']);

/** The innermost bracket still open before `at`, if it is of the kind wanted. */
function unclosedOpener(
  tokens: readonly IToken[],
  at: IToken,
  wanted: string,
): IToken | undefined {
  const index = tokens.indexOf(at);
  let depth = 0;
  for (let i = (index < 0 ? tokens.length : index) - 1; i >= 0; i--) {
    const token = tokens[i]!;
    const name = token.tokenType.name;
    if (closerNames.has(name)) depth++;
    else if (openerNames.has(name)) {
      if (depth > 0) depth--;
      else return name === wanted && isRealToken(token) ? token : undefined;
    }
  }
  return undefined;
}
