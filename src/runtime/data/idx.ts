import { DataError } from './dataset.js';

/*
 * MNIST's IDX format: a magic number 0x0000TTNN (TT the element type, NN the number of
 * dimensions), NN big-endian 32-bit sizes, then the elements in row-major order. MNIST's
 * images are unsigned bytes in 3 dimensions (0x00000803: count, rows, columns) and its
 * labels unsigned bytes in 1 dimension (0x00000801). Only unsigned bytes are read.
 */

export interface IdxArray {
  /** The sizes from the header; the first counts the samples. */
  readonly dims: readonly number[];
  readonly data: Uint8Array;
}

const unsignedByte = 0x08;
const typeNames: Readonly<Record<number, string>> = {
  0x08: 'unsigned bytes',
  0x09: 'signed bytes',
  0x0b: '16-bit integers',
  0x0c: '32-bit integers',
  0x0d: '32-bit floats',
  0x0e: '64-bit floats',
};

/** What each of the two files should hold. */
export const idxKinds = {
  images: { dims: 3, what: 'an images file' },
  labels: { dims: 1, what: 'a labels file' },
} as const;

export type IdxKind = keyof typeof idxKinds;

const hex = (n: number) => `0x${n.toString(16).padStart(8, '0')}`;

/** Reads and validates one IDX file's bytes; `name` is how messages refer to the file. */
export function parseIdx(bytes: Uint8Array, kind: IdxKind, name: string): IdxArray {
  const { dims: rank, what } = idxKinds[kind];
  const expected = hex((unsignedByte << 8) | rank);
  if (bytes.length === 0) throw new DataError(`${name} is empty: expected ${what} in IDX format`);
  if (bytes.length < 4) {
    throw new DataError(`${name} is too short to be an IDX file (${bytes.length} bytes)`);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const magic = view.getUint32(0);
  if (bytes[0] !== 0 || bytes[1] !== 0) {
    throw new DataError(
      `${name} is not an IDX file: it starts with ${hex(magic)}, but ${what} starts with the magic number ${expected}`,
    );
  }
  const type = bytes[2]!;
  if (type !== unsignedByte) {
    throw new DataError(
      `${name} holds ${typeNames[type] ?? `elements of unknown type 0x${type.toString(16)}`} (magic ${hex(magic)}), but only unsigned bytes (${expected}) are supported`,
    );
  }
  const found = bytes[3]!;
  if (found !== rank) {
    const other = (Object.keys(idxKinds) as IdxKind[]).find((k) => idxKinds[k].dims === found);
    throw new DataError(
      other
        ? `${name} is ${idxKinds[other].what} (magic ${hex(magic)}), but ${what} (${expected}) was expected: are the images and labels files swapped?`
        : `${name} has ${found} dimensions (magic ${hex(magic)}), but ${what} has ${rank} (${expected})`,
    );
  }
  const headerSize = 4 + 4 * rank;
  if (bytes.length < headerSize) {
    throw new DataError(
      `${name} ends inside its header: ${rank} ${rank === 1 ? 'dimension needs' : 'dimensions need'} ${headerSize} bytes, the file has ${bytes.length}`,
    );
  }
  const dims = Array.from({ length: rank }, (_, i) => view.getUint32(4 + 4 * i));
  if (dims[0] === 0) throw new DataError(`${name} holds no samples (its count is 0)`);
  const zero = dims.indexOf(0);
  if (zero > 0) throw new DataError(`${name} has a dimension of size 0: ${dims.join(' × ')}`);
  const size = dims.reduce((a, b) => a * b, 1);
  const held = bytes.length - headerSize;
  if (held !== size) {
    throw new DataError(
      `${name} declares ${dims.join(' × ')} = ${size} bytes of data, but holds ${held}${held < size ? ' (is it truncated?)' : ''}`,
    );
  }
  return { dims, data: bytes.subarray(headerSize) };
}

/** Images as [count, 1, rows, columns] in [0, 1] and labels as numbers, checked to match. */
export function idxSamples(
  images: IdxArray,
  labels: IdxArray,
  imagesName: string,
  labelsName: string,
): {
  readonly count: number;
  readonly shape: readonly number[];
  readonly images: Float32Array;
  readonly labels: Float32Array;
} {
  const count = images.dims[0]!;
  if (labels.dims[0] !== count) {
    throw new DataError(
      `${imagesName} holds ${count} images, but ${labelsName} holds ${labels.dims[0]} labels`,
    );
  }
  const pixels = new Float32Array(images.data.length);
  for (let i = 0; i < pixels.length; i++) pixels[i] = images.data[i]! / 255;
  return {
    count,
    shape: [1, images.dims[1]!, images.dims[2]!],
    images: pixels,
    labels: Float32Array.from(labels.data),
  };
}
