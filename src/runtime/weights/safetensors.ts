/*
 * The safetensors format (https://github.com/huggingface/safetensors), read and written
 * without any dependency so it works in Node and in browsers alike:
 *
 *   8 bytes   N, the header length, an unsigned little-endian 64-bit integer (N ≤ 100,000,000)
 *   N bytes   a UTF-8 JSON object: {"__metadata__": {string: string}?, NAME: {"dtype": D,
 *             "shape": [d0, d1, ...], "data_offsets": [BEGIN, END]}, ...}
 *   the rest  the data section: every tensor's bytes, little-endian, row-major, at
 *             [BEGIN, END) relative to the start of the data section
 *
 * The reader is written for hostile input. Everything the header claims is checked against
 * the bytes that are really there before anything proportional to a claimed size is
 * allocated: the header length against the file, every size with exact (BigInt) arithmetic,
 * the tensors' byte ranges for holes, overlaps and a data section that must end exactly at
 * the end of the file. The JSON header goes through a small strict parser of our own rather
 * than JSON.parse, because JSON.parse silently keeps the last of two equal keys, rounds big
 * integers and cannot tell `2` from `2.0`. Every problem is a WeightsFormatError whose
 * message names the tensor or the file byte at fault.
 *
 * The writer produces the bytes the reference implementation (safetensors 0.x, Rust) writes
 * for the same tensors: compact JSON with the fields in the order dtype, shape, data_offsets;
 * `__metadata__` first; tensors ordered by decreasing dtype alignment, then by name (code
 * point order, which is the byte order of the UTF-8 names); the header padded with spaces to
 * a multiple of 8 so the data section, and with it every tensor, is 8-byte aligned. The
 * reference writes metadata keys in hash-map order; we sort them, so our output is
 * deterministic and equal to the reference's whenever the metadata has at most one key.
 */

/** A malformed or hostile safetensors file (or checkpoint), or tensors that cannot be written. */
export class WeightsFormatError extends Error {
  override readonly name: string = 'WeightsFormatError';
}

// ---------------------------------------------------------------------------------------------
// Data types

interface DtypeInfo {
  /** Bits per element. */
  readonly bits: number;
  /**
   * Position in the reference's `Dtype` enum, which is declared in increasing alignment
   * order; the writer orders tensors by decreasing rank, then by name.
   */
  readonly rank: number;
}

const DTYPES = {
  BOOL: { bits: 8, rank: 0 },
  F4: { bits: 4, rank: 1 },
  F6_E2M3: { bits: 6, rank: 2 },
  F6_E3M2: { bits: 6, rank: 3 },
  U8: { bits: 8, rank: 4 },
  I8: { bits: 8, rank: 5 },
  F8_E5M2: { bits: 8, rank: 6 },
  F8_E4M3: { bits: 8, rank: 7 },
  F8_E8M0: { bits: 8, rank: 8 },
  F8_E4M3FNUZ: { bits: 8, rank: 9 },
  F8_E5M2FNUZ: { bits: 8, rank: 10 },
  I16: { bits: 16, rank: 11 },
  U16: { bits: 16, rank: 12 },
  F16: { bits: 16, rank: 13 },
  BF16: { bits: 16, rank: 14 },
  I32: { bits: 32, rank: 15 },
  U32: { bits: 32, rank: 16 },
  F32: { bits: 32, rank: 17 },
  C64: { bits: 64, rank: 18 },
  F64: { bits: 64, rank: 19 },
  I64: { bits: 64, rank: 20 },
  U64: { bits: 64, rank: 21 },
} as const satisfies Record<string, DtypeInfo>;

/** Every dtype of the safetensors format. */
export type Dtype = keyof typeof DTYPES;

/** The dtypes, in the reference's enum order (increasing alignment). */
export const DTYPE_NAMES: readonly Dtype[] = Object.keys(DTYPES) as Dtype[];

export function isDtype(value: unknown): value is Dtype {
  return typeof value === 'string' && Object.prototype.hasOwnProperty.call(DTYPES, value);
}

/** Bits per element of a dtype (4 and 6 for the packed F4/F6 formats). */
export function dtypeBits(dtype: Dtype): number {
  return DTYPES[dtype].bits;
}

/** Element data of a tensor. */
export type TensorData =
  | Float32Array
  | Float64Array
  | Int8Array
  | Uint8Array
  | Int16Array
  | Uint16Array
  | Int32Array
  | Uint32Array
  | BigInt64Array
  | BigUint64Array;

type TypedArrayConstructor =
  | Float32ArrayConstructor
  | Float64ArrayConstructor
  | Int8ArrayConstructor
  | Uint8ArrayConstructor
  | Int16ArrayConstructor
  | Uint16ArrayConstructor
  | Int32ArrayConstructor
  | Uint32ArrayConstructor
  | BigInt64ArrayConstructor
  | BigUint64ArrayConstructor;

/**
 * The array type that holds a dtype's elements. F16 and BF16 elements are their raw 16-bit
 * patterns (see `tensorToFloat32`); C64 is interleaved (real, imaginary) float32 pairs; the
 * 8-bit floats and the packed F4/F6 formats are raw bytes.
 */
