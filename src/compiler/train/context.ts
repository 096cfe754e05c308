import type { DiagnosticBag } from '../diagnostics/diagnostic.js';
import type { IRNetwork, ValueId } from '../ir/ir.js';
import type { ConstValue } from '../resolve/values.js';
import type { Expr } from '../syntax/ast.js';

/** What checking a `train` section needs from the rest of the compiler. */
export interface TrainContext {
  /**
   * Every network visible in the file (its own and imported ones), already compiled.
   * Networks whose body had errors are absent; their names are in `brokenNetworks`, and
   * nothing about them is reported again.
   */
  readonly networks: ReadonlyMap<string, IRNetwork>;
  readonly brokenNetworks: ReadonlySet<string>;
  /**
   * Evaluates a compile-time constant expression (numbers, strings, booleans, `const`
   * names, arithmetic; unknown bare words become symbols); returns undefined after
   * reporting a diagnostic itself when the expression is not constant.
   */
  readonly evalConst: (expr: Expr) => ConstValue | undefined;
  readonly diagnostics: DiagnosticBag;
  /** Directory of the file, for resolving relative data and weights paths. */
  readonly baseDir: string;
  /**
   * The named values of a network's body (`code = h -> dense(32)`) by name, so losses can
   * read intermediate values such as an autoencoder's code. Outputs need not be listed.
   */
  readonly namedValues?: (network: string) => ReadonlyMap<string, ValueId>;
}
