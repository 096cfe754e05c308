import type { Comment, Program } from '../compiler/syntax/ast.js';
import { childNodes, isSequenceNode, sequenceItems, type AnyNode, type SequenceNode } from './nodes.js';
import { endsLine, nextCodeOffset, onlySpaceBetween, startsLine } from './sourceText.js';

/*
 * Gives every comment of the file one home, so the printer prints each exactly once:
 * leading (before a node), trailing (after a node) or dangling (inside a node, next to
 * none of its children: on the line of an opening `{`, at the end of a body, inside an
 * empty `()`). Doc comments (`///`) are ordinary comments here; the `doc` fields of the
 * AST are ignored by the formatter.
 */

export interface AttachedComments {
  readonly leading: Comment[];
  readonly trailing: Comment[];
  readonly dangling: Comment[];
}

export type CommentMap = ReadonlyMap<AnyNode, AttachedComments>;

interface Neighbours {
  readonly enclosing: AnyNode;
  readonly preceding: AnyNode | undefined;
  readonly following: AnyNode | undefined;
}

/** The innermost node containing `comment`, and its children just before and after it. */
function locate(node: AnyNode, comment: Comment): Neighbours {
  let preceding: AnyNode | undefined;
  let following: AnyNode | undefined;
  for (const child of childNodes(node)) {
    if (child.span.start <= comment.span.start && comment.span.end <= child.span.end) {
      return locate(child, comment);
    }
    if (child.span.end <= comment.span.start) preceding = child;
    else if (child.span.start >= comment.span.end && !following) following = child;
  }
  return { enclosing: node, preceding, following };
}

/** Where the `{` that opens a sequence's items is (-1 for the file itself). */
function openBraceOffset(node: SequenceNode, text: string, comments: readonly Comment[]): number {
  if (node.kind === 'Program') return -1;
  if (node.kind === 'Body') return node.span.start;
  const header = node.kind === 'Train' ? [node.target] : [node.name, ...node.args];
  let offset = nextCodeOffset(text, header[header.length - 1]!.span.end, comments);
  while (offset < text.length && text[offset] !== '{') offset = nextCodeOffset(text, offset + 1, comments);
  return offset;
}

type Placement = { readonly node: AnyNode; readonly as: keyof AttachedComments };

function placeInSequence(where: Neighbours & { enclosing: SequenceNode }, ownLine: boolean): Placement {
  const items = sequenceItems(where.enclosing);
  const precedingItem = where.preceding && items.includes(where.preceding) ? where.preceding : undefined;
  if (ownLine) return where.following ? { node: where.following, as: 'leading' } : { node: where.enclosing, as: 'dangling' };
  return precedingItem ? { node: precedingItem, as: 'trailing' } : { node: where.enclosing, as: 'dangling' };
}

function place(where: Neighbours, comment: Comment, text: string): Placement {
  const { enclosing, preceding, following } = where;
  const ownLine = startsLine(text, comment.span.start);
  const endOfLine = endsLine(text, comment.span.end);
  if (ownLine) {
    if (following) return { node: following, as: 'leading' };
    if (preceding) return { node: preceding, as: 'trailing' };
  } else if (endOfLine) {
    if (preceding) return { node: preceding, as: 'trailing' };
    if (following) return { node: following, as: 'leading' };
  } else {
    if (following && onlySpaceBetween(text, comment.span.end, following.span.start)) {
      return { node: following, as: 'leading' };
    }
    if (preceding && onlySpaceBetween(text, preceding.span.end, comment.span.start)) {
      return { node: preceding, as: 'trailing' };
    }
    const emptyBrackets =
      (enclosing.kind === 'Call' && enclosing.args.length === 0 && enclosing.hasParens) ||
      ((enclosing.kind === 'List' || enclosing.kind === 'Tuple') && enclosing.items.length === 0);
    if (!emptyBrackets && following) return { node: following, as: 'leading' };
    if (!emptyBrackets && preceding) return { node: preceding, as: 'trailing' };
  }
  return { node: enclosing, as: 'dangling' };
}

export function attachComments(program: Program, text: string): CommentMap {
  const map = new Map<AnyNode, AttachedComments>();
  const braceCache = new Map<SequenceNode, number>();
  for (const comment of program.comments) {
    const where = locate(program, comment);
    let placement: Placement;
    if (isSequenceNode(where.enclosing)) {
      const sequence = where.enclosing;
      let brace = braceCache.get(sequence);
      if (brace === undefined) {
        brace = openBraceOffset(sequence, text, program.comments);
        braceCache.set(sequence, brace);
      }
      placement =
        comment.span.start > brace
          ? placeInSequence({ ...where, enclosing: sequence }, startsLine(text, comment.span.start))
          : place(where, comment, text);
    } else {
      placement = place(where, comment, text);
    }
    let entry = map.get(placement.node);
    if (!entry) {
      entry = { leading: [], trailing: [], dangling: [] };
      map.set(placement.node, entry);
    }
    entry[placement.as].push(comment);
  }
  return map;
}
