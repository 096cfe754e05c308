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
        ? { ...diagnostic, callSites: this.callSites }
        : diagnostic,
    );
  }

  override get hasErrors(): boolean {
    return this.parent.hasErrors;
  }
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

export function sortDiagnostics(diagnostics: readonly Diagnostic[]): Diagnostic[] {
  return [...diagnostics].sort(
    (a, b) =>
      a.span.file.localeCompare(b.span.file) ||
      a.span.start - b.span.start ||
      a.code.localeCompare(b.code),
  );
}
