import { describe, expect, it } from 'vitest';
import {
  capCallSites,
  sortDiagnostics,
  type Diagnostic,
} from '../../src/compiler/diagnostics/diagnostic.js';
import { renderSarif } from '../../src/compiler/diagnostics/render/sarif.js';
import { renderText } from '../../src/compiler/diagnostics/render/text.js';
import type { Span } from '../../src/compiler/source.js';
import { diagnostic, sourcesOf } from '../render/build.js';

/* The data side of diagnostics: their order, and how many call sites one keeps. */

const at = (file: string, start: number): Span => ({ file, start, end: start + 1 });

describe('sortDiagnostics', () => {
  it('orders files by UTF-16 code units, not by locale: `B.net` before `a.net`', () => {
    const sorted = sortDiagnostics([
      diagnostic({ span: at('a.net', 0) }),
      diagnostic({ span: at('_b.net', 0) }),
      diagnostic({ span: at('B.net', 0) }),
    ]);
    expect(sorted.map((d) => d.span.file)).toEqual(['B.net', '_b.net', 'a.net']);
  });

  it('orders one file by position, then by code', () => {
    const sorted = sortDiagnostics([
      diagnostic({ code: 'NETC3001', span: at('m.net', 5) }),
      diagnostic({ code: 'NETC2001', span: at('m.net', 5) }),
      diagnostic({ code: 'NETC4001', span: at('m.net', 1) }),
    ]);
    expect(sorted.map((d) => `${d.code}@${d.span.start}`)).toEqual([
      'NETC4001@1',
      'NETC2001@5',
      'NETC3001@5',
    ]);
  });
});

describe('capCallSites', () => {
  const sites = (count: number) => Array.from({ length: count }, (_, i) => at('m.net', i));

  it('keeps every call site of a shallow instance', () => {
    expect(capCallSites(sites(5))).toEqual({ callSites: sites(5) });
  });

  it('keeps the three innermost and the outermost of a deep one, and counts the rest', () => {
    const capped = capCallSites(sites(100));
    expect(capped.callSites?.map((s) => s.start)).toEqual([0, 1, 2, 99]);
    expect(capped.omittedCallSites).toBe(96);
  });

  it('renders the left-out call sites as one note before the outermost', () => {
    const text = Array.from({ length: 10 }, (_, i) => `block B${i} { B${i + 1} }`).join('\n');
    const sources = sourcesOf({ 'm.net': text });
    const lineStart = (i: number) => text.indexOf(`block B${i} `);
    const all = Array.from({ length: 10 }, (_, i) => at('m.net', lineStart(i)));
    const d: Diagnostic = diagnostic({ span: all[0]!, ...capCallSites(all.slice(1)) });
    const rendered = renderText([d], sources);
    const notes = rendered.split('\n').filter((line) => line.startsWith('  note:'));
    expect(notes).toEqual([
      '  note: in the block instance called here',
      '  note: in the block instance called here',
      '  note: in the block instance called here',
      '  note: … and 5 more instances, each called inside the next',
      '  note: in the block instance called here',
    ]);
    expect(rendered).toContain('  10 | block B9 { B10 }');
    expect(renderSarif([d], sources)).toContain('… and 5 more instances');
  });
});
