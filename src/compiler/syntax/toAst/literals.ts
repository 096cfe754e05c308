import type { IToken } from 'chevrotain';
import type { Expr, StringLiteral } from '../ast.js';
import { StringToken } from '../tokens.js';
import { tokenSpan } from '../spans.js';
import { errorExpr } from './cst.js';
import { isWellFormedNumber } from '../numbers.js';

/** A number literal; a malformed one (already reported by the lexer) becomes an ErrorExpr. */
export function numberLiteral(file: string, token: IToken): Expr {
  const span = tokenSpan(file, token);
  const text = token.image;
  if (!isWellFormedNumber(text)) return errorExpr(span);
  return { kind: 'Number', value: Number(text), text, isInteger: /^\d+$/.test(text), span };
}

const escapes: Readonly<Record<string, string>> = { '"': '"', '\\': '\\', n: '\n', t: '\t' };

/** A string literal with its escapes decoded (unknown escapes, already reported, stay as written). */
export function stringLiteral(file: string, token: IToken): StringLiteral {
  const closed = token.tokenType === StringToken;
  const body = token.image.slice(1, closed ? -1 : undefined);
  const value = body.replace(/\\(.?)/g, (escape, char: string) => escapes[char] ?? escape);
  return { kind: 'String', value, span: tokenSpan(file, token) };
}
