// Small integer ids for repeated strings (group keys, prompts, tool names): a column of ids plus one list of the
// distinct strings travels between threads far cheaper than a string per sample.

export class Interner {
  /** The distinct strings, in order of first appearance: `list[id]`. */
  readonly list: string[] = [];
  private readonly index = new Map<string, number>();

  /** The string's id (a new one on first sight); -1 for null. */
  id(s: string | null): number {
    if (s === null) return -1;
    let i = this.index.get(s);
    if (i === undefined) {
      i = this.list.length;
      this.list.push(s);
      this.index.set(s, i);
    }
    return i;
  }
}
