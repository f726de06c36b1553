// Compressed inputs (.jsonl.gz, .json.gz, .jsonl.zst, .json.zst; detected by magic bytes, not by the name):
// decompressed as a stream, never whole in memory. gzip through node:zlib (concatenated members too); zstd through
// fzstd (pure JS: Node 20 has no zstd), concatenated frames too, which is how chunked writers seal their output.
//
// Two ways to read them:
//  - DecompressedSource: a sequential, FileHandle-shaped reader for one streaming pass (CLI summary/score);
//  - spillDecompressed(): the decompressed bytes written once to a temporary file, for readers that need random
//    access afterwards (the Rollout Viewer's record index). See docs/recognition.md for what each costs.
//
// UTF-16 text (what PowerShell's `>` writes) is read the same way: a decoding stream turns it into UTF-8, so that the
// readers, which all work on UTF-8 bytes, need no second path (docs/reliability.md).
import { createReadStream, createWriteStream, mkdirSync, mkdtempSync, promises as fsp, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { Transform, type TransformCallback, type Readable } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';
import { createGunzip } from 'node:zlib';
import { Decompress } from 'fzstd';

export type Compression = 'gzip' | 'zstd';
export type Utf16 = 'utf-16le' | 'utf-16be';
/** What lies between the file's bytes and UTF-8 JSON, undone by a decoding stream (decoder()). */
export type Encoding = Compression | Utf16;

export const ZSTD_MAGIC = 0xfd2fb528;

/** The compression of a file from its first bytes (null: not compressed, or a compression we do not read). */
export function compressionOf(head: Uint8Array): Compression | null {
  if (head.length >= 2 && head[0] === 0x1f && head[1] === 0x8b) return 'gzip';
  if (head.length >= 4 && (head[0] | (head[1] << 8) | (head[2] << 16) | (head[3] << 24)) >>> 0 === ZSTD_MAGIC) return 'zstd';
  return null;
}

/**
 * UTF-16 text from its first bytes: a byte order mark, or without one JSON's first '{' / '[' next to a NUL byte
 * (ASCII in UTF-16). Null otherwise.
 */
export function utf16Of(head: Uint8Array): Utf16 | null {
  if (head.length >= 2 && head[0] === 0xff && head[1] === 0xfe) return 'utf-16le';
  if (head.length >= 2 && head[0] === 0xfe && head[1] === 0xff) return 'utf-16be';
  if (head.length >= 4 && (head[0] === 0x7b || head[0] === 0x5b) && head[1] === 0 && head[3] === 0) return 'utf-16le';
  if (head.length >= 4 && head[0] === 0 && (head[1] === 0x7b || head[1] === 0x5b) && head[2] === 0) return 'utf-16be';
  return null;
}

/** The file's bytes are not UTF-8 JSON as they stand: compressed (gzip, zstd) or UTF-16 text. */
export function encodingOf(head: Uint8Array): Encoding | null {
  return compressionOf(head) ?? utf16Of(head);
}

/** How to name an encoding in messages. */
export function encodingName(e: Encoding): string {
  return e === 'utf-16le' ? 'UTF-16LE' : e === 'utf-16be' ? 'UTF-16BE' : e;
}

/** File name without a compression suffix: `12.jsonl.gz` → `12.jsonl`. */
export function stripCompressionSuffix(name: string): string {
  return name.replace(/\.(gz|gzip|zst|zstd)$/i, '');
}

/** zstd as a Transform stream (fzstd's streaming decoder; each push emits whole decoded blocks). */
class ZstdDecode extends Transform {
  private readonly dec: Decompress;
  constructor() {
    super();
    this.dec = new Decompress((chunk: Uint8Array) => {
      this.push(Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength));
    });
  }
  override _transform(chunk: Buffer, _enc: BufferEncoding, cb: TransformCallback): void {
    try {
      this.dec.push(chunk);
      cb();
    } catch (e) {
      cb(asError(e));
    }
  }
  override _flush(cb: TransformCallback): void {
    try {
      this.dec.push(new Uint8Array(0), true);
      cb();
    } catch (e) {
      cb(asError(e));
    }
  }
}

