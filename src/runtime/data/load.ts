import type { FilePath, DataField, DataSource } from '../../compiler/train/trainConfig.js';
import { alignColumns, parseCsv, splitLabel, type CsvTable } from './csv.js';
import {
  DataError,
  sampleSize,
  type Dataset,
  type DatasetSplits,
  type DataTensor,
} from './dataset.js';
import { fileLabel, readBytes, readText } from './files.js';
import { idxSamples, parseIdx } from './idx.js';
import { bundledDigits, mnistDigits, mnistPairs } from './mnist.js';
import type { SourceSamples } from './sourceSamples.js';
import { toySamples } from './toy.js';

/*
 * `loadDataset`: reads or generates what a `data = ...` source yields and names it after
 * the section's data fields (`dataFields` in src/compiler/train/dataSources.ts). This is
 * where data files are first read (`netc check` never reads them), so every problem with
 * them is reported here, as a `DataError` naming the file and the place in it.
 */

/** Loads a source's training and test sets; `seed` drives the generators and mnist pairs. */
export function loadDataset(
  source: DataSource,
  fields: readonly DataField[],
  seed: number,
): DatasetSplits {
  const parts = readSource(source, seed);
  if (parts.train.count === 0) throw new DataError(`${parts.name} yields no training samples`);
  return {
    train: nameFields(parts.train, fields, parts.name),
    test: nameFields(parts.test, fields, parts.testName),
  };
}

interface SourceParts {
  readonly train: LocatedSamples;
  readonly test: LocatedSamples;
  /** How messages name where each part came from. */
  readonly name: string;
  readonly testName: string;
}

/** Samples with a way to say where sample i came from (a file's line, a label's index). */
interface LocatedSamples extends SourceSamples {
  readonly where: (i: number) => string;
}

function readSource(source: DataSource, seed: number): SourceParts {
  switch (source.kind) {
    case 'mnist':
      return readMnist(source, seed);
    case 'xor':
    case 'moons':
    case 'spirals': {
      const name = `\`${source.kind}\``;
      const where = (i: number) => `${name}, sample ${i + 1}`;
      return {
        train: { ...toySamples(source, seed, 0), where },
        test: { ...toySamples(source, seed, 1), where },
        name,
        testName: name,
      };
    }
    case 'csv':
      return readCsv(source.file, source.label, source.test);
    case 'idx':
      return readIdx(source.images, source.labels, source.testImages, source.testLabels);
  }
}

function readMnist(source: Extract<DataSource, { kind: 'mnist' }>, seed: number): SourceParts {
  const digits = bundledDigits();
  const name = source.pairs ? '`mnist(pairs=true)`' : '`mnist`';
  if (source.train + source.test > digits.count) {
    throw new DataError(
      `${name} bundles ${digits.count} digits, but ${source.train} + ${source.test} were asked for`,
    );
  }
  const where = (i: number) => `${name}, sample ${i + 1}`;
  const train = source.pairs
    ? mnistPairs(digits, 0, source.train, source.train, seed, 2)
    : mnistDigits(digits, 0, source.train);
  const test = source.pairs
    ? mnistPairs(digits, source.train, source.test, source.test, seed, 3)
    : mnistDigits(digits, source.train, source.test);
  return { train: { ...train, where }, test: { ...test, where }, name, testName: name };
}

function readCsv(file: FilePath, label: string, testFile: FilePath | undefined): SourceParts {
  const name = fileLabel(file);
  const table = parseCsv(readText(file), name);
  const train = csvSamples(table, label, name);
  if (!testFile) {
    return { train, test: emptyLike(train), name, testName: name };
  }
  const testName = fileLabel(testFile);
  const testTable = alignColumns(parseCsv(readText(testFile), testName), table, testName, name);
  return { train, test: csvSamples(testTable, label, testName), name, testName };
}

function csvSamples(table: CsvTable, label: string, name: string): LocatedSamples {
  const { features, labels } = splitLabel(table, label, name);
  return {
    count: table.rows,
    features: [{ shape: [table.columns.length - 1], data: features }],
    labels,
    where: (i) => `${name}, line ${table.lines[i]}`,
  };
}

