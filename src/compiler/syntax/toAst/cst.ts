import type { CstElement, CstNode, IToken } from 'chevrotain';
import type { Span } from '../../source.js';
import type { DiagnosticBag } from '../../diagnostics/diagnostic.js';
import type { ErrorExpr, Identifier } from '../ast.js';
import { isRealToken, pointSpan, tokenEnd, tokenSpan } from '../spans.js';

/*
 * Reading chevrotain CST nodes. After error recovery a node may lack children and hold
 * tokens the parser inserted (no position); these helpers hide both.
 */

export interface AstContext {
  readonly file: string;
  /** Syntax rules checked while building the AST (e.g. argument order) report here. */
  readonly bag: DiagnosticBag;
}

function isNode(element: CstElement): element is CstNode {
  return 'children' in element;
}

export function childNodes(node: CstNode | undefined, key: string): CstNode[] {
  return (node?.children[key] ?? []).filter(isNode);
}

export function childNode(node: CstNode | undefined, key: string): CstNode | undefined {
  return childNodes(node, key)[0];
}

/** The real (not recovery-inserted) tokens under `key`. */
export function childTokens(node: CstNode | undefined, key: string): IToken[] {
  return (node?.children[key] ?? []).filter((e): e is IToken => !isNode(e) && isRealToken(e));
}

export function childToken(node: CstNode | undefined, key: string): IToken | undefined {
  return childTokens(node, key)[0];
}

/** The one child node of a rule that is a choice between sub-rules. */
export function onlyChildNode(node: CstNode): CstNode | undefined {
  for (const elements of Object.values(node.children)) {
    const found = elements.find(isNode);
    if (found) return found;
  }
  return undefined;
}

type SpanPart = IToken | { readonly span: Span } | undefined;

/** The smallest span covering every part that has a position, or undefined if none has. */
export function cover(file: string, parts: readonly SpanPart[]): Span | undefined {
  let start = Infinity;
  let end = -Infinity;
  for (const part of parts) {
    if (part === undefined) continue;
    if ('span' in part) {
      start = Math.min(start, part.span.start);
      end = Math.max(end, part.span.end);
    } else if (isRealToken(part)) {
      start = Math.min(start, part.startOffset);
      end = Math.max(end, tokenEnd(part));
    }
  }
  return start <= end ? { file, start, end } : undefined;
}

/** Where a CST node's first real token starts (following first children only: cheap). */
export function startOf(node: CstNode): number | undefined {
  // for-in rather than Object.values: this runs for every statement, allocation-free.
  for (const key in node.children) {
    for (const element of node.children[key]!) {
      const start = isNode(element)
        ? startOf(element)
        : isRealToken(element)
          ? element.startOffset
          : undefined;
      if (start !== undefined) return start;
    }
  }
  return undefined;
}

/** The source a whole CST node covers (used only for nodes error recovery cut short). */
export function extent(file: string, node: CstNode): Span | undefined {
  let start = Infinity;
  let end = -Infinity;
  const pending: CstNode[] = [node];
  for (let current = pending.pop(); current; current = pending.pop()) {
    for (const elements of Object.values(current.children)) {
      for (const element of elements) {
        if (isNode(element)) pending.push(element);
        else if (isRealToken(element)) {
          start = Math.min(start, element.startOffset);
          end = Math.max(end, tokenEnd(element));
        }
      }
    }
  }
  return start <= end ? { file, start, end } : undefined;
}

export function errorExpr(span: Span): ErrorExpr {
  return { kind: 'ErrorExpr', span };
}

export function identifier(file: string, token: IToken): Identifier {
  return { kind: 'Identifier', name: token.image, span: tokenSpan(file, token) };
}

/** A zero-width span right after `token`, where something missing would have been. */
export function after(file: string, token: IToken | undefined, fallback: Span): Span {
  return isRealToken(token) ? pointSpan(file, tokenEnd(token)) : fallback;
}