/**
 * UTF-16 (either byte order) to UTF-8 as a stream. A byte order mark is dropped; pairs and surrogates split across
 * chunks are carried over (StringDecoder); unpaired surrogates become U+FFFD.
 */
class Utf16Decode extends Transform {
  private readonly text = new StringDecoder('utf16le');
  /** Big-endian: an odd byte left at the end of the previous chunk. */
  private carry: Buffer | null = null;
  private first = true;
  constructor(private readonly bigEndian: boolean) {
    super();
  }
  override _transform(chunk: Buffer, _enc: BufferEncoding, cb: TransformCallback): void {
    let bytes = chunk;
    if (this.bigEndian) {
      // Swapped on a copy (the chunk belongs to the file stream), whole pairs only.
      const all = this.carry ? Buffer.concat([this.carry, chunk]) : Buffer.from(chunk);
      const even = all.length & ~1;
      this.carry = even < all.length ? all.subarray(even) : null;
      bytes = all.subarray(0, even).swap16();
    }
    this.out(this.text.write(bytes), cb);
  }
  override _flush(cb: TransformCallback): void {
    // A lone last byte cannot be a character: it becomes U+FFFD like any broken unit.
    const tail = this.carry ? '\ufffd' : '';
    this.out(this.text.end() + tail, cb);
  }
  private out(s: string, cb: TransformCallback): void {
    if (this.first && s.length > 0) {
      this.first = false;
      if (s.charCodeAt(0) === 0xfeff) s = s.slice(1);
    }
    cb(null, s.length > 0 ? Buffer.from(s, 'utf8') : undefined);
  }
}

function asError(e: unknown): Error {
  return e instanceof Error ? e : new Error(String(e));
}

/** A decoder stream for the encoding. */
export function decoder(c: Encoding): Transform {
  switch (c) {
    case 'gzip':
      return createGunzip();
    case 'zstd':
      return new ZstdDecode();
    case 'utf-16le':
    case 'utf-16be':
      return new Utf16Decode(c === 'utf-16be');
  }
}

/** Counts the compressed bytes that went in (progress is reported against the file size on disk). */
class Counter extends Transform {
  bytes = 0;
  override _transform(chunk: Buffer, _enc: BufferEncoding, cb: TransformCallback): void {
    this.bytes += chunk.length;
    cb(null, chunk);
  }
}

/**
 * A sequential reader of the decompressed bytes with the subset of FileHandle the scanners use: read() at the
 * position where the previous read ended, stat() (the compressed size), close(). Not seekable.
 */
export class DecompressedSource {
  private readonly stream: Readable;
  private readonly counter = new Counter();
  private readonly iter: AsyncIterator<Buffer>;
  private pending: Buffer | null = null;
  private position = 0;
  private done = false;
  /** Set when the archive is damaged after some data: the reading ends there (see damaged()). */
  failure: string | null = null;

