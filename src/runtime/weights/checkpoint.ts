/*
 * Training checkpoints and crash-safe file writes.
 *
 * A checkpoint is one safetensors file (so any safetensors reader can open it):
 *
 *   tensors        `weights/<parameter name>`    F32, the network's parameters
 *                  `optimizer/<state name>`      any dtype, the optimizer's state
 *   __metadata__   netc_format = "netc.checkpoint", netc_format_version = "1",
 *                  model_hash, step, epoch (decimal integers), rng_state and extra (JSON text)
 *
 * writeFileAtomic never leaves a half-written target: it writes a temporary file in the
 * target's directory, flushes it to disk, renames it over the target (atomic on POSIX file
 * systems and on NTFS) and flushes the directory so the rename itself survives a power cut.
 * A process killed part-way leaves the previous file intact, plus at worst a stale temporary
 * named `.<target name>.<pid>.<random>.tmp` next to it.
 */
import { randomBytes } from 'node:crypto';
import { open, readFile, rename, stat, unlink, type FileHandle } from 'node:fs/promises';
import * as path from 'node:path';
import {
  WeightsFormatError,
  decodeSafetensors,
  encodeSafetensors,
  type DecodeOptions,
  type DecodedTensor,
  type Dtype,
  type TensorData,
  type TensorInput,
} from './safetensors.js';

// ---------------------------------------------------------------------------------------------
// Atomic writes

export interface WriteFileAtomicOptions {
  /** Bytes per write call (default 4 MiB). */
  readonly chunkSize?: number;
  /**
   * Called, and awaited, after each chunk is written to the temporary file; for progress
   * reports, and for tests that need to stop a writer part-way.
   */
  readonly onChunk?: (written: number, total: number) => void | Promise<void>;
}

