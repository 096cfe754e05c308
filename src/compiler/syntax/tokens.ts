import { createToken, Lexer, type TokenType } from 'chevrotain';

/*
 * Every token of the `.net` language (LANGUAGE §1), in the order the lexer tries them.
 * Comments go to their own group: the parser never sees them, the formatter and doc
 * attachment do. Categories (pattern `Lexer.NA`) let one grammar rule accept several tokens.
 */

// ---------------------------------------------------------------- categories

/** A statement ends at a newline or `;`. */
export const Separator = createToken({
  name: 'Separator',
  pattern: Lexer.NA,
  label: 'newline or ;',
});
export const StringLiteral = createToken({
  name: 'StringLiteral',
  pattern: Lexer.NA,
  label: 'string',
});
/** `or and == != < <= > >= + - * / %`; their precedence is applied when building the AST. */
export const BinaryOperator = createToken({
  name: 'BinaryOperator',
  pattern: Lexer.NA,
  label: 'operator',
});
/** Signs: `-` and `+` before an operand. */
export const SignOperator = createToken({ name: 'SignOperator', pattern: Lexer.NA, label: 'sign' });

// ---------------------------------------------------------------- layout and comments

export const Newline = createToken({
  name: 'Newline',
  pattern: /\r\n|\r|\n/,
  line_breaks: true,
  categories: [Separator],
  label: 'newline',
});
export const Whitespace = createToken({
  name: 'Whitespace',
  pattern: /[ \t]+/,
  group: Lexer.SKIPPED,
});
/** A byte order mark, form feed or vertical tab: invisible, allowed, skipped. */
export const InvisibleSpace = createToken({
  name: 'InvisibleSpace',
  pattern: /[\f\v\uFEFF]/,
  group: Lexer.SKIPPED,
});
/** `///` but not `////`, which is an ordinary comment (a divider line). */
export const DocComment = createToken({
  name: 'DocComment',
  pattern: /\/\/\/(?!\/)[^\r\n]*/,
  group: 'comments',
});
export const LineComment = createToken({
  name: 'LineComment',
  pattern: /\/\/[^\r\n]*/,
  group: 'comments',
});
export const BlockComment = createToken({
  name: 'BlockComment',
  pattern: /\/\*[\s\S]*?\*\//,
  line_breaks: true,
  group: 'comments',
});
/** Reported by the lexer; kept as a comment so the rest of the file is still seen as comment text. */
export const UnterminatedBlockComment = createToken({
  name: 'UnterminatedBlockComment',
  pattern: /\/\*[\s\S]*/,
  line_breaks: true,
  group: 'comments',
});

// ---------------------------------------------------------------- literals

export const StringToken = createToken({
  name: 'String',
  pattern: /"(?:[^"\\\r\n]|\\[^\r\n])*"/,
  categories: [StringLiteral],
});
/** Reported by the lexer, parsed as a string so one missing quote costs one error. */
export const UnterminatedString = createToken({
  name: 'UnterminatedString',
  pattern: /"(?:[^"\\\r\n]|\\[^\r\n])*\\?/,
  categories: [StringLiteral],
});
/**
 * Deliberately wider than a valid number (`1e`, `3x`, `1.2.3` are one token) so that a
 * malformed number is reported once, as such; the lexer checks the exact form.
 */
export const NumberToken = createToken({
  name: 'Number',
  pattern: /(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d*)?[A-Za-z0-9_.]*/,
  label: 'number',
});

// ---------------------------------------------------------------- punctuation

