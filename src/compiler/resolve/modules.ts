import * as path from 'node:path';
import type { DiagnosticBag } from '../diagnostics/diagnostic.js';
import { suggestionHelp } from '../diagnostics/didYouMean.js';
import type { SourceFile } from '../source.js';
import type { BlockDecl, ConstDecl, ImportDecl, NetworkDecl, Program } from '../syntax/ast.js';
import { parseSource } from '../syntax/parse.js';

/** A top-level definition that other code can refer to by name. */
export type Symbol =
  | { readonly kind: 'const'; readonly decl: ConstDecl; readonly module: Module }
  | { readonly kind: 'block'; readonly decl: BlockDecl; readonly module: Module }
  | { readonly kind: 'network'; readonly decl: NetworkDecl; readonly module: Module };

export interface Module {
  /** The path used in spans and messages: as given for the entry, joined for imports. */
  readonly path: string;
  readonly source: SourceFile;
  readonly program: Program;
  /** Names defined in this file. */
  readonly own: ReadonlyMap<string, Symbol>;
  /** Names visible in this file: its own plus imported ones. */
  readonly scope: Map<string, Symbol>;
  /**
   * What imports that failed (unreadable file, cycle, missing name) would have brought into
   * scope: the names they list, or anything (`all`) for an `import "..."` of a whole file.
   */
  readonly failedImports: { readonly names: Set<string>; all: boolean };
}

export interface ModuleGraph {
  readonly entry: Module | undefined;
  readonly modules: ReadonlyMap<string, Module>;
}

export type ReadFile = (filePath: string) => string;

/**
 * Reads and parses the entry file and, transitively, every file it imports; fills each
 * module's scope. Missing files, cycles, unknown imported names and duplicates are reported.
 * Files are visited depth first with an explicit stack, so a long chain of imports cannot
 * overflow the call stack.
 */
export function loadModules(
  entryPath: string,
  readFile: ReadFile,
  diagnostics: DiagnosticBag,
): ModuleGraph {
  const modules = new Map<string, Module>();
  /** Files whose imports are being followed: an import of one of them closes a cycle. */
  const loading = new Set<string>();
  const stack: { readonly key: string; readonly module: Module; next: number }[] = [];

  const open = (displayPath: string): Module | undefined => {
    const module = readModule(displayPath, readFile, diagnostics);
    if (!module) return undefined;
    const key = path.resolve(displayPath);
    modules.set(key, module);
    loading.add(key);
    stack.push({ key, module, next: 0 });
    return module;
  };

  const entry = open(entryPath);
  while (stack.length > 0) {
    const frame = stack[stack.length - 1]!;
    const definitions = frame.module.program.definitions;
    while (frame.next < definitions.length && definitions[frame.next]!.kind !== 'Import') {
      frame.next++;
    }
    const decl = definitions[frame.next++] as ImportDecl | undefined;
    if (!decl) {
      loading.delete(frame.key);
      stack.pop();
      continue;
    }
    const target = joinImportPath(frame.module.path, decl.path.value);
    const key = path.resolve(target);
    if (loading.has(key)) {
      reportCycle(frame.module, decl, diagnostics);
      continue;
    }
    const imported = modules.get(key) ?? open(target);
    if (!imported) {
      reportUnreadable(frame.module, decl, target, diagnostics);
      continue;
    }
    importNames(frame.module, decl, imported, diagnostics);
  }
  return { entry, modules };
}

/** Reads and parses one file and collects its own definitions; undefined when unreadable. */
function readModule(
  displayPath: string,
  readFile: ReadFile,
  diagnostics: DiagnosticBag,
): Module | undefined {
  let text: string;
  try {
    text = readFile(displayPath);
  } catch {
    return undefined;
  }
  const source: SourceFile = { path: displayPath, text };
  const parsed = parseSource(source);
  for (const d of parsed.diagnostics) diagnostics.report(d);
  const own = collectOwnSymbols(parsed.program, diagnostics);
  const module: Module = {
    path: displayPath,
    source,
    program: parsed.program,
    own: new Map(),
    scope: new Map(),
    failedImports: { names: new Set(), all: false },
  };
  for (const [name, symbol] of own) {
    (module.own as Map<string, Symbol>).set(name, { ...symbol, module });
    module.scope.set(name, { ...symbol, module });
  }
  return module;
}

