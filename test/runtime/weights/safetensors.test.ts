import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  DTYPE_NAMES,
  WeightsFormatError,
  bfloat16BitsToFloat32,
  compareCodePoints,
  decodeSafetensors,
  dtypeBits,
  elementArrayType,
  encodeSafetensors,
  float16BitsToFloat32,
  float32ToBfloat16Bits,
  float32ToFloat16Bits,
  tensorToFloat32,
  type DecodedTensor,
  type Dtype,
  type TensorData,
  type TensorInput,
} from '../../../src/runtime/weights/safetensors.js';

/**
 * A file spelled out byte by byte: the 8-byte length prefix exactly as written here (not
 * computed), the header text (UTF-8) and the data bytes.
 */
function file(prefix: number[], header: string, data: number[] = []): Uint8Array {
  expect(prefix).toHaveLength(8);
  return new Uint8Array([...prefix, ...new TextEncoder().encode(header), ...data]);
}

const zeros = (n: number): number[] => new Array<number>(n).fill(0);

function bytesOf(data: TensorData): number[] {
  return [...new Uint8Array(data.buffer, data.byteOffset, data.byteLength)];
}

/** The decoded tensors as encoder input, in the header's order. */
function asInput(tensors: Map<string, DecodedTensor>): TensorInput[] {
  return [...tensors].map(([name, t]) => ({ name, ...t }));
}

/** Decodes, re-encodes and expects the very same bytes. */
function expectStable(bytes: Uint8Array): ReturnType<typeof decodeSafetensors> {
  const decoded = decodeSafetensors(bytes);
  expect([...encodeSafetensors(asInput(decoded.tensors), decoded.metadata)]).toEqual([...bytes]);
  return decoded;
}

