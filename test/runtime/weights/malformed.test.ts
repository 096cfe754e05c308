import { describe, expect, it } from 'vitest';
import { WeightsFormatError, decodeSafetensors } from '../../../src/runtime/weights/safetensors.js';

const utf8 = (text: string): number[] => [...new TextEncoder().encode(text)];

/** A little-endian u64 as 8 bytes. */
function u64(value: bigint): number[] {
  const out: number[] = [];
  for (let i = 0n; i < 8n; i++) out.push(Number((value >> (8n * i)) & 0xffn));
  return out;
}

/** A file with a correct length prefix for `header` (bytes or text) and `data` bytes after. */
function withHeader(header: string | number[], data: number | number[] = 0): Uint8Array {
  const h = typeof header === 'string' ? utf8(header) : header;
  const d = typeof data === 'number' ? new Array<number>(data).fill(0) : data;
  return new Uint8Array([...u64(BigInt(h.length)), ...h, ...d]);
}

function rejection(bytes: Uint8Array): WeightsFormatError {
  try {
    decodeSafetensors(bytes);
  } catch (error) {
    expect(error).toBeInstanceOf(WeightsFormatError);
    return error as WeightsFormatError;
  }
  return expect.fail('the file was accepted');
}

const t = (name: string, dtype: string, shape: string, offsets: string): string =>
  `"${name}":{"dtype":"${dtype}","shape":${shape},"data_offsets":${offsets}}`;

