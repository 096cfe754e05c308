import { describe, expect, it } from 'vitest';
import { good, netc, project, shapeError, syntaxError, unusedInput } from './harness.js';

describe('netc check', () => {
  const cwd = project({
    'good.net': good,
    'bad.net': shapeError,
    'warn.net': unusedInput,
    'syntax.net': syntaxError,
    'model.txt': shapeError,
    'tree/a.net': good,
    'tree/deeper/b.net': shapeError,
    'tree/node_modules/dep.net': syntaxError,
    'tree/.hidden/c.net': syntaxError,
    'tree/notes.md': 'not a network',
    'clean/one.net': good,
    'clean/two/two.net': good,
    'imports/blocks.net': ['block Head() {', '  dense(10)', '}', ''].join('\n'),
    'imports/lib.net': 'import "./blocks.net"\nnetwork A(x: [1, 8, 8]) { Head() }\n',
    'imports/main.net': 'import "./blocks.net"\nnetwork B(x: [1, 8, 8]) { Head() }\n',
  });

  describe('in the text format', () => {
    it('is silent and exits 0 when there are no problems', async () => {
      expect(await netc(cwd, ['check', 'good.net'])).toEqual({ code: 0, stdout: '', stderr: '' });
    });

    it('prints errors with a code frame and a count line on stderr, and exits 1', async () => {
      const { code, stdout, stderr } = await netc(cwd, ['check', 'bad.net']);
      expect(code).toBe(1);
      expect(stdout).toBe('');
      expect(stderr).toMatch(/^bad\.net:2:3 error NETC3\d{3}: /);
      expect(stderr).toContain('   2 |   dense(10)\n     |   ^');
      expect(stderr).toMatch(/\n\nchecked 1 file: 1 error, 0 warnings\n$/);
    });

    it('prints warnings but exits 0 when there are no errors', async () => {
      const { code, stderr } = await netc(cwd, ['check', 'warn.net']);
      expect(code).toBe(0);
      expect(stderr).toMatch(/^warn\.net:1:\d+ warning NETC\d{4}: /);
      expect(stderr).toMatch(/checked 1 file: 0 errors, 1 warning\n$/);
    });

    it('reports syntax errors with exit code 1', async () => {
      const { code, stderr } = await netc(cwd, ['check', 'syntax.net']);
      expect(code).toBe(1);
      expect(stderr).toMatch(/^syntax\.net:\d+:\d+ error NETC1\d{3}: /);
    });

    it('counts every file and every problem of several files', async () => {
      const { code, stderr } = await netc(cwd, ['check', 'good.net', 'bad.net', 'warn.net']);
      expect(code).toBe(1);
      expect(stderr).toContain('bad.net:2:3 error');
      expect(stderr).toContain('warn.net:1:');
      expect(stderr).toMatch(/checked 3 files: 1 error, 1 warning\n$/);
    });

    it('checks a file named explicitly whatever its extension', async () => {
      const { code, stderr } = await netc(cwd, ['check', 'model.txt']);
      expect(code).toBe(1);
      expect(stderr).toMatch(/^model\.txt:2:3 error/);
    });

    it('checks every .net file below a directory, skipping node_modules and hidden folders', async () => {
      const { code, stderr } = await netc(cwd, ['check', 'tree']);
      expect(code).toBe(1);
      expect(stderr).toMatch(/^tree\/deeper\/b\.net:2:3 error/);
      expect(stderr).not.toContain('node_modules');
      expect(stderr).not.toContain('.hidden');
      expect(stderr).toMatch(/checked 2 files: 1 error, 0 warnings\n$/);
    });

    it('exits 0 for a directory of good files', async () => {
      expect(await netc(cwd, ['check', 'clean'])).toEqual({ code: 0, stdout: '', stderr: '' });
    });

    it('reports a problem in a file imported by several checked files once', async () => {
      const { code, stderr } = await netc(cwd, ['check', 'imports/lib.net', 'imports/main.net']);
      expect(code).toBe(1);
      expect(stderr.match(/^imports\/blocks\.net:2:3 error/gm)).toHaveLength(1);
    });

    it('prints paths relative to the working directory, also for absolute arguments', async () => {
      const { stderr } = await netc(cwd, ['check', `${cwd}/bad.net`]);
      expect(stderr).toMatch(/^bad\.net:2:3 error/);
    });

    it.each([
      [{}, false],
      [{ FORCE_COLOR: '1' }, true],
      [{ FORCE_COLOR: '0' }, false],
      [{ FORCE_COLOR: '1', NO_COLOR: '1' }, false],
    ])('with environment %j uses colors: %s', async (env, colored) => {
      const { stderr } = await netc(cwd, ['check', 'bad.net'], env);
      expect(stderr.includes('\u001b[')).toBe(colored);
    });
  });

  describe('in the json format', () => {
    it('prints the diagnostics as JSON on stdout and exits 1 for errors', async () => {
      const { code, stdout, stderr } = await netc(cwd, [
        'check',
        '--format',
        'json',
        'bad.net',
        'warn.net',
      ]);
      expect(code).toBe(1);
      expect(stderr).toBe('');
      const { diagnostics } = JSON.parse(stdout);
      expect(
        diagnostics.map((d: { file: string; line: number; severity: string }) => [
          d.file,
          d.line,
          d.severity,
        ]),
      ).toEqual([
        ['bad.net', 2, 'error'],
        ['warn.net', 1, 'warning'],
      ]);
      expect(diagnostics[0]).toMatchObject({
        column: 3,
        endLine: 2,
        code: expect.stringMatching(/^NETC3/),
      });
    });

    it('prints an empty list and exits 0 for a clean file', async () => {
      const { code, stdout } = await netc(cwd, ['check', '-f', 'json', 'good.net']);
      expect(code).toBe(0);
      expect(JSON.parse(stdout)).toEqual({ diagnostics: [] });
    });
  });

  describe('in the github format', () => {
    it('prints one workflow command per diagnostic on stdout', async () => {
      const { code, stdout, stderr } = await netc(cwd, [
        'check',
        '--format=github',
        'bad.net',
        'warn.net',
      ]);
      expect(code).toBe(1);
      expect(stderr).toBe('');
      const lines = stdout.trimEnd().split('\n');
      expect(lines).toHaveLength(2);
      expect(lines[0]).toMatch(
        /^::error file=bad\.net,line=2,col=3,endLine=2,endColumn=\d+,title=NETC3\d{3}::/,
      );
      expect(lines[1]).toMatch(/^::warning file=warn\.net,line=1,/);
    });

    it('prints nothing and exits 0 for a clean file', async () => {
      expect(await netc(cwd, ['check', '--format', 'github', 'good.net'])).toEqual({
        code: 0,
        stdout: '',
        stderr: '',
      });
    });
  });

  describe('in the sarif format', () => {
    it('prints a SARIF 2.1.0 log with a result per diagnostic and the rules used', async () => {
      const { code, stdout } = await netc(cwd, ['check', '--format', 'sarif', 'bad.net']);
      expect(code).toBe(1);
      const log = JSON.parse(stdout);
      expect(log.version).toBe('2.1.0');
      const [run] = log.runs;
      expect(run.tool.driver.name).toBe('netc');
      expect(run.results).toHaveLength(1);
      expect(run.results[0].ruleId).toMatch(/^NETC3/);
      expect(run.tool.driver.rules.map((r: { id: string }) => r.id)).toEqual([
        run.results[0].ruleId,
      ]);
      expect(run.results[0].locations[0].physicalLocation.artifactLocation).toEqual({
        uri: 'bad.net',
        uriBaseId: '%SRCROOT%',
      });
    });

    it('prints a log without results and exits 0 for a clean file', async () => {
      const { code, stdout } = await netc(cwd, ['check', '--format', 'sarif', 'good.net']);
      expect(code).toBe(0);
      expect(JSON.parse(stdout).runs[0].results).toEqual([]);
    });
  });
});
