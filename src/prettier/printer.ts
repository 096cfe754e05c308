import type { AstPath, Doc, Printer } from 'prettier';
import type { Comment } from '../compiler/syntax/ast.js';
import { attachComments } from './attachComments.js';
import type { PrintContext } from './comments.js';
import type { AnyNode, NetcFile } from './nodes.js';
import { printProgram } from './printDefinitions.js';

/*
 * The Prettier printer. Prettier hands over the whole file; the printer builds the Doc for
 * it in one pass and places the comments itself (Prettier's own comment attachment is not
 * used: the file's comments stay on `program.comments`, out of Prettier's sight).
 */

export type NetcNode = NetcFile | AnyNode | Comment;

function print(path: AstPath<NetcNode>): Doc {
  const node = path.node;
  if (node.kind !== 'NetcFile')
    throw new Error(`netc formatter bug: asked to print a ${node.kind} on its own`);
  const { program, text } = node;
  const ctx: PrintContext = {
    text,
    allComments: program.comments,
    comments: attachComments(program, text),
    printed: new Set(),
  };
  const printed = printProgram(program, ctx);
  const missed = program.comments.find((comment) => !ctx.printed.has(comment));
  if (missed) throw new Error(`netc formatter bug: comment not printed: ${missed.text}`);
  return printed;
}

/**
 * The properties holding child nodes, for Prettier's own walks (it finds the node under the
 * cursor with them); positions are not nodes.
 */
function getVisitorKeys(node: NetcNode, nonTraversable: Set<string>): string[] {
  const fields = node as unknown as Record<string, unknown>;
  return Object.keys(fields).filter(
    (key) =>
      !nonTraversable.has(key) &&
      key !== 'span' &&
      key !== 'operatorSpan' &&
      typeof fields[key] === 'object' &&
      fields[key] !== null,
  );
}

export const netcPrinter: Printer<NetcNode> = { print, getVisitorKeys };
