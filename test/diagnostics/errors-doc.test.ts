import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { diagnosticCodes } from '../../src/compiler/diagnostics/codes.js';

/* docs/errors.md documents every code of the catalogue, and only those. */

const doc = fs.readFileSync(path.resolve(import.meta.dirname, '../../docs/errors.md'), 'utf8');
const catalogue = Object.keys(diagnosticCodes);
const headings = [...doc.matchAll(/^### (NETC\d{4})$/gm)].map((match) => match[1]!);

/** The text of the section under `### code`, up to the next heading. */
function section(code: string): string {
  const heading = `### ${code}\n`;
  const start = doc.indexOf(heading) + heading.length;
  const next = doc.slice(start).search(/^#{2,3} /m);
  return next < 0 ? doc.slice(start) : doc.slice(start, start + next);
}

describe('docs/errors.md', () => {
  it('has a `### NETCxxxx` heading for every code of the catalogue', () => {
    expect(catalogue.filter((code) => !headings.includes(code))).toEqual([]);
  });

  it('mentions no code that is not in the catalogue', () => {
    const mentioned = new Set(doc.match(/NETC\d{4}/g) ?? []);
    expect([...mentioned].filter((code) => !catalogue.includes(code))).toEqual([]);
  });

  it('documents each code once, in the order of the catalogue', () => {
    expect(headings).toEqual(catalogue);
  });

  it.each(catalogue)('shows a rendered %s and how to fix it', (code) => {
    const text = section(code);
    expect(text).toMatch(new RegExp(`^\\S+:\\d+:\\d+ (error|warning) ${code}: `, 'm'));
    expect(text).toContain('**Fix:**');
  });
});
