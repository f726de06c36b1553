// Files Rollout Lens itself wrote next to rollouts: `<log>.rollout-lens.jsonl` sidecars, and scored copies
// (`score --out`), whose every line is an input record plus a `rollout_lens` result object, always the last key.
// Reading them back as part of a run would double it (400 samples became 800), so the folder listing drops them.
import { promises as fsp } from 'node:fs';
import { SIDECAR_SUFFIX } from './scoring/sidecar';

/** Only the file's last MB is looked at: a scored copy's result object is short, and a line longer than that is data. */
const TAIL = 1 << 20;
/**
 * The tail is read backwards in chunks of this size, and searched as bytes. Reading the whole MB and decoding it
 * cost 1 MB of buffer and a 1–2 MB string per file, all at once: the folder listing checks every file in parallel,
 * and a ROLL step file is one 8 MB line, so a 1 GB folder of 128 such files held 128 MB of buffers and 270 MB of
 * strings on the main thread while the workers started (peak RSS 0.68× of the input; issue #18).
 */
const CHUNK = 1 << 16;
/** The result object is written last by score-run's scoredCopy(); its first key is always `step`. */
const MARKER = Buffer.from('"rollout_lens":{"step":', 'latin1');
const LF = 0x0a;
const CR = 0x0d;
const CLOSE_BRACE = 0x7d;

/**
 * True when the file is a sidecar by name, or the last line of its last MB (trailing newlines aside) ends with '}'
 * and holds `"rollout_lens":{"step":`. The marker is ASCII, so a byte search finds exactly what a search in the
 * decoded text would, wherever the MB starts inside a multi-byte character.
 */
export async function isOwnOutput(path: string): Promise<boolean> {
  if (path.toLowerCase().endsWith(SIDECAR_SUFFIX)) return true;
  if (!/\.(jsonl|ndjson)$/i.test(path)) return false;
  let fh: fsp.FileHandle | null = null;
  try {
    fh = await fsp.open(path, 'r');
    const size = (await fh.stat()).size;
    if (size === 0) return false;
    return await lastLineIsScored(fh, size);
  } catch {
    return false; // unreadable: the reader reports it
  } finally {
    await fh?.close();
  }
}

async function lastLineIsScored(fh: fsp.FileHandle, size: number): Promise<boolean> {
  const floor = Math.max(0, size - TAIL);
  const buf = Buffer.alloc(Math.min(CHUNK, size - floor));
  let hi = size; // chunks are [lo, hi), absolute offsets, going backwards
  let end = -1; // end of the last line, trailing CR/LF excluded (absolute)
  while (hi > floor) {
    const lo = Math.max(floor, hi - buf.length);
    const { bytesRead } = await fh.read(buf, 0, hi - lo, lo);
    if (bytesRead < hi - lo) return false; // the file shrank meanwhile: not ours to judge, the reader reports it
    const chunk = buf.subarray(0, hi - lo);
    if (end < 0) {
      let e = chunk.length;
      while (e > 0 && (chunk[e - 1] === LF || chunk[e - 1] === CR)) e--;
      if (e === 0) {
        hi = lo;
        continue; // only line ends so far
      }
      if (chunk[e - 1] !== CLOSE_BRACE) return false;
      end = lo + e;
    }
    // The last line starts after the last LF before `end`, or at the start of the window.
    const nl = chunk.lastIndexOf(LF, end - lo - 1);
    const from = nl >= 0 ? nl + 1 : 0;
    if (chunk.subarray(from, end - lo).indexOf(MARKER) >= 0) return true;
    if (nl >= 0 || lo === floor) return false;
    // Overlap the next chunk by the marker's length - 1 so that a marker across the boundary is found.
    end = Math.min(end, lo + MARKER.length - 1);
    hi = lo + MARKER.length - 1;
  }
  return false;
}
