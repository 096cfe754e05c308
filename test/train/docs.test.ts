import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { FunctionSpec, Scalar } from '../../src/compiler/train/args.js';
import { trainCodes } from '../../src/compiler/diagnostics/codes/train.js';
import { dataSourceSpecs } from '../../src/compiler/train/dataSources.js';
import { lossFunctionNames } from '../../src/compiler/train/lossFunctions.js';
import { metricNames } from '../../src/compiler/train/metrics.js';
import { noiseSpecs } from '../../src/compiler/train/noise.js';
import { optimizerSpecs } from '../../src/compiler/train/optimizers.js';
import { augmentationSpecs } from '../../src/compiler/train/preprocessing.js';
import { scheduleSpecs } from '../../src/compiler/train/schedules.js';
import { sectionSettings } from '../../src/compiler/train/collectSettings.js';

const doc = readFileSync(new URL('../../docs/training.md', import.meta.url), 'utf8');

function formatDefault(value: Scalar): string {
  if (typeof value !== 'number') return String(value);
  return value !== 0 && Math.abs(value) < 0.01 ? value.toExponential() : String(value);
}

/** `adam(lr=1e-3, beta1=0.9, ...)` as docs/training.md writes it. */
function signature(spec: FunctionSpec): string {
  const params = spec.params.map((p) =>
    p.default === undefined ? p.name : `${p.name}=${formatDefault(p.default)}`,
  );
  return params.length ? `${spec.name}(${params.join(', ')})` : spec.name;
}

describe('docs/training.md', () => {
  const signed = [
    ...Object.values(optimizerSpecs),
    ...Object.values(scheduleSpecs),
    ...Object.values(noiseSpecs),
    ...Object.values(augmentationSpecs),
    dataSourceSpecs.mnist,
    dataSourceSpecs.xor,
    dataSourceSpecs.moons,
    dataSourceSpecs.spirals,
  ];
  it.each(signed.map((spec) => [signature(spec)]))(
    'gives the signature and defaults `%s`',
    (text) => {
      expect(doc).toContain(`\`${text}`);
    },
  );

  it.each([
    ...sectionSettings,
    ...lossFunctionNames,
    ...metricNames,
    ...Object.keys(dataSourceSpecs),
  ])('documents `%s`', (name) => {
    expect(doc).toContain(`\`${name}`);
  });

  it.each(Object.entries(trainCodes))('lists %s with its title', (code, { title }) => {
    expect(doc).toMatch(new RegExp(`\`${code}\` \\| ${title.replace(/[()]/g, '\\$&')}`));
  });
});
