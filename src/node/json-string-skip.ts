// Skipping JSON strings in a byte scanner (the JSON-array item scanner and its range planner, json-container.ts):
// only '"' and '\' matter inside a string, so both are found with Buffer.indexOf instead of a byte loop.

const QUOTE = 0x22;
const BACKSLASH = 0x5c;

/**
 * The state of a scanner inside a JSON string, across chunks. Call newChunk() whenever the bytes of the view change:
 * the next quote / backslash positions are cached per chunk, so that many short strings, or one long string full
 * of escapes, are not searched again to the end of the chunk each time.
 */
export class JsonStringSkipper {
  /** The previous chunk ended on a backslash: the first byte of the next one is escaped. */
  escape = false;
  private nextQuote = -2;
  private nextBs = -2;

  newChunk(): void {
    this.nextQuote = -2;
    this.nextBs = -2;
  }

  /**
   * From `i`, inside a string (after its opening quote): the index just after its closing quote, or -1 when the
   * view ends first (the string goes on in the next chunk).
   */
  skip(view: Buffer, i: number): number {
    for (;;) {
      if (this.escape) {
        if (i >= view.length) return -1;
        this.escape = false;
        i++;
      }
      // -1 means "none left in this chunk": never searched again; -2 (or a position behind i) means "search".
      if (this.nextQuote < i && this.nextQuote !== -1) this.nextQuote = view.indexOf(QUOTE, i);
      if (this.nextBs < i && this.nextBs !== -1) this.nextBs = view.indexOf(BACKSLASH, i);
      if (this.nextBs >= 0 && (this.nextBs < this.nextQuote || this.nextQuote < 0)) {
        this.escape = true;
        i = this.nextBs + 1;
        continue;
      }
      return this.nextQuote < 0 ? -1 : this.nextQuote + 1;
    }
  }
}