export function elementArrayType(dtype: Dtype): TypedArrayConstructor {
  switch (dtype) {
    case 'F32':
    case 'C64':
      return Float32Array;
    case 'F64':
      return Float64Array;
    case 'F16':
    case 'BF16':
    case 'U16':
      return Uint16Array;
    case 'I16':
      return Int16Array;
    case 'I32':
      return Int32Array;
    case 'U32':
      return Uint32Array;
    case 'I64':
      return BigInt64Array;
    case 'U64':
      return BigUint64Array;
    case 'I8':
      return Int8Array;
    default:
      return Uint8Array;
  }
}

const hostIsLittleEndian = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

// ---------------------------------------------------------------------------------------------
// Public shapes

/** A tensor to write. */
export interface TensorInput {
  readonly name: string;
  readonly dtype: Dtype;
  readonly shape: readonly number[];
  /**
   * The elements in the array type `elementArrayType(dtype)` returns, or any dtype's raw
   * little-endian bytes as a Uint8Array, or, for F16 and BF16, float32 values that are
   * rounded to the nearest representable value (ties to even).
   */
  readonly data: TensorData;
}

/** A tensor read from a file. */
export interface DecodedTensor {
  readonly dtype: Dtype;
  readonly shape: number[];
  /** The elements, in the array type `elementArrayType(dtype)` returns. */
  readonly data: TensorData;
}

export interface DecodedSafetensors {
  /** The tensors in the order the header lists them. */
  readonly tensors: Map<string, DecodedTensor>;
  /** `__metadata__`, or undefined when the header has none. */
  readonly metadata: Record<string, string> | undefined;
}

export interface DecodeOptions {
  /**
   * Copy every tensor out of `bytes`. By default a tensor whose bytes are suitably aligned
   * is a view that shares memory with `bytes`; the others are copied.
   */
  readonly copy?: boolean;
}

/** The reference's limit on the header length. */
export const MAX_HEADER_LENGTH = 100_000_000;

/** Shapes with more dimensions are refused (numpy's limit), which bounds the work per tensor. */
export const MAX_RANK = 64;

const U64_MAX = (1n << 64n) - 1n;

// ---------------------------------------------------------------------------------------------
// Messages

/** A name as messages show it: escaped like a JSON string, shortened when very long. */
function quote(name: string): string {
  const escaped = JSON.stringify(name).slice(1, -1);
  return '`' + (escaped.length > 80 ? escaped.slice(0, 77) + '...' : escaped) + '`';
}

function showShape(shape: readonly (number | bigint)[]): string {
  return `[${shape.join(', ')}]`;
}

function fail(message: string): never {
  throw new WeightsFormatError(message);
}

// ---------------------------------------------------------------------------------------------
// UTF-8

/** The offset of the first byte that is not part of well-formed UTF-8, or -1. */
function firstInvalidUtf8(bytes: Uint8Array): number {
  const n = bytes.length;
  let i = 0;
  while (i < n) {
    const b = bytes[i]!;
    if (b < 0x80) {
      i++;
      continue;
    }
    let need: number;
    let lo = 0x80;
    let hi = 0xbf;
    if (b >= 0xc2 && b <= 0xdf) need = 1;
    else if (b >= 0xe0 && b <= 0xef) {
      need = 2;
      if (b === 0xe0) lo = 0xa0; // no overlong forms
      if (b === 0xed) hi = 0x9f; // no surrogates
    } else if (b >= 0xf0 && b <= 0xf4) {
      need = 3;
      if (b === 0xf0) lo = 0x90; // no overlong forms
      if (b === 0xf4) hi = 0x8f; // nothing above U+10FFFF
    } else return i;
    if (i + need >= n) return i;
    const second = bytes[i + 1]!;
    if (second < lo || second > hi) return i;
    for (let k = 2; k <= need; k++) {
      const c = bytes[i + k]!;
      if (c < 0x80 || c > 0xbf) return i;
    }
    i += need + 1;
  }
  return -1;
}

const utf8Decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
const utf8Encoder = new TextEncoder();

/** True when `text` has no unpaired surrogate, so it has a UTF-8 encoding. */
function isWellFormed(text: string): boolean {
  return !/\p{Surrogate}/u.test(text);
}

// ---------------------------------------------------------------------------------------------
// The header parser

interface HeaderEntry {
  readonly name: string;
  readonly dtype: Dtype;
  readonly shape: readonly bigint[];
  readonly begin: bigint;
  readonly end: bigint;
}

interface ParsedHeader {
  readonly entries: HeaderEntry[];
  readonly metadata: Record<string, string> | undefined;
}

function setOwn(record: Record<string, string>, key: string, value: string): void {
  // defineProperty rather than assignment, so a key such as `__proto__` is an ordinary key.
  Object.defineProperty(record, key, {
    value,
    enumerable: true,
    writable: true,
    configurable: true,
  });
}

/**
 * A strict JSON parser for the header, directed by its schema: it reads the header object
 * straight into entries, refuses duplicate keys, unknown fields and values of the wrong kind
 * as soon as it meets them, and keeps integers exact. `pos` indexes `bytes`, the header;
 * messages give file offsets (`base + pos`).
 */