function readIdx(
  images: FilePath,
  labels: FilePath,
  testImages: FilePath | undefined,
  testLabels: FilePath | undefined,
): SourceParts {
  const train = idxPart(images, labels);
  const name = fileLabel(labels);
  if (!testImages || !testLabels) return { train, test: emptyLike(train), name, testName: name };
  const test = idxPart(testImages, testLabels);
  const [trainShape, testShape] = [train.features[0]!.shape, test.features[0]!.shape];
  if (trainShape.join() !== testShape.join()) {
    throw new DataError(
      `${fileLabel(testImages)} holds ${testShape.slice(1).join('×')} images, but ${fileLabel(images)} holds ${trainShape.slice(1).join('×')} images`,
    );
  }
  return { train, test, name, testName: fileLabel(testLabels) };
}

function idxPart(images: FilePath, labels: FilePath): LocatedSamples {
  const [imagesName, labelsName] = [fileLabel(images), fileLabel(labels)];
  const samples = idxSamples(
    parseIdx(readBytes(images), 'images', imagesName),
    parseIdx(readBytes(labels), 'labels', labelsName),
    imagesName,
    labelsName,
  );
  return {
    count: samples.count,
    features: [{ shape: samples.shape, data: samples.images }],
    labels: samples.labels,
    where: (i) => `${labelsName}, label ${i + 1}`,
  };
}

function emptyLike(samples: LocatedSamples): LocatedSamples {
  return {
    count: 0,
    features: samples.features.map((f) => ({ shape: f.shape, data: new Float32Array(0) })),
    labels: new Float32Array(0),
    where: samples.where,
  };
}

/**
 * Gives the samples the fields' names, checking them against the fields: a feature whose
 * shape the section knows must hold as many numbers as that shape (and then takes it, so
 * a table's columns can feed `x: [2, 2]`); every number must be finite; a label whose
 * number of classes is known must be a class index 0..classes-1.
 */
function nameFields(samples: LocatedSamples, fields: readonly DataField[], name: string): Dataset {
  const named: Record<string, DataTensor> = {};
  const features = fields.filter((f) => f.role === 'feature').sort((a, b) => a.index - b.index);
  if (features.length !== samples.features.length) {
    throw new Error(
      `internal error: ${name} yields ${samples.features.length} features, but ${features.length} fields were given`,
    );
  }
  features.forEach((field, i) => {
    const tensor = samples.features[i]!;
    const shape = field.shape ?? tensor.shape;
    if (sampleSize(shape) !== sampleSize(tensor.shape)) {
      throw new DataError(
        `${name} yields \`${field.name}\` of shape [${tensor.shape.join(', ')}] (${sampleSize(tensor.shape)} numbers per sample), but the network expects [${shape.join(', ')}] (${sampleSize(shape)})`,
      );
    }
    checkFinite(tensor, samples, field.name);
    named[field.name] = { shape, data: tensor.data };
  });
  const label = fields.find((f) => f.role === 'label');
  if (label) {
    checkLabels(samples, label.name, label.classes);
    named[label.name] = { shape: [], data: samples.labels };
  }
  return { fields: named, count: samples.count };
}

function checkFinite(tensor: DataTensor, samples: LocatedSamples, field: string): void {
  const size = sampleSize(tensor.shape);
  const bad = tensor.data.findIndex((v) => !Number.isFinite(v));
  if (bad >= 0) {
    const where = samples.where(Math.floor(bad / size));
    throw new DataError(`${where}: \`${field}\` holds ${tensor.data[bad]}, not a finite number`);
  }
}

function checkLabels(samples: LocatedSamples, field: string, classes: number | undefined): void {
  samples.labels.forEach((value, i) => {
    if (!Number.isFinite(value)) {
      throw new DataError(`${samples.where(i)}: \`${field}\` is ${value}, not a finite number`);
    }
    if (classes !== undefined && !(Number.isInteger(value) && value >= 0 && value < classes)) {
      throw new DataError(
        `${samples.where(i)}: \`${field}\` ${value} is out of range: expected a class index in 0..${classes - 1} (${classes} classes)`,
      );
    }
  });
}
