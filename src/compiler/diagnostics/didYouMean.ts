/**
 * Suggests the candidate closest to `name` (optimal string alignment distance, i.e.
 * Damerau–Levenshtein with adjacent transpositions), or undefined when nothing is close.
 * "Close" scales with the length so that short names need a near-exact match.
 */
export function didYouMean(name: string, candidates: Iterable<string>): string | undefined {
  const limit = Math.max(1, Math.floor(name.length / 3));
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of new Set(candidates)) {
    if (candidate === name) continue;
    const distance =
      candidate.toLowerCase() === name.toLowerCase()
        ? 0.5
        : isAbbreviation(name, candidate)
          ? limit
          : editDistance(name, candidate, limit);
    if (distance <= limit && distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best;
}

/** `integer` for `int`, `conv` for `conv2d`: one name starts with the other (3+ characters). */
function isAbbreviation(a: string, b: string): boolean {
  const [short, long] = a.length < b.length ? [a, b] : [b, a];
  return short.length >= 3 && long.startsWith(short);
}

/** `help` text for an unknown name, e.g. "did you mean `dense`?". */
export function suggestionHelp(name: string, candidates: Iterable<string>): string | undefined {
  const suggestion = didYouMean(name, candidates);
  return suggestion === undefined ? undefined : `did you mean \`${suggestion}\`?`;
}

/** Optimal string alignment distance, giving up (returning limit + 1) once it exceeds `limit`. */
export function editDistance(a: string, b: string, limit = Infinity): number {
  if (Math.abs(a.length - b.length) > limit) return limit + 1;
  const rows = a.length + 1;
  const cols = b.length + 1;
  const d: number[][] = Array.from({ length: rows }, (_, i) =>
    Array.from({ length: cols }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  );
  for (let i = 1; i < rows; i++) {
    let rowMin = Infinity;
    for (let j = 1; j < cols; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let value = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        value = Math.min(value, d[i - 2]![j - 2]! + 1);
      }
      d[i]![j] = value;
      rowMin = Math.min(rowMin, value);
    }
    if (rowMin > limit) return limit + 1;
  }
  return d[rows - 1]![cols - 1]!;
}