class HeaderParser {
  private pos = 0;

  constructor(
    private readonly bytes: Uint8Array,
    private readonly base: number,
  ) {}

  private where(pos = this.pos): string {
    return `file byte ${this.base + pos}`;
  }

  private skipSpace(): void {
    const b = this.bytes;
    while (this.pos < b.length) {
      const c = b[this.pos]!;
      if (c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d) this.pos++;
      else break;
    }
  }

  private peek(): number {
    return this.pos < this.bytes.length ? this.bytes[this.pos]! : -1;
  }

  /** What the next value is, in words, for "expected X, found Y" messages. */
  private found(): string {
    const c = this.peek();
    if (c === -1) return 'the end of the header';
    if (c === 0x7b) return 'an object';
    if (c === 0x5b) return 'an array';
    if (c === 0x22) return 'a string';
    if (c === 0x2d || (c >= 0x30 && c <= 0x39)) return 'a number';
    if (c === 0x74 || c === 0x66) return 'a boolean';
    if (c === 0x6e) return 'null';
    if (c === 0xef && this.bytes[this.pos + 1] === 0xbb && this.bytes[this.pos + 2] === 0xbf)
      return 'a byte order mark';
    return this.showChar(c);
  }

  private showChar(c: number): string {
    if (c >= 0x21 && c <= 0x7e) return `\`${String.fromCharCode(c)}\``;
    return `byte 0x${c.toString(16).padStart(2, '0')}`;
  }

  private syntax(expected: string): never {
    fail(
      `header is not valid JSON: expected ${expected} at ${this.where()}, found ${this.found()}`,
    );
  }

  private expect(c: number, what: string): void {
    this.skipSpace();
    if (this.peek() !== c) this.syntax(what);
    this.pos++;
  }

  /** Reads a JSON string (the opening quote is next). */
  private string(): string {
    const b = this.bytes;
    const start = ++this.pos;
    let parts: string[] | undefined;
    let runStart = start;
    for (;;) {
      if (this.pos >= b.length)
        fail(`header is not valid JSON: unterminated string starting at ${this.where(start - 1)}`);
      const c = b[this.pos]!;
      if (c === 0x22) {
        const tail = utf8Decoder.decode(b.subarray(runStart, this.pos));
        this.pos++;
        if (!parts) return tail;
        parts.push(tail);
        return parts.join('');
      }
      if (c < 0x20)
        fail(
          `header is not valid JSON: control character 0x${c.toString(16).padStart(2, '0')} ` +
            `in a string at ${this.where()} (it must be escaped)`,
        );
      if (c !== 0x5c) {
        this.pos++;
        continue;
      }
      parts ??= [];
      parts.push(utf8Decoder.decode(b.subarray(runStart, this.pos)));
      const escapeAt = this.pos;
      const e = b[this.pos + 1];
      this.pos += 2;
      switch (e) {
        case 0x22:
          parts.push('"');
          break;
        case 0x5c:
          parts.push('\\');
          break;
        case 0x2f:
          parts.push('/');
          break;
        case 0x62:
          parts.push('\b');
          break;
        case 0x66:
          parts.push('\f');
          break;
        case 0x6e:
          parts.push('\n');
          break;
        case 0x72:
          parts.push('\r');
          break;
        case 0x74:
          parts.push('\t');
          break;
        case 0x75: {
          const unit = this.hex4(escapeAt);
          if (unit >= 0xdc00 && unit <= 0xdfff)
            fail(
              `header is not valid JSON: lone low surrogate \\u${unit.toString(16)} in a string ` +
                `at ${this.where(escapeAt)}`,
            );
          if (unit >= 0xd800 && unit <= 0xdbff) {
            const next = this.pos;
            if (b[next] !== 0x5c || b[next + 1] !== 0x75)
              fail(
                `header is not valid JSON: lone high surrogate \\u${unit.toString(16)} in a ` +
                  `string at ${this.where(escapeAt)}`,
              );
            this.pos += 2;
            const low = this.hex4(next);
            if (low < 0xdc00 || low > 0xdfff)
              fail(
                `header is not valid JSON: high surrogate \\u${unit.toString(16)} at ` +
                  `${this.where(escapeAt)} is not followed by a low surrogate`,
              );
            parts.push(String.fromCharCode(unit, low));
          } else parts.push(String.fromCharCode(unit));
          break;
        }
        default:
          fail(
            `header is not valid JSON: invalid escape ` +
              `${e === undefined ? 'at the end of the header' : '\\' + String.fromCharCode(e)} ` +
              `at ${this.where(escapeAt)}`,
          );
      }
      runStart = this.pos;
    }
  }

