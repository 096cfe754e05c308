import { describe, expect, it } from 'vitest';
import {
  escapeData,
  escapeProperty,
  renderGithub,
} from '../../src/compiler/diagnostics/render/github.js';
import { diagnostic, lenet, sourcesOf, spanAt } from './build.js';

describe('renderGithub', () => {
  const sources = sourcesOf({ '/repo/nets/lenet.net': lenet });
  const dense = spanAt(sources, '/repo/nets/lenet.net', 'dense(120)');

  it('prints one error command per diagnostic with file, position and the code as title', () => {
    const d = diagnostic({ span: dense, message: '`dense` expects a vector' });
    expect(renderGithub([d], sources, { cwd: '/repo' })).toBe(
      '::error file=nets/lenet.net,line=4,col=3,endLine=4,endColumn=12,title=NETC3001::' +
        '`dense` expects a vector\n',
    );
  });

  it.each([
    ['warning', '::warning '],
    ['note', '::notice '],
  ] as const)('prints a %s as %s', (severity, prefix) => {
    expect(renderGithub([diagnostic({ span: dense, severity })], sources)).toMatch(
      new RegExp('^' + prefix),
    );
  });

  it('puts the help on a second, escaped line of the message', () => {
    const d = diagnostic({ span: dense, message: 'bad', help: 'insert `flatten`' });
    expect(renderGithub([d], sources)).toMatch(/::bad%0Ahelp: insert `flatten`\n$/);
  });

  it('leaves the columns out for a span over several lines', () => {
    const start = spanAt(sources, '/repo/nets/lenet.net', 'conv2d(16').start;
    const d = diagnostic({ span: { file: dense.file, start, end: dense.end } });
    expect(renderGithub([d], sources, { cwd: '/repo' })).toBe(
      '::error file=nets/lenet.net,line=3,endLine=4,title=NETC3001::something is wrong\n',
    );
  });

  it('escapes percent signs and line breaks in the message', () => {
    const d = diagnostic({ span: dense, message: '100% of\r\nthe line' });
    expect(renderGithub([d], sources)).toContain('::100%25 of%0D%0Athe line\n');
  });

  it('escapes colons and commas in property values', () => {
    const odd = sourcesOf({ 'a,b:c.net': lenet });
    const span = spanAt(odd, 'a,b:c.net', 'dense(120)');
    expect(renderGithub([diagnostic({ span })], odd)).toMatch(
      /^::error file=a%2Cb%3Ac\.net,line=4,/,
    );
  });

  it('prints nothing for no diagnostics', () => {
    expect(renderGithub([], sources)).toBe('');
  });

  it.each([
    ['a%b', 'a%25b', 'a%25b'],
    ['x\ny', 'x%0Ay', 'x%0Ay'],
    ['x\ry', 'x%0Dy', 'x%0Dy'],
    ['a:b', 'a:b', 'a%3Ab'],
    ['a,b', 'a,b', 'a%2Cb'],
    ['%0A', '%250A', '%250A'],
  ])('escapes %j as %j in data and %j in properties', (text, data, property) => {
    expect(escapeData(text)).toBe(data);
    expect(escapeProperty(text)).toBe(property);
  });
});
