import { describe, expect, it } from 'vitest';
import { diagnosticCodes } from '../../src/compiler/diagnostics/codes.js';
import { renderSarif } from '../../src/compiler/diagnostics/render/sarif.js';
import { diagnostic, lenet, sourcesOf, spanAt } from './build.js';

/** A code the catalogue knows, whatever its current contents, and its title. */
const [knownCode, knownInfo] = Object.entries(diagnosticCodes)[0] ?? ['NETC3001', { title: '' }];

describe('renderSarif', () => {
  const sources = sourcesOf({
    '/repo/nets/lenet.net': lenet,
    '/repo/nets/blocks.net': 'block B() {\n  dense(3)\n}\n',
  });
  const dense = spanAt(sources, '/repo/nets/lenet.net', 'dense(120)');
  const render = (...ds: ReturnType<typeof diagnostic>[]) =>
    JSON.parse(renderSarif(ds, sources, { cwd: '/repo', toolVersion: '1.2.3' }));

  it('is a SARIF 2.1.0 log with one run by the netc driver', () => {
    const log = render();
    expect(log.$schema).toMatch(/sarif-schema-2\.1\.0\.json$/);
    expect(log.version).toBe('2.1.0');
    expect(log.runs).toHaveLength(1);
    expect(log.runs[0].tool.driver).toEqual({
      name: 'netc',
      version: '1.2.3',
      informationUri: expect.stringMatching(/^https:\/\//),
      rules: [],
    });
    expect(log.runs[0].results).toEqual([]);
    expect(log.runs[0].originalUriBaseIds).toEqual({ '%SRCROOT%': { uri: 'file:///repo/' } });
  });

  it('lists one rule per code used, sorted, titled from the catalogue', () => {
    const log = render(
      diagnostic({ span: dense, code: 'NETC9999' }),
      diagnostic({ span: dense, code: knownCode }),
      diagnostic({ span: dense, code: 'NETC9999' }),
    );
    const rules = log.runs[0].tool.driver.rules;
    expect(rules.map((r: { id: string }) => r.id)).toEqual([knownCode, 'NETC9999'].sort());
    const byId = Object.fromEntries(rules.map((r: { id: string }) => [r.id, r]));
    expect(byId[knownCode].shortDescription).toEqual({ text: knownInfo.title });
    expect(byId['NETC9999'].shortDescription).toEqual({ text: 'NETC9999' });
  });

  it('gives each result its rule, level, message and location with an exclusive end column', () => {
    const log = render(diagnostic({ span: dense, message: 'bad', help: 'insert `flatten`' }));
    const [result] = log.runs[0].results;
    expect(result).toEqual({
      ruleId: 'NETC3001',
      ruleIndex: 0,
      level: 'error',
      message: { text: 'bad\nhelp: insert `flatten`' },
      locations: [
        {
          physicalLocation: {
            artifactLocation: { uri: 'nets/lenet.net', uriBaseId: '%SRCROOT%' },
            region: { startLine: 4, startColumn: 3, endLine: 4, endColumn: 13 },
          },
        },
      ],
    });
  });

  it.each([
    ['warning', 'warning'],
    ['note', 'note'],
    ['error', 'error'],
  ] as const)('maps severity %s to level %s', (severity, level) => {
    expect(render(diagnostic({ span: dense, severity })).runs[0].results[0].level).toBe(level);
  });

  it('adds the notes to the message text', () => {
    const log = render(diagnostic({ span: dense, message: 'bad', notes: ['because'] }));
    expect(log.runs[0].results[0].message.text).toBe('bad\nnote: because');
  });

  it('turns labels and call sites into related locations with messages', () => {
    const blockDense = spanAt(sources, '/repo/nets/blocks.net', 'dense(3)');
    const input = spanAt(sources, '/repo/nets/lenet.net', '[1, 28, 28]');
    const log = render(
      diagnostic({
        span: blockDense,
        labels: [{ span: input, message: 'the input' }],
        callSites: [dense],
      }),
    );
    const related = log.runs[0].results[0].relatedLocations;
    expect(related).toEqual([
      {
        id: 1,
        physicalLocation: {
          artifactLocation: { uri: 'nets/lenet.net', uriBaseId: '%SRCROOT%' },
          region: { startLine: 1, startColumn: 19, endLine: 1, endColumn: 30 },
        },
        message: { text: 'the input' },
      },
      {
        id: 2,
        physicalLocation: {
          artifactLocation: { uri: 'nets/lenet.net', uriBaseId: '%SRCROOT%' },
          region: { startLine: 4, startColumn: 3, endLine: 4, endColumn: 13 },
        },
        message: { text: 'in the block instance called here' },
      },
    ]);
  });

  it('has no related locations when there are neither labels nor call sites', () => {
    expect(render(diagnostic({ span: dense })).runs[0].results[0]).not.toHaveProperty(
      'relatedLocations',
    );
  });

  it('uses an absolute file URI for a file outside the working directory', () => {
    const outside = sourcesOf({ '/other/x y.net': lenet });
    const span = spanAt(outside, '/other/x y.net', 'dense(120)');
    const log = JSON.parse(renderSarif([diagnostic({ span })], outside, { cwd: '/repo' }));
    expect(log.runs[0].results[0].locations[0].physicalLocation.artifactLocation).toEqual({
      uri: 'file:///other/x%20y.net',
    });
  });

  it('percent-encodes characters that mean something in a URI', () => {
    const odd = sourcesOf({ '/repo/a#b?.net': lenet });
    const span = spanAt(odd, '/repo/a#b?.net', 'dense(120)');
    const log = JSON.parse(renderSarif([diagnostic({ span })], odd, { cwd: '/repo' }));
    expect(log.runs[0].results[0].locations[0].physicalLocation.artifactLocation.uri).toBe(
      'a%23b%3F.net',
    );
  });

  it('without a working directory keeps relative paths relative and has no base ids', () => {
    const rel = sourcesOf({ 'nets/lenet.net': lenet });
    const span = spanAt(rel, 'nets/lenet.net', 'dense(120)');
    const log = JSON.parse(renderSarif([diagnostic({ span })], rel));
    expect(log.runs[0]).not.toHaveProperty('originalUriBaseIds');
    expect(log.runs[0].tool.driver).not.toHaveProperty('version');
    expect(log.runs[0].results[0].locations[0].physicalLocation.artifactLocation).toEqual({
      uri: 'nets/lenet.net',
    });
  });
});