  private hex4(escapeAt: number): number {
    let value = 0;
    for (let k = 0; k < 4; k++) {
      const c = this.bytes[this.pos + k];
      let digit: number;
      if (c !== undefined && c >= 0x30 && c <= 0x39) digit = c - 0x30;
      else if (c !== undefined && c >= 0x61 && c <= 0x66) digit = c - 0x57;
      else if (c !== undefined && c >= 0x41 && c <= 0x46) digit = c - 0x37;
      else
        fail(
          `header is not valid JSON: \\u escape at ${this.where(escapeAt)} needs four hex digits`,
        );
      value = value * 16 + digit;
    }
    this.pos += 4;
    return value;
  }

  /** Reads a JSON number and returns its text. */
  private numberText(): string {
    const b = this.bytes;
    const start = this.pos;
    const digits = (): number => {
      const from = this.pos;
      while (this.pos < b.length && b[this.pos]! >= 0x30 && b[this.pos]! <= 0x39) this.pos++;
      return this.pos - from;
    };
    if (b[this.pos] === 0x2d) this.pos++;
    const intStart = this.pos;
    const intDigits = digits();
    if (intDigits === 0) this.syntax('a digit');
    if (intDigits > 1 && b[intStart] === 0x30)
      fail(`header is not valid JSON: number with a leading zero at ${this.where(start)}`);
    if (b[this.pos] === 0x2e) {
      this.pos++;
      if (digits() === 0) this.syntax('a digit after the decimal point');
    }
    if (b[this.pos] === 0x65 || b[this.pos] === 0x45) {
      this.pos++;
      if (b[this.pos] === 0x2b || b[this.pos] === 0x2d) this.pos++;
      if (digits() === 0) this.syntax('a digit in the exponent');
    }
    return (
      String.fromCharCode(...b.subarray(start, Math.min(this.pos, start + 48))) +
      (this.pos - start > 48 ? '...' : '')
    );
  }

  /**
   * Reads a size (a JSON integer in 0 ..= 2^64 − 1, like the reference's usize). `what`
   * names the value for messages.
   */
  private size(what: string): bigint {
    this.skipSpace();
    const c = this.peek();
    if (c !== 0x2d && !(c >= 0x30 && c <= 0x39))
      fail(`${what} must be a non-negative integer, found ${this.found()} at ${this.where()}`);
    const at = this.pos;
    const text = this.numberText();
    if (text.startsWith('-'))
      fail(`${what} must be a non-negative integer, found ${text} at ${this.where(at)}`);
    if (/[.eE]/.test(text))
      fail(`${what} must be a non-negative integer, found ${text} at ${this.where(at)}`);
    if (text.length > 20 || BigInt(text) > U64_MAX)
      fail(`${what} is ${text}, more than 2^64 - 1, at ${this.where(at)}`);
    return BigInt(text);
  }

  /**
   * Walks the members of an object (the `{` is next), calling `member` with each key after
   * checking it is not a duplicate; `member` must consume the value.
   */
  private object(context: string, member: (key: string, keyAt: number) => void): void {
    this.expect(0x7b, '`{`');
    const seen = new Map<string, number>();
    this.skipSpace();
    if (this.peek() === 0x7d) {
      this.pos++;
      return;
    }
    for (;;) {
      this.skipSpace();
      if (this.peek() !== 0x22) this.syntax('a string key');
      const keyAt = this.pos;
      const key = this.string();
      const first = seen.get(key);
      if (first !== undefined)
        fail(
          `duplicate key ${quote(key)} in ${context} at ${this.where(keyAt)} (first at ` +
            `${this.where(first)}); JSON.parse would silently keep the last one, so duplicate ` +
            `keys are refused`,
        );
      seen.set(key, keyAt);
      this.expect(0x3a, '`:`');
      this.skipSpace();
      member(key, keyAt);
      this.skipSpace();
      const c = this.peek();
      if (c === 0x2c) {
        this.pos++;
        continue;
      }
      if (c === 0x7d) {
        this.pos++;
        return;
      }
      this.syntax('`,` or `}`');
    }
  }

  /** Walks the items of an array (the `[` is next); `item` must consume each value. */
  private array(item: (index: number) => void): number {
    this.expect(0x5b, '`[`');
    this.skipSpace();
    if (this.peek() === 0x5d) {
      this.pos++;
      return 0;
    }
    let count = 0;
    for (;;) {
      item(count++);
      this.skipSpace();
      const c = this.peek();
      if (c === 0x2c) {
        this.pos++;
        continue;
      }
      if (c === 0x5d) {
        this.pos++;
        return count;
      }
      this.syntax('`,` or `]`');
    }
  }

  private metadata(): Record<string, string> {
    if (this.peek() !== 0x7b)
      fail(
        `\`__metadata__\` must be an object mapping strings to strings, found ${this.found()} ` +
          `at ${this.where()}`,
      );
    const record: Record<string, string> = {};
    this.object('`__metadata__`', (key) => {
      if (this.peek() !== 0x22)
        fail(
          `\`__metadata__\` must map strings to strings, but the value of ${quote(key)} is ` +
            `${this.found()} at ${this.where()}`,
        );
      setOwn(record, key, this.string());
    });
    return record;
  }

