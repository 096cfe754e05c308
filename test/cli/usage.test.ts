import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { good, netc, project } from './harness.js';

const version = (
  JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
    version: string;
  }
).version;

describe('netc command line usage', () => {
  const cwd = project({ 'good.net': good, 'empty/readme.txt': 'no networks here' });

  it.each([['--help'], ['-h'], ['help']])(
    'prints help on stdout for %s and exits 0',
    async (flag) => {
      const { code, stdout, stderr } = await netc(cwd, [flag]);
      expect(code).toBe(0);
      expect(stdout).toContain('Usage: netc');
      for (const command of ['check', 'summary', 'fmt']) expect(stdout).toContain(command);
      expect(stderr).toBe('');
    },
  );

  it.each([
    [['check', '--help'], '--format'],
    [['help', 'summary'], '--network'],
    [['fmt', '-h'], '--check'],
  ])('prints the help of a command for %j', async (argv, option) => {
    const { code, stdout } = await netc(cwd, argv);
    expect(code).toBe(0);
    expect(stdout).toContain(option);
  });

  it.each([['--version'], ['-v']])('prints the package version for %s', async (flag) => {
    const { code, stdout } = await netc(cwd, [flag]);
    expect(code).toBe(0);
    expect(stdout).toBe(version + '\n');
  });

  it.each([
    [[], 'Usage: netc'],
    [['frobnicate'], "unknown command 'frobnicate'"],
    [['chek', 'good.net'], '(Did you mean check?)'],
    [['--frobnicate'], "unknown option '--frobnicate'"],
    [['check', '--frobnicate', 'good.net'], "unknown option '--frobnicate'"],
    [['check'], "missing required argument 'files'"],
    [['summary'], "missing required argument 'file'"],
    [['summary', 'good.net', 'good.net'], 'too many arguments'],
    [['summary', 'good.net', '--network'], 'argument missing'],
    [['check', '--format', 'xml', 'good.net'], "argument 'xml' is invalid"],
    [['fmt'], "missing required argument 'files'"],
  ])('rejects %j with exit code 2 and says why on stderr', async (argv, message) => {
    const { code, stdout, stderr } = await netc(cwd, argv);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toContain(message);
  });

  it.each([
    [['check', 'missing.net']],
    [['check', 'good.net', 'missing.net']],
    [['summary', 'missing.net']],
    [['fmt', 'missing.net']],
  ])('treats a missing file as a usage error: %j', async (argv) => {
    const { code, stdout, stderr } = await netc(cwd, argv);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toBe('error: cannot find `missing.net`\n');
  });

  it.each([[['check', 'empty']], [['fmt', 'empty']]])(
    'treats a directory without .net files as a usage error: %j',
    async (argv) => {
      const { code, stderr } = await netc(cwd, argv);
      expect(code).toBe(2);
      expect(stderr).toBe('error: no `.net` files in `empty`\n');
    },
  );

  it('refuses a directory for summary, which takes one file', async () => {
    const { code, stderr } = await netc(cwd, ['summary', '.']);
    expect(code).toBe(2);
    expect(stderr).toContain('is a directory');
  });
});