/** The temporary file name writeFileAtomic uses for `target`. */
function temporaryName(target: string): string {
  const dir = path.dirname(target);
  const base = path.basename(target);
  return path.join(dir, `.${base}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
}

/** True when `name` (a bare file name) looks like a temporary of writeFileAtomic for `target`. */
export function isTemporaryOf(target: string, name: string): boolean {
  const base = path.basename(target);
  return name.startsWith(`.${base}.`) && /\.\d+\.[0-9a-f]{12}\.tmp$/.test(name);
}

/**
 * Replaces the file at `target` with `bytes` so that a crash at any moment leaves either the
 * old file or the complete new one, never a mixture. The new file keeps the permission bits
 * of the file it replaces. On failure the temporary file is removed and the error rethrown.
 */
export async function writeFileAtomic(
  target: string,
  bytes: Uint8Array,
  options: WriteFileAtomicOptions = {},
): Promise<void> {
  const chunkSize = options.chunkSize ?? 4 << 20;
  if (!Number.isSafeInteger(chunkSize) || chunkSize <= 0)
    throw new RangeError(`chunkSize must be a positive integer, got ${chunkSize}`);
  let mode: number | undefined;
  try {
    mode = (await stat(target)).mode & 0o7777;
  } catch {
    mode = undefined; // no previous file: the default mode (0o666 less the umask)
  }
  const temporary = temporaryName(target);
  let handle: FileHandle | undefined;
  try {
    handle = await open(temporary, 'wx');
    if (mode !== undefined) await handle.chmod(mode);
    let written = 0;
    while (written < bytes.length) {
      const length = Math.min(chunkSize, bytes.length - written);
      const { bytesWritten } = await handle.write(bytes, written, length, written);
      written += bytesWritten;
      await options.onChunk?.(written, bytes.length);
    }
    await handle.sync();
    await handle.close();
    handle = undefined;
    await rename(temporary, target);
  } catch (error) {
    if (handle) await handle.close().catch(() => undefined);
    await unlink(temporary).catch(() => undefined);
    throw error;
  }
  await syncDirectory(path.dirname(target));
}

/** Flushes a directory's entries to disk; a no-op where directories cannot be opened (Windows). */
async function syncDirectory(dir: string): Promise<void> {
  if (process.platform === 'win32') return;
  let handle: FileHandle | undefined;
  try {
    handle = await open(dir, 'r');
    await handle.sync();
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== 'EISDIR' && code !== 'EINVAL' && code !== 'EPERM' && code !== 'EBADF') throw error;
  } finally {
    await handle?.close();
  }
}

// ---------------------------------------------------------------------------------------------
// Checkpoints

/** JSON data: what rngState and extra may hold. */
export type JsonValue =
  null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

export interface Float32Tensor {
  readonly shape: readonly number[];
  readonly data: Float32Array;
}

export interface StateTensor {
  readonly dtype: Dtype;
  readonly shape: readonly number[];
  readonly data: TensorData;
}

/** Named tensors, as a Map or a plain object. */
export type NamedTensors<T> = ReadonlyMap<string, T> | Readonly<Record<string, T>>;

export interface CheckpointInput {
  readonly weights: NamedTensors<Float32Tensor>;
  readonly optimizerState: NamedTensors<StateTensor>;
  /** Optimizer steps taken so far. */
  readonly step: number;
  /** Epochs completed so far. */
  readonly epoch: number;
  /** Whatever the training loop needs to resume its random streams. */
  readonly rngState: JsonValue;
  /** Identifies the network (its IR); a checkpoint only resumes the network it came from. */
  readonly modelHash: string;
  readonly extra?: JsonValue;
}

export interface Checkpoint {
  readonly weights: Map<string, Float32Tensor>;
  readonly optimizerState: Map<string, DecodedTensor>;
  readonly step: number;
  readonly epoch: number;
  readonly rngState: JsonValue;
  readonly modelHash: string;
  readonly extra: JsonValue;
}

export const CHECKPOINT_FORMAT = 'netc.checkpoint';
export const CHECKPOINT_VERSION = 1;
export const WEIGHTS_PREFIX = 'weights/';
export const OPTIMIZER_PREFIX = 'optimizer/';

const METADATA_KEYS = [
  'netc_format',
  'netc_format_version',
  'model_hash',
  'step',
  'epoch',
  'rng_state',
  'extra',
] as const;

function entriesOf<T>(tensors: NamedTensors<T>): [string, T][] {
  if (tensors instanceof Map) return [...(tensors as ReadonlyMap<string, T>)];
  return Object.entries(tensors as Readonly<Record<string, T>>);
}

/** Checks that `value` is plain JSON, which JSON.stringify would not silently change. */
function checkJson(value: unknown, where: string, depth = 0): void {
  if (depth > 100) throw new WeightsFormatError(`${where} is nested more than 100 levels deep`);
  if (value === null || typeof value === 'boolean' || typeof value === 'string') return;
  if (typeof value === 'number') {
    if (!Number.isFinite(value))
      throw new WeightsFormatError(`${where} is ${value}, which JSON cannot represent`);
    return;
  }
  if (Array.isArray(value)) {
    value.forEach((item, i) => checkJson(item, `${where}[${i}]`, depth + 1));
    return;
  }
  if (typeof value === 'object') {
    const proto = Object.getPrototypeOf(value);
    if (proto !== Object.prototype && proto !== null)
      throw new WeightsFormatError(
        `${where} is not a plain object (it is a ${proto.constructor?.name})`,
      );
    for (const [key, item] of Object.entries(value)) checkJson(item, `${where}.${key}`, depth + 1);
    return;
  }
  throw new WeightsFormatError(`${where} is ${typeof value}, which JSON cannot represent`);
}

function checkCount(value: number, what: string): void {
  if (!Number.isSafeInteger(value) || value < 0)
    throw new WeightsFormatError(`checkpoint ${what} must be a non-negative integer, got ${value}`);
}

/** Writes a checkpoint as one safetensors file (see the top of this file for its layout). */
export function encodeCheckpoint(checkpoint: CheckpointInput): Uint8Array {
  const { modelHash, step, epoch, rngState } = checkpoint;
  const extra = checkpoint.extra ?? null;
  if (typeof modelHash !== 'string' || modelHash === '')
    throw new WeightsFormatError('checkpoint modelHash must be a non-empty string');
  checkCount(step, 'step');
  checkCount(epoch, 'epoch');
  checkJson(rngState, 'checkpoint rngState');
  checkJson(extra, 'checkpoint extra');
  const tensors: TensorInput[] = [];
  for (const [name, tensor] of entriesOf(checkpoint.weights)) {
    if (!(tensor.data instanceof Float32Array))
      throw new WeightsFormatError(`checkpoint weight \`${name}\`: data must be a Float32Array`);
    tensors.push({
      name: WEIGHTS_PREFIX + name,
      dtype: 'F32',
      shape: tensor.shape,
      data: tensor.data,
    });
  }
  for (const [name, tensor] of entriesOf(checkpoint.optimizerState))
    tensors.push({ name: OPTIMIZER_PREFIX + name, ...tensor });
  return encodeSafetensors(tensors, {
    netc_format: CHECKPOINT_FORMAT,
    netc_format_version: String(CHECKPOINT_VERSION),
    model_hash: modelHash,
    step: String(step),
    epoch: String(epoch),
    rng_state: JSON.stringify(rngState),
    extra: JSON.stringify(extra),
  });
}

function parseCount(text: string, key: string): number {
  if (!/^(0|[1-9][0-9]{0,15})$/.test(text) || !Number.isSafeInteger(Number(text)))
    throw new WeightsFormatError(
      `checkpoint metadata \`${key}\` must be a non-negative decimal integer, got ${JSON.stringify(text)}`,
    );
  return Number(text);
}

