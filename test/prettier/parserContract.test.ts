import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseSource } from '../../src/compiler/syntax/parse.js';
import { childNodes, type AnyNode } from '../../src/prettier/nodes.js';

/*
 * What the formatter relies on from the parser's spans: every child lies inside its parent,
 * children come in source order without overlapping, a body's span starts at its `{`, and
 * each comment's span holds exactly its text.
 */

const root = path.join(import.meta.dirname, '..', '..');
const files = [
  ...readdirSync(path.join(root, 'examples')).map((name) => path.join(root, 'examples', name)),
  ...readdirSync(path.join(import.meta.dirname, 'cases')).map((name) =>
    path.join(import.meta.dirname, 'cases', name),
  ),
].filter((file) => file.endsWith('.net'));

function problemsIn(node: AnyNode, text: string): string[] {
  const problems: string[] = [];
  if (node.kind === 'Body' && text[node.span.start] !== '{') {
    problems.push(`body at ${node.span.start} does not start at \`{\``);
  }
  let previousEnd = node.span.start;
  for (const child of childNodes(node)) {
    if (child.span.start < previousEnd || child.span.end > node.span.end) {
      problems.push(`${child.kind} at ${child.span.start} is out of place in ${node.kind}`);
    }
    previousEnd = child.span.end;
    problems.push(...problemsIn(child, text));
  }
  return problems;
}

describe('the spans the formatter relies on', () => {
  it.each(files.map((file) => [path.relative(root, file), file]))('%s', (_name, file) => {
    const text = readFileSync(file, 'utf8');
    const { program } = parseSource({ path: file, text });
    expect(problemsIn(program, text)).toEqual([]);
    const comments = program.comments.map((c) => text.slice(c.span.start, c.span.end));
    expect(comments).toEqual(program.comments.map((c) => c.text));
  });
});
