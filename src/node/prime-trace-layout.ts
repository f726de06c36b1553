// prime-rl's file monitor layout since its PRs #3444 and #3465 (docs/recognition.md):
//   <run>/monitors/file/metrics.jsonl                       metric rows
//   <run>/monitors/file/traces/stream/00000.jsonl.zst       episodes, sealed chunk (zstd, seekable frames)
//   <run>/monitors/file/traces/stream/00001.jsonl           episodes, live chunk (plain, still growing)
//   <run>/monitors/file/traces/stream.index.jsonl           one summary row per episode (chunk, offset, reward…)
//   <run>/monitors/file/traces/annotations/<producer>/…     later facts about traces, one stream per producer
//   <run>/monitors/file/traces/live/<trace>.jsonl           deltas of in-flight traces
// (before #3465 the streams were single files: traces/stream.jsonl, annotations/<producer>.jsonl).
// A folder holding it is read as one run: the episode chunks in chunk order; everything else is left out with why.

/** A chunk of an episode stream: `stream/00003.jsonl` or its sealed twin `stream/00003.jsonl.zst`. */
const CHUNK = /(?:^|\/)stream\/(\d+)\.jsonl(\.zst)?$/;
const SINGLE_STREAM = /(?:^|\/)traces\/stream\.jsonl$/;

export interface PrimeTraceFile {
  /** Episode chunk number (0 for the single-file stream), or null for files that are not episodes. */
  chunk: number | null;
  sealed: boolean;
  /** Why the file is left out (annotations, indexes, live deltas, monitor bookkeeping); null when read. */
  skip: string | null;
}

/** What a path inside a prime-rl run means; null when it is not part of the file monitor's trace layout. */
export function primeTraceFile(fullRel: string): PrimeTraceFile | null {
  const chunk = CHUNK.exec(fullRel);
  if (chunk) return { chunk: Number(chunk[1]), sealed: chunk[2] !== undefined, skip: null };
  if (SINGLE_STREAM.test(fullRel)) return { chunk: 0, sealed: false, skip: null };
  if (/(?:^|\/)traces\/annotations\//.test(fullRel) || /(?:^|\/)traces\/annotations\/[^/]+\.jsonl$/.test(fullRel)) {
    return { chunk: null, sealed: false, skip: 'prime-rl annotations (facts producers add about traces later) are not folded onto the episodes' };
  }
  if (/(?:^|\/)traces\/live\//.test(fullRel)) return { chunk: null, sealed: false, skip: 'prime-rl live deltas of traces still in flight' };
  if (/\.index\.jsonl$/.test(fullRel) && /(?:^|\/)(traces|annotations)\//.test(fullRel)) {
    return { chunk: null, sealed: false, skip: 'prime-rl index of summary rows (the episodes are read from the stream itself)' };
  }
  if (/(?:^|\/)monitors\/(file|prime)\//.test(fullRel)) return { chunk: null, sealed: false, skip: 'prime-rl monitor bookkeeping, not episodes' };
  return null;
}
