import { describe, expect, it } from 'vitest';
import {
  checkedAdd,
  checkedMul,
  checkedProduct,
  checkedSum,
  MAX_DIMENSION,
} from '../../src/compiler/shapes/exact.js';
import {
  countElements,
  formatPairArg,
  formatShape,
  formatSize,
} from '../../src/compiler/shapes/format.js';

describe('checked arithmetic', () => {
  const products = [
    { a: 2 ** 26, b: 2 ** 26, result: 2 ** 52 },
    { a: Number.MAX_SAFE_INTEGER, b: 1, result: Number.MAX_SAFE_INTEGER },
    { a: 94906265, b: 94906265, result: 9007199136250225 },
    { a: 0, b: 2 ** 60, result: undefined },
    { a: 2 ** 26, b: 2 ** 27, result: undefined },
    { a: 94906267, b: 94906267, result: undefined },
    { a: MAX_DIMENSION, b: MAX_DIMENSION, result: undefined },
  ];
  it.each(products)('multiplies $a by $b into $result', ({ a, b, result }) => {
    expect(checkedMul(a, b)).toBe(result);
  });

  it('adds exactly and refuses sums past 2^53 - 1', () => {
    expect(checkedAdd(2 ** 52, 2 ** 52 - 1)).toBe(Number.MAX_SAFE_INTEGER);
    expect(checkedAdd(2 ** 52, 2 ** 52)).toBeUndefined();
    expect(checkedAdd(undefined, 1)).toBeUndefined();
  });

  it('multiplies and sums lists, with 1 and 0 for empty lists', () => {
    expect(checkedProduct([])).toBe(1);
    expect(checkedProduct([512, 7, 7])).toBe(25088);
    expect(checkedProduct([2 ** 20, 2 ** 20, 2 ** 20])).toBeUndefined();
    expect(checkedSum([])).toBe(0);
    expect(checkedSum([64, 128, 32, 32])).toBe(256);
    expect(checkedSum([Number.MAX_SAFE_INTEGER, 1])).toBeUndefined();
  });
});

describe('shape formatting', () => {
  it('writes shapes as in source', () => {
    expect(formatShape([6, 28, 28])).toBe('[6, 28, 28]');
    expect(formatShape([10])).toBe('[10]');
    expect(formatShape([])).toBe('[]');
  });

  it('writes sizes as h×w and pair arguments as an int when both axes agree', () => {
    expect(formatSize([5, 3])).toBe('5×3');
    expect(formatPairArg([2, 2])).toBe('2');
    expect(formatPairArg([1, 2])).toBe('(1, 2)');
  });

  it('counts elements exactly', () => {
    expect(countElements([3, 224, 224])).toBe(150_528);
    expect(countElements([])).toBe(1);
  });

  it('treats an inexact element count as a compiler bug', () => {
    expect(() => countElements([2 ** 31, 2 ** 31, 2 ** 31])).toThrow(/internal compiler error/);
  });
});
