// The real zlib compression ratio (docs/detection.md §11.4: UTF-8 bytes / deflate bytes, level 6), injected into the pure
// core's repetition detector by the analysis workers. It runs on most samples of a large file, and deflateSync
// spends a third of its ~30 µs per 2 KB window creating and tearing down a zlib stream. So one deflate stream is
// kept and reset between windows. deflateReset keeps the sliding window's old bytes, and Node's zlib (Chromium's,
// which hashes 4 bytes at a time) can read a few of them past the end of the new input, so a reused stream gave a
// slightly different length on 13 of 28,869 real windows. A fresh stream's window is zeroed past its data;
// compressing zero bytes over the old input when the new one is shorter restores exactly that, and then the output
// equals deflateSync's on all of them (test/unit/detectors/zlib-ratio.test.ts). About twice as fast. It goes through Node's zlib handle, which
// is not a public API: when its shape is not what we expect, a call does not finish the stream, or the input is
// longer than the window we keep zeroed, deflateSync answers instead.
import { createDeflate, constants, deflateSync } from 'node:zlib';

interface ZlibHandle {
  writeSync(flush: number, input: Buffer, inOff: number, inLen: number, out: Buffer, outOff: number, outLen: number): void;
  reset(): void;
}

function slowRatio(bytes: Buffer): number {
  return bytes.length === 0 ? 1 : bytes.length / deflateSync(bytes).length;
}

let handle: ZlibHandle | null = null;
let state: Uint32Array | null = null;
/** Inputs up to this many bytes go through the reused stream (the detector's windows are ≤ 2,000 characters). */
const MAX_BYTES = 1 << 14;
const inBuf = Buffer.allocUnsafe(MAX_BYTES);
const zeros = Buffer.alloc(MAX_BYTES);
const outBuf = Buffer.allocUnsafe(1 << 16);
let tried = false;
/** Bytes at the start of the stream's window that hold input (not zeros) since the window was last zeroed. */
let dirty = 0;

function init(): void {
  tried = true;
  try {
    const d = createDeflate() as unknown as { _handle?: unknown; _writeState?: unknown };
    const h = d._handle as Partial<ZlibHandle> | undefined;
    if (h && typeof h.writeSync === 'function' && typeof h.reset === 'function' && d._writeState instanceof Uint32Array) {
      handle = h as ZlibHandle;
      state = d._writeState;
    }
  } catch {
    handle = null;
  }
}

/** UTF-8 length of `s` divided by its zlib (deflate level 6, with header and checksum) length; 1 for ''. */
export function zlibCompressRatio(s: string): number {
  if (!tried) init();
  if (handle === null || state === null) return slowRatio(Buffer.from(s, 'utf8'));
  if (s.length * 3 > MAX_BYTES) return slowRatio(Buffer.from(s, 'utf8'));
  const n = inBuf.write(s, 0, 'utf8');
  if (n === 0) return 1;
  let availOut: number;
  let availIn: number;
  try {
    if (dirty > n) {
      // Old bytes past the end of this input: zero the window first (see the file comment). When this input is at
      // least as long, it overwrites them all and nothing needs zeroing.
      handle.reset();
      handle.writeSync(constants.Z_FINISH, zeros, 0, dirty, outBuf, 0, outBuf.length);
    }
    handle.reset();
    handle.writeSync(constants.Z_FINISH, inBuf, 0, n, outBuf, 0, outBuf.length);
    availOut = state[0];
    availIn = state[1];
    dirty = n;
  } catch {
    handle = null;
    return slowRatio(Buffer.from(s, 'utf8'));
  }
  // Everything consumed and room left in the output: the stream finished within this call.
  if (availIn !== 0 || availOut === 0) return slowRatio(Buffer.from(s, 'utf8'));
  return n / (outBuf.length - availOut);
}
