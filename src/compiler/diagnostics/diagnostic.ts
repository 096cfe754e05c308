import type { Span } from '../source.js';
import type { DiagnosticCode } from './codes.js';

export type Severity = 'error' | 'warning' | 'note';

/** A secondary span with a short explanation ("because of this"). */
export interface Label {
  readonly span: Span;
  readonly message: string;
}

/**
 * A diagnostic is data. Passes create them; renderers (text, JSON, GitHub, SARIF) print them.
 * `callSites` lists, innermost first, where the block instance containing `span` was called,
 * so errors inside expanded blocks also point at the user's call.
 */
export interface Diagnostic {
  readonly code: DiagnosticCode;
  readonly severity: Severity;
  readonly message: string;
  readonly span: Span;
  readonly labels?: readonly Label[];
  readonly notes?: readonly string[];
  readonly help?: string;
  readonly callSites?: readonly Span[];
  /**
   * How many call sites were left out between the last two of `callSites` (see
   * `capCallSites`): a deeply nested instance lists the innermost few and the outermost.
   */
  readonly omittedCallSites?: number;
}

/** Collects diagnostics for one compilation. Passes report; they never throw for user errors. */
export class DiagnosticBag {
  readonly items: Diagnostic[] = [];

  report(diagnostic: Diagnostic): void {
    this.items.push(diagnostic);
  }

  error(
    code: DiagnosticCode,
    span: Span,
    message: string,
    extra: Omit<Diagnostic, 'code' | 'severity' | 'span' | 'message'> = {},
  ): void {
    this.report({ code, severity: 'error', span, message, ...extra });
  }

  warning(
    code: DiagnosticCode,
    span: Span,
    message: string,
    extra: Omit<Diagnostic, 'code' | 'severity' | 'span' | 'message'> = {},
  ): void {
    this.report({ code, severity: 'warning', span, message, ...extra });
  }

  get hasErrors(): boolean {
    return this.items.some((d) => d.severity === 'error');
  }
}

/** Forwards to `parent`, adding the block call sites of the instance being expanded. */
export class CallSiteDiagnostics extends DiagnosticBag {
  constructor(
    private readonly parent: DiagnosticBag,
    private readonly callSites: readonly Span[],
  ) {
    super();
  }

  override report(diagnostic: Diagnostic): void {
    this.parent.report(
      this.callSites.length && !diagnostic.callSites
        ? { ...diagnostic, ...capCallSites(this.callSites) }
        : diagnostic,
    );
  }

  override get hasErrors(): boolean {
    return this.parent.hasErrors;
  }
}

/** Call sites a diagnostic lists in full: the innermost ones, and then the outermost. */
export const shownCallSites = { innermost: 3, outermost: 1 } as const;

/**
 * Call sites (innermost first) as a diagnostic keeps them: all of them when there are few;
 * otherwise the innermost `shownCallSites.innermost`, the outermost, and how many were left
 * out between them, so an error deep inside nested instances stays a few lines long.
 */
export function capCallSites(
  callSites: readonly Span[],
): Pick<Diagnostic, 'callSites' | 'omittedCallSites'> {
  const { innermost, outermost } = shownCallSites;
  if (callSites.length <= innermost + outermost + 1) return { callSites };
  return {
    callSites: [...callSites.slice(0, innermost), ...callSites.slice(-outermost)],
    omittedCallSites: callSites.length - innermost - outermost,
  };
}

/** The note that stands for the call sites a diagnostic left out. */
export function omittedCallSitesText(count: number): string {
  return `… and ${count} more instance${count === 1 ? '' : 's'}, each called inside the next`;
}

/** Drops repeats of the same error at the same place (a block expanded many times reports once). */
export function dedupeDiagnostics(diagnostics: readonly Diagnostic[]): Diagnostic[] {
  const seen = new Set<string>();
  return diagnostics.filter((d) => {
    const key = `${d.code}|${d.span.file}|${d.span.start}|${d.span.end}|${d.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** By file path, then position, then code; paths and codes compare by code units, not locale. */
export function sortDiagnostics(diagnostics: readonly Diagnostic[]): Diagnostic[] {
  return [...diagnostics].sort(
    (a, b) =>
      compareCodeUnits(a.span.file, b.span.file) ||
      a.span.start - b.span.start ||
      compareCodeUnits(a.code, b.code),
  );
}

/** Orders strings by UTF-16 code units: the same order whatever the locale. */
function compareCodeUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