/** [what is wrong, the file, what the message must say]. */
const cases: [string, Uint8Array, RegExp][] = [
  ['empty file', new Uint8Array(0), /file is 0 bytes long, too short for the 8-byte header length/],
  [
    'truncated length prefix',
    new Uint8Array([8, 0, 0, 0, 0]),
    /file is 5 bytes long, too short for the 8-byte header length/,
  ],
  [
    'header length beyond the file',
    new Uint8Array([...u64(64n), ...utf8('{}')]),
    /header length 64 runs past the end of the file: the header would end at byte 72 but the file has 10 bytes/,
  ],
  [
    'header length just over 100,000,000',
    new Uint8Array([...u64(100_000_001n), ...utf8('{}')]),
    /header length 100000001 \(file bytes 0\.\.8\) is over the limit of 100000000 bytes/,
  ],
  [
    'header length near 2^64',
    new Uint8Array([...u64(2n ** 64n - 1n), ...utf8('{}')]),
    /header length 18446744073709551615 .* over the limit/,
  ],
  [
    'non-UTF-8 header',
    withHeader([0x7b, 0x22, 0xff, 0x22, 0x3a, 0x7b, 0x7d, 0x7d]),
    /header is not valid UTF-8: byte 0xff at file byte 10/,
  ],
  [
    'overlong UTF-8 encoding',
    withHeader([...utf8('{"'), 0xc0, 0xaf, ...utf8('":{}}')]),
    /header is not valid UTF-8: byte 0xc0 at file byte 10/,
  ],
  [
    'UTF-8 encoded surrogate',
    withHeader([...utf8('{"'), 0xed, 0xa0, 0x80, ...utf8('":{}}')]),
    /not valid UTF-8: byte 0xed at file byte 10/,
  ],
  [
    'byte order mark',
    withHeader([0xef, 0xbb, 0xbf, ...utf8('{}')]),
    /header must be a JSON object, found a byte order mark at file byte 8/,
  ],
  ['non-object JSON: array', withHeader('[]'), /header must be a JSON object, found an array/],
  ['non-object JSON: string', withHeader('"x"'), /header must be a JSON object, found a string/],
  ['empty header', withHeader(''), /header must be a JSON object, found the end of the header/],
  [
    'unterminated JSON',
    withHeader('{"a":{"dtype":"F32"'),
    /header is not valid JSON: expected `,` or `}` at file byte 27, found the end of the header/,
  ],
  [
    'trailing comma',
    withHeader('{"__metadata__":{"a":"b"},}'),
    /header is not valid JSON: expected a string key at file byte 34, found `}`/,
  ],
  [
    'garbage after the object',
    withHeader('{} x'),
    /unexpected `x` at file byte 11 after the header's JSON object/,
  ],
  [
    'NUL padding instead of spaces',
    withHeader([...utf8('{}'), 0, 0]),
    /unexpected byte 0x00 at file byte 10 after the header's JSON object/,
  ],
  [
    'duplicate tensor name',
    withHeader(`{${t('w', 'F32', '[1]', '[0,4]')},${t('w', 'F32', '[1]', '[4,8]')}}`, 8),
    /duplicate key `w` in the header at file byte 62 \(first at file byte 9\); JSON.parse would silently keep the last one/,
  ],
  [
    'duplicate tensor name spelled with an escape',
    withHeader(`{${t('w', 'F32', '[1]', '[0,4]')},${t('\\u0077', 'F32', '[1]', '[4,8]')}}`, 8),
    /duplicate key `w` in the header/,
  ],
  [
    'duplicate field in a tensor',
    withHeader('{"w":{"dtype":"F32","dtype":"F64","shape":[1],"data_offsets":[0,4]}}', 4),
    /duplicate key `dtype` in tensor `w` at file byte 28/,
  ],
  [
    'duplicate metadata key',
    withHeader('{"__metadata__":{"a":"1","a":"2"}}'),
    /duplicate key `a` in `__metadata__`/,
  ],
  [
    'duplicate __metadata__',
    withHeader('{"__metadata__":{},"__metadata__":{}}'),
    /duplicate key `__metadata__` in the header/,
  ],
  [
    'unknown dtype',
    withHeader(`{${t('w', 'F128', '[1]', '[0,16]')}}`, 16),
    /tensor `w`: unknown dtype `F128` at file byte 22 \(known: BOOL, F4, .*F32.*\)/,
  ],
  [
    'dtype not a string',
    withHeader('{"w":{"dtype":32,"shape":[1],"data_offsets":[0,4]}}', 4),
    /tensor `w`: dtype must be a string, found a number at file byte 22/,
  ],
  [
    'negative shape dimension',
    withHeader(`{${t('w', 'F32', '[-1]', '[0,4]')}}`, 4),
    /tensor `w`: shape dimension 0 must be a non-negative integer, found -1 at file byte 37/,
  ],
  [
    'fractional shape dimension',
    withHeader(`{${t('w', 'F32', '[2.5]', '[0,10]')}}`, 10),
    /tensor `w`: shape dimension 0 must be a non-negative integer, found 2\.5/,
  ],
  [
    'integral float as a dimension (serde_json refuses 2.0 for usize)',
    withHeader(`{${t('w', 'F32', '[1,2.0]', '[0,8]')}}`, 8),
    /tensor `w`: shape dimension 1 must be a non-negative integer, found 2\.0/,
  ],
  [
    'exponent as a dimension',
    withHeader(`{${t('w', 'U8', '[1e1]', '[0,10]')}}`, 10),
    /shape dimension 0 must be a non-negative integer, found 1e1/,
  ],
  [
    'shape dimension above 2^64 - 1',
    withHeader(`{${t('w', 'U8', '[18446744073709551616]', '[0,1]')}}`, 1),
    /tensor `w`: shape dimension 0 is 18446744073709551616, more than 2\^64 - 1/,
  ],
  [
    'shape not an array',
    withHeader(`{${t('w', 'U8', '"1"', '[0,1]')}}`, 1),
    /tensor `w`: shape must be an array of non-negative integers, found a string/,
  ],
  [
    'shape with more than 64 dimensions',
    withHeader(`{${t('w', 'U8', `[${new Array(65).fill(1).join(',')}]`, '[0,1]')}}`, 1),
    /tensor `w`: shape at file byte 35 has more than 64 dimensions/,
  ],
  [
    'element count overflows (reference test)',
    withHeader(`{${t('test', 'I32', '[2,18446744073709551614]', '[0,16]')}}`, 16),
    /tensor `test`: shape \[2, 18446744073709551614\] of I32 overflows/,
  ],
  [
    'byte count overflows (reference test)',
    withHeader(`{${t('test', 'I32', '[2,9223372036854775807]', '[0,16]')}}`, 16),
    /tensor `test`: shape \[2, 9223372036854775807\] of I32 overflows: its size in bytes is more than 2\^64 - 1/,
  ],
  [
    'offsets that do not match the shape',
    withHeader(`{${t('fc.weight', 'F32', '[2,3]', '[0,12]')}}`, 12),
    /tensor `fc\.weight`: data_offsets \[0, 12\] hold 12 bytes but shape \[2, 3\] of F32 needs 24/,
  ],
  [
    'end before begin',
    withHeader(`{${t('w', 'U8', '[0]', '[4,0]')}}`, 4),
    /tensor `w`: data_offsets \[4, 0\] end before they begin/,
  ],
  [
    'offsets not starting at 0',
    withHeader(`{${t('w', 'F32', '[1]', '[4,8]')}}`, 8),
    /tensor `w`: data_offsets \[4, 8\] leave a hole: the first tensor must begin at offset 0/,
  ],
  [
    'offsets with a hole',
    withHeader(`{${t('a', 'F32', '[1]', '[0,4]')},${t('b', 'F32', '[1]', '[8,12]')}}`, 12),
    /tensor `b`: data_offsets \[8, 12\] leave a hole: data bytes 4\.\.8 after tensor `a` belong to no tensor/,
  ],
  [
    'overlapping offsets (reference json attack)',
    withHeader(`{${t('a', 'F32', '[2,2]', '[0,16]')},${t('b', 'F32', '[2,2]', '[0,16]')}}`, 16),
    /tensor `b`: data_offsets \[0, 16\] overlap tensor `a` \(data_offsets \[0, 16\]\)/,
  ],
  [
    'partly overlapping offsets',
    withHeader(`{${t('a', 'F32', '[2]', '[0,8]')},${t('b', 'F32', '[2]', '[4,12]')}}`, 12),
    /tensor `b`: data_offsets \[4, 12\] overlap tensor `a`/,
  ],
  [
    'data shorter than the header says',
    withHeader(`{${t('w', 'F32', '[4]', '[0,16]')}}`, 14),
    /tensor `w`: data_offsets \[0, 16\] run past the end of the file: the data section has 14 bytes \(file truncated\?\)/,
  ],
  [
    'trailing bytes (polyglot file)',
    withHeader(`{${t('w', 'F32', '[1]', '[0,4]')}}`, [0, 0, 0, 0, ...utf8('<html>')]),
    /6 trailing bytes after the last tensor \(file bytes \d+\.\.\d+\): the data section has 10 bytes but the tensors cover 4/,
  ],
  ['data with no tensors', withHeader('{}', 3), /3 trailing bytes after the last tensor/],
  [
    'metadata value not a string',
    withHeader('{"__metadata__":{"epoch":3}}'),
    /`__metadata__` must map strings to strings, but the value of `epoch` is a number at file byte 33/,
  ],
  [
    'metadata value an object',
    withHeader('{"__metadata__":{"a":{"b":"c"}}}'),
    /the value of `a` is an object/,
  ],
  [
    'metadata not an object',
    withHeader('{"__metadata__":["a"]}'),
    /`__metadata__` must be an object mapping strings to strings, found an array/,
  ],
  [
    'metadata null',
    withHeader('{"__metadata__":null}'),
    /`__metadata__` must be an object .* found null/,
  ],
  [
    'missing data_offsets',
    withHeader('{"w":{"dtype":"F32","shape":[1]}}', 4),
    /tensor `w` \(key at file byte 9\) has no data_offsets/,
  ],
  [
    'missing dtype',
    withHeader('{"w":{"shape":[1],"data_offsets":[0,4]}}', 4),
    /tensor `w` .* has no dtype/,
  ],
  ['missing shape', withHeader('{"w":{"dtype":"F32","data_offsets":[0,4]}}', 4), /has no shape/],
  [
    'unknown field in a tensor',
    withHeader('{"w":{"dtype":"F32","shape":[1],"data_offsets":[0,4],"stride":[1]}}', 4),
    /tensor `w`: unknown field `stride` at file byte 61 \(a tensor has exactly dtype, shape and data_offsets\)/,
  ],
  [
    'three data offsets',
    withHeader(`{${t('w', 'F32', '[1]', '[0,4,8]')}}`, 4),
    /tensor `w`: data_offsets at file byte \d+ has more than 2 items/,
  ],
  [
    'one data offset',
    withHeader(`{${t('w', 'F32', '[0]', '[0]')}}`),
    /tensor `w`: data_offsets at file byte \d+ has 1 items, not 2/,
  ],
  [
    'negative data offset',
    withHeader(`{${t('w', 'F32', '[0]', '[-0,0]')}}`),
    /tensor `w`: data_offsets\[0\] must be a non-negative integer, found -0/,
  ],
  [
    'tensor entry not an object',
    withHeader('{"w":[0,4]}', 4),
    /tensor `w`: expected an object with dtype, shape and data_offsets, found an array/,
  ],
  [
    'lone surrogate escape in a name',
    withHeader(`{${t('\\ud800', 'U8', '[0]', '[0,0]')}}`),
    /lone high surrogate \\ud800 in a string at file byte 10/,
  ],
  [
    'raw control character in a name',
    withHeader(`{${t('a\tb', 'U8', '[0]', '[0,0]')}}`),
    /control character 0x09 in a string at file byte 11 \(it must be escaped\)/,
  ],
  [
    'invalid escape',
    withHeader(`{${t('a\\xb', 'U8', '[0]', '[0,0]')}}`),
    /invalid escape \\x at file byte 11/,
  ],
  [
    'number with a leading zero',
    withHeader(`{${t('w', 'U8', '[01]', '[0,1]')}}`, 1),
    /number with a leading zero at file byte 36/,
  ],
  [
    'BOOL byte other than 0 or 1',
    withHeader(`{${t('b', 'BOOL', '[3]', '[0,3]')}}`, [1, 0, 2]),
    /tensor `b`: BOOL element 2 \(file byte \d+\) is 2, not 0 or 1/,
  ],
  [
    'packed F4 tensor that is not whole bytes',
    withHeader(`{${t('q', 'F4', '[3]', '[0,2]')}}`, 2),
    /tensor `q`: shape \[3\] of F4 is 12 bits, not a whole number of bytes/,
  ],
  [
    'dimension beyond 2^53 in an empty tensor',
    withHeader(`{${t('z', 'U8', '[0,9007199254740993]', '[0,0]')}}`),
    /tensor `z`: shape dimension 9007199254740993 is larger than netc can represent/,
  ],
  [
    'hostile name is shown escaped and shortened',
    withHeader(`{${t('\\n'.repeat(200), 'X', '[0]', '[0,0]')}}`),
    /tensor `(\\n){38}\\\.\.\.`: unknown dtype `X`/,
  ],
];