  private tensor(name: string, keyAt: number): HeaderEntry {
    const label = `tensor ${quote(name)}`;
    if (this.peek() !== 0x7b)
      fail(
        `${label}: expected an object with dtype, shape and data_offsets, found ` +
          `${this.found()} at ${this.where()}`,
      );
    let dtype: Dtype | undefined;
    let shape: bigint[] | undefined;
    let offsets: bigint[] | undefined;
    this.object(label, (field, fieldAt) => {
      if (field === 'dtype') {
        if (this.peek() !== 0x22)
          fail(`${label}: dtype must be a string, found ${this.found()} at ${this.where()}`);
        const at = this.pos;
        const text = this.string();
        if (!isDtype(text))
          fail(
            `${label}: unknown dtype ${quote(text)} at ${this.where(at)} (known: ` +
              `${DTYPE_NAMES.join(', ')})`,
          );
        dtype = text;
      } else if (field === 'shape') {
        if (this.peek() !== 0x5b)
          fail(
            `${label}: shape must be an array of non-negative integers, found ` +
              `${this.found()} at ${this.where()}`,
          );
        const at = this.pos;
        const dims: bigint[] = [];
        this.array((i) => {
          if (i >= MAX_RANK)
            fail(`${label}: shape at ${this.where(at)} has more than ${MAX_RANK} dimensions`);
          dims.push(this.size(`${label}: shape dimension ${i}`));
        });
        shape = dims;
      } else if (field === 'data_offsets') {
        if (this.peek() !== 0x5b)
          fail(
            `${label}: data_offsets must be an array [begin, end], found ${this.found()} ` +
              `at ${this.where()}`,
          );
        const at = this.pos;
        const pair: bigint[] = [];
        const count = this.array((i) => {
          if (i >= 2) fail(`${label}: data_offsets at ${this.where(at)} has more than 2 items`);
          pair.push(this.size(`${label}: data_offsets[${i}]`));
        });
        if (count !== 2)
          fail(`${label}: data_offsets at ${this.where(at)} has ${count} items, not 2`);
        offsets = pair;
      } else {
        fail(
          `${label}: unknown field ${quote(field)} at ${this.where(fieldAt)} (a tensor has exactly ` +
            `dtype, shape and data_offsets)`,
        );
      }
    });
    const missing = (field: string): never =>
      fail(`${label} (key at ${this.where(keyAt)}) has no ${field}`);
    if (dtype === undefined) return missing('dtype');
    if (shape === undefined) return missing('shape');
    if (offsets === undefined) return missing('data_offsets');
    return { name, dtype, shape, begin: offsets[0]!, end: offsets[1]! };
  }

  parse(): ParsedHeader {
    this.skipSpace();
    if (this.peek() !== 0x7b)
      fail(`header must be a JSON object, found ${this.found()} at ${this.where()}`);
    const entries: HeaderEntry[] = [];
    let metadata: Record<string, string> | undefined;
    this.object('the header', (key, keyAt) => {
      if (key === '__metadata__') metadata = this.metadata();
      else entries.push(this.tensor(key, keyAt));
    });
    this.skipSpace();
    if (this.pos < this.bytes.length)
      fail(
        `unexpected ${this.showChar(this.peek())} at ${this.where()} after the header's JSON ` +
          `object (only whitespace may pad the header)`,
      );
    return { entries, metadata };
  }
}

// ---------------------------------------------------------------------------------------------
// Decoding

/** Bytes a tensor of this dtype and shape needs, or a message when that is not a byte count. */
function byteSize(dtype: Dtype, shape: readonly bigint[]): bigint | string {
  let elements = 1n;
  for (const d of shape) {
    elements *= d;
    if (elements > U64_MAX) return 'overflow';
  }
  const bits = elements * BigInt(DTYPES[dtype].bits);
  if (bits / 8n > U64_MAX) return 'overflow';
  if (bits % 8n !== 0n) return `${bits} bits, not a whole number of bytes`;
  return bits / 8n;
}

function describeLayout(entry: HeaderEntry): string {
  return `data_offsets [${entry.begin}, ${entry.end}]`;
}

/**
 * Reads a safetensors file. Throws WeightsFormatError, naming what is wrong and where, for
 * anything the format does not allow; see docs/weights.md for the full list of checks.
 */