function reportCycle(module: Module, decl: ImportDecl, diagnostics: DiagnosticBag): void {
  noteFailedImport(module, decl);
  diagnostics.error(
    'NETC2004',
    decl.path.span,
    `import cycle: \`${decl.path.value}\` imports this file back`,
    {
      help: 'move the shared definitions into a third file that both import',
    },
  );
}

function reportUnreadable(
  module: Module,
  decl: ImportDecl,
  target: string,
  diagnostics: DiagnosticBag,
): void {
  noteFailedImport(module, decl);
  diagnostics.error(
    'NETC2003',
    decl.path.span,
    `cannot read imported file \`${decl.path.value}\``,
    {
      notes: [`looked for \`${target}\``],
      help: 'import paths are relative to the importing file, e.g. `import "./blocks.net"`',
    },
  );
}

/** Remembers what an import that failed would have provided, so its uses are not reported. */
function noteFailedImport(module: Module, decl: ImportDecl): void {
  if (!decl.names) module.failedImports.all = true;
  for (const { name } of decl.names ?? []) {
    if (!module.scope.has(name)) module.failedImports.names.add(name);
  }
}

/** Brings the names an import asks for (all of the file's own when none are listed) into scope. */
function importNames(
  module: Module,
  decl: ImportDecl,
  imported: Module,
  diagnostics: DiagnosticBag,
): void {
  const names = decl.names ?? [...imported.own.keys()].map((name) => ({ name, span: decl.span }));
  for (const { name, span } of names) {
    const symbol = imported.own.get(name);
    if (!symbol) {
      if (!module.scope.has(name)) module.failedImports.names.add(name);
      diagnostics.error('NETC2005', span, `\`${decl.path.value}\` defines no \`${name}\``, {
        help: suggestionHelp(name, imported.own.keys()),
      });
      continue;
    }
    const clash = module.scope.get(name);
    if (clash && clash.decl !== symbol.decl) {
      diagnostics.error('NETC2002', span, `\`${name}\` is already defined in this file`, {
        labels: [{ span: clash.decl.name.span, message: 'first defined here' }],
        help: 'rename one of them, or import only the names you need with `import { A } from "..."`',
      });
      continue;
    }
    module.scope.set(name, symbol);
  }
}

/** Whether an import of `module` that failed could have provided `name` (already reported). */
export function mayBeFromFailedImport(module: Module, name: string): boolean {
  return module.failedImports.all || module.failedImports.names.has(name);
}

function joinImportPath(importer: string, relative: string): string {
  return path.normalize(path.join(path.dirname(importer), relative));
}

type UnboundSymbol =
  | { readonly kind: 'const'; readonly decl: ConstDecl }
  | { readonly kind: 'block'; readonly decl: BlockDecl }
  | { readonly kind: 'network'; readonly decl: NetworkDecl };

function collectOwnSymbols(
  program: Program,
  diagnostics: DiagnosticBag,
): Map<string, UnboundSymbol> {
  const own = new Map<string, UnboundSymbol>();
  for (const definition of program.definitions) {
    let symbol: UnboundSymbol;
    switch (definition.kind) {
      case 'Const':
        symbol = { kind: 'const', decl: definition };
        break;
      case 'Block':
        symbol = { kind: 'block', decl: definition };
        break;
      case 'Network':
        symbol = { kind: 'network', decl: definition };
        break;
      default:
        continue;
    }
    const name = definition.name.name;
    const first = own.get(name);
    if (first) {
      diagnostics.error('NETC2002', definition.name.span, `\`${name}\` is defined twice`, {
        labels: [{ span: first.decl.name.span, message: 'first defined here' }],
        help: 'rename one of the definitions',
      });
      continue;
    }
    own.set(name, symbol);
  }
  return own;
}
