import type { Comment, Program } from '../compiler/syntax/ast.js';
import {
  childNodes,
  isSequenceItem,
  isSequenceNode,
  type AnyNode,
  type SequenceNode,
} from './nodes.js';
import { aloneOnLine, endsLine, nextCodeOffset } from './sourceText.js';

/*
 * Gives every comment of the file one home, so the printer prints each exactly once:
 * leading (before a node), trailing (after a node) or dangling (inside a node, next to
 * none of its children: at the end of a body, inside an empty `()`); the dangling comments
 * on the line of a body's opening `{` are kept apart. Doc comments (`///`) are ordinary
 * comments here: the formatter ignores the AST's `doc` fields.
 *
 * The rules are Prettier's (a comment alone on its line leads the next node, one at the end
 * of a line trails the node before it), refined so that printing the result and attaching
 * again gives the same homes: formatting must be idempotent.
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
  // Children are in source order and never overlap: binary search for the first child that
  // starts after the comment.
  const children = childNodes(node);
  let low = 0;
  let high = children.length;
  while (low < high) {
    const middle = (low + high) >> 1;
    if (children[middle]!.span.start < comment.span.end) low = middle + 1;
    else high = middle;
  }
  const before = children[low - 1];
  if (before && before.span.start <= comment.span.start && comment.span.end <= before.span.end) {
    return locate(before, comment);
  }
  return { enclosing: node, preceding: before, following: children[low] };
}

/** Where the `{` that opens a sequence's items is (-1 for the file itself). */
function openBraceOffset(node: SequenceNode, text: string, comments: readonly Comment[]): number {
  if (node.kind === 'Program') return -1;
  if (node.kind === 'Body') return node.span.start;
  const header = node.kind === 'Train' ? [node.target] : [node.name, ...node.args];
  let offset = nextCodeOffset(text, header[header.length - 1]!.span.end, comments);
  while (offset < text.length && text[offset] !== '{')
    offset = nextCodeOffset(text, offset + 1, comments);
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
  const precedingItem =
    where.preceding && isSequenceItem(where.preceding) ? where.preceding : undefined;
  const onLineAfter = (offset: number) => !/[\r\n]/.test(text.slice(offset, comment.span.start));
  if (precedingItem && onLineAfter(precedingItem.span.end))
    return { node: precedingItem, as: 'trailing' };
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
      return (
        child.kind === 'NetworkInput' ||
        (child.kind === 'NetworkOutput' && child.name !== undefined)
      );
    case 'Import':
      return child.kind === 'Identifier';
    default:
      return false;
  }
}

interface Source {
  readonly text: string;
  readonly comments: readonly Comment[];
}

function place(where: Neighbours, comment: Comment, source: Source): Placement {
  const { text } = source;
  if (aloneOnLine(text, comment.span.start, comment.span.end)) return placeOwnLine(where);
  if (endsLine(text, comment.span.end)) return placeEndOfLine(where);
  return placeInline(where, comment, source);
}

function placeOwnLine({ enclosing, preceding, following }: Neighbours): Placement {
  // Printed before a node that is not at the start of a line, a comment line would pull the
  // node onto the comment's line; it goes after the node before it instead.
  if (following && (startsItsLine(following, enclosing) || !preceding)) {
    return { node: following, as: 'leading' };
  }
  if (preceding) return { node: preceding, as: 'trailing' };
  return { node: enclosing, as: 'dangling' };
}

function placeEndOfLine({ enclosing, preceding, following }: Neighbours): Placement {
  if (preceding) return { node: preceding, as: 'trailing' };
  if (following) return { node: following, as: 'leading' };
  return { node: enclosing, as: 'dangling' };
}

/** A comment with code on both sides: it sticks to the node it touches, else to its line. */
function placeInline(where: Neighbours, comment: Comment, { text, comments }: Source): Placement {
  const { enclosing, preceding, following } = where;
  const nothingBetween = (from: number, to: number) => nextCodeOffset(text, from, comments) >= to;
  const sameLine = (from: number, to: number) => !/[\r\n]/.test(text.slice(from, to));
  const { start, end } = comment.span;
  if (following && nothingBetween(end, following.span.start)) {
    return { node: following, as: 'leading' };
  }
  if (
    preceding &&
    nothingBetween(preceding.span.end, start) &&
    sameLine(preceding.span.end, start)
  ) {
    return { node: preceding, as: 'trailing' };
  }
  if (following && sameLine(end, following.span.start)) return { node: following, as: 'leading' };
  const insideEmptyBrackets =
    (enclosing.kind === 'Call' && enclosing.hasParens && enclosing.args.length === 0) ||
    ((enclosing.kind === 'List' || enclosing.kind === 'Tuple') && enclosing.items.length === 0);
  if (insideEmptyBrackets) return { node: enclosing, as: 'dangling' };
  if (preceding && sameLine(preceding.span.end, start)) return { node: preceding, as: 'trailing' };
  if (following) return { node: following, as: 'leading' };
  if (preceding) return { node: preceding, as: 'trailing' };
  return { node: enclosing, as: 'dangling' };
}

export function attachComments(program: Program, text: string): CommentMap {
  const source: Source = { text, comments: program.comments };
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
          : place(where, comment, source);
    } else {
      placement = place(where, comment, source);
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
