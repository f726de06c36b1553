// Files Rollout Lens itself wrote next to rollouts: `<log>.rollout-lens.jsonl` sidecars, and scored copies
// (`score --out`), whose every line is an input record plus a `rollout_lens` result object, always the last key.
// Reading them back as part of a run would double it (400 samples became 800), so the folder listing drops them.
import { promises as fsp } from 'node:fs';
import { SIDECAR_SUFFIX } from './scoring/sidecar';

const TAIL = 1 << 20;

/** True when the file is a sidecar by name, or its last line ends with a `"rollout_lens":{…}}` object. */
export async function isOwnOutput(path: string): Promise<boolean> {
  if (path.toLowerCase().endsWith(SIDECAR_SUFFIX)) return true;
  if (!/\.(jsonl|ndjson)$/i.test(path)) return false;
  let fh: fsp.FileHandle | null = null;
  try {
    fh = await fsp.open(path, 'r');
    const size = (await fh.stat()).size;
    if (size === 0) return false;
    const n = Math.min(size, TAIL);
    const buf = Buffer.alloc(n);
    await fh.read(buf, 0, n, size - n);
    let end = buf.length;
    while (end > 0 && (buf[end - 1] === 0x0a || buf[end - 1] === 0x0d)) end--;
    const start = buf.lastIndexOf(0x0a, end - 1) + 1;
    const last = buf.toString('utf8', start, end);
    // The result object is written last by score-run's scoredCopy(); its first key is always `step`.
    return /"rollout_lens":\{"step":/.test(last) && last.endsWith('}');
  } catch {
    return false; // unreadable: the reader reports it
  } finally {
    await fh?.close();
  }
}