function parseJson(text: string, key: string): JsonValue {
  try {
    return JSON.parse(text) as JsonValue;
  } catch (error) {
    throw new WeightsFormatError(
      `checkpoint metadata \`${key}\` is not valid JSON: ${(error as Error).message}`,
    );
  }
}

/**
 * Reads and validates a checkpoint written by encodeCheckpoint. Tensors are views into
 * `bytes` where alignment allows (pass `{copy: true}` to detach them).
 */
export function decodeCheckpoint(bytes: Uint8Array, options: DecodeOptions = {}): Checkpoint {
  const { tensors, metadata } = decodeSafetensors(bytes, options);
  if (metadata === undefined)
    throw new WeightsFormatError(
      'not a netc checkpoint: the safetensors header has no __metadata__ (a plain weights ' +
        'file has no training state to resume)',
    );
  if (metadata.netc_format !== CHECKPOINT_FORMAT)
    throw new WeightsFormatError(
      `not a netc checkpoint: __metadata__ netc_format is ${JSON.stringify(metadata.netc_format ?? null)}, ` +
        `expected "${CHECKPOINT_FORMAT}"`,
    );
  const version = metadata.netc_format_version;
  if (version !== String(CHECKPOINT_VERSION))
    throw new WeightsFormatError(
      `checkpoint format version ${JSON.stringify(version ?? null)} is not supported (this netc ` +
        `reads version ${CHECKPOINT_VERSION})`,
    );
  for (const key of METADATA_KEYS)
    if (metadata[key] === undefined)
      throw new WeightsFormatError(`checkpoint metadata has no \`${key}\``);
  for (const key of Object.keys(metadata))
    if (!(METADATA_KEYS as readonly string[]).includes(key))
      throw new WeightsFormatError(`checkpoint metadata has an unknown key \`${key}\``);
  const modelHash = metadata.model_hash!;
  if (modelHash === '') throw new WeightsFormatError('checkpoint metadata `model_hash` is empty');

  const weights = new Map<string, Float32Tensor>();
  const optimizerState = new Map<string, DecodedTensor>();
  for (const [name, tensor] of tensors) {
    if (name.startsWith(WEIGHTS_PREFIX) && name.length > WEIGHTS_PREFIX.length) {
      if (tensor.dtype !== 'F32')
        throw new WeightsFormatError(
          `checkpoint tensor \`${name}\`: weights must be F32, found ${tensor.dtype}`,
        );
      weights.set(name.slice(WEIGHTS_PREFIX.length), {
        shape: tensor.shape,
        data: tensor.data as Float32Array,
      });
    } else if (name.startsWith(OPTIMIZER_PREFIX) && name.length > OPTIMIZER_PREFIX.length) {
      optimizerState.set(name.slice(OPTIMIZER_PREFIX.length), tensor);
    } else {
      throw new WeightsFormatError(
        `checkpoint tensor \`${name}\` is neither \`${WEIGHTS_PREFIX}<name>\` nor ` +
          `\`${OPTIMIZER_PREFIX}<name>\``,
      );
    }
  }
  return {
    weights,
    optimizerState,
    step: parseCount(metadata.step!, 'step'),
    epoch: parseCount(metadata.epoch!, 'epoch'),
    rngState: parseJson(metadata.rng_state!, 'rng_state'),
    modelHash,
    extra: parseJson(metadata.extra!, 'extra'),
  };
}

/** Writes a checkpoint to `target` with writeFileAtomic. */
export async function writeCheckpoint(
  target: string,
  checkpoint: CheckpointInput,
  options: WriteFileAtomicOptions = {},
): Promise<void> {
  await writeFileAtomic(target, encodeCheckpoint(checkpoint), options);
}

/**
 * Reads the checkpoint at `file` and checks that it was saved for the model whose hash is
 * `expectedModelHash`. Format errors name the file; I/O errors are passed on unchanged.
 */
export async function readCheckpoint(file: string, expectedModelHash: string): Promise<Checkpoint> {
  const bytes = await readFile(file);
  let checkpoint: Checkpoint;
  try {
    checkpoint = decodeCheckpoint(bytes);
  } catch (error) {
    if (error instanceof WeightsFormatError)
      throw new WeightsFormatError(`${file}: ${error.message}`, { cause: error });
    throw error;
  }
  if (checkpoint.modelHash !== expectedModelHash)
    throw new WeightsFormatError(
      `${file}: this checkpoint belongs to a different model: it was saved for model hash ` +
        `${checkpoint.modelHash} but the model being trained has hash ${expectedModelHash}. ` +
        `A checkpoint can only resume the network it was saved from; start the run afresh or ` +
        `use the network definition the checkpoint came from.`,
    );
  return checkpoint;
}