export function decodeSafetensors(
  bytes: Uint8Array,
  options: DecodeOptions = {},
): DecodedSafetensors {
  const fileLength = bytes.length;
  if (fileLength < 8)
    fail(
      `file is ${fileLength} byte${fileLength === 1 ? '' : 's'} long, too short for the 8-byte ` +
        `header length that starts a safetensors file`,
    );
  const view = new DataView(bytes.buffer, bytes.byteOffset, 8);
  const headerLength = view.getBigUint64(0, true);
  if (headerLength > BigInt(MAX_HEADER_LENGTH))
    fail(
      `header length ${headerLength} (file bytes 0..8) is over the limit of ` +
        `${MAX_HEADER_LENGTH} bytes`,
    );
  const n = Number(headerLength);
  if (8 + n > fileLength)
    fail(
      `header length ${n} runs past the end of the file: the header would end at byte ` +
        `${8 + n} but the file has ${fileLength} bytes`,
    );
  const headerBytes = bytes.subarray(8, 8 + n);
  const bad = firstInvalidUtf8(headerBytes);
  if (bad >= 0)
    fail(
      `header is not valid UTF-8: byte 0x${headerBytes[bad]!.toString(16).padStart(2, '0')} ` +
        `at file byte ${8 + bad} does not start a well-formed sequence`,
    );
  const { entries, metadata } = new HeaderParser(headerBytes, 8).parse();

  // Sizes, checked in header order.
  for (const entry of entries) {
    const label = `tensor ${quote(entry.name)}`;
    const size = byteSize(entry.dtype, entry.shape);
    if (size === 'overflow')
      fail(
        `${label}: shape ${showShape(entry.shape)} of ${entry.dtype} overflows: its size in ` +
          `bytes is more than 2^64 - 1`,
      );
    if (typeof size === 'string')
      fail(`${label}: shape ${showShape(entry.shape)} of ${entry.dtype} is ${size}`);
    if (entry.end < entry.begin) fail(`${label}: ${describeLayout(entry)} end before they begin`);
    const held = entry.end - entry.begin;
    if (held !== size)
      fail(
        `${label}: ${describeLayout(entry)} hold ${held} bytes but shape ` +
          `${showShape(entry.shape)} of ${entry.dtype} needs ${size}`,
      );
  }

  // Layout: sorted by (begin, end), the ranges must tile the data section from 0.
  const sorted = entries
    .slice()
    .sort((a, b) =>
      a.begin !== b.begin
        ? a.begin < b.begin
          ? -1
          : 1
        : a.end < b.end
          ? -1
          : a.end > b.end
            ? 1
            : 0,
    );
  let cursor = 0n;
  let previous: HeaderEntry | undefined;
  for (const entry of sorted) {
    const label = `tensor ${quote(entry.name)}`;
    if (entry.begin > cursor)
      fail(
        previous
          ? `${label}: ${describeLayout(entry)} leave a hole: data bytes ${cursor}..${entry.begin} ` +
              `after tensor ${quote(previous.name)} belong to no tensor`
          : `${label}: ${describeLayout(entry)} leave a hole: the first tensor must begin at ` +
              `offset 0 of the data section`,
      );
    if (entry.begin < cursor)
      fail(
        `${label}: ${describeLayout(entry)} overlap tensor ${quote(previous!.name)} ` +
          `(${describeLayout(previous!)})`,
      );
    cursor = entry.end;
    previous = entry;
  }
  const dataStart = 8 + n;
  const dataLength = BigInt(fileLength - dataStart);
  if (cursor > dataLength)
    fail(
      `tensor ${quote(previous!.name)}: ${describeLayout(previous!)} run past the end of the ` +
        `file: the data section has ${dataLength} bytes (file truncated?)`,
    );
  if (cursor < dataLength)
    fail(
      `${dataLength - cursor} trailing bytes after the last tensor (file bytes ` +
        `${dataStart + Number(cursor)}..${fileLength}): the data section has ${dataLength} bytes ` +
        `but the tensors cover ${cursor}`,
    );

  // Only a zero-size tensor can get here with such a dimension (e.g. [0, 2^60]).
  for (const entry of entries)
    for (const d of entry.shape)
      if (d > BigInt(Number.MAX_SAFE_INTEGER))
        fail(
          `tensor ${quote(entry.name)}: shape dimension ${d} is larger than netc can represent ` +
            `(2^53 - 1)`,
        );

  // Everything claimed is backed by real bytes now; build the tensors.
  const tensors = new Map<string, DecodedTensor>();
  for (const entry of entries) {
    const begin = dataStart + Number(entry.begin);
    const end = dataStart + Number(entry.end);
    const data = elementsOf(entry.dtype, bytes, begin, end, options.copy === true);
    if (entry.dtype === 'BOOL') {
      const bools = data as Uint8Array;
      for (let i = 0; i < bools.length; i++)
        if (bools[i]! > 1)
          fail(
            `tensor ${quote(entry.name)}: BOOL element ${i} (file byte ${begin + i}) is ` +
              `${bools[i]}, not 0 or 1`,
          );
    }
    tensors.set(entry.name, { dtype: entry.dtype, shape: entry.shape.map(Number), data });
  }
  return { tensors, metadata };
}

/** The elements in bytes[begin, end): a view when aligned (and allowed), else a copy. */
function elementsOf(
  dtype: Dtype,
  bytes: Uint8Array,
  begin: number,
  end: number,
  copy: boolean,
): TensorData {
  const Type = elementArrayType(dtype);
  const width = Type.BYTES_PER_ELEMENT;
  const count = (end - begin) / width;
  const absolute = bytes.byteOffset + begin;
  if (!copy && hostIsLittleEndian && absolute % width === 0)
    return new Type(bytes.buffer as ArrayBuffer, absolute, count);
  const own = bytes.slice(begin, end);
  if (!hostIsLittleEndian) swapBytes(own, width);
  return new Type(own.buffer, 0, count);
}

/** Reverses the bytes of every `width`-byte element, in place. */
function swapBytes(bytes: Uint8Array, width: number): void {
  if (width === 1) return;
  for (let i = 0; i < bytes.length; i += width) bytes.subarray(i, i + width).reverse();
}

