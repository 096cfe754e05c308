import type { Comment, Program } from '../compiler/syntax/ast.js';
import { childNodes, isSequenceNode, sequenceItems, type AnyNode, type SequenceNode } from './nodes.js';
import { aloneOnLine, endsLine, nextCodeOffset } from './sourceText.js';

/*
 * Gives every comment of the file one home, so the printer prints each exactly once:
 * leading (before a node), trailing (after a node) or dangling (inside a node, next to
 * none of its children: at the end of a body, inside an empty `()`), with the dangling
 * comments on the line of a body's opening `{` kept apart. Doc comments (`///`) are ordinary comments here; the `doc` fields of the
 * AST are ignored by the formatter.
 */

export interface AttachedComments {
  readonly leading: Comment[];
  readonly trailing: Comment[];
  readonly dangling: Comment[];
  /** Dangling comments of a `{ }` sequence that sit on the line of its `{`. */
  readonly onBraceLine: Comment[];
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

/**
 * Inside `{ }` (or the file): a comment on its own line goes before the next item; one
 * after an item on its line stays with that item; one on the line of the opening `{`
 * stays there.
 */
function placeInSequence(
  where: Neighbours & { enclosing: SequenceNode },
  comment: Comment,
  brace: number,
  text: string,
): Placement {
  const items = sequenceItems(where.enclosing);
  const precedingItem = where.preceding && items.includes(where.preceding) ? where.preceding : undefined;
  const onLineAfter = (offset: number) => !/[\r\n]/.test(text.slice(offset, comment.span.start));
  if (precedingItem && onLineAfter(precedingItem.span.end)) return { node: precedingItem, as: 'trailing' };
  if (brace >= 0 && onLineAfter(brace)) return { node: where.enclosing, as: 'onBraceLine' };
  if (where.following) return { node: where.following, as: 'leading' };
  return { node: where.enclosing, as: 'dangling' };
}

/** Whether the printer puts `child` at the start of a line whenever it breaks around it. */
function startsItsLine(child: AnyNode, parent: AnyNode): boolean {
  switch (parent.kind) {
    case 'Chain': // its steps' comments go above their `->`
    case 'List':
    case 'Tuple':
      return true;
    case 'Call':
    case 'Phase':
      return child.kind === 'PositionalArg' || child.kind === 'NamedArg';
    case 'Block':
      return child.kind === 'BlockParam';
    case 'Network':
      return child.kind === 'NetworkInput' || (child.kind === 'NetworkOutput' && child.name !== undefined);
    case 'Import':
      return child.kind === 'Identifier';
    default:
      return false;
  }
}

function place(where: Neighbours, comment: Comment, text: string, comments: readonly Comment[]): Placement {
  const { enclosing, preceding, following } = where;
  const nothingBetween = (from: number, to: number) => nextCodeOffset(text, from, comments) >= to;
  const sameLine = (from: number, to: number) => !/[\r\n]/.test(text.slice(from, to));
  const ownLine = aloneOnLine(text, comment.span.start, comment.span.end);
  const endOfLine = endsLine(text, comment.span.end);
  if (ownLine) {
    // A comment line printed before a node that is not at the start of its own line would
    // put the node on the comment's line; it goes after the node before it instead.
    if (following && (startsItsLine(following, enclosing) || !preceding)) return { node: following, as: 'leading' };
    if (preceding) return { node: preceding, as: 'trailing' };
  } else if (endOfLine) {
    if (preceding) return { node: preceding, as: 'trailing' };
    if (following) return { node: following, as: 'leading' };
  } else {
    if (following && nothingBetween(comment.span.end, following.span.start)) {
      return { node: following, as: 'leading' };
    }
    if (preceding && nothingBetween(preceding.span.end, comment.span.start) && sameLine(preceding.span.end, comment.span.start)) {
      return { node: preceding, as: 'trailing' };
    }
    if (following && sameLine(comment.span.end, following.span.start)) return { node: following, as: 'leading' };
    const emptyBrackets =
      (enclosing.kind === 'Call' && enclosing.args.length === 0 && enclosing.hasParens) ||
      ((enclosing.kind === 'List' || enclosing.kind === 'Tuple') && enclosing.items.length === 0);
    if (!emptyBrackets) {
      if (preceding && sameLine(preceding.span.end, comment.span.start)) return { node: preceding, as: 'trailing' };
      if (following) return { node: following, as: 'leading' };
      if (preceding) return { node: preceding, as: 'trailing' };
    }
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
          ? placeInSequence({ ...where, enclosing: sequence }, comment, brace, text)
          : place(where, comment, text, program.comments);
    } else {
      placement = place(where, comment, text, program.comments);
    }
    let entry = map.get(placement.node);
    if (!entry) {
      entry = { leading: [], trailing: [], dangling: [], onBraceLine: [] };
      map.set(placement.node, entry);
    }
    entry[placement.as].push(comment);
  }
  return map;
}
