import type { DiagnosticBag } from '../diagnostics/diagnostic.js';
import type { ConstDecl } from '../syntax/ast.js';
import { evalConst, type ConstScope } from './evalConst.js';
import type { Module } from './modules.js';
import type { ConstValue } from './values.js';

/**
 * Evaluates top-level `const`s on demand, once each, in their own file's scope.
 * A `const` that depends on itself is reported instead of looping.
 */
export function moduleConstEvaluator(diagnostics: DiagnosticBag): (module: Module) => ConstScope {
  const values = new Map<ConstDecl, ConstValue | undefined | 'evaluating'>();

  function valueOf(decl: ConstDecl, module: Module): ConstValue | undefined {
    const cached = values.get(decl);
    if (cached === 'evaluating') {
      diagnostics.error(
        'NETC2012',
        decl.name.span,
        `\`${decl.name.name}\` is defined in terms of itself`,
        {
          help: 'give the constant a value that does not depend on it',
        },
      );
      values.set(decl, undefined);
      return undefined;
    }
    if (values.has(decl)) return cached as ConstValue | undefined;
    // Its syntax errors are reported; its value would be a guess.
    if (decl.recovered) return undefined;
    values.set(decl, 'evaluating');
    const value = evalConst(decl.value, scopeOf(module), diagnostics);
    values.set(decl, value);
    return value;
  }

  function scopeOf(module: Module): ConstScope {
    return {
      lookup(name) {
        const symbol = module.scope.get(name);
        // A name listed by an import that failed is not an enumeration word: it is missing.
        if (!symbol) return module.failedImports.names.has(name) ? { kind: 'poisoned' } : undefined;
        if (symbol.kind !== 'const') return { kind: 'other', description: `a ${symbol.kind}` };
        const value = valueOf(symbol.decl, symbol.module);
        // An invalid const was reported where it is defined; do not report each use.
        return value === undefined ? { kind: 'poisoned' } : { kind: 'const', value };
      },
      names: () => module.scope.keys(),
    };
  }

  return scopeOf;
}