export const Arrow = createToken({ name: 'Arrow', pattern: /->/, label: '->' });
export const EqualsEquals = createToken({
  name: 'EqualsEquals',
  pattern: /==/,
  categories: [BinaryOperator],
  label: '==',
});
export const NotEquals = createToken({
  name: 'NotEquals',
  pattern: /!=/,
  categories: [BinaryOperator],
  label: '!=',
});
export const LessEquals = createToken({
  name: 'LessEquals',
  pattern: /<=/,
  categories: [BinaryOperator],
  label: '<=',
});
export const GreaterEquals = createToken({
  name: 'GreaterEquals',
  pattern: />=/,
  categories: [BinaryOperator],
  label: '>=',
});
export const Less = createToken({
  name: 'Less',
  pattern: /</,
  categories: [BinaryOperator],
  label: '<',
});
export const Greater = createToken({
  name: 'Greater',
  pattern: />/,
  categories: [BinaryOperator],
  label: '>',
});
export const Equals = createToken({ name: 'Equals', pattern: /=/, label: '=' });
export const Plus = createToken({
  name: 'Plus',
  pattern: /\+/,
  categories: [BinaryOperator, SignOperator],
  label: '+',
});
export const Minus = createToken({
  name: 'Minus',
  pattern: /-/,
  categories: [BinaryOperator, SignOperator],
  label: '-',
});
export const Star = createToken({
  name: 'Star',
  pattern: /\*/,
  categories: [BinaryOperator],
  label: '*',
});
export const Slash = createToken({
  name: 'Slash',
  pattern: /\//,
  categories: [BinaryOperator],
  label: '/',
});
export const Percent = createToken({
  name: 'Percent',
  pattern: /%/,
  categories: [BinaryOperator],
  label: '%',
});
export const Tilde = createToken({ name: 'Tilde', pattern: /~/, label: '~' });
export const Colon = createToken({ name: 'Colon', pattern: /:/, label: ':' });
export const Semicolon = createToken({
  name: 'Semicolon',
  pattern: /;/,
  categories: [Separator],
  label: ';',
});
export const Comma = createToken({ name: 'Comma', pattern: /,/, label: ',' });
export const LParen = createToken({ name: 'LParen', pattern: /\(/, label: '(' });
export const RParen = createToken({ name: 'RParen', pattern: /\)/, label: ')' });
export const LBracket = createToken({ name: 'LBracket', pattern: /\[/, label: '[' });
export const RBracket = createToken({ name: 'RBracket', pattern: /\]/, label: ']' });
export const LCurly = createToken({ name: 'LCurly', pattern: /\{/, label: '{' });
export const RCurly = createToken({ name: 'RCurly', pattern: /\}/, label: '}' });

// ---------------------------------------------------------------- names and keywords

export const Identifier = createToken({
  name: 'Identifier',
  pattern: /[A-Za-z_][A-Za-z0-9_]*/,
  label: 'name',
});

function keyword(word: string, options: { soft?: boolean; binary?: boolean } = {}): TokenType {
  return createToken({
    name: word[0]!.toUpperCase() + word.slice(1),
    pattern: new RegExp(word),
    // `train_size` and `thenx` are names, not keywords followed by something.
    longer_alt: Identifier,
    // A soft keyword is a keyword only where the grammar asks for it, a name everywhere else:
    // `mnist(train=8000)`, `phase = 1`.
    categories: options.soft ? [Identifier] : options.binary ? [BinaryOperator] : [],
    label: word,
  });
}

export const Import = keyword('import');
export const Const = keyword('const');
export const Block = keyword('block');
export const Network = keyword('network');
export const Let = keyword('let');
export const Return = keyword('return');
export const If = keyword('if');
export const Then = keyword('then');
export const Else = keyword('else');
export const True = keyword('true');
export const False = keyword('false');
export const And = keyword('and', { binary: true });
export const Or = keyword('or', { binary: true });
export const Not = keyword('not');
export const Train = keyword('train', { soft: true });
export const From = keyword('from', { soft: true });
export const Noise = keyword('noise', { soft: true });
export const Phase = keyword('phase', { soft: true });

/** Words that can never be names. */
export const reservedWords: readonly TokenType[] = [
  Import,
  Const,
  Block,
  Network,
  Let,
  Return,
  If,
  Then,
  Else,
  True,
  False,
  And,
  Or,
  Not,
];

const softKeywords: readonly TokenType[] = [Train, From, Noise, Phase];

/** The lexer's token list: order matters (first match wins; longer punctuation first). */
export const lexerTokens: readonly TokenType[] = [
  Newline,
  Whitespace,
  InvisibleSpace,
  DocComment,
  LineComment,
  BlockComment,
  UnterminatedBlockComment,
  StringToken,
  UnterminatedString,
  NumberToken,
  Arrow,
  EqualsEquals,
  NotEquals,
  LessEquals,
  GreaterEquals,
  Less,
  Greater,
  Equals,
  Plus,
  Minus,
  Star,
  Slash,
  Percent,
  Tilde,
  Colon,
  Semicolon,
  Comma,
  LParen,
  RParen,
  LBracket,
  RBracket,
  LCurly,
  RCurly,
  ...reservedWords,
  ...softKeywords,
  Identifier,
];

/** The parser's vocabulary: every lexer token plus the categories. */
export const allTokens: readonly TokenType[] = [
  Separator,
  StringLiteral,
  BinaryOperator,
  SignOperator,
  ...lexerTokens,
];
