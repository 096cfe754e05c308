import type { Program } from './ast.js';
import type { Span } from '../source.js';

interface AstNode {
  readonly kind: string;
  readonly span: Span;
}

function isAstNode(value: unknown): value is AstNode {
  return typeof value === 'object' && value !== null && 'kind' in value && 'span' in value;
}

/**
 * The first node found deeper than `maxDepth`, if any. Walks without recursion: this guards
 * the recursive passes after parsing against trees such as a 100,000-term `1 + 1 + ...`.
 */
export function nodeDeeperThan(program: Program, maxDepth: number): AstNode | undefined {
  const pending: [AstNode, number][] = [[program, 0]];
  for (let entry = pending.pop(); entry; entry = pending.pop()) {
    const [node, depth] = entry;
    if (depth > maxDepth) return node;
    for (const value of Object.values(node)) {
      if (Array.isArray(value)) {
        for (const element of value) if (isAstNode(element)) pending.push([element, depth + 1]);
      } else if (isAstNode(value)) {
        pending.push([value, depth + 1]);
      }
    }
  }
  return undefined;
}
