import * as fs from 'node:fs';
import * as zlib from 'node:zlib';
import type { FilePath } from '../../compiler/train/trainConfig.js';
import { DataError } from './dataset.js';

/*
 * Reading data files: every failure becomes a `DataError` that names the file as the
 * `.net` file wrote it; one that cannot be read also says where it was looked for.
 */

/** How messages name a file: as the `.net` file wrote it. */
export function fileLabel(file: FilePath): string {
  return `\`${file.written}\``;
}

/** The name as written, plus where that led when it is not the same. */
function fileLocation(file: FilePath): string {
  return file.written === file.resolved ? fileLabel(file) : `${fileLabel(file)} (${file.resolved})`;
}

/** The bytes of a file; a gzip-compressed file (as MNIST's downloads are) is inflated. */
export function readBytes(file: FilePath): Uint8Array {
  let bytes: Uint8Array;
  try {
    bytes = fs.readFileSync(file.resolved);
  } catch (error) {
    throw new DataError(`cannot read ${fileLocation(file)}: ${describeFsError(error)}`);
  }
  if (bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b) {
    try {
      return zlib.gunzipSync(bytes);
    } catch {
      throw new DataError(`${fileLabel(file)} looks gzip-compressed but does not inflate`);
    }
  }
  return bytes;
}

/** The text of a file, decoded as UTF-8 (a byte-order mark is dropped). */
export function readText(file: FilePath): string {
  const text = new TextDecoder('utf-8').decode(readBytes(file));
  return text.startsWith('\ufeff') ? text.slice(1) : text;
}

function describeFsError(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  switch (code) {
    case 'ENOENT':
      return 'no such file';
    case 'EISDIR':
      return 'it is a directory, not a file';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    default:
      return error instanceof Error ? error.message : String(error);
  }
}
