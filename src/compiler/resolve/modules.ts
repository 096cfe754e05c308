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
}

export interface ModuleGraph {
  readonly entry: Module | undefined;
  readonly modules: ReadonlyMap<string, Module>;
}

export type ReadFile = (filePath: string) => string;

/**
 * Reads and parses the entry file and, transitively, every file it imports; fills each
 * module's scope. Missing files, cycles, unknown imported names and duplicates are reported.
 */
export function loadModules(
  entryPath: string,
  readFile: ReadFile,
  diagnostics: DiagnosticBag,
): ModuleGraph {
  const modules = new Map<string, Module>();
  const loading = new Set<string>();

  function load(displayPath: string): Module | undefined {
    const key = path.resolve(displayPath);
    const existing = modules.get(key);
    if (existing) return existing;
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
    };
    for (const [name, symbol] of own) {
      (module.own as Map<string, Symbol>).set(name, { ...symbol, module });
      module.scope.set(name, { ...symbol, module });
    }
    modules.set(key, module);
    loading.add(key);
    for (const definition of parsed.program.definitions) {
      if (definition.kind === 'Import') importInto(module, definition);
    }
    loading.delete(key);
    return module;
  }

  function importInto(module: Module, decl: ImportDecl): void {
    const target = joinImportPath(module.path, decl.path.value);
    const key = path.resolve(target);
    if (loading.has(key)) {
      diagnostics.error(
        'NETC2004',
        decl.path.span,
        `import cycle: \`${decl.path.value}\` imports this file back`,
        {
          help: 'move the shared definitions into a third file that both import',
        },
      );
      return;
    }
    const imported = load(target);
    if (!imported) {
      diagnostics.error(
        'NETC2003',
        decl.path.span,
        `cannot read imported file \`${decl.path.value}\``,
        {
          notes: [`looked for \`${target}\``],
          help: 'import paths are relative to the importing file, e.g. `import "./blocks.net"`',
        },
      );
      return;
    }
    const names = decl.names ?? [...imported.own.keys()].map((name) => ({ name, span: decl.span }));
    for (const { name, span } of names) {
      const symbol = imported.own.get(name);
      if (!symbol) {
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

  const entry = load(entryPath);
  return { entry, modules };
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
