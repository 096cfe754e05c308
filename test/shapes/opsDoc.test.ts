import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { OpKind } from '../../src/compiler/ir/ops.js';
import type { OpSpec } from '../../src/compiler/shapes/opSpec.js';
import { opTable } from '../../src/compiler/shapes/opTable.js';

/* docs/ops.md and docs/language.md say what the op table does about initializers. */

const docs = path.resolve(import.meta.dirname, '../../docs');
const opsDoc = fs.readFileSync(path.join(docs, 'ops.md'), 'utf8');
const languageDoc = fs.readFileSync(path.join(docs, 'language.md'), 'utf8');

/** `[op, default initializer]` for every op with an `init` argument. */
const initialized = (Object.values(opTable) as OpSpec<OpKind>[]).flatMap((spec) => {
  const init = spec.args.find((arg) => arg.name === 'init');
  const kind = (init?.default as { kind?: string } | undefined)?.kind;
  return kind === undefined ? [] : [[spec.kind, kind] as const];
});

/** The heading of docs/ops.md that documents `op`, e.g. "### `dense(units, bias=true, init=glorot)`". */
function heading(op: string): string {
  return new RegExp(`^### \`${op}\\(.*$`, 'm').exec(opsDoc)?.[0] ?? '';
}

describe('default initializers in the docs', () => {
  it('covers the layers with weights', () => {
    expect(initialized.map(([op]) => op)).toEqual(
      expect.arrayContaining(['dense', 'conv2d', 'conv_transpose2d']),
    );
  });

  it.each(initialized)('docs/ops.md gives `%s` the default `init=%s`', (op, kind) => {
    expect(heading(op)).toContain(`init=${kind})`);
  });

  it('docs/language.md leaves each layer default to docs/ops.md instead of naming one', () => {
    const sentence = /Initializers are chosen with `init=`[^]*?Biases start\s+at zero\./.exec(
      languageDoc,
    )?.[0];
    expect(sentence).toContain("each layer's default is in [ops.md](ops.md)");
    expect(sentence).not.toMatch(/default for `/);
  });
});