describe('safetensors conformance vectors', () => {
  it('reads and writes the reference example: one I32 tensor of zeros', () => {
    const bytes = file(
      [0x40, 0, 0, 0, 0, 0, 0, 0],
      '{"test":{"dtype":"I32","shape":[2,2],"data_offsets":[0,16]}}' + '    ',
      zeros(16),
    );
    const { tensors, metadata } = expectStable(bytes);
    expect(metadata).toBeUndefined();
    const t = tensors.get('test')!;
    expect(t.dtype).toBe('I32');
    expect(t.shape).toEqual([2, 2]);
    expect(t.data).toBeInstanceOf(Int32Array);
    expect([...t.data]).toEqual([0, 0, 0, 0]);
    const encoded = encodeSafetensors([
      { name: 'test', dtype: 'I32', shape: [2, 2], data: new Int32Array(4) },
    ]);
    expect([...encoded]).toEqual([...bytes]);
  });

  it('reads and writes one F32 tensor', () => {
    const bytes = file(
      [0x40, 0, 0, 0, 0, 0, 0, 0],
      '{"test":{"dtype":"F32","shape":[2,2],"data_offsets":[0,16]}}' + '    ',
      [0, 0, 0x80, 0x3f, 0, 0, 0, 0xc0, 0, 0, 0, 0x3f, 0, 0, 0x40, 0x40],
    );
    const t = expectStable(bytes).tensors.get('test')!;
    expect(t.data).toBeInstanceOf(Float32Array);
    expect([...t.data]).toEqual([1, -2, 0.5, 3]);
    const encoded = encodeSafetensors([
      { name: 'test', dtype: 'F32', shape: [2, 2], data: new Float32Array([1, -2, 0.5, 3]) },
    ]);
    expect([...encoded]).toEqual([...bytes]);
  });

  it('reads and writes the reference alignment example (attn0, F32 [1, 1, 2, 3])', () => {
    const bytes = file(
      [72, 0, 0, 0, 0, 0, 0, 0],
      '{"attn0":{"dtype":"F32","shape":[1,1,2,3],"data_offsets":[0,24]}}' + '       ',
      [0, 0, 0, 0, 0, 0, 128, 63, 0, 0, 0, 64, 0, 0, 64, 64, 0, 0, 128, 64, 0, 0, 160, 64],
    );
    const t = expectStable(bytes).tensors.get('attn0')!;
    expect(t.shape).toEqual([1, 1, 2, 3]);
    expect([...t.data]).toEqual([0, 1, 2, 3, 4, 5]);
    // The header is padded to 8 bytes, so the data is aligned and read without a copy.
    expect(t.data.buffer).toBe(bytes.buffer);
  });

  it('reads and writes an empty file', () => {
    const bytes = file([8, 0, 0, 0, 0, 0, 0, 0], '{}' + '      ');
    expect(bytes).toHaveLength(16);
    const { tensors, metadata } = expectStable(bytes);
    expect(tensors.size).toBe(0);
    expect(metadata).toBeUndefined();
    expect([...encodeSafetensors([])]).toEqual([...bytes]);
  });

  it('reads and writes a file with metadata only', () => {
    const bytes = file([40, 0, 0, 0, 0, 0, 0, 0], '{"__metadata__":{"framework":"pt"}}' + '     ');
    const { tensors, metadata } = expectStable(bytes);
    expect(tensors.size).toBe(0);
    expect(metadata).toEqual({ framework: 'pt' });
    expect([...encodeSafetensors([], { framework: 'pt' })]).toEqual([...bytes]);
  });

  it('writes metadata first and sorts its keys', () => {
    const bytes = file([40, 0, 0, 0, 0, 0, 0, 0], '{"__metadata__":{"a":"1","b":"2"}}' + '      ');
    expect([...encodeSafetensors([], { b: '2', a: '1' })]).toEqual([...bytes]);
    expect(decodeSafetensors(bytes).metadata).toEqual({ a: '1', b: '2' });
  });

  it('reads and writes metadata with a tensor (reference example)', () => {
    const bytes = file(
      [0x60, 0, 0, 0, 0, 0, 0, 0],
      '{"__metadata__":{"framework":"pt"},"test1":{"dtype":"I32","shape":[2,2],"data_offsets":[0,16]}}' +
        ' ',
      zeros(16),
    );
    const { metadata } = expectStable(bytes);
    expect(metadata).toEqual({ framework: 'pt' });
  });

  it('reads and writes a zero-size tensor with shape [0]', () => {
    const bytes = file(
      [64, 0, 0, 0, 0, 0, 0, 0],
      '{"empty":{"dtype":"F32","shape":[0],"data_offsets":[0,0]}}' + '      ',
    );
    const t = expectStable(bytes).tensors.get('empty')!;
    expect(t.shape).toEqual([0]);
    expect(t.data).toBeInstanceOf(Float32Array);
    expect(t.data).toHaveLength(0);
  });

  it('reads and writes a scalar with shape []', () => {
    const bytes = file(
      [56, 0, 0, 0, 0, 0, 0, 0],
      '{"s":{"dtype":"F64","shape":[],"data_offsets":[0,8]}}' + '   ',
      [0, 0, 0, 0, 0, 0, 0xf8, 0x3f],
    );
    const t = expectStable(bytes).tensors.get('s')!;
    expect(t.shape).toEqual([]);
    expect([...t.data]).toEqual([1.5]);
    const encoded = encodeSafetensors([
      { name: 's', dtype: 'F64', shape: [], data: new Float64Array([1.5]) },
    ]);
    expect([...encoded]).toEqual([...bytes]);
  });

  it('orders tensors by decreasing alignment, then by name (reference example)', () => {
    const bytes = file(
      [0x80, 0, 0, 0, 0, 0, 0, 0],
      '{"test1":{"dtype":"I32","shape":[2,2],"data_offsets":[0,16]},"test2":{"dtype":"F16","shape":[2,2],"data_offsets":[16,24]}}' +
        '      ',
      zeros(24),
    );
    const i32 = { name: 'test1', dtype: 'I32', shape: [2, 2], data: new Int32Array(4) } as const;
    const f16 = { name: 'test2', dtype: 'F16', shape: [2, 2], data: new Uint16Array(4) } as const;
    expect([...encodeSafetensors([i32, f16])]).toEqual([...bytes]);
    expect([...encodeSafetensors([f16, i32])]).toEqual([...bytes]);
    expectStable(bytes);
  });

  it('orders mixed dtypes I64, F64, F32, U8, BOOL', () => {
    const bytes = file(
      [0x18, 0x01, 0, 0, 0, 0, 0, 0], // 280
      '{"d":{"dtype":"I64","shape":[1],"data_offsets":[0,8]},' +
        '"b":{"dtype":"F64","shape":[1],"data_offsets":[8,16]},' +
        '"a":{"dtype":"F32","shape":[1],"data_offsets":[16,20]},' +
        '"c":{"dtype":"U8","shape":[2],"data_offsets":[20,22]},' +
        '"e":{"dtype":"BOOL","shape":[1],"data_offsets":[22,23]}}' +
        '       ',
      [
        ...[0xfe, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff], // d = -2n
        ...[0, 0, 0, 0, 0, 0, 0xf0, 0xbf], // b = -1
        ...[0, 0, 0x20, 0x41], // a = 10
        ...[7, 255], // c
        1, // e
      ],
    );
    const input: TensorInput[] = [
      { name: 'a', dtype: 'F32', shape: [1], data: new Float32Array([10]) },
      { name: 'b', dtype: 'F64', shape: [1], data: new Float64Array([-1]) },
      { name: 'c', dtype: 'U8', shape: [2], data: new Uint8Array([7, 255]) },
      { name: 'd', dtype: 'I64', shape: [1], data: new BigInt64Array([-2n]) },
      { name: 'e', dtype: 'BOOL', shape: [1], data: new Uint8Array([1]) },
    ];
    expect([...encodeSafetensors(input)]).toEqual([...bytes]);
    const { tensors } = expectStable(bytes);
    expect([...tensors.keys()]).toEqual(['d', 'b', 'a', 'c', 'e']);
    expect([...tensors.get('d')!.data]).toEqual([-2n]);
    expect([...tensors.get('c')!.data]).toEqual([7, 255]);
  });

  it('sorts names by code point (UTF-8 byte order), not UTF-16 order', () => {
    const bytes = file(
      [112, 0, 0, 0, 0, 0, 0, 0],
      '{"\uFFFD":{"dtype":"U8","shape":[1],"data_offsets":[0,1]},' +
        '"\u{1F600}":{"dtype":"U8","shape":[1],"data_offsets":[1,2]}}' +
        '  ',
      [1, 2],
    );
    const input: TensorInput[] = [
      { name: '\u{1F600}', dtype: 'U8', shape: [1], data: new Uint8Array([2]) },
      { name: '\uFFFD', dtype: 'U8', shape: [1], data: new Uint8Array([1]) },
    ];
    expect([...encodeSafetensors(input)]).toEqual([...bytes]);
    expect(compareCodePoints('\uFFFD', '\u{1F600}')).toBeLessThan(0);
    expect(compareCodePoints('a', 'ab')).toBeLessThan(0);
    expect(compareCodePoints('b', 'a')).toBeGreaterThan(0);
  });

  it('escapes names as serde_json does (quotes, backslashes, controls; UTF-8 kept)', () => {
    const bytes = file(
      [72, 0, 0, 0, 0, 0, 0, 0],
      '{"a\\"b\\\\c\\td\\u0001\u00e9":{"dtype":"U8","shape":[],"data_offsets":[0,1]}}' + '   ',
      [9],
    );
    const name = 'a"b\\c\td\u0001\u00e9';
    const encoded = encodeSafetensors([
      { name, dtype: 'U8', shape: [], data: new Uint8Array([9]) },
    ]);
    expect([...encoded]).toEqual([...bytes]);
    expect([...decodeSafetensors(bytes).tensors.keys()]).toEqual([name]);
  });

  it('accepts what the reference accepts beyond its own output', () => {
    // Whitespace before and after the object, spaces inside, any field and tensor order,
    // and escaped names that the writer would spell differently.
    const header =
      '\t\n { "b" : { "data_offsets" : [4, 8], "shape": [1], "dtype": "F32" },\r\n' +
      '"\\u0061": {"shape":[1],"dtype":"F32","data_offsets":[0, 4]} } \r\n\t';
    const text = new TextEncoder().encode(header);
    const bytes = new Uint8Array(8 + text.length + 8);
    bytes[0] = text.length;
    bytes.set(text, 8);
    bytes.set([0, 0, 0x80, 0x3f, 0, 0, 0, 0x40], 8 + text.length);
    const { tensors } = decodeSafetensors(bytes);
    expect([...tensors.keys()]).toEqual(['b', 'a']);
    expect([...tensors.get('a')!.data]).toEqual([1]);
    expect([...tensors.get('b')!.data]).toEqual([2]);
    // Several zero-size tensors may share an offset.
    const zero = file(
      [112, 0, 0, 0, 0, 0, 0, 0],
      '{"x":{"dtype":"I32","shape":[2,0],"data_offsets":[0, 0]},' +
        '"y":{"dtype":"F64","shape":[0],"data_offsets":[0,0]}}' +
        '  ',
    );
    expect(zero).toHaveLength(8 + 112);
    expect(decodeSafetensors(zero).tensors.get('x')!.shape).toEqual([2, 0]);
  });
});

