import * as fs from 'node:fs';
import * as path from 'node:path';
import { analyzeFile } from '../compiler/compile.js';
import { didYouMean } from '../compiler/diagnostics/didYouMean.js';
import type { IRNetwork } from '../compiler/ir/ir.js';
import { renderSummaryText, summarizeNetwork, summaryJson } from '../compiler/summary.js';
import type { CliIO } from './io.js';
import { countErrors, reportText, usageError } from './report.js';

export interface SummaryOptions {
  /** Only this network; all networks of the file otherwise. */
  readonly network?: string;
  readonly json: boolean;
}

/**
 * `netc summary <file>`: a table (or JSON) per network of the file. Errors in the file are
 * printed as `netc check` prints them and give 1; warnings are printed and the summary follows.
 */
export function runSummary(file: string, options: SummaryOptions, io: CliIO): number {
  const absolute = path.resolve(io.cwd, file);
  if (!fs.existsSync(absolute)) return usageError(io, `cannot find \`${file}\``);
  if (fs.statSync(absolute).isDirectory()) {
    return usageError(io, `\`${file}\` is a directory; \`netc summary\` takes one file`);
  }

  const result = analyzeFile(absolute);
  reportText(result.diagnostics, result.sources, 1, io);
  if (countErrors(result.diagnostics) > 0) return 1;

  const available = [...result.networks.values()];
  const chosen = options.network === undefined ? available : pick(available, options.network);
  if (chosen === undefined)
    return usageError(io, unknownNetwork(file, options.network!, available));

  const summaries = chosen.map(summarizeNetwork);
  if (options.json) {
    io.stdout(summaryJson(summaries));
  } else if (summaries.length === 0) {
    io.stderr(`\`${file}\` defines no networks\n`);
  } else {
    io.stdout(summaries.map(renderSummaryText).join('\n'));
  }
  return 0;
}

function pick(networks: readonly IRNetwork[], name: string): IRNetwork[] | undefined {
  const found = networks.find((n) => n.name === name);
  return found === undefined ? undefined : [found];
}

function unknownNetwork(file: string, name: string, networks: readonly IRNetwork[]): string {
  const names = networks.map((n) => n.name);
  if (names.length === 0) return `no network \`${name}\` in \`${file}\`: it defines no networks`;
  const suggestion = didYouMean(name, names);
  const hint = suggestion === undefined ? '' : `; did you mean \`${suggestion}\`?`;
  return `no network \`${name}\` in \`${file}\`${hint}\n  available: ${names.map((n) => `\`${n}\``).join(', ')}`;
}
