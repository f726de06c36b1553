// zstd frames made of raw (stored) blocks: valid zstd that any decoder must read, written without an encoder
// (Node 20 has none, and the zstd binary may be missing on CI). Enough to test streaming, block boundaries and
// concatenated frames; real compressed blocks are covered where the zstd binary exists.
const MAGIC = [0x28, 0xb5, 0x2f, 0xfd];
/** Window 2^17 (128 KiB), no content size, no checksum: the descriptor byte 0 plus a window descriptor. */
const HEADER = [0x00, 7 << 3];
const MAX_BLOCK = 128 * 1024;

/** One zstd frame holding `data` in raw blocks of at most `blockSize` bytes. */
export function zstdRawFrame(data: Uint8Array, blockSize = MAX_BLOCK): Buffer {
  const size = Math.max(1, Math.min(blockSize, MAX_BLOCK));
  const parts: Buffer[] = [Buffer.from([...MAGIC, ...HEADER])];
  let off = 0;
  do {
    const n = Math.min(size, data.length - off);
    const last = off + n >= data.length ? 1 : 0;
    const h = last | (0 << 1) | (n << 3);
    parts.push(Buffer.from([h & 0xff, (h >> 8) & 0xff, (h >> 16) & 0xff]), Buffer.from(data.subarray(off, off + n)));
    off += n;
  } while (off < data.length);
  return Buffer.concat(parts);
}

/**
 * zstd's seekable format (contrib/seekable_format): independent frames of at most `frameBytes` decompressed bytes,
 * then a skippable frame holding the seek table, as pyzstd's SeekableZstdFile writes (prime-rl seals its chunks so).
 */
export function zstdSeekable(data: Uint8Array, frameBytes: number): Buffer {
  const frames: Buffer[] = [];
  const entries: Buffer[] = [];
  for (let off = 0; off < data.length; off += frameBytes) {
    const part = data.subarray(off, Math.min(data.length, off + frameBytes));
    const frame = zstdRawFrame(part);
    frames.push(frame);
    const e = Buffer.alloc(8);
    e.writeUInt32LE(frame.length, 0);
    e.writeUInt32LE(part.length, 4);
    entries.push(e);
  }
  const footer = Buffer.alloc(9);
  footer.writeUInt32LE(entries.length, 0);
  footer[4] = 0; // no checksums
  footer.writeUInt32LE(0x8f92eab1, 5);
  const table = Buffer.concat([...entries, footer]);
  const head = Buffer.alloc(8);
  head.writeUInt32LE(0x184d2a5e, 0);
  head.writeUInt32LE(table.length, 4);
  return Buffer.concat([...frames, head, table]);
}
