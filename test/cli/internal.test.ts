import { describe, expect, it, vi } from 'vitest';
import { good, netc, project } from './harness.js';

vi.mock('../../src/compiler/compile.js', () => ({
  analyzeFile: () => {
    throw new Error('internal compiler error: the IR is broken');
  },
}));

describe('an exception inside netc', () => {
  const cwd = project({ 'good.net': good });

  it('is reported as an internal compiler error with a request to report it, exit code 2', async () => {
    const { code, stdout, stderr } = await netc(cwd, ['check', 'good.net']);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr.split('\n')[0]).toBe('internal compiler error: the IR is broken');
    expect(stderr).toContain('please report it');
    expect(stderr).not.toContain('    at ');
  });

  it('includes the stack trace when NETC_DEBUG=1', async () => {
    const { code, stderr } = await netc(cwd, ['summary', 'good.net'], { NETC_DEBUG: '1' });
    expect(code).toBe(2);
    expect(stderr).toContain('    at ');
  });
});
