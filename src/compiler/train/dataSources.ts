import * as path from 'node:path';
import { suggestionHelp } from '../diagnostics/didYouMean.js';
import type { Expr } from '../syntax/ast.js';
import { asCallLike, countRange, readArgs, type ArgValues, type FunctionSpec } from './args.js';
import type { TrainContext } from './context.js';
import type { DataConfig, DataField, DataSource, DataSourceKind, FilePath } from './trainConfig.js';

/** How many real digits the `mnist` package bundles. */
export const bundledDigits = 10_000;

export const mnistImage = [1, 28, 28] as const;

/** The data sources with their arguments; what each yields is `dataFields`. */
export const dataSourceSpecs: { readonly [K in DataSourceKind]: FunctionSpec } = {
  mnist: {
    name: 'mnist',
    doc: 'the bundled real MNIST digits: `x: [1, 28, 28]` in [0, 1] and `label` (10 classes)',
    params: [
      { name: 'train', type: 'int', default: 8000, range: countRange, doc: 'training digits' },
      {
        name: 'test',
        type: 'int',
        default: 2000,
        range: { min: 0, max: countRange.max },
        doc: 'test digits',
      },
      {
        name: 'pairs',
        type: 'bool',
        default: false,
        doc: 'yield image pairs `x1`, `x2` and `same` (0/1)',
      },
    ],
  },
  xor: {
    name: 'xor',
    doc: 'points around the four corners of the unit square: `x: [2]` and `label` = XOR of the corners (2 classes)',
    params: [
      {
        name: 'n',
        type: 'int',
        default: 200,
        range: { min: 4, max: countRange.max },
        doc: 'points',
      },
      { name: 'noise', type: 'float', default: 0.1, range: { min: 0 }, doc: 'std of the jitter' },
    ],
  },
  moons: {
    name: 'moons',
    doc: 'two interleaving half circles: `x: [2]` and `label` (2 classes)',
    params: [
      {
        name: 'n',
        type: 'int',
        default: 200,
        range: { min: 2, max: countRange.max },
        doc: 'points',
      },
      { name: 'noise', type: 'float', default: 0.1, range: { min: 0 }, doc: 'std of the jitter' },
    ],
  },
  spirals: {
    name: 'spirals',
    doc: 'interleaved spiral arms: `x: [2]` and `label` (`classes` classes)',
    params: [
      {
        name: 'n',
        type: 'int',
        default: 300,
        range: countRange,
        doc: 'points, spread evenly over the arms',
      },
      { name: 'classes', type: 'int', default: 3, range: { min: 2, max: 1000 }, doc: 'arms' },
      {
        name: 'noise',
        type: 'float',
        default: 0.2,
        range: { min: 0 },
        doc: 'std of the angle jitter',
      },
    ],
  },
  csv: {
    name: 'csv',
    doc: 'a table with a header row: every column but `label` is a feature (`x: [columns - 1]`); the label column gives `label`',
    params: [
      { name: 'file', type: 'string', doc: 'the training table' },
      { name: 'label', type: 'string', default: 'label', doc: 'the label column' },
      { name: 'test', type: 'string', optional: true, doc: 'a test table with the same columns' },
    ],
  },
  idx: {
    name: 'idx',
    doc: "MNIST's own IDX files (the full 60,000 digits): `x` with the images' shape and `label`",
    params: [
      { name: 'images', type: 'string', doc: 'the images file' },
      { name: 'labels', type: 'string', doc: 'the labels file' },
      { name: 'test_images', type: 'string', optional: true, doc: 'test images' },
      { name: 'test_labels', type: 'string', optional: true, doc: 'test labels' },
    ],
  },
};

const sourceNames = Object.keys(dataSourceSpecs) as DataSourceKind[];

