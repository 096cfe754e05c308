import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { renderGithub } from '../../src/compiler/diagnostics/render/github.js';
import { renderJson } from '../../src/compiler/diagnostics/render/json.js';
import { renderSarif } from '../../src/compiler/diagnostics/render/sarif.js';
import { renderText } from '../../src/compiler/diagnostics/render/text.js';
import { diagnostic, sourcesOf } from './build.js';

/** Text with the characters that make frames hard: tabs, CR, LF, surrogate pairs, controls. */
const sourceText = fc
  .array(fc.constantFrom('a', 'b', ' ', '\t', '\n', '\r\n', '😀', '\u001b', 'é', '('), {
    maxLength: 80,
  })
  .map((parts) => parts.join(''));

const spanIn = (length: number) =>
  fc
    .tuple(fc.integer({ min: -2, max: length + 2 }), fc.integer({ min: -2, max: length + 2 }))
    .map(([start, end]) => ({ file: 'f.net', start, end }));

describe('renderers on arbitrary text and spans', () => {
  it('never throw, print no control characters, and put the first marker under the span start', () => {
    fc.assert(
      fc.property(
        sourceText.chain((text) =>
          fc.tuple(fc.constant(text), spanIn(text.length), spanIn(text.length)),
        ),
        ([text, span, labelSpan]) => {
          const sources = sourcesOf({ 'f.net': text });
          const d = diagnostic({
            span,
            labels: [{ span: labelSpan, message: 'here' }],
            callSites: [labelSpan],
            help: 'fix',
          });
          const rendered = renderText([d], sources);
          expect(rendered).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f]/);
          const [, sourceLine, underline] = rendered.split('\n');
          expect(underline).toMatch(/^ {5}\| *\^+$/);
          expect(sourceLine).toMatch(/^ +\d+ \|/);
          for (const render of [renderJson, renderGithub, renderSarif]) {
            expect(() => render([d], sources)).not.toThrow();
          }
          const [item] = JSON.parse(renderJson([d], sources)).diagnostics;
          expect(item.endLine > item.line || item.endColumn >= item.column).toBe(true);
        },
      ),
      { seed: 20240601, numRuns: 500 },
    );
  });
});
