import * as path from 'node:path';
import { analyzeFile, type AnalysisResult } from '../../src/compiler/compile.js';
import type { IRNetwork } from '../../src/compiler/ir/ir.js';
import { lineColumnAt } from '../../src/compiler/source.js';

/** Compiles `main.net` with the given text, plus other in-memory files it may import. */
export function compileText(text: string, files: Record<string, string> = {}): AnalysisResult {
  const all: Record<string, string> = { 'main.net': text, ...files };
  return analyzeFile('main.net', {
    readFile: (p) => {
      const found = all[path.normalize(p)];
      if (found === undefined) throw new Error(`ENOENT: ${p}`);
      return found;
    },
  });
}

/** `CODE@line:col` for every diagnostic, in order: compact enough to assert in one line. */
export function diagnosticsAt(result: AnalysisResult): string[] {
  return result.diagnostics.map((d) => {
    const source = result.sources.get(d.span.file);
    const at = source ? lineColumnAt(source, d.span.start) : { line: 0, column: 0 };
    return `${d.code}@${at.line}:${at.column}`;
  });
}

export function networkOf(result: AnalysisResult, name: string): IRNetwork {
  const network = result.networks.get(name);
  if (!network) {
    throw new Error(
      `network ${name} did not compile: ${result.diagnostics.map((d) => `${d.code} ${d.message}`).join('; ')}`,
    );
  }
  return network;
}

/** Trainable parameter elements, each shared parameter counted once (torch `.parameters()`). */
export function parameterCount(network: IRNetwork): number {
  return network.params
    .filter((p) => p.trainable)
    .reduce((sum, p) => sum + p.shape.reduce((a, b) => a * b, 1), 0);
}

export function paramNames(network: IRNetwork): string[] {
  return network.params.map((p) => p.name);
}

export function outputShapes(network: IRNetwork): Record<string, readonly number[]> {
  return Object.fromEntries(network.outputs.map((o) => [o.name, network.nodes[o.value]!.shape]));
}
