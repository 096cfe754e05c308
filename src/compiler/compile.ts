import * as fs from 'node:fs';
import {
  DiagnosticBag,
  dedupeDiagnostics,
  sortDiagnostics,
  type Diagnostic,
} from './diagnostics/diagnostic.js';
import type { IRNetwork, ValueId } from './ir/ir.js';
import { limits } from './limits.js';
import { buildNetwork } from './resolve/buildNetwork.js';
import type { Session } from './resolve/expand/context.js';
import { loadModules, type ReadFile } from './resolve/modules.js';
import { moduleConstEvaluator } from './resolve/moduleConsts.js';
import { findRecursion } from './resolve/recursion.js';
import type { SourceFile } from './source.js';
import { checkTrainSections } from './resolve/trainSections.js';
import type { TrainConfig } from './train/trainConfig.js';
import { verifyNetwork } from './ir/verify.js';

export interface CompileOptions {
  /** Reads a file; defaults to the file system (UTF-8). */
  readonly readFile?: ReadFile;
}

export interface AnalysisResult {
  /** Every network defined in the entry file (not imported ones) that compiled without errors. */
  readonly networks: ReadonlyMap<string, IRNetwork>;
  /** Every network built, imported ones included (train sections may use them). */
  readonly allNetworks: ReadonlyMap<string, IRNetwork>;
  /** Validated `train` sections of the entry file. */
  readonly trains: readonly TrainConfig[];
  readonly diagnostics: readonly Diagnostic[];
  /** Every file read, keyed by the path used in spans. */
  readonly sources: ReadonlyMap<string, SourceFile>;
}

/** The whole front end: parse, resolve imports, expand and shape-check networks, check training. */
export function analyzeFile(path: string, options: CompileOptions = {}): AnalysisResult {
  const diagnostics = new DiagnosticBag();
  const readFile = options.readFile ?? readSourceFile;
  const graph = loadModules(path, readFile, diagnostics);
  const sources = new Map([...graph.modules.values()].map((m) => [m.path, m.source]));
  const entry = graph.entry;
  if (!entry) return unreadable(path, diagnostics, sources);

  const recursive = findRecursion(graph.modules.values(), diagnostics);
  const moduleConsts = moduleConstEvaluator(diagnostics);
  const session: Session = {
    diagnostics,
    recursive,
    moduleConstScope: (env) => moduleConsts(env.module),
  };
  for (const symbol of entry.own.values())
    if (symbol.kind === 'const') moduleConsts(entry).lookup(symbol.decl.name.name);

  const networks = new Map<string, IRNetwork>();
  const namedValues = new Map<string, ReadonlyMap<string, ValueId>>();
  const broken = new Set<string>();
  for (const [name, symbol] of entry.scope) {
    if (symbol.kind !== 'network') continue;
    const built = buildNetwork(symbol, session);
    if (!built) {
      broken.add(name);
      continue;
    }
    for (const problem of verifyNetwork(built.network)) {
      throw new Error(`internal compiler error: invalid IR for \`${name}\`: ${problem}`);
    }
    networks.set(name, built.network);
    namedValues.set(name, built.namedValues);
  }
  const trains = checkTrainSections(entry, {
    networks,
    namedValues,
    broken,
    diagnostics,
    moduleConsts: moduleConsts(entry),
  });
  const own = new Map([...networks].filter(([name]) => entry.own.get(name)?.kind === 'network'));
  return {
    networks: own,
    allNetworks: networks,
    trains,
    diagnostics: sortDiagnostics(dedupeDiagnostics(diagnostics.items)),
    sources,
  };
}

function readSourceFile(path: string): string {
  const stat = fs.statSync(path);
  if (!stat.isFile()) throw new Error(`${path} is not a file`);
  if (stat.size > limits.maxFileBytes * 4) throw new Error(`${path} is too large`);
  return fs.readFileSync(path, 'utf8');
}

function unreadable(
  path: string,
  diagnostics: DiagnosticBag,
  sources: Map<string, SourceFile>,
): AnalysisResult {
  const source: SourceFile = { path, text: '' };
  sources.set(path, source);
  diagnostics.error('NETC5009', { file: path, start: 0, end: 0 }, `cannot read \`${path}\``, {
    help: 'check the path and that the file is readable',
  });
  return {
    networks: new Map(),
    allNetworks: new Map(),
    trains: [],
    diagnostics: diagnostics.items,
    sources,
  };
}