// ---------------------------------------------------------------------------------------------
// Encoding

/** Compares strings by code point, which is the byte order of their UTF-8 encodings. */
export function compareCodePoints(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    let x = a.charCodeAt(i);
    let y = b.charCodeAt(i);
    if (x === y) continue;
    // Surrogates (U+D800..DFFF code units) encode code points above U+FFFF: move them up.
    if (x >= 0xd800) x = x < 0xe000 ? x + 0x2000 : x - 0x800;
    if (y >= 0xd800) y = y < 0xe000 ? y + 0x2000 : y - 0x800;
    return x - y;
  }
  return a.length - b.length;
}

function isSize(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
}

/** The little-endian bytes of a tensor's data, after checking them against dtype and shape. */
function bytesOf(tensor: TensorInput, label: string): Uint8Array {
  const { dtype, shape, data } = tensor;
  let elements = 1n;
  for (const d of shape) elements *= BigInt(d);
  const bits = elements * BigInt(DTYPES[dtype].bits);
  if (bits % 8n !== 0n)
    fail(`${label}: shape ${showShape(shape)} of ${dtype} is ${bits} bits, not whole bytes`);
  const size = Number(bits / 8n);
  const Type = elementArrayType(dtype);
  if (data instanceof Uint8Array) {
    if (data.length !== size)
      fail(
        `${label}: ${data.length} raw bytes given but shape ${showShape(shape)} of ${dtype} ` +
          `needs ${size}`,
      );
    return data;
  }
  if ((dtype === 'F16' || dtype === 'BF16') && data instanceof Float32Array) {
    if (data.length * 2 !== size)
      fail(
        `${label}: ${data.length} values given but shape ${showShape(shape)} has ${size / 2} ` +
          `elements`,
      );
    const round = dtype === 'F16' ? float32ToFloat16Bits : float32ToBfloat16Bits;
    const half = new Uint16Array(data.length);
    for (let i = 0; i < data.length; i++) half[i] = round(data[i]!);
    return rawBytes(half);
  }
  if (!(data instanceof Type))
    fail(
      `${label}: ${dtype} data must be a ${Type.name} (or raw bytes in a Uint8Array), got a ` +
        `${(data as { constructor: { name: string } }).constructor.name}`,
    );
  if (data.byteLength !== size)
    fail(
      `${label}: ${data.length} values given but shape ${showShape(shape)} of ${dtype} needs ` +
        `${size / Type.BYTES_PER_ELEMENT}`,
    );
  return rawBytes(data);
}

function rawBytes(data: TensorData): Uint8Array {
  const view = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  if (hostIsLittleEndian) return view;
  const own = view.slice();
  swapBytes(own, data.BYTES_PER_ELEMENT);
  return own;
}

/**
 * Writes tensors as a safetensors file, byte for byte as the reference writes them (see the
 * top of this file). Throws WeightsFormatError for tensors that cannot be written: repeated
 * or reserved names, unknown dtypes, shapes that do not match the data.
 */
