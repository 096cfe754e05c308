import type { CstNode } from 'chevrotain';
import type { Span } from '../../source.js';
import type { TrainEntry } from '../ast.js';
import {
  after,
  childNode,
  childNodes,
  childToken,
  cover,
  identifier,
  onlyChildNode,
  startOf,
  type AstContext,
} from './cst.js';
import { toArgs, toExpr, toList } from './expressions.js';
import { pointSpan, tokenEnd } from '../spans.js';

/** The entries of a `train` section or `phase`; entries without a name are left out. */
export function toTrainEntries(ctx: AstContext, block: CstNode | undefined): TrainEntry[] {
  const entries: TrainEntry[] = [];
  const open = childToken(block, 'LCurly');
  let previousEnd = open ? pointSpan(ctx.file, tokenEnd(open)) : undefined;
  for (const entryNode of childNodes(block, 'trainEntry')) {
    const inner = onlyChildNode(entryNode);
    const start = inner && !previousEnd ? startOf(inner) : undefined;
    const fallback = previousEnd ?? (start === undefined ? undefined : pointSpan(ctx.file, start));
    const entry = inner && fallback ? toTrainEntry(ctx, inner, fallback) : undefined;
    if (!entry) continue;
    entries.push(entry);
    previousEnd = pointSpan(ctx.file, entry.span.end);
  }
  return entries;
}

function toTrainEntry(ctx: AstContext, node: CstNode, fallback: Span): TrainEntry | undefined {
  const name = childToken(node, 'Identifier');
  if (!name) return undefined;
  const id = identifier(ctx.file, name);
  switch (node.name) {
    case 'setting': {
      const value = toExpr(ctx, childNode(node, 'expression'), after(ctx.file, name, fallback));
      return { kind: 'Setting', key: id, value, span: cover(ctx.file, [name, value])! };
    }
    case 'noiseDeclaration': {
      const shape = toList(ctx, childNode(node, 'list'), after(ctx.file, name, fallback));
      const distribution = toExpr(
        ctx,
        childNode(node, 'expression'),
        after(ctx.file, childToken(node, 'Tilde'), shape.span),
      );
      const span = cover(ctx.file, [childToken(node, 'Noise'), name, shape, distribution])!;
      return { kind: 'Noise', name: id, shape, distribution, span };
    }
    default: {
      const argumentsNode = childNode(node, 'arguments');
      const block = childNode(node, 'trainBlock');
      const entries = toTrainEntries(ctx, block);
      const span =
        cover(ctx.file, [
          childToken(node, 'Phase'),
          name,
          ...entries,
          childToken(block, 'RCurly'),
        ]) ?? fallback;
      const args = argumentsNode ? toArgs(ctx, argumentsNode) : [];
      return { kind: 'Phase', name: id, args, entries, span };
    }
  }
}
