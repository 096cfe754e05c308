import { performance } from 'node:perf_hooks';
import { diagnosticCodes } from '../../src/compiler/diagnostics/codes.js';
import type { AnalysisResult } from '../../src/compiler/compile.js';
import type { Span } from '../../src/compiler/source.js';
import { compileText } from '../helpers/compileText.js';

/*
 * Shared checks for the property-based tests: whatever the input, compiling it must return
 * (never throw), finish within a deadline, and every diagnostic must point inside a file the
 * compiler read and carry a code of the catalogue.
 */

/** Fixed so that a failure reproduces; change it only together with the expectations. */
export const seed = 20240611;

/** One input may take at most this long: a hang or a blow-up is a bug even without a crash. */
export const deadlineMs = 3000;

export interface Checked {
  readonly result: AnalysisResult;
  readonly ms: number;
}

/** Compiles `main.net` (and the other in-memory files) and times it. A throw propagates. */
export function compileTimed(text: string, files: Record<string, string> = {}): Checked {
  const start = performance.now();
  const result = compileText(text, files);
  return { result, ms: performance.now() - start };
}

/** Every problem with the diagnostics of a result, as readable strings (empty when all is well). */
export function diagnosticProblems(result: AnalysisResult): string[] {
  const problems: string[] = [];
  const checkSpan = (what: string, span: Span) => {
    const source = result.sources.get(span.file);
    if (!source) {
      problems.push(`${what}: span in unknown file ${JSON.stringify(span.file)}`);
      return;
    }
    const valid =
      Number.isInteger(span.start) &&
      Number.isInteger(span.end) &&
      span.start >= 0 &&
      span.start <= span.end &&
      span.end <= source.text.length;
    if (!valid) {
      problems.push(`${what}: span ${span.start}..${span.end} outside 0..${source.text.length}`);
    }
  };
  for (const d of result.diagnostics) {
    const what = `${d.code} ${JSON.stringify(d.message)}`;
    if (!Object.hasOwn(diagnosticCodes, d.code))
      problems.push(`${what}: code not in the catalogue`);
    if (d.message.trim() === '') problems.push(`${d.code}: empty message`);
    checkSpan(what, d.span);
    for (const label of d.labels ?? []) checkSpan(`${what} label`, label.span);
    for (const site of d.callSites ?? []) checkSpan(`${what} call site`, site);
  }
  return problems;
}

/** The whole contract for one input; throws a descriptive error when it is broken. */
export function assertCompilesSafely(text: string, files: Record<string, string> = {}): Checked {
  let checked: Checked;
  try {
    checked = compileTimed(text, files);
  } catch (error) {
    throw new Error(`the compiler threw on ${preview(text)}: ${(error as Error).stack ?? error}`);
  }
  const problems = diagnosticProblems(checked.result);
  if (problems.length > 0) {
    throw new Error(`bad diagnostics for ${preview(text)}:\n  ${problems.join('\n  ')}`);
  }
  if (checked.ms > deadlineMs) {
    throw new Error(
      `compiling ${preview(text)} took ${Math.round(checked.ms)} ms (deadline ${deadlineMs} ms)`,
    );
  }
  return checked;
}

export function hasErrors(result: AnalysisResult): boolean {
  return result.diagnostics.some((d) => d.severity === 'error');
}

/** A short, printable excerpt of an input for failure messages (fast-check prints the whole one). */
function preview(text: string): string {
  const shown = text.length > 200 ? `${text.slice(0, 200)}… (${text.length} characters)` : text;
  return JSON.stringify(shown);
}
