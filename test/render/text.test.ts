import { describe, expect, it } from 'vitest';
import { renderText } from '../../src/compiler/diagnostics/render/text.js';
import { diagnostic, lenet, sourcesOf, spanAt } from './build.js';

const lines = (...text: string[]) => text.join('\n') + '\n';

describe('renderText', () => {
  const sources = sourcesOf({ 'lenet.net': lenet });
  const dense = spanAt(sources, 'lenet.net', 'dense(120)');

  it('prints the location, severity, code and message, then the line with carets and the help', () => {
    const d = diagnostic({
      message: '`dense` expects a vector, got [16, 5, 5]',
      span: dense,
      help: 'insert `flatten` before it',
    });
    expect(renderText([d], sources)).toBe(
      lines(
        'lenet.net:4:3 error NETC3001: `dense` expects a vector, got [16, 5, 5]',
        '   4 |   dense(120) -> relu',
        '     |   ^^^^^^^^^^',
        '  help: insert `flatten` before it',
      ),
    );
  });

  it('prints no help line when there is no help', () => {
    const text = renderText([diagnostic({ span: dense })], sources);
    expect(text).not.toContain('help:');
    expect(text.trimEnd().split('\n')).toHaveLength(3);
  });

  it.each([
    ['error', 'lenet.net:4:3 error NETC3001'],
    ['warning', 'lenet.net:4:3 warning NETC3001'],
    ['note', 'lenet.net:4:3 note NETC3001'],
  ] as const)('says %s for that severity', (severity, header) => {
    expect(renderText([diagnostic({ span: dense, severity })], sources)).toMatch(
      new RegExp('^' + header),
    );
  });

  it('returns nothing for no diagnostics', () => {
    expect(renderText([], sources)).toBe('');
  });

  it('separates diagnostics with a blank line', () => {
    const tanh = spanAt(sources, 'lenet.net', 'tanh');
    const text = renderText([diagnostic({ span: tanh }), diagnostic({ span: dense })], sources);
    expect(text).toBe(
      lines(
        'lenet.net:2:26 error NETC3001: something is wrong',
        '   2 |   conv2d(6, 5, pad=2) -> tanh -> avgpool(2)',
        '     |                          ^^^^',
        '',
        'lenet.net:4:3 error NETC3001: something is wrong',
        '   4 |   dense(120) -> relu',
        '     |   ^^^^^^^^^^',
      ),
    );
  });

  it('expands tabs in the source line and moves the carets by the same amount', () => {
    const tabbed = sourcesOf({ 't.net': 'network N(x: [4]) {\n\tdense(3)\t-> relu\n}\n' });
    const relu = spanAt(tabbed, 't.net', 'relu');
    expect(renderText([diagnostic({ span: relu })], tabbed)).toBe(
      lines(
        't.net:2:14 error NETC3001: something is wrong',
        '   2 |     dense(3)    -> relu',
        '     |                    ^^^^',
      ),
    );
  });

  it('widens the carets over a tab inside the span', () => {
    const tabbed = sourcesOf({ 't.net': 'a\tb\n' });
    const span = { file: 't.net', start: 0, end: 3 };
    expect(renderText([diagnostic({ span })], tabbed)).toContain('     | ^^^^^\n');
  });

  it('underlines a span over several lines to the end of its first line', () => {
    const start = spanAt(sources, 'lenet.net', 'conv2d(16');
    const end = spanAt(sources, 'lenet.net', 'dense(10)');
    const span = { file: 'lenet.net', start: start.start, end: end.end };
    expect(renderText([diagnostic({ span })], sources)).toBe(
      lines(
        'lenet.net:3:3 error NETC3001: something is wrong',
        '   3 |   conv2d(16, 5) -> tanh -> avgpool(2)',
        '     |   ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^',
      ),
    );
  });

  it('puts one caret under an empty span', () => {
    const at = spanAt(sources, 'lenet.net', 'relu');
    const span = { ...at, end: at.start };
    expect(renderText([diagnostic({ span })], sources)).toContain(
      '   4 |   dense(120) -> relu\n     |                 ^\n',
    );
  });

  it('puts one caret after the text for a span at the end of a line', () => {
    const at = spanAt(sources, 'lenet.net', 'relu');
    const span = { file: 'lenet.net', start: at.end, end: at.end + 1 };
    expect(renderText([diagnostic({ span })], sources)).toContain(
      '   4 |   dense(120) -> relu\n     |                     ^\n',
    );
  });

  it('points at the end of the file with one caret after the last line', () => {
    const text = 'network N(x: [4]) {\n  dense(3)';
    const eof = sourcesOf({ 'e.net': text });
    const span = { file: 'e.net', start: text.length, end: text.length };
    expect(renderText([diagnostic({ span })], eof)).toBe(
      lines(
        'e.net:2:11 error NETC3001: something is wrong',
        '   2 |   dense(3)',
        '     |           ^',
      ),
    );
  });

  it('leaves the carriage return of a CRLF line out of the frame', () => {
    const crlf = sourcesOf({ 'w.net': 'network N(x: [4]) {\r\n  dense(3)\r\n}\r\n' });
    const span = spanAt(crlf, 'w.net', 'dense(3)');
    expect(renderText([diagnostic({ span })], crlf)).toBe(
      lines(
        'w.net:2:3 error NETC3001: something is wrong',
        '   2 |   dense(3)',
        '     |   ^^^^^^^^',
      ),
    );
  });

  it('shows each label as its own frame underlined with dashes and followed by its message', () => {
    const input = spanAt(sources, 'lenet.net', '[1, 28, 28]');
    const d = diagnostic({
      span: dense,
      labels: [{ span: input, message: 'the input is an image' }],
      help: 'insert `flatten` before it',
    });
    expect(renderText([d], sources)).toBe(
      lines(
        'lenet.net:4:3 error NETC3001: something is wrong',
        '   4 |   dense(120) -> relu',
        '     |   ^^^^^^^^^^',
        '   1 | network LeNet5(x: [1, 28, 28]) -> [10] {',
        '     |                   ----------- the input is an image',
        '  help: insert `flatten` before it',
      ),
    );
  });

  it('introduces a label in another file with a note that says where it is', () => {
    const both = sourcesOf({
      'main.net': lenet,
      'blocks.net': 'block B(c: int) {\n  dense(c)\n}\n',
    });
    const d = diagnostic({
      span: spanAt(both, 'main.net', 'dense(120)'),
      labels: [{ span: spanAt(both, 'blocks.net', 'c: int'), message: 'declared here' }],
    });
    expect(renderText([d], both)).toBe(
      lines(
        'main.net:4:3 error NETC3001: something is wrong',
        '   4 |   dense(120) -> relu',
        '     |   ^^^^^^^^^^',
        '  note: at blocks.net:1:9',
        '   1 | block B(c: int) {',
        '     |         ------ declared here',
      ),
    );
  });

  it('prints a label whose file was not read as a note with its location', () => {
    const d = diagnostic({
      span: dense,
      labels: [{ span: { file: 'gone.net', start: 0, end: 1 }, message: 'imported here' }],
    });
    expect(renderText([d], sources)).toContain('  note: imported here (at gone.net:1:1)\n');
  });

  it('prints notes as note lines after the labels and before the help', () => {
    const d = diagnostic({ span: dense, notes: ['first', 'second'], help: 'do this' });
    expect(renderText([d], sources).split('\n').slice(3)).toEqual([
      '  note: first',
      '  note: second',
      '  help: do this',
      '',
    ]);
  });

  it('shows every block call site, innermost first, with a note and a frame', () => {
    const main = ['import "./blocks.net"', 'network N(x: [3, 8, 8]) {', '  Outer(4)', '}', ''].join(
      '\n',
    );
    const blocks = [
      'block Inner(c: int) {',
      '  dense(c)',
      '}',
      'block Outer(c: int) {',
      '  Inner(c)',
      '}',
      '',
    ].join('\n');
    const both = sourcesOf({ 'main.net': main, 'blocks.net': blocks });
    const d = diagnostic({
      message: '`dense` expects a vector, got [3, 8, 8]',
      span: spanAt(both, 'blocks.net', 'dense(c)'),
      callSites: [spanAt(both, 'blocks.net', 'Inner(c)'), spanAt(both, 'main.net', 'Outer(4)')],
      help: 'insert `flatten` before it',
    });
    expect(renderText([d], both)).toBe(
      lines(
        'blocks.net:2:3 error NETC3001: `dense` expects a vector, got [3, 8, 8]',
        '   2 |   dense(c)',
        '     |   ^^^^^^^^',
        '  note: in the block instance called here',
        '   5 |   Inner(c)',
        '     |   --------',
        '  note: in the block instance called here, at main.net:3:3',
        '   3 |   Outer(4)',
        '     |   --------',
        '  help: insert `flatten` before it',
      ),
    );
  });

  it('makes the gutter wide enough for the largest line number in the diagnostic', () => {
    const long = Array.from({ length: 1200 }, (_, i) => `line${i + 1}`).join('\n');
    const big = sourcesOf({ 'big.net': long });
    const d = diagnostic({
      span: spanAt(big, 'big.net', 'line9\n'),
      labels: [{ span: spanAt(big, 'big.net', 'line1100'), message: 'here' }],
    });
    expect(renderText([d], big)).toBe(
      lines(
        'big.net:9:1 error NETC3001: something is wrong',
        '    9 | line9',
        '      | ^^^^^',
        ' 1100 | line1100',
        '      | -------- here',
      ),
    );
  });

  it('prints paths inside the working directory relative to it', () => {
    const abs = sourcesOf({ '/work/project/nets/lenet.net': lenet });
    const span = spanAt(abs, '/work/project/nets/lenet.net', 'dense(120)');
    const text = renderText([diagnostic({ span })], abs, { cwd: '/work/project' });
    expect(text.split('\n')[0]).toBe('nets/lenet.net:4:3 error NETC3001: something is wrong');
  });

  it.each([
    ['/elsewhere/lenet.net', '/work/project'],
    ['../lenet.net', '/work/project'],
  ])('prints a file outside the working directory (%s) as it was given', (file, cwd) => {
    const outside = sourcesOf({ [file]: lenet });
    const span = spanAt(outside, file, 'dense(120)');
    expect(renderText([diagnostic({ span })], outside, { cwd })).toMatch(
      new RegExp(`^${file.replace(/[.]/g, '\\.')}:4:3 error`),
    );
  });

  it('prints only the header when the source of the file is not available', () => {
    const span = { file: 'missing.net', start: 0, end: 0 };
    expect(renderText([diagnostic({ span, help: 'check the path' })], sources)).toBe(
      lines('missing.net:1:1 error NETC3001: something is wrong', '  help: check the path'),
    );
  });

  it('uses no ANSI escapes unless color is asked for', () => {
    const d = diagnostic({ span: dense, help: 'fix it' });
    expect(renderText([d], sources)).not.toContain('\u001b[');
    const colored = renderText([d], sources, { color: true });
    expect(colored).toContain('\u001b[1;31merror\u001b[0m');
    expect(colored.replace(/\u001b\[[0-9;]*m/g, '')).toBe(renderText([d], sources));
  });

  it('replaces control characters of hostile source with a replacement character', () => {
    const hostile = sourcesOf({ 'h.net': 'dense(\u001b[31m3)\n' });
    const span = { file: 'h.net', start: 0, end: 5 };
    const text = renderText([diagnostic({ span, message: 'bad `\u001b[2J`' })], hostile);
    expect(text).not.toContain('\u001b');
    expect(text).toContain('dense(\ufffd[31m3)');
  });

  it('shows a window of a very long line around the span, carets still under it', () => {
    const long = 'x'.repeat(500) + ' dense(3) ' + 'y'.repeat(500);
    const wide = sourcesOf({ 'w.net': long });
    const span = spanAt(wide, 'w.net', 'dense(3)');
    const [, source, underline] = renderText([diagnostic({ span })], wide).split('\n');
    expect(source!.length).toBeLessThan(150);
    expect(source).toMatch(/^ {3}1 \| \.\.\.x+ dense\(3\) y+\.\.\.$/);
    expect(source!.indexOf('dense')).toBe(underline!.indexOf('^'));
    expect(underline).toMatch(/\^{8}$/);
  });
});
