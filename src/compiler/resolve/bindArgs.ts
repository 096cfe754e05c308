import type { DiagnosticBag } from '../diagnostics/diagnostic.js';
import { suggestionHelp } from '../diagnostics/didYouMean.js';
import type { Arg, Expr } from '../syntax/ast.js';
import type { Span } from '../source.js';

/** A formal parameter as far as argument binding is concerned. */
export interface FormalParam {
  readonly name: string;
  readonly hasDefault: boolean;
}

export interface BoundArg {
  readonly name: string;
  /** The argument expression, or undefined when the default applies. */
  readonly expr: Expr | undefined;
  /** The argument's span, or the call's span for a defaulted argument. */
  readonly span: Span;
}

/**
 * Matches a call's arguments to formal parameters: positional first, then named; reports
 * unknown names (with "did you mean"), arguments given twice, too many positional arguments
 * and missing required ones. Returns undefined when any of these was reported.
 */
export function bindArgs(
  callee: string,
  args: readonly Arg[],
  formals: readonly FormalParam[],
  callSpan: Span,
  diagnostics: DiagnosticBag,
): Map<string, BoundArg> | undefined {
  const bound = new Map<string, BoundArg>();
  let ok = true;
  let position = 0;
  for (const arg of args) {
    if (arg.kind === 'PositionalArg') {
      const formal = formals[position++];
      if (!formal) {
        diagnostics.error(
          'NETC2008',
          arg.span,
          formals.length === 0
            ? `\`${callee}\` takes no arguments`
            : `\`${callee}\` takes at most ${plural(formals.length, 'argument')}`,
          {
            help:
              formals.length === 0
                ? `remove the arguments: \`${callee}\``
                : `its parameters are ${listNames(formals)}`,
          },
        );
        ok = false;
        continue;
      }
      bound.set(formal.name, { name: formal.name, expr: arg.value, span: arg.span });
      continue;
    }
    const name = arg.name.name;
    const formal = formals.find((f) => f.name === name);
    if (!formal) {
      diagnostics.error('NETC2006', arg.name.span, `\`${callee}\` has no parameter \`${name}\``, {
        help:
          suggestionHelp(
            name,
            formals.map((f) => f.name),
          ) ??
          (formals.length
            ? `its parameters are ${listNames(formals)}`
            : `\`${callee}\` takes no arguments`),
      });
      ok = false;
      continue;
    }
    const previous = bound.get(name);
    if (previous) {
      diagnostics.error('NETC2009', arg.span, `\`${name}\` is given twice`, {
        labels: [{ span: previous.span, message: 'first given here' }],
      });
      ok = false;
      continue;
    }
    bound.set(name, { name, expr: arg.value, span: arg.span });
  }
  for (const formal of formals) {
    if (bound.has(formal.name)) continue;
    if (formal.hasDefault) {
      bound.set(formal.name, { name: formal.name, expr: undefined, span: callSpan });
      continue;
    }
    diagnostics.error('NETC2007', callSpan, `\`${callee}\` needs a value for \`${formal.name}\``, {
      help: `pass it, e.g. \`${callee}(${formals
        .filter((f) => !f.hasDefault)
        .map((f) => f.name)
        .join(', ')})\``,
    });
    ok = false;
  }
  return ok ? bound : undefined;
}

function listNames(formals: readonly FormalParam[]): string {
  return formals.map((f) => `\`${f.name}\``).join(', ');
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}
