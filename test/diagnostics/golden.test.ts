import * as fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { generatedCases } from './generatedCases.js';
import {
  caseNames,
  codeInName,
  codesIn,
  expectedNames,
  expectedPath,
  casesDir,
  generatedDir,
  readExpected,
  renderCase,
  renderGenerated,
  updating,
} from './golden.js';

/*
 * Golden diagnostics: each bad `.net` file under cases/ is checked and its rendered output
 * compared with the `.expected` file beside it. `UPDATE_GOLDEN=1 npx vitest run test/diagnostics`
 * rewrites the `.expected` files; review the diff before committing it.
 */

const names = caseNames();

function compareOrUpdate(file: string, rendered: string): void {
  if (updating) {
    fs.writeFileSync(file, rendered);
    return;
  }
  const expected = readExpected(file);
  expect(expected, `missing ${file}; run with UPDATE_GOLDEN=1 to create it`).toBeDefined();
  expect(rendered).toBe(expected);
}

describe('golden diagnostics of the bad files in cases/', () => {
  it.each(names)('%s renders as its .expected file says', (name) => {
    compareOrUpdate(expectedPath(name), renderCase(name));
  });
});

describe('golden diagnostics of generated inputs', () => {
  it.each(generatedCases.map((c) => [c.name, c] as const))(
    '%s renders as its .expected file says',
    (_name, generated) => {
      if (updating) fs.mkdirSync(generatedDir, { recursive: true });
      compareOrUpdate(expectedPath(generated.name, generatedDir), renderGenerated(generated));
    },
  );
});

describe('the golden suite itself', () => {
  it('has at least 80 bad files', () => {
    expect(names.length + generatedCases.length).toBeGreaterThanOrEqual(80);
  });

  it('names every case after a code it shows, e.g. NETC3001-dense-on-image', () => {
    const misnamed = [...names, ...generatedCases.map((c) => c.name)].filter(
      (name) => codeInName(name) === undefined,
    );
    expect(misnamed).toEqual([]);
  });

  it.each(names)('%s reports the code it is named after', (name) => {
    const expected = readExpected(expectedPath(name)) ?? '';
    expect(codesIn(expected)).toContain(codeInName(name));
  });

  it.each(generatedCases.map((c) => c.name))('%s reports the code it is named after', (name) => {
    const expected = readExpected(expectedPath(name, generatedDir)) ?? '';
    expect(codesIn(expected)).toContain(codeInName(name));
  });

  it('keeps no .expected file without its case', () => {
    const stale = [
      ...expectedNames(casesDir).filter((name) => !names.includes(name)),
      ...expectedNames(generatedDir).filter((name) => !generatedCases.some((c) => c.name === name)),
    ];
    expect(stale).toEqual([]);
  });
});
