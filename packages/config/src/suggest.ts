/**
 * The known key a misspelt one most likely meant (`relativeurl` → `relativeurls`,
 * `HTTP` → `http`), or `undefined` when none is close enough to be a fair guess.
 */
export function closestKey(key: string, known: readonly string[]): string | undefined {
  const wanted = key.toLowerCase();
  const tolerance = Math.max(1, Math.floor(wanted.length / 3));
  let best: string | undefined;
  let bestDistance = tolerance + 1;
  for (const candidate of known) {
    const distance = editDistance(wanted, candidate.toLowerCase());
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best;
}

/** Levenshtein distance: insertions, deletions and substitutions each count one. */
export function editDistance(a: string, b: string): number {
  const bChars = Array.from(b);
  // One row of the distance table at a time; `previous[j]` is the distance to b's first j chars.
  let previous = Array.from({ length: bChars.length + 1 }, (_, j) => j);
  for (const [i, charA] of Array.from(a).entries()) {
    let diagonal = i;
    let left = i + 1;
    const current = [left];
    for (const [j, above] of previous.slice(1).entries()) {
      left = Math.min(above + 1, left + 1, diagonal + (charA === bChars[j] ? 0 : 1));
      diagonal = above;
      current.push(left);
    }
    previous = current;
  }
  // The row is never empty: its last cell is the distance between the whole strings.
  return previous.reduce((_, cell) => cell);
}
