import type { CodeInfo } from '../codes.js';

/** NETC1xxx: lexing and parsing. */
export const syntaxCodes = {
  NETC1001: { title: 'unexpected character' },
  NETC1002: { title: 'unterminated string' },
  NETC1003: { title: 'unterminated block comment' },
  NETC1004: { title: 'malformed number' },
  NETC1005: { title: 'unknown escape sequence' },
  NETC1010: { title: 'unexpected token' },
  NETC1011: { title: 'unclosed delimiter' },
  NETC1012: { title: 'expected a definition' },
  NETC1013: { title: 'expected an expression' },
  NETC1014: { title: 'assignment in a condition' },
  NETC1015: { title: 'chain starts with `->`' },
  NETC1016: { title: 'chain ends with `->`' },
  NETC1017: { title: 'missing `then`' },
  NETC1018: { title: 'missing `else`' },
  NETC1019: { title: 'expected end of statement' },
  NETC1020: { title: 'unmatched closing delimiter' },
  NETC1021: { title: 'expected a statement' },
  NETC1022: { title: 'positional argument after named argument' },
  NETC1023: { title: 'reserved word used as a name' },
  NETC1024: { title: 'too many syntax errors' },
  NETC1025: { title: 'chained comparison' },
} as const satisfies Record<`NETC1${string}`, CodeInfo>;
