/*
 * Limits that keep hostile input from exhausting time or memory. Each has a NETC5xxx
 * diagnostic; none is reachable by a realistic network (ResNet-152 has ~1,000 nodes).
 */
export const limits = {
  /** Source file size in bytes. */
  maxFileBytes: 1 << 20,
  /** Nesting of `( [ {` in one file. */
  maxNestingDepth: 64,
  /** Iterations of one `repeat`. */
  maxRepeat: 10_000,
  /** Nodes in one network graph after expansion. */
  maxNodes: 200_000,
  /** Nested block/network instances. */
  maxInstanceDepth: 100,
  /** Rank of a tensor (without the batch dimension). */
  maxRank: 8,
  /** Largest single dimension. */
  maxDimension: 2 ** 31 - 1,
} as const;