  constructor(readonly path: string, readonly compression: Encoding, private readonly size: number, signal?: AbortSignal) {
    const file = createReadStream(path, { highWaterMark: 1 << 20, signal });
    const dec = decoder(compression);
    file.on('error', (e) => dec.destroy(e));
    this.counter.on('error', (e) => dec.destroy(e));
    file.pipe(this.counter).pipe(dec);
    this.stream = dec;
    this.iter = dec[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
  }

  /** Compressed bytes consumed so far. */
  get compressedRead(): number {
    return this.counter.bytes;
  }

  async stat(): Promise<{ size: number }> {
    return { size: this.size };
  }

  async read(buf: Buffer, offset: number, length: number, position: number): Promise<{ bytesRead: number; buffer: Buffer }> {
    if (position !== this.position) throw new Error(`decompressed stream read out of order (at ${this.position}, asked ${position})`);
    let n = 0;
    while (n < length) {
      if (this.pending === null || this.pending.length === 0) {
        if (this.done) break;
        let r: IteratorResult<Buffer>;
        try {
          r = await this.iter.next();
        } catch (e) {
          if (isAbort(e) || this.position + n === 0) throw corrupt(this.path, this.compression, e);
          // What was decoded before the damage is kept (a log cut by a crash, a stream still being written).
          this.failure = damaged(this.compression, this.position + n, e);
          this.done = true;
          break;
        }
        if (r.done) {
          this.done = true;
          break;
        }
        this.pending = r.value;
        continue;
      }
      const take = Math.min(length - n, this.pending.length);
      this.pending.copy(buf, offset + n, 0, take);
      this.pending = take === this.pending.length ? null : this.pending.subarray(take);
      n += take;
    }
    this.position += n;
    return { bytesRead: n, buffer: buf };
  }

  async close(): Promise<void> {
    this.stream.destroy();
  }
}

/** A decoding failure, named as what it is (a corrupt or truncated archive), not as a JSON error. */
export class CorruptArchiveError extends Error {
  override readonly name = 'CorruptArchiveError';
}

function isAbort(e: unknown): boolean {
  const x = e as { name?: string; code?: string } | null;
  return x?.name === 'AbortError' || x?.code === 'ABORT_ERR';
}

/** The note for an archive that breaks after `bytes` decoded bytes. */
function damaged(c: Encoding, bytes: number, e: unknown): string {
  const why = e instanceof Error ? e.message : String(e);
  return `the ${encodingName(c)} data ends or breaks after ${bytes.toLocaleString('en-US')} decompressed bytes (${why}); the records before it were read`;
}

function corrupt(path: string, c: Encoding, e: unknown): Error {
  if (isAbort(e)) return e as Error;
  const why = e instanceof Error ? e.message : String(e);
  return new CorruptArchiveError(`${path}: the ${encodingName(c)} data cannot be decompressed (${why}); the file may be truncated or corrupt`);
}

/** The first `max` decompressed bytes (for sniffing the container inside). */
export async function decompressedHead(path: string, c: Encoding, max: number): Promise<Buffer> {
  const src = new DecompressedSource(path, c, 0);
  try {
    const buf = Buffer.alloc(max);
    const { bytesRead } = await src.read(buf, 0, max, 0);
    return buf.subarray(0, bytesRead);
  } finally {
    await src.close();
  }
}

const SPILL_DIR = join(tmpdir(), 'rollout-lens-decompressed');
const spilled = new Set<string>();
let exitHook = false;

/**
 * A new temporary file path (in its own folder under the OS temp dir), removed by removeSpill() or when the process
 * exits. Synchronous, so that a reader's synchronous callbacks can open one.
 */
export function newSpillPath(): string {
  mkdirSync(SPILL_DIR, { recursive: true });
  const out = join(mkdtempSync(join(SPILL_DIR, 'r-')), 'data');
  adoptSpill(out);
  return out;
}

/**
 * Hands a temporary file to another thread: this one no longer removes it when it exits. A worker thread's exit
 * runs its process 'exit' handlers, which would delete the copies the extension host goes on reading.
 */
export function releaseSpill(p: string): void {
  spilled.delete(p);
}

/** Takes over a temporary file made by another thread: removed by removeSpill() or when this thread exits. */
export function adoptSpill(out: string): void {
  spilled.add(out);
  if (!exitHook) {
    exitHook = true;
    process.once('exit', () => {
      for (const p of spilled) {
        try {
          // Synchronous: nothing async runs in an exit handler.
          rmSync(join(p, '..'), { recursive: true, force: true });
        } catch {
          // best effort
        }
      }
    });
  }
}

/**
 * Decompresses the whole file into a new temporary file (streamed) and returns its path. The caller deletes it
 * with removeSpill() when done; whatever is left is removed when the process exits.
 */
export async function spillDecompressed(path: string, c: Encoding, signal?: AbortSignal): Promise<{ path: string; failure: string | null }> {
  const out = newSpillPath();
  try {
    await pipeline(createReadStream(path, { highWaterMark: 1 << 20 }), decoder(c), createWriteStream(out), { signal });
  } catch (e) {
    const written = isAbort(e) ? 0 : await fsp.stat(out).then((st) => st.size, () => 0);
    if (written > 0) return { path: out, failure: damaged(c, written, e) };
    await removeSpill(out);
    throw corrupt(path, c, e);
  }
  return { path: out, failure: null };
}

export async function removeSpill(p: string): Promise<void> {
  spilled.delete(p);
  await fsp.rm(join(p, '..'), { recursive: true, force: true }).catch(() => undefined);
}