export function encodeSafetensors(
  tensors: readonly TensorInput[],
  metadata?: Readonly<Record<string, string>>,
): Uint8Array {
  const names = new Set<string>();
  const prepared: { tensor: TensorInput; bytes: Uint8Array }[] = [];
  for (const tensor of tensors) {
    const { name, dtype, shape } = tensor;
    if (typeof name !== 'string') fail(`cannot write a tensor whose name is not a string`);
    const label = `tensor ${quote(name)}`;
    if (name === '__metadata__') fail(`${label}: the name is reserved for the header's metadata`);
    if (!isWellFormed(name)) fail(`${label}: the name has an unpaired surrogate (not Unicode)`);
    if (names.has(name)) fail(`${label}: two tensors have this name`);
    names.add(name);
    if (!isDtype(dtype)) fail(`${label}: unknown dtype ${quote(String(dtype))}`);
    if (!Array.isArray(shape) || !shape.every(isSize))
      fail(`${label}: shape must be an array of non-negative integers, got ${String(shape)}`);
    if (shape.length > MAX_RANK) fail(`${label}: shape has more than ${MAX_RANK} dimensions`);
    prepared.push({ tensor, bytes: bytesOf(tensor, label) });
  }
  prepared.sort(
    (a, b) =>
      DTYPES[b.tensor.dtype].rank - DTYPES[a.tensor.dtype].rank ||
      compareCodePoints(a.tensor.name, b.tensor.name),
  );

  const members: string[] = [];
  if (metadata !== undefined) {
    const keys = Object.keys(metadata).sort(compareCodePoints);
    const pairs: string[] = [];
    for (const key of keys) {
      const value = metadata[key];
      if (typeof value !== 'string')
        fail(`metadata ${quote(key)}: the value must be a string, got ${typeof value}`);
      if (!isWellFormed(key) || !isWellFormed(value))
        fail(`metadata ${quote(key)}: the key or value has an unpaired surrogate (not Unicode)`);
      pairs.push(`${JSON.stringify(key)}:${JSON.stringify(value)}`);
    }
    members.push(`"__metadata__":{${pairs.join(',')}}`);
  }
  let offset = 0;
  for (const { tensor, bytes } of prepared) {
    const begin = offset;
    offset += bytes.length;
    members.push(
      `${JSON.stringify(tensor.name)}:{"dtype":"${tensor.dtype}","shape":[${tensor.shape.join(
        ',',
      )}],"data_offsets":[${begin},${offset}]}`,
    );
  }
  const header = utf8Encoder.encode(`{${members.join(',')}}`);
  const padded = Math.ceil(header.length / 8) * 8;
  if (padded > MAX_HEADER_LENGTH)
    fail(`the header would be ${padded} bytes, over the limit of ${MAX_HEADER_LENGTH}`);

  const out = new Uint8Array(8 + padded + offset);
  new DataView(out.buffer).setBigUint64(0, BigInt(padded), true);
  out.set(header, 8);
  out.fill(0x20, 8 + header.length, 8 + padded);
  let at = 8 + padded;
  for (const { bytes } of prepared) {
    out.set(bytes, at);
    at += bytes.length;
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Half precision

const scratchF32 = new Float32Array(1);
const scratchU32 = new Uint32Array(scratchF32.buffer);

/** The value of an IEEE 754 binary16 bit pattern. */
export function float16BitsToFloat32(bits: number): number {
  const sign = bits & 0x8000 ? -1 : 1;
  const exponent = (bits >>> 10) & 0x1f;
  const mantissa = bits & 0x3ff;
  if (exponent === 0) return sign * mantissa * 2 ** -24;
  if (exponent === 0x1f) return mantissa ? NaN : sign * Infinity;
  return sign * (1024 + mantissa) * 2 ** (exponent - 25);
}

/** The binary16 bit pattern nearest to a number (ties to even; NaN stays a quiet NaN). */
export function float32ToFloat16Bits(value: number): number {
  scratchF32[0] = value;
  const word = scratchU32[0]!;
  const sign = (word >>> 16) & 0x8000;
  const exponent = (word >>> 23) & 0xff;
  const mantissa = word & 0x7fffff;
  if (exponent === 0xff) return sign | 0x7c00 | (mantissa ? 0x200 | (mantissa >>> 13) : 0);
  const e = exponent - 112; // rebias 127 → 15
  if (e >= 0x1f) return sign | 0x7c00;
  if (e <= 0) {
    // A binary16 subnormal (or zero): keep the top bits of the full significand.
    if (e < -10) return sign;
    const significand = mantissa | 0x800000;
    const shift = 14 - e;
    let result = significand >>> shift;
    const rest = significand & ((1 << shift) - 1);
    const half = 1 << (shift - 1);
    if (rest > half || (rest === half && result & 1)) result++;
    return sign | result;
  }
  let result = (e << 10) | (mantissa >>> 13);
  const rest = mantissa & 0x1fff;
  // A carry out of the mantissa correctly steps the exponent, up to infinity.
  if (rest > 0x1000 || (rest === 0x1000 && result & 1)) result++;
  return sign | result;
}

/** The value of a bfloat16 bit pattern. */
export function bfloat16BitsToFloat32(bits: number): number {
  scratchU32[0] = (bits & 0xffff) << 16;
  return scratchF32[0]!;
}

/** The bfloat16 bit pattern nearest to a number (ties to even; NaN stays a quiet NaN). */
export function float32ToBfloat16Bits(value: number): number {
  scratchF32[0] = value;
  const word = scratchU32[0]!;
  if ((word & 0x7f800000) === 0x7f800000 && word & 0x7fffff) return (word >>> 16) | 0x40;
  return Math.floor((word + 0x7fff + ((word >>> 16) & 1)) / 65536) & 0xffff;
}

/**
 * A tensor's values as float32: F32 data as it is, F16/BF16/F64 and the integer and BOOL
 * dtypes converted. C64 and the 8-, 6- and 4-bit float formats are refused.
 */
export function tensorToFloat32(tensor: {
  readonly dtype: Dtype;
  readonly data: TensorData;
}): Float32Array {
  const { dtype, data } = tensor;
  switch (dtype) {
    case 'F32':
      return data as Float32Array;
    case 'F16':
    case 'BF16': {
      const bits = data as Uint16Array;
      const out = new Float32Array(bits.length);
      const widen = dtype === 'F16' ? float16BitsToFloat32 : bfloat16BitsToFloat32;
      for (let i = 0; i < bits.length; i++) out[i] = widen(bits[i]!);
      return out;
    }
    case 'I64':
    case 'U64': {
      const big = data as BigInt64Array | BigUint64Array;
      const out = new Float32Array(big.length);
      for (let i = 0; i < big.length; i++) out[i] = Number(big[i]!);
      return out;
    }
    case 'F64':
    case 'I32':
    case 'U32':
    case 'I16':
    case 'U16':
    case 'I8':
    case 'U8':
    case 'BOOL':
      return Float32Array.from(data as ArrayLike<number>);
    default:
      fail(`cannot convert ${dtype} values to float32`);
  }
}
