// Positioned reads that fill the whole target: FileHandle.read may return fewer bytes than asked (pipes, network
// file systems, signals), so the callers that need a record's or a slice's exact bytes loop until done or EOF.
import type { promises as fsp } from 'node:fs';

/** Reads into all of `target` from `position`; returns the bytes read (fewer only at the end of the file). */
export async function readFullyAt(fh: fsp.FileHandle, target: Uint8Array, position: number): Promise<number> {
  let done = 0;
  while (done < target.length) {
    const { bytesRead } = await fh.read(target, done, target.length - done, position + done);
    if (bytesRead === 0) break;
    done += bytesRead;
  }
  return done;
}
