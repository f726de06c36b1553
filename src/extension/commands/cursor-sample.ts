// The sample a cursor line belongs to, from a document model's line index. Pure (no `vscode`), so the unit tests
// run it; the command layer (command-context.ts) feeds it the active editor's line.

/**
 * The sample of `line`, else of the nearest line above that starts or continues a sample (a pretty-printed record
 * spans lines; blank and bad lines map to -1), else sample 0.
 */
export function sampleAtLine(sampleOfLine: ArrayLike<number>, line: number): number {
  for (let l = Math.min(line, sampleOfLine.length - 1); l >= 0; l--) if (sampleOfLine[l] >= 0) return sampleOfLine[l];
  return 0;
}
