import { describe, expect, it } from 'vitest';
import type { DataField, FilePath } from '../../../src/compiler/train/trainConfig.js';
import { DataError } from '../../../src/runtime/data/dataset.js';
import { loadDataset } from '../../../src/runtime/data/load.js';
import { load, tempFolder } from './helpers.js';

const file = tempFolder();

const csv = (train: FilePath, label = 'label', test?: FilePath) =>
  ({ kind: 'csv', file: train, label, test }) as const;

/** The fields of a csv source once the network has told the shape and the classes. */
function knownFields(shape: readonly number[] | undefined, classes?: number): DataField[] {
  return [
    { role: 'feature', name: 'x', index: 0, shape, image: false },
    { role: 'label', name: 'label', classes },
  ];
}

describe('csv: good files', () => {
  it('reads every column but the label as a feature, in header order', () => {
    const { train, test } = load(csv(file('a.csv', 'a,label,b\n1,0,2\n3,1,4\n')));
    expect(train.count).toBe(2);
    expect(train.fields.x!.shape).toEqual([2]);
    expect(Array.from(train.fields.x!.data)).toEqual([1, 2, 3, 4]);
    expect(Array.from(train.fields.label!.data)).toEqual([0, 1]);
    expect(test.count).toBe(0);
    expect(test.fields.x!.shape).toEqual([2]);
  });

  it('accepts CRLF, blank lines, padding, quoted names, a byte-order mark and number forms', () => {
    const text = '\ufeff "x1" , x2 ,y\r\n\r\n 1.5 , -2e-1 ,1\r\n.5,+3.,0\r\n\r\n';
    const { train } = load(csv(file('b.csv', text), 'y'));
    expect(Array.from(train.fields.x!.data)).toEqual([1.5, -0.2, 0.5, 3].map(Math.fround));
    expect(Array.from(train.fields.label!.data)).toEqual([1, 0]);
  });

  it('reads a test table with the same columns in another order', () => {
    const train = file('c.csv', 'a,b,label\n1,2,0\n');
    const test = file('c-test.csv', 'label,b,a\n1,20,10\n0,40,30\n');
    const parts = load(csv(train, 'label', test));
    expect(parts.test.count).toBe(2);
    expect(Array.from(parts.test.fields.x!.data)).toEqual([10, 20, 30, 40]);
    expect(Array.from(parts.test.fields.label!.data)).toEqual([1, 0]);
  });

  it('gives the features the shape of the input they feed when the sizes agree', () => {
    const path = file('d.csv', 'a,b,c,d,label\n1,2,3,4,2\n');
    const { train } = loadDataset(csv(path), knownFields([2, 2], 3), 1);
    expect(train.fields.x!.shape).toEqual([2, 2]);
  });

  it('keeps a regression label as a number when the classes are unknown', () => {
    const { train } = load(csv(file('e.csv', 'a,label\n1,0.25\n2,-7\n')));
    expect(Array.from(train.fields.label!.data)).toEqual([0.25, -7]);
  });
});

/** [what is wrong, file content, expected message, the label column, fields] */
const badFiles: readonly [string, string, string, string?, DataField[]?][] = [
  ['an empty file', '', '`empty file.csv` is empty: expected a header row'],
  ['a file of blank lines', '\n  \n', 'is empty'],
  ['a header without rows', 'a,label\n', 'has a header row but no rows of data'],
  ['a missing header', '1,2\n3,4\n', 'line 1: the first row should name the columns'],
  ['a column without a name', 'a,,label\n1,2,3\n', 'line 1: column 2 of the header has no name'],
  ['a column named twice', 'a,a,label\n1,2,3\n', 'the header names column `a` twice'],
  ['a short row', 'a,b,label\n1,2,0\n3,4\n', 'line 3: the row has 2 cells, but the header has 3'],
  ['a long row', 'a,label\n1,0\n1,2,0\n', 'line 3: the row has 3 cells, but the header has 2'],
  [
    'a word among numbers',
    'a,b,label\n1,2,0\n3,abc,1\n',
    'line 3, column 2 (`b`): `abc` is not a number',
  ],
  ['an empty cell', 'a,b,label\n1,,0\n', 'line 2, column 2 (`b`) is empty'],
  ['a NaN', 'a,label\nNaN,0\n', 'line 2, column 1 (`a`): `NaN` is not a finite number'],
  ['an infinity', 'a,label\n1,-inf\n', 'column 2 (`label`): `-inf` is not a finite number'],
  ['an overflowing number', 'a,label\n1e999,0\n', '`1e999` is too large for a finite number'],
  ['a missing label column', 'a,b\n1,2\n', 'has no label column `label`; its columns are `a`, `b`'],
  ['only a label column', 'label\n1\n', 'has only the label column `label`: no feature columns'],
  [
    'a label out of range',
    'a,label\n1,0\n\n2,3\n',
    'line 4: `label` 3 is out of range: expected a class index in 0..2 (3 classes)',
    'label',
    knownFields(undefined, 3),
  ],
  [
    'a fractional class label',
    'a,label\n1,0.5\n',
    'line 2: `label` 0.5 is out of range',
    'label',
    knownFields(undefined, 2),
  ],
  [
    'a negative class label',
    'a,label\n1,-1\n',
    '`label` -1 is out of range',
    'label',
    knownFields(undefined, 2),
  ],
  [
    'columns that do not fit the input',
    'a,b,label\n1,2,0\n',
    'yields `x` of shape [2] (2 numbers per sample), but the network expects [3]',
    'label',
    knownFields([3]),
  ],
];

describe('csv: bad files', () => {
  it.each(badFiles)('rejects %s', (_what, content, message, label = 'label', fields) => {
    const source = csv(file('empty file.csv', content), label);
    const run = () => (fields ? loadDataset(source, fields, 1) : load(source));
    expect(run).toThrow(DataError);
    expect(run).toThrow(message);
  });

  it('rejects a missing file, naming it as written and where it was looked for', () => {
    const missing = { written: 'nope.csv', resolved: '/no/such/dir/nope.csv' };
    expect(() => load(csv(missing))).toThrow(
      'cannot read `nope.csv` (/no/such/dir/nope.csv): no such file',
    );
  });

  it('rejects a folder given as the file', () => {
    const folder = file('x.csv', 'a,label\n1,0\n').resolved.replace(/\/x\.csv$/, '');
    expect(() => load(csv({ written: 'data', resolved: folder }))).toThrow(
      'it is a directory, not a file',
    );
  });

  it('rejects a test table that lacks a column or has another one', () => {
    const train = file('t.csv', 'a,b,label\n1,2,0\n');
    const lacking = file('t-lacking.csv', 'a,label\n1,0\n');
    const extra = file('t-extra.csv', 'a,b,c,label\n1,2,3,0\n');
    expect(() => load(csv(train, 'label', lacking))).toThrow(
      '`t-lacking.csv` lacks the column `b` of `t.csv`',
    );
    expect(() => load(csv(train, 'label', extra))).toThrow(
      '`t-extra.csv` has a column `c` that `t.csv` does not have',
    );
  });

  it('reports a bad cell of the test table with the test file name', () => {
    const train = file('u.csv', 'a,label\n1,0\n');
    const test = file('u-test.csv', 'a,label\nx,0\n');
    expect(() => load(csv(train, 'label', test))).toThrow(
      '`u-test.csv`, line 2, column 1 (`a`): `x` is not a number',
    );
  });
});
