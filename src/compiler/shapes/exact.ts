/*
 * Exact integer arithmetic for shapes, parameter counts and multiply-adds. A float64 holds
 * every integer up to 2^53 - 1 exactly; past that a count would silently round, so every
 * product and sum goes through these helpers and an inexact result is `undefined`.
 */

/** The largest dimension a shape may have (what an int32 index can address). */
export const MAX_DIMENSION = 2 ** 31 - 1;

function exact(value: number | undefined): number | undefined {
  return value !== undefined && Number.isSafeInteger(value) ? value : undefined;
}

/*
 * Rounding is monotone, so when the true result of two safe integers is beyond 2^53 - 1 the
 * rounded float is too, and `isSafeInteger` rejects it; when it is within, the float is exact.
 * An operand that is itself inexact (or `undefined`) makes the result `undefined`.
 */

export function checkedMul(a: number | undefined, b: number | undefined): number | undefined {
  const x = exact(a);
  const y = exact(b);
  return x === undefined || y === undefined ? undefined : exact(x * y);
}

export function checkedAdd(a: number | undefined, b: number | undefined): number | undefined {
  const x = exact(a);
  const y = exact(b);
  return x === undefined || y === undefined ? undefined : exact(x + y);
}

/** The product of all values (1 for none), or `undefined` if it is not exact. */
export function checkedProduct(values: readonly number[]): number | undefined {
  let product: number | undefined = 1;
  for (const value of values) product = checkedMul(product, value);
  return product;
}

/** The sum of all values (0 for none), or `undefined` if it is not exact. */
export function checkedSum(values: readonly number[]): number | undefined {
  let sum: number | undefined = 0;
  for (const value of values) sum = checkedAdd(sum, value);
  return sum;
}
