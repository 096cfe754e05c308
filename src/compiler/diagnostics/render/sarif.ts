import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { SourceFile, Span } from '../../source.js';
import { diagnosticCodes, type CodeInfo } from '../codes.js';
import { omittedCallSitesText, type Diagnostic, type Severity } from '../diagnostic.js';
import { rangeOf } from './location.js';

/** Where SARIF viewers send people who want to know what the tool is. */
export const netcInformationUri = 'https://www.npmjs.com/package/netc';
const sarifSchema =
  'https://docs.oasis-open.org/sarif/sarif/v2.1.0/os/schemas/sarif-schema-2.1.0.json';
/** The base that relative artifact URIs are resolved against (the checkout, in CI). */
const srcRoot = '%SRCROOT%';

export interface SarifRenderOptions {
  /** Files inside this directory get URIs relative to `%SRCROOT%` = this directory. */
  readonly cwd?: string;
  /** netc's version, for `tool.driver.version`. */
  readonly toolVersion?: string;
}

const levels: Readonly<Record<Severity, string>> = {
  error: 'error',
  warning: 'warning',
  note: 'note',
};

/**
 * A SARIF 2.1.0 log with one run: the driver lists a rule per diagnostic code used (its
 * catalogue title as the short description), each result points at its span, and labels and
 * block call sites become related locations.
 */
export function renderSarif(
  diagnostics: readonly Diagnostic[],
  sources: ReadonlyMap<string, SourceFile>,
  options: SarifRenderOptions = {},
): string {
  const ruleIds = [...new Set(diagnostics.map((d) => d.code))].sort();
  const location = (span: Span) => physicalLocation(span, sources, options.cwd);
  const results = diagnostics.map((d) => ({
    ruleId: d.code,
    ruleIndex: ruleIds.indexOf(d.code),
    level: levels[d.severity],
    message: { text: messageText(d) },
    locations: [{ physicalLocation: location(d.span) }],
    ...relatedLocations(d, location),
  }));
  const log = {
    $schema: sarifSchema,
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'netc',
            ...(options.toolVersion === undefined ? {} : { version: options.toolVersion }),
            informationUri: netcInformationUri,
            rules: ruleIds.map(rule),
          },
        },
        ...(options.cwd === undefined
          ? {}
          : { originalUriBaseIds: { [srcRoot]: { uri: directoryUri(options.cwd) } } }),
        results,
      },
    ],
  };
  return JSON.stringify(log, null, 2) + '\n';
}

function rule(id: string) {
  const info = (diagnosticCodes as Readonly<Record<string, CodeInfo>>)[id];
  return { id, shortDescription: { text: info?.title ?? id } };
}

/** The message with the notes and the fix, since SARIF results have no place of their own for them. */
function messageText(d: Diagnostic): string {
  const omitted = d.omittedCallSites ? [omittedCallSitesText(d.omittedCallSites)] : [];
  const notes = [...(d.notes ?? []), ...omitted].map((note) => `\nnote: ${note}`).join('');
  return d.message + notes + (d.help === undefined ? '' : `\nhelp: ${d.help}`);
}

function relatedLocations(d: Diagnostic, location: (span: Span) => object) {
  const related = [
    ...(d.labels ?? []).map((label) => ({ span: label.span, text: label.message })),
    ...(d.callSites ?? []).map((span) => ({ span, text: 'in the block instance called here' })),
  ];
  if (related.length === 0) return {};
  return {
    relatedLocations: related.map((r, index) => ({
      id: index + 1,
      physicalLocation: location(r.span),
      message: { text: r.text },
    })),
  };
}

function physicalLocation(
  span: Span,
  sources: ReadonlyMap<string, SourceFile>,
  cwd: string | undefined,
) {
  const range = rangeOf(span, sources);
  return {
    artifactLocation: artifactLocation(span.file, cwd),
    region: {
      startLine: range.line,
      startColumn: range.column,
      endLine: range.endLine,
      endColumn: range.endColumn,
    },
  };
}

/** A relative URI against `%SRCROOT%` inside `cwd`; otherwise an absolute `file:` URI. */
function artifactLocation(file: string, cwd: string | undefined) {
  if (cwd === undefined) {
    return path.isAbsolute(file) ? { uri: pathToFileURL(file).href } : { uri: relativeUri(file) };
  }
  const absolute = path.resolve(cwd, file);
  const relative = path.relative(cwd, absolute);
  const inside = relative !== '' && !relative.startsWith('..') && !path.isAbsolute(relative);
  return inside
    ? { uri: relativeUri(relative), uriBaseId: srcRoot }
    : { uri: pathToFileURL(absolute).href };
}

function relativeUri(file: string): string {
  return file.split(/[\\/]/).map(encodeURIComponent).join('/');
}

function directoryUri(directory: string): string {
  const href = pathToFileURL(directory).href;
  return href.endsWith('/') ? href : href + '/';
}
