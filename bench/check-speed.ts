/*
 * Prints how long `netc check` takes per example (parse, resolve, shapes, training checks),
 * in-process, best of several runs after a warm-up. A benchmark, not a test: it asserts nothing.
 * Usage: npm run bench
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { analyzeFile } from '../src/compiler/compile.js';

const root = path.resolve(import.meta.dirname, '..');
const files = [
  ...fs
    .readdirSync(path.join(root, 'examples'))
    .filter((f) => f.endsWith('.net'))
    .map((f) => path.join('examples', f)),
  path.join('bench', 'resnet50.net'),
];
const runs = 10;

process.chdir(root);
console.log(`netc check, best of ${runs} runs after one warm-up (Node ${process.version})`);
console.log(
  `${'file'.padEnd(28)} ${'ms'.padStart(8)} ${'nodes'.padStart(7)} ${'errors'.padStart(7)}`,
);
let total = 0;
for (const file of files) {
  analyzeFile(file);
  let best = Infinity;
  let result = analyzeFile(file);
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    result = analyzeFile(file);
    best = Math.min(best, performance.now() - start);
  }
  total += best;
  const nodes = [...result.networks.values()].reduce((n, net) => n + net.nodes.length, 0);
  const errors = result.diagnostics.filter((d) => d.severity === 'error').length;
  console.log(
    `${file.padEnd(28)} ${best.toFixed(2).padStart(8)} ${String(nodes).padStart(7)} ${String(errors).padStart(7)}`,
  );
}
console.log(`${'total'.padEnd(28)} ${total.toFixed(2).padStart(8)}`);