/** Checks `data = ...` and says what the source yields. Never reads files. */
export function checkData(expr: Expr, ctx: TrainContext): DataConfig | undefined {
  const call = asCallLike(expr);
  if (!call) {
    if (expr.kind !== 'ErrorExpr') {
      ctx.diagnostics.error('NETC4006', expr.span, 'expected a data source', {
        help: `write a source such as \`mnist(train=8000, test=2000)\`; the sources are ${sourceNames.map((n) => `\`${n}\``).join(', ')}`,
      });
    }
    return undefined;
  }
  const kind = sourceNames.find((n) => n === call.name);
  if (!kind) {
    ctx.diagnostics.error('NETC4013', call.nameSpan, `unknown data source \`${call.name}\``, {
      help:
        suggestionHelp(call.name, sourceNames) ??
        `the sources are ${sourceNames.map((n) => `\`${n}\``).join(', ')}`,
    });
    return undefined;
  }
  const args = readArgs(dataSourceSpecs[kind], call, ctx);
  if (!args) return undefined;
  const source = buildSource(kind, args, ctx.baseDir);
  if (source.kind === 'mnist' && source.train + source.test > bundledDigits) {
    ctx.diagnostics.error(
      'NETC4014',
      call.span,
      `\`mnist\` bundles ${bundledDigits} digits, but ${source.train} + ${source.test} = ${source.train + source.test} were asked for`,
      {
        help: 'lower `train` or `test`, or use the full 60,000-digit set: `idx("train-images-idx3-ubyte", "train-labels-idx1-ubyte")`',
      },
    );
    return undefined;
  }
  if (
    source.kind === 'idx' &&
    (source.testImages === undefined) !== (source.testLabels === undefined)
  ) {
    ctx.diagnostics.error(
      'NETC4012',
      call.span,
      '`idx` needs both `test_images` and `test_labels`, or neither',
    );
    return undefined;
  }
  return { source, fields: dataFields(source), span: expr.span };
}

function buildSource(kind: DataSourceKind, args: ArgValues, baseDir: string): DataSource {
  const num = (name: string) => args.get(name) as number;
  const file = (name: string): FilePath | undefined => {
    const written = args.get(name);
    return typeof written === 'string'
      ? { written, resolved: path.resolve(baseDir, written) }
      : undefined;
  };
  switch (kind) {
    case 'mnist':
      return { kind, train: num('train'), test: num('test'), pairs: args.get('pairs') === true };
    case 'xor':
    case 'moons':
      return { kind, n: num('n'), noise: num('noise') };
    case 'spirals':
      return { kind, n: num('n'), classes: num('classes'), noise: num('noise') };
    case 'csv':
      return { kind, file: file('file')!, label: args.get('label') as string, test: file('test') };
    case 'idx':
      return {
        kind,
        images: file('images')!,
        labels: file('labels')!,
        testImages: file('test_images'),
        testLabels: file('test_labels'),
      };
  }
}

/** What a source yields per sample: features (in network input order), then the label. */
export function dataFields(source: DataSource): readonly DataField[] {
  switch (source.kind) {
    case 'mnist':
      return source.pairs
        ? [
            { role: 'feature', name: 'x1', index: 0, shape: mnistImage, image: true },
            { role: 'feature', name: 'x2', index: 1, shape: mnistImage, image: true },
            { role: 'label', name: 'same', classes: 2 },
          ]
        : [
            { role: 'feature', name: 'x', index: 0, shape: mnistImage, image: true },
            { role: 'label', name: 'label', classes: 10 },
          ];
    case 'xor':
    case 'moons':
    case 'spirals':
      return [
        { role: 'feature', name: 'x', index: 0, shape: [2], image: false },
        { role: 'label', name: 'label', classes: source.kind === 'spirals' ? source.classes : 2 },
      ];
    case 'csv':
    case 'idx':
      return [
        { role: 'feature', name: 'x', index: 0, shape: undefined, image: source.kind === 'idx' },
        { role: 'label', name: 'label', classes: undefined },
      ];
  }
}

/** How to write the source in messages, e.g. `mnist(pairs=true)`. */
export function describeSource(source: DataSource): string {
  return source.kind === 'mnist' && source.pairs ? '`mnist(pairs=true)`' : `\`${source.kind}\``;
}