/** A deterministic byte generator for test data. */
function pseudoRandomBytes(seed: number, n: number): Uint8Array {
  const out = new Uint8Array(n);
  let s = seed >>> 0 || 1;
  for (let i = 0; i < n; i++) {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    out[i] = s & 0xff;
  }
  return out;
}

const wholeByteDtypes = DTYPE_NAMES.filter((d) => dtypeBits(d) % 8 === 0);

describe('safetensors round trips', () => {
  it('round-trips random tensors of every dtype, byte for byte', () => {
    const tensorSpec = fc.record({
      dtype: fc.constantFrom(...wholeByteDtypes),
      shape: fc.array(fc.integer({ min: 0, max: 5 }), { maxLength: 4 }),
      seed: fc.integer({ min: 1, max: 2 ** 31 }),
    });
    const spec = fc.uniqueArray(fc.tuple(fc.string({ minLength: 0, maxLength: 6 }), tensorSpec), {
      selector: ([name]) => name,
      maxLength: 8,
    });
    fc.assert(
      fc.property(spec, (specs) => {
        const input: TensorInput[] = specs
          .filter(([name]) => name !== '__metadata__' && !/\p{Surrogate}/u.test(name))
          .map(([name, { dtype, shape, seed }]) => {
            const size = (shape.reduce((a, b) => a * b, 1) * dtypeBits(dtype)) / 8;
            const raw = pseudoRandomBytes(seed, size);
            if (dtype === 'BOOL') raw.forEach((b, i) => (raw[i] = b & 1));
            return { name, dtype, shape, data: raw };
          });
        const bytes = encodeSafetensors(input, { seed: 'x' });
        expect((bytes[0]! + bytes[1]! * 256) % 8).toBe(0);
        const { tensors, metadata } = decodeSafetensors(bytes);
        expect(metadata).toEqual({ seed: 'x' });
        expect(tensors.size).toBe(input.length);
        for (const t of input) {
          const back = tensors.get(t.name)!;
          expect(back.dtype).toBe(t.dtype);
          expect(back.shape).toEqual(t.shape);
          expect(back.data).toBeInstanceOf(elementArrayType(t.dtype));
          expect(bytesOf(back.data)).toEqual([...t.data]);
        }
        // Writing what was read gives the same file, whatever the input order.
        expect([...encodeSafetensors(asInput(tensors), metadata)]).toEqual([...bytes]);
        expect([...encodeSafetensors(input.slice().reverse(), metadata)]).toEqual([...bytes]);
      }),
      { numRuns: 300 },
    );
  });

  it('round-trips typed arrays of every element type', () => {
    const input: TensorInput[] = [
      { name: 'f32', dtype: 'F32', shape: [3], data: new Float32Array([1.5, -0, Infinity]) },
      { name: 'f64', dtype: 'F64', shape: [2], data: new Float64Array([Math.PI, -1e300]) },
      { name: 'i64', dtype: 'I64', shape: [2], data: new BigInt64Array([-(2n ** 63n), 5n]) },
      { name: 'u64', dtype: 'U64', shape: [1], data: new BigUint64Array([2n ** 64n - 1n]) },
      { name: 'i32', dtype: 'I32', shape: [2], data: new Int32Array([-(2 ** 31), 7]) },
      { name: 'u32', dtype: 'U32', shape: [1], data: new Uint32Array([2 ** 32 - 1]) },
      { name: 'i16', dtype: 'I16', shape: [1], data: new Int16Array([-300]) },
      { name: 'u16', dtype: 'U16', shape: [1], data: new Uint16Array([65535]) },
      { name: 'i8', dtype: 'I8', shape: [2], data: new Int8Array([-128, 127]) },
      { name: 'u8', dtype: 'U8', shape: [2], data: new Uint8Array([0, 255]) },
      { name: 'bool', dtype: 'BOOL', shape: [3], data: new Uint8Array([1, 0, 1]) },
      { name: 'f16', dtype: 'F16', shape: [2], data: new Uint16Array([0x3c00, 0xc000]) },
      { name: 'bf16', dtype: 'BF16', shape: [1], data: new Uint16Array([0x3f80]) },
      { name: 'c64', dtype: 'C64', shape: [1], data: new Float32Array([1, -1]) },
      { name: 'f8', dtype: 'F8_E4M3', shape: [2], data: new Uint8Array([0x38, 0x40]) },
      { name: 'f4', dtype: 'F4', shape: [4], data: new Uint8Array([0x21, 0x43]) },
    ];
    const { tensors } = decodeSafetensors(encodeSafetensors(input));
    for (const t of input) {
      const back = tensors.get(t.name)!;
      expect(back.dtype).toBe(t.dtype);
      expect(back.data.constructor).toBe(t.data.constructor);
      expect([...back.data]).toEqual([...t.data]);
      expect(back.data.byteOffset % back.data.BYTES_PER_ELEMENT).toBe(0);
    }
    expect(tensorToFloat32(tensors.get('f16')!)).toEqual(new Float32Array([1, -2]));
    expect(tensorToFloat32(tensors.get('bf16')!)).toEqual(new Float32Array([1]));
    expect(tensorToFloat32(tensors.get('i64')!)).toEqual(new Float32Array([-(2 ** 63), 5]));
    expect(tensorToFloat32(tensors.get('bool')!)).toEqual(new Float32Array([1, 0, 1]));
    expect(() => tensorToFloat32(tensors.get('c64')!)).toThrow(WeightsFormatError);
  });

  it('returns views when aligned and copies when not', () => {
    const input: TensorInput[] = [
      { name: 'w', dtype: 'F32', shape: [2, 2], data: new Float32Array([1, 2, 3, 4]) },
      { name: 'h', dtype: 'F16', shape: [1], data: new Uint16Array([0x3c00]) },
      { name: 'n', dtype: 'I64', shape: [1], data: new BigInt64Array([3n]) },
    ];
    const bytes = encodeSafetensors(input);
    const aligned = decodeSafetensors(bytes);
    for (const t of aligned.tensors.values()) expect(t.data.buffer).toBe(bytes.buffer);
    const copied = decodeSafetensors(bytes, { copy: true });
    for (const t of copied.tensors.values()) expect(t.data.buffer).not.toBe(bytes.buffer);

    // The same file one byte into a buffer: no element is aligned any more.
    const shifted = new Uint8Array(bytes.length + 1);
    shifted.set(bytes, 1);
    const { tensors } = decodeSafetensors(shifted.subarray(1));
    expect([...tensors.get('w')!.data]).toEqual([1, 2, 3, 4]);
    expect([...tensors.get('h')!.data]).toEqual([0x3c00]);
    expect([...tensors.get('n')!.data]).toEqual([3n]);
    for (const t of tensors.values()) {
      expect(t.data.buffer).not.toBe(shifted.buffer);
      expect(t.data.byteOffset % t.data.BYTES_PER_ELEMENT).toBe(0);
    }
  });

  it('accepts raw bytes, and float32 values for F16 and BF16', () => {
    const raw = encodeSafetensors([
      { name: 'w', dtype: 'F32', shape: [1], data: new Uint8Array([0, 0, 0x80, 0x3f]) },
    ]);
    expect([...decodeSafetensors(raw).tensors.get('w')!.data]).toEqual([1]);
    const half = encodeSafetensors([
      { name: 'h', dtype: 'F16', shape: [3], data: new Float32Array([1, 65504, 1e6]) },
      { name: 'b', dtype: 'BF16', shape: [2], data: new Float32Array([1, -0.5]) },
    ]);
    const { tensors } = decodeSafetensors(half);
    expect([...tensors.get('h')!.data]).toEqual([0x3c00, 0x7bff, 0x7c00]);
    expect([...tensors.get('b')!.data]).toEqual([0x3f80, 0xbf00]);
  });

  it('refuses tensors it cannot write', () => {
    const f = new Float32Array(4);
    const cases: [TensorInput[], RegExp][] = [
      [[{ name: 'w', dtype: 'F32', shape: [2, 3], data: f }], /4 values given but shape \[2, 3\]/],
      [[{ name: 'w', dtype: 'I32', shape: [4], data: f }], /I32 data must be a Int32Array/],
      [[{ name: 'w', dtype: 'F32', shape: [-1], data: f }], /non-negative integers/],
      [[{ name: 'w', dtype: 'F32', shape: [1.5], data: f }], /non-negative integers/],
      [[{ name: 'w', dtype: 'Q8' as Dtype, shape: [4], data: f }], /unknown dtype `Q8`/],
      [[{ name: '__metadata__', dtype: 'F32', shape: [4], data: f }], /reserved/],
      [[{ name: '\ud800', dtype: 'F32', shape: [4], data: f }], /unpaired surrogate/],
      [
        [
          { name: 'w', dtype: 'F32', shape: [4], data: f },
          { name: 'w', dtype: 'F32', shape: [4], data: f },
        ],
        /two tensors have this name/,
      ],
      [[{ name: 'w', dtype: 'F4', shape: [3], data: new Uint8Array(2) }], /12 bits/],
      [[{ name: 'w', dtype: 'U8', shape: [3], data: new Uint8Array(2) }], /2 raw bytes given/],
    ];
    for (const [input, message] of cases) {
      expect(() => encodeSafetensors(input)).toThrow(WeightsFormatError);
      expect(() => encodeSafetensors(input)).toThrow(message);
    }
    expect(() => encodeSafetensors([], { k: 1 as unknown as string })).toThrow(/must be a string/);
  });
});

