import type {
  Arg,
  BinaryOperator,
  Expr,
  Identifier,
  ListExpr,
  PhaseDecl,
  TrainDecl,
  TrainEntry,
} from '../../src/compiler/syntax/ast.js';
import type { Span } from '../../src/compiler/source.js';

/*
 * A small parser for `train` sections, for these tests only: it lets the tests be written
 * as `.net` source (with real spans) without depending on the project's parser. It knows
 * just the train-section grammar of LANGUAGE §6 and throws on anything else.
 */

export const testFile = 'test.net';

interface Token {
  readonly kind: 'ident' | 'number' | 'string' | 'punct' | 'eof';
  readonly text: string;
  readonly start: number;
  readonly end: number;
}

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  const pattern =
    /\s+|\/\/[^\n]*|([A-Za-z_][A-Za-z0-9_]*)|((?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)|("(?:[^"\\]|\\.)*")|(->|[{}()[\],;=:~+\-*/])/y;
  let index = 0;
  while (index < text.length) {
    pattern.lastIndex = index;
    const match = pattern.exec(text);
    if (!match)
      throw new Error(`unexpected character at ${index}: ${text.slice(index, index + 10)}`);
    const [whole, ident, number, string, punct] = match;
    const start = index;
    index += whole.length;
    const kind = ident
      ? 'ident'
      : number
        ? 'number'
        : string
          ? 'string'
          : punct
            ? 'punct'
            : undefined;
    if (kind) tokens.push({ kind, text: whole, start, end: index });
  }
  tokens.push({ kind: 'eof', text: '', start: text.length, end: text.length });
  return tokens;
}

export function parseTrain(text: string): TrainDecl {
  const tokens = tokenize(text);
  let position = 0;
  const peek = (offset = 0) => tokens[Math.min(position + offset, tokens.length - 1)]!;
  const next = () => tokens[position++]!;
  const span = (start: number, end: number): Span => ({ file: testFile, start, end });
  const is = (text: string, offset = 0) =>
    peek(offset).kind !== 'string' && peek(offset).text === text;
  const expect = (text: string): Token => {
    const token = next();
    if (token.text !== text)
      throw new Error(`expected '${text}' at ${token.start}, got '${token.text}'`);
    return token;
  };
  const identifier = (): Identifier => {
    const token = next();
    if (token.kind !== 'ident')
      throw new Error(`expected a name at ${token.start}, got '${token.text}'`);
    return { kind: 'Identifier', name: token.text, span: span(token.start, token.end) };
  };

  function entries(): TrainEntry[] {
    const result: TrainEntry[] = [];
    expect('{');
    while (!is('}')) {
      if (is(';')) {
        next();
        continue;
      }
      result.push(entry());
    }
    expect('}');
    return result;
  }

  function entry(): TrainEntry {
    const start = peek().start;
    if (is('noise') && peek(1).kind === 'ident') {
      next();
      const name = identifier();
      expect(':');
      const shape = list();
      expect('~');
      const distribution = expression();
      return { kind: 'Noise', name, shape, distribution, span: span(start, distribution.span.end) };
    }
    if (is('phase') && peek(1).kind === 'ident') {
      next();
      const name = identifier();
      const args = is('(') ? argList().args : [];
      const body = entries();
      const phase: PhaseDecl = {
        kind: 'Phase',
        name,
        args,
        entries: body,
        span: span(start, tokens[position - 1]!.end),
      };
      return phase;
    }
    const key = identifier();
    expect('=');
    const value = expression();
    return { kind: 'Setting', key, value, span: span(start, value.span.end) };
  }

  function binary(operators: readonly string[], operand: () => Expr): Expr {
    let left = operand();
    while (operators.some((op) => is(op))) {
      const token = next();
      const right = operand();
      left = {
        kind: 'Binary',
        operator: token.text as BinaryOperator,
        left,
        right,
        operatorSpan: span(token.start, token.end),
        span: span(left.span.start, right.span.end),
      };
    }
    return left;
  }

  function expression(): Expr {
    return binary(['+', '-'], () => binary(['*', '/'], unary));
  }

  function unary(): Expr {
    if (is('-') || is('+')) {
      const token = next();
      const operand = unary();
      return {
        kind: 'Unary',
        operator: token.text as '-' | '+',
        operand,
        span: span(token.start, operand.span.end),
      };
    }
    return primary();
  }

  function argList(): { args: Arg[]; end: number } {
    expect('(');
    const args: Arg[] = [];
    while (!is(')')) {
      if (peek().kind === 'ident' && is('=', 1)) {
        const name = identifier();
        next();
        const value = expression();
        args.push({ kind: 'NamedArg', name, value, span: span(name.span.start, value.span.end) });
      } else {
        const value = expression();
        args.push({ kind: 'PositionalArg', value, span: value.span });
      }
      if (!is(')')) expect(',');
    }
    return { args, end: expect(')').end };
  }

  function list(): ListExpr {
    const open = expect('[');
    const items: Expr[] = [];
    while (!is(']')) {
      items.push(expression());
      if (!is(']')) expect(',');
    }
    const close = expect(']');
    return { kind: 'List', items, span: span(open.start, close.end) };
  }

  function primary(): Expr {
    const token = peek();
    if (token.kind === 'number') {
      next();
      const value = Number(token.text);
      return {
        kind: 'Number',
        value,
        text: token.text,
        isInteger: /^\d+$/.test(token.text),
        span: span(token.start, token.end),
      };
    }
    if (token.kind === 'string') {
      next();
      return {
        kind: 'String',
        value: JSON.parse(token.text) as string,
        span: span(token.start, token.end),
      };
    }
    if (token.text === '[') return list();
    if (token.text === '(') {
      const open = next();
      const first = expression();
      if (is(')')) {
        const close = next();
        return { kind: 'Group', expr: first, span: span(open.start, close.end) };
      }
      const items = [first];
      while (is(',')) {
        next();
        items.push(expression());
      }
      const close = expect(')');
      return { kind: 'Tuple', items, span: span(open.start, close.end) };
    }
    if (token.kind === 'ident') {
      const callee = identifier();
      if (callee.name === 'true' || callee.name === 'false') {
        return { kind: 'Boolean', value: callee.name === 'true', span: callee.span };
      }
      if (!is('(')) return { kind: 'Name', name: callee.name, span: callee.span };
      const { args, end } = argList();
      return { kind: 'Call', callee, args, hasParens: true, span: span(callee.span.start, end) };
    }
    throw new Error(`unexpected '${token.text}' at ${token.start}`);
  }

  const start = peek().start;
  expect('train');
  const target = identifier();
  const body = entries();
  if (peek().kind !== 'eof') throw new Error(`unexpected '${peek().text}' after the section`);
  return { kind: 'Train', target, entries: body, span: span(start, tokens[position - 1]!.end) };
}
