import type { Program } from './ast.js';
import type { Span } from '../source.js';

interface AstNode {
  readonly kind: string;
  readonly span: Span;
}

function isAstNode(value: unknown): value is AstNode {
  return typeof value === 'object' && value !== null && 'kind' in value;
}

/**
 * The first node found deeper than `maxDepth`, if any. Walks without recursion: this guards
 * the recursive passes after parsing against trees such as a 100,000-term `1 + 1 + ...`.
 */
export function nodeDeeperThan(program: Program, maxDepth: number): AstNode | undefined {
  const nodes: AstNode[] = [program];
  const depths: number[] = [0];
  while (nodes.length > 0) {
    const node = nodes.pop()! as unknown as Record<string, unknown> & AstNode;
    const depth = depths.pop()!;
    if (depth > maxDepth) return node;
    for (const key in node) {
      const value = node[key];
      if (Array.isArray(value)) {
        for (const element of value) {
          if (isAstNode(element)) {
            nodes.push(element);
            depths.push(depth + 1);
          }
        }
      } else if (isAstNode(value)) {
        nodes.push(value);
        depths.push(depth + 1);
      }
    }
  }
  return undefined;
}
