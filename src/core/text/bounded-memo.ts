// Memoising a pure function of a string whose calls repeat in runs: GRPO logs repeat every prompt once per completion
// of its group (8–64 times in a row), so a small table that is simply dropped when full keeps nearly every hit.

/** `compute` memoised on its argument; the table is cleared when it reaches `max` entries. */
export function boundedMemo<V>(max: number, compute: (key: string) => V): (key: string) => V {
  const table = new Map<string, V>();
  return (key) => {
    if (table.has(key)) return table.get(key) as V;
    const v = compute(key);
    if (table.size >= max) table.clear();
    table.set(key, v);
    return v;
  };
}