describe('half precision', () => {
  it('converts known binary16 values', () => {
    const known: [number, number][] = [
      [0x0000, 0],
      [0x3c00, 1],
      [0xc000, -2],
      [0x3555, 0.333251953125],
      [0x7bff, 65504],
      [0x0400, 2 ** -14],
      [0x0001, 2 ** -24],
      [0x03ff, 1023 * 2 ** -24],
      [0x7c00, Infinity],
      [0xfc00, -Infinity],
    ];
    for (const [bits, value] of known) {
      expect(float16BitsToFloat32(bits)).toBe(value);
      expect(float32ToFloat16Bits(value)).toBe(bits);
    }
    expect(Object.is(float16BitsToFloat32(0x8000), -0)).toBe(true);
    expect(float32ToFloat16Bits(-0)).toBe(0x8000);
    expect(float16BitsToFloat32(0x7e00)).toBeNaN();
    expect(float32ToFloat16Bits(NaN) & 0x7e00).toBe(0x7e00);
    // Rounding: ties go to even, overflow goes to infinity, underflow to zero.
    expect(float32ToFloat16Bits(1 + 2 ** -11)).toBe(0x3c00);
    expect(float32ToFloat16Bits(1 + 3 * 2 ** -11)).toBe(0x3c02);
    expect(float32ToFloat16Bits(65520)).toBe(0x7c00);
    expect(float32ToFloat16Bits(65519)).toBe(0x7bff);
    expect(float32ToFloat16Bits(2 ** -25)).toBe(0);
    expect(float32ToFloat16Bits(2 ** -25 * 1.5)).toBe(1);
    expect(float32ToFloat16Bits(3 * 2 ** -25)).toBe(2);
    expect(float32ToFloat16Bits(1e-10)).toBe(0);
  });

  it('round-trips every binary16 and bfloat16 pattern', () => {
    for (let bits = 0; bits < 0x10000; bits++) {
      const h = float16BitsToFloat32(bits);
      const b = bfloat16BitsToFloat32(bits);
      if (Number.isNaN(h)) expect(float32ToFloat16Bits(h) & 0x7c00).toBe(0x7c00);
      else if (float32ToFloat16Bits(h) !== bits) expect.fail(`F16 ${bits.toString(16)}`);
      if (Number.isNaN(b)) expect(Number.isNaN(bfloat16BitsToFloat32(float32ToBfloat16Bits(b))));
      else if (float32ToBfloat16Bits(b) !== bits) expect.fail(`BF16 ${bits.toString(16)}`);
    }
  });

  it('rounds to the nearest bfloat16, ties to even', () => {
    expect(float32ToBfloat16Bits(1 + 2 ** -8)).toBe(0x3f80);
    expect(float32ToBfloat16Bits(1 + 3 * 2 ** -8)).toBe(0x3f82);
    expect(float32ToBfloat16Bits(1 + 2 ** -8 + 2 ** -20)).toBe(0x3f81);
    expect(float32ToBfloat16Bits(3.4028234663852886e38)).toBe(0x7f80);
    expect(float32ToBfloat16Bits(-Infinity)).toBe(0xff80);
  });
});
