import { prettierLayout } from './literal.js';

/*
 * Pieces of TypeScript source laid out as prettier lays them out, for generated modules:
 * doc comments wrapped to the line width, and method signatures that go on one line when
 * they fit and put one parameter per line when they do not.
 */

const width = prettierLayout.width;

/**
 * A `/** ... *\/` comment at `indent` spaces: on one line when `paragraphs` is one short
 * paragraph, otherwise one ` * ` line per wrapped line and a blank ` *` line between
 * paragraphs. Words are never broken; `*\/` in the text is escaped.
 */
export function docComment(indent: number, paragraphs: readonly string[]): string {
  const pad = ' '.repeat(indent);
  const texts = paragraphs.map((p) => p.replaceAll('*/', '*\\/').trim()).filter(Boolean);
  const one = `${pad}/** ${texts[0] ?? ''} */`;
  if (texts.length === 1 && one.length <= width && !texts[0]!.includes('\n')) return one;
  const lines: string[] = [`${pad}/**`];
  texts.forEach((text, i) => {
    if (i > 0) lines.push(`${pad} *`);
    for (const line of wrap(text, width - indent - 3)) lines.push(`${pad} * ${line}`.trimEnd());
  });
  lines.push(`${pad} */`);
  return lines.join('\n');
}

/** Words into lines of at most `max` characters (a longer word gets a line of its own). */
export function wrap(text: string, max: number): string[] {
  const lines: string[] = [];
  for (const paragraphLine of text.split('\n')) {
    let line = '';
    for (const word of paragraphLine.split(/\s+/).filter(Boolean)) {
      if (line && line.length + 1 + word.length > max) {
        lines.push(line);
        line = word;
      } else line = line ? `${line} ${word}` : word;
    }
    lines.push(line);
  }
  return lines;
}

/**
 * `head(params)tail` at `indent` spaces, on one line when it fits in the width, else with
 * one parameter per line (and a trailing comma), as prettier prints a signature.
 * `tail` is what follows the parameter list up to the line's end, e.g. `: Promise<X> {`.
 */
export function signature(
  indent: number,
  head: string,
  params: readonly string[],
  tail: string,
): string {
  const pad = ' '.repeat(indent);
  const one = `${pad}${head}(${params.join(', ')})${tail}`;
  if (one.length <= width || params.length === 0) return one;
  const inner = ' '.repeat(indent + prettierLayout.indentWidth);
  return `${pad}${head}(\n${params.map((p) => `${inner}${p},`).join('\n')}\n${pad})${tail}`;
}
