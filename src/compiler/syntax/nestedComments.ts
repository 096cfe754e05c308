import type { IToken } from 'chevrotain';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { BlockComment, Slash, Star } from './tokens.js';
import { tokenEnd } from './spans.js';

/**
 * Block comments do not nest: in `/* old /* note *\/ code *\/` the comment ends at the first
 * `*\/` and `code *\/` is read as source. When a block comment holds a `/*` and a stray `*\/`
 * (`*` directly followed by `/`) comes after it, the first error between the two is the
 * symptom: it gets a label at the inner `/*` and a help that says why; so does the error at
 * the stray `*\/` itself.
 */
export function explainNestedComments(
  diagnostics: readonly Diagnostic[],
  comments: readonly IToken[],
  tokens: readonly IToken[],
  file: string,
): Diagnostic[] {
  const strayEnds: number[] = [];
  for (let i = 0; i + 1 < tokens.length; i++) {
    const [star, slash] = [tokens[i]!, tokens[i + 1]!];
    if (
      star.tokenType === Star &&
      slash.tokenType === Slash &&
      slash.startOffset === tokenEnd(star)
    )
      strayEnds.push(star.startOffset);
  }
  if (strayEnds.length === 0) return [...diagnostics];
  const explained = [...diagnostics];
  let next = 0; // comments and stray ends are both in source order
  for (const comment of comments) {
    if (comment.tokenType !== BlockComment) continue;
    const inner = comment.image.indexOf('/*', 2);
    if (inner < 0) continue;
    const end = tokenEnd(comment);
    while (next < strayEnds.length && strayEnds[next]! < end) next++;
    const strayEnd = strayEnds[next];
    if (strayEnd === undefined) break;
    const index = explained.findIndex((d) => d.span.start >= end && d.span.start <= strayEnd + 1);
    if (index < 0) continue;
    const symptom = explained[index]!;
    const start = comment.startOffset + inner;
    explained[index] = {
      ...symptom,
      labels: [
        ...(symptom.labels ?? []),
        {
          span: { file, start, end: start + 2 },
          message: 'this `/*` does not open a nested comment',
        },
      ],
      help: 'block comments do not nest, so the comment ended at the first `*/`; write the inner comment with `//`',
    };
    const stray = explained.findIndex((d, i) => i !== index && d.span.start === strayEnd);
    if (stray >= 0) {
      explained[stray] = {
        ...explained[stray]!,
        help: 'this `*/` closes no comment: block comments do not nest',
      };
    }
  }
  return explained;
}
