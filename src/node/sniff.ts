// Container detection by content, not by extension (docs/formats.md §7.1): ROLL writes a single object in a .jsonl,
// TRL parquet may be renamed, a pretty-printed trainer_state.json spans many lines.
import { promises as fsp } from 'node:fs';
import { parseJsonTolerant } from '../core/json-tolerant';
import { InputError } from './read-types';
import { compressionOf, decompressedHead, encodingName, encodingOf, utf16Of, type Encoding } from './decompress';

export type ContainerKind = 'jsonl' | 'json-array' | 'json-object' | 'parquet';

export interface SniffedInput {
  /** The container of the (decompressed or decoded) content. */
  container: ContainerKind;
  /** gzip / zstd, or UTF-16 text: read through a decoding stream. */
  compression: Encoding | null;
}

const SNIFF_BYTES = 64 * 1024;
const BINARY_PROBE = 8 * 1024;
const LFS_MAGIC = 'version https://git-lfs.github.com/spec/';

/**
 * Reads the start of the file and decides how to read it; throws InputError for files that hold no JSON.
 * 'compressed': gzip or zstd, or UTF-16 text (sniffInput() looks inside): read through a decoding stream, never in
 * byte ranges.
 */
export async function sniffContainer(path: string, size: number): Promise<ContainerKind | 'compressed'> {
  const head = await readHead(path, size);
  if (encodingOf(head) !== null) return 'compressed';
  return classify(path, head, size);
}

/** The container of a file, looking inside gzip and zstd files (by magic bytes, whatever the name says). */
export async function sniffInput(path: string, size: number): Promise<SniffedInput> {
  const head = await readHead(path, size);
  const compression = encodingOf(head);
  if (compression === null) return { container: classify(path, head, size), compression: null };
  const name = encodingName(compression);
  let inner: Buffer;
  try {
    inner = await decompressedHead(path, compression, SNIFF_BYTES);
  } catch (e) {
    throw new InputError(e instanceof Error ? e.message : String(e), path, 'unreadable');
  }
  if (inner.length === 0) {
    throw new InputError(`${path}: the file is empty (${utf16Of(head) ? `${name} text with no characters` : `a ${name} archive of nothing`})`, path, 'empty');
  }
  if (encodingOf(inner) !== null) {
    throw new InputError(`${path}: compressed twice (${compression} holding another archive); decompress it once first`, path, 'unsupported');
  }
  // The decompressed size is unknown here: a head shorter than the sniff window is the whole content.
  const container = classify(path, inner, inner.length < SNIFF_BYTES ? inner.length : Number.MAX_SAFE_INTEGER);
  if (container === 'parquet' && compressionOf(head) !== null) {
    throw new InputError(`${path}: a ${compression}-compressed parquet file; parquet compresses its own pages, decompress it first`, path, 'unsupported');
  }
  return { container, compression };
}

async function readHead(path: string, size: number): Promise<Buffer> {
  if (size === 0) throw new InputError(`${path}: the file is empty`, path, 'empty');
  const fh = await fsp.open(path, 'r');
  try {
    const head = Buffer.alloc(Math.min(SNIFF_BYTES, size));
    const { bytesRead } = await fh.read(head, 0, head.length, 0);
    return head.subarray(0, bytesRead);
  } finally {
    await fh.close();
  }
}

function classify(path: string, head: Buffer, size: number): ContainerKind {
  if (head.length >= 4 && head.toString('latin1', 0, 4) === 'PAR1') return 'parquet';
  if (head.length >= 4 && head[0] === 0x50 && head[1] === 0x4b && head[2] === 0x03 && head[3] === 0x04) {
    throw new InputError(`${path}: a zip archive (e.g. an Inspect .eval log), not a rollout log Rollout Lens can read`, path, 'unsupported');
  }
  if (head[0] === 0x80 && head.length > 1 && head[1] <= 5) {
    throw new InputError(`${path}: a Python pickle (e.g. a PyTorch or DataProto dump), which cannot be read; export it to JSONL`, path, 'unsupported');
  }
  if (head.toString('latin1', 0, Math.min(head.length, LFS_MAGIC.length)) === LFS_MAGIC) {
    throw new InputError(`${path}: a Git LFS pointer, not the data itself; fetch it with git lfs pull`, path, 'unsupported');
  }
  // UTF-16 text (PowerShell's `>`) never reaches here: sniffInput() decodes it (decompress.ts: utf16Of).
  let i = head.length >= 3 && head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf ? 3 : 0;
  while (i < head.length && (head[i] === 0x20 || head[i] === 0x0a || head[i] === 0x0d || head[i] === 0x09)) i++;
  // NUL bytes mean binary unless the file starts as JSON with a whole first line before the first NUL: a crash
  // can leave NUL blocks at the end of a log (or a writer a raw NUL in one record), and the records around them
  // must still load, the NUL line reported as a bad line.
  const probe = head.subarray(0, BINARY_PROBE);
  const nul = probe.indexOf(0);
  const jsonFirst = (head[i] === 0x7b || head[i] === 0x5b) && head.subarray(i, nul).indexOf(0x0a) >= 0;
  if (nul >= 0 && !jsonFirst) {
    throw new InputError(`${path}: a binary file (NUL bytes near the start), not JSON, JSONL or parquet`, path, 'binary');
  }
  if (i >= head.length) {
    if (size <= head.length) throw new InputError(`${path}: the file is empty (whitespace only)`, path, 'empty');
    return 'jsonl';
  }
  if (head[i] === 0x5b) return 'json-array';
  if (head[i] !== 0x7b) return 'jsonl';
  // '{': JSONL unless the first line is not a complete value (a pretty-printed object spanning lines).
  const nl = head.indexOf(0x0a, i);
  if (nl < 0) return 'jsonl'; // one long line (a ROLL step) or a file without newline: the JSONL path handles both
  const first = parseJsonTolerant(head.toString('utf8', i, nl));
  return first.ok ? 'jsonl' : 'json-object';
}