describe('malformed safetensors files', () => {
  it('has a good number of cases', () => {
    expect(cases.length).toBeGreaterThanOrEqual(40);
  });

  for (const [what, bytes, message] of cases) {
    it(`refuses: ${what}`, () => {
      expect(rejection(bytes).message).toMatch(message);
    });
  }

  it('refuses every truncation of a valid file', () => {
    const good = withHeader(
      `{"__metadata__":{"k":"v"},${t('a', 'F32', '[2]', '[0,8]')},${t('b', 'U8', '[3]', '[8,11]')}}`,
      11,
    );
    expect(decodeSafetensors(good).tensors.size).toBe(2);
    for (let n = 0; n < good.length; n++) rejection(good.subarray(0, n));
  });

  it('refuses claims of 2^60 elements fast, without allocating for them', () => {
    const hostile = [
      withHeader(`{${t('big', 'U8', '[1152921504606846976]', '[0,1152921504606846976]')}}`, 16),
      withHeader(`{${t('big', 'F64', '[1073741824,1073741824]', '[0,9223372036854775808]')}}`),
      withHeader(`{${t('big', 'F32', '[4294967296]', '[0,17179869184]')}}`, 8),
      new Uint8Array([...u64(99_999_999n), ...utf8('{}')]),
    ];
    const before = process.memoryUsage().arrayBuffers;
    const start = performance.now();
    for (const bytes of hostile) {
      for (let i = 0; i < 100; i++) rejection(bytes);
    }
    const elapsed = performance.now() - start;
    expect(elapsed).toBeLessThan(1000);
    expect(process.memoryUsage().arrayBuffers - before).toBeLessThan(16 << 20);
    expect(rejection(hostile[0]!).message).toMatch(
      /tensor `big`: data_offsets \[0, 1152921504606846976\] run past the end of the file: the data section has 16 bytes/,
    );
  });

  it('refuses deep nesting without overflowing the stack', () => {
    const deep = withHeader(`{"__metadata__":{"a":${'['.repeat(100_000)}}}`);
    expect(rejection(deep).message).toMatch(/the value of `a` is an array/);
    const deepTensor = withHeader(`{"w":{"shape":${'['.repeat(100_000)}}}`);
    expect(rejection(deepTensor).message).toMatch(
      /shape dimension 0 must be a non-negative integer, found an array/,
    );
  });
});
