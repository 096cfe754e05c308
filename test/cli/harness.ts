import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { main, type CliIO } from '../../src/cli/main.js';

export interface RunResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs `netc <argv>` in-process in `cwd`, collecting what it prints. */
export async function netc(
  cwd: string,
  argv: readonly string[],
  env: Record<string, string> = {},
): Promise<RunResult> {
  let stdout = '';
  let stderr = '';
  const io: CliIO = {
    stdout: (text) => void (stdout += text),
    stderr: (text) => void (stderr += text),
    cwd,
    isTTY: false,
    env,
  };
  const code = await main(argv, io);
  return { code, stdout, stderr };
}

/** A fresh temporary directory holding `files` (paths relative to it, folders created). */
export function project(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'netc-cli-'));
  for (const [path, text] of Object.entries(files)) {
    const full = join(root, path);
    mkdirSync(dirname(full), { recursive: true });
    writeFileSync(full, text);
  }
  return root;
}

export const good = [
  '/// A small classifier.',
  'network MLP(x: [784]) -> [10] {',
  '  dense(30) -> sigmoid',
  '  dense(10)',
  '}',
  '',
].join('\n');

/** `dense` on an image: a shape error on line 2. */
export const shapeError = ['network Bad(x: [1, 28, 28]) {', '  dense(10)', '}', ''].join('\n');

/** An input that is never used: a warning, no error. */
export const unusedInput = ['network W(x: [4], y: [4]) -> [3] {', '  x -> dense(3)', '}', ''].join(
  '\n',
);

export const syntaxError = ['network Broken(x: [4] {', '  dense(3', '}', ''].join('\n');
