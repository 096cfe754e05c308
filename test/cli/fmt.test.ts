import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { netc, project, syntaxError } from './harness.js';

const messy = [
  'network  MLP( x : [784] )->[10]{',
  '      dense(30)->sigmoid',
  ' dense(10)',
  '}',
  '',
].join('\n');

describe('netc fmt', () => {
  it('rewrites a file that is not formatted, lists it, and leaves the result stable', async () => {
    const cwd = project({ 'm.net': messy });
    const first = await netc(cwd, ['fmt', 'm.net']);
    expect(first).toEqual({ code: 0, stdout: 'm.net\n', stderr: '' });
    const formatted = readFileSync(join(cwd, 'm.net'), 'utf8');
    expect(formatted).not.toBe(messy);
    expect(formatted).toContain('dense(30) -> sigmoid');

    expect(await netc(cwd, ['fmt', 'm.net'])).toEqual({ code: 0, stdout: '', stderr: '' });
    expect(readFileSync(join(cwd, 'm.net'), 'utf8')).toBe(formatted);
  });

  it('does not touch a file that is already formatted', async () => {
    const cwd = project({ 'm.net': messy });
    await netc(cwd, ['fmt', 'm.net']);
    const before = statSync(join(cwd, 'm.net')).mtimeMs;
    await new Promise((resolve) => setTimeout(resolve, 20));
    await netc(cwd, ['fmt', 'm.net']);
    expect(statSync(join(cwd, 'm.net')).mtimeMs).toBe(before);
  });

  it('with --check lists unformatted files, writes nothing and exits 1', async () => {
    const cwd = project({ 'nets/m.net': messy });
    const { code, stdout, stderr } = await netc(cwd, ['fmt', '--check', 'nets']);
    expect(code).toBe(1);
    expect(stdout).toBe('nets/m.net\n');
    expect(stderr).toBe('1 file not formatted; run `netc fmt` to format\n');
    expect(readFileSync(join(cwd, 'nets/m.net'), 'utf8')).toBe(messy);
  });

  it('with --check exits 0 and prints nothing when everything is formatted', async () => {
    const cwd = project({ 'm.net': messy });
    await netc(cwd, ['fmt', 'm.net']);
    expect(await netc(cwd, ['fmt', '--check', '.'])).toEqual({ code: 0, stdout: '', stderr: '' });
  });

  it('reports syntax errors as check does, leaves that file alone and still formats the others', async () => {
    const cwd = project({ 'a.net': messy, 'b.net': syntaxError });
    const { code, stdout, stderr } = await netc(cwd, ['fmt', 'a.net', 'b.net']);
    expect(code).toBe(1);
    expect(stdout).toBe('a.net\n');
    expect(stderr).toMatch(/^b\.net:\d+:\d+ error NETC1\d{3}: /);
    expect(stderr).toMatch(/checked 2 files: \d+ errors?, 0 warnings\n$/);
    expect(readFileSync(join(cwd, 'b.net'), 'utf8')).toBe(syntaxError);
  });
});
