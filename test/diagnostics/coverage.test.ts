import * as fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { diagnosticCodes } from '../../src/compiler/diagnostics/codes.js';
import { allExpectedFiles, codesIn } from './golden.js';

/*
 * Every code of the catalogue must be shown by at least two different golden cases, so that
 * each documented diagnostic is known to be reachable and its rendering is reviewed.
 */

const minimumCases = 2;

/**
 * Codes that no input of `netc check` can trigger, with the reason. Keep this to run-time codes
 * tested elsewhere; an unreachable code belongs removed from the catalogue instead.
 */
const unreachable: Readonly<Record<string, string>> = {
  NETC5010:
    'raised by the WebGPU backend at run time, not by `netc check` (test/webgpu/errors.test.ts)',
  NETC5011:
    'raised by the WebGPU backend at run time, not by `netc check` (test/webgpu/errors.test.ts)',
  NETC5012:
    'raised by the WebGPU backend at run time, not by `netc check` (test/webgpu/errors.test.ts)',
  NETC5013:
    'raised by the WebGPU backend at run time, not by `netc check` (test/webgpu/errors.test.ts)',
};

/** For each code, the `.expected` files whose diagnostics include it. */
function casesPerCode(): Map<string, Set<string>> {
  const cases = new Map<string, Set<string>>();
  for (const file of allExpectedFiles()) {
    for (const code of codesIn(fs.readFileSync(file, 'utf8'))) {
      const files = cases.get(code) ?? new Set<string>();
      files.add(file);
      cases.set(code, files);
    }
  }
  return cases;
}

describe('coverage of the diagnostic catalogue by golden cases', () => {
  const perCode = casesPerCode();
  const catalogue = Object.keys(diagnosticCodes);

  it(`shows every code in at least ${minimumCases} golden cases`, () => {
    const uncovered = catalogue
      .filter((code) => !(code in unreachable))
      .filter((code) => (perCode.get(code)?.size ?? 0) < minimumCases)
      .map((code) => `${code} (${perCode.get(code)?.size ?? 0} cases)`);
    expect(uncovered).toEqual([]);
  });

  it('shows no code that is missing from the catalogue', () => {
    expect([...perCode.keys()].filter((code) => !catalogue.includes(code))).toEqual([]);
  });

  it('allows only codes of the catalogue to be unreachable, and none that a case shows', () => {
    for (const code of Object.keys(unreachable)) {
      expect(catalogue).toContain(code);
      expect(perCode.has(code)).toBe(false);
    }
  });
});
