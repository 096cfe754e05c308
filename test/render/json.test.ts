import { describe, expect, it } from 'vitest';
import { renderJson } from '../../src/compiler/diagnostics/render/json.js';
import { diagnostic, lenet, sourcesOf, spanAt } from './build.js';

describe('renderJson', () => {
  const sources = sourcesOf({ '/p/lenet.net': lenet });
  const dense = spanAt(sources, '/p/lenet.net', 'dense(120)');

  it('prints exactly the documented keys, in order, with 1-based lines and an exclusive end column', () => {
    const d = diagnostic({ span: dense, message: 'bad', help: 'insert `flatten` before it' });
    const parsed = JSON.parse(renderJson([d], sources, { cwd: '/p' }));
    expect(Object.keys(parsed)).toEqual(['diagnostics']);
    expect(Object.keys(parsed.diagnostics[0])).toEqual([
      'file',
      'line',
      'column',
      'endLine',
      'endColumn',
      'severity',
      'code',
      'message',
      'help',
    ]);
    expect(parsed.diagnostics[0]).toEqual({
      file: 'lenet.net',
      line: 4,
      column: 3,
      endLine: 4,
      endColumn: 13,
      severity: 'error',
      code: 'NETC3001',
      message: 'bad',
      help: 'insert `flatten` before it',
    });
  });

  it('leaves `help` out when there is none', () => {
    const parsed = JSON.parse(renderJson([diagnostic({ span: dense })], sources));
    expect(parsed.diagnostics[0]).not.toHaveProperty('help');
  });

  it('prints an empty list for no diagnostics', () => {
    expect(JSON.parse(renderJson([], sources))).toEqual({ diagnostics: [] });
  });

  it('gives the end line and column of a span over several lines', () => {
    const start = spanAt(sources, '/p/lenet.net', 'conv2d(16').start;
    const end = spanAt(sources, '/p/lenet.net', 'dense(10)').end;
    const d = diagnostic({ span: { file: '/p/lenet.net', start, end } });
    const [item] = JSON.parse(renderJson([d], sources)).diagnostics;
    expect([item.line, item.column, item.endLine, item.endColumn]).toEqual([3, 3, 5, 12]);
  });

  it('gives an empty span the same start and end column', () => {
    const d = diagnostic({ span: { ...dense, end: dense.start } });
    const [item] = JSON.parse(renderJson([d], sources)).diagnostics;
    expect([item.column, item.endColumn]).toEqual([3, 3]);
  });

  it.each([
    ['/p', 'lenet.net'],
    ['/q', '/p/lenet.net'],
    [undefined, '/p/lenet.net'],
  ])('with working directory %s prints the file as %s', (cwd, file) => {
    const options = cwd === undefined ? {} : { cwd };
    const [item] = JSON.parse(
      renderJson([diagnostic({ span: dense })], sources, options),
    ).diagnostics;
    expect(item.file).toBe(file);
  });

  it('keeps warnings and their order', () => {
    const tanh = spanAt(sources, '/p/lenet.net', 'tanh');
    const text = renderJson(
      [
        diagnostic({ span: tanh, severity: 'warning', code: 'NETC2026' }),
        diagnostic({ span: dense }),
      ],
      sources,
    );
    const items = JSON.parse(text).diagnostics;
    expect(items.map((i: { severity: string; code: string }) => `${i.severity} ${i.code}`)).toEqual(
      ['warning NETC2026', 'error NETC3001'],
    );
  });
});
