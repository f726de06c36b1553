// Types shared by the readers in src/node: the callbacks every reader calls and the error callers map to exit 3.
import type { BadLine, RawRecord, ReadNote } from '../core/types';

/** Synchronous callbacks: a reader calls them as it goes, so that nothing holds every record twice. */
export interface ReadHandlers {
  onRecord(r: RawRecord): void;
  onBadLine?(b: BadLine): void;
  onNote?(n: ReadNote): void;
  /** Bytes done and total of the current file. */
  onProgress?(done: number, total: number): void;
  /** Awaited after each chunk (JSONL): lets a consumer with work in flight (worker threads) slow the reader. */
  drain?(): Promise<void> | void;
}

/** A path that cannot be read as rollouts at all (missing, empty, binary…). The CLI maps it to exit code 3. */
export class InputError extends Error {
  override readonly name = 'InputError';
  constructor(
    message: string,
    readonly path: string,
    readonly code: 'missing' | 'unreadable' | 'empty' | 'binary' | 'no-rollout-files' | 'unsupported',
  ) {
    super(message);
  }
}

/**
 * What the streaming scanners read through: a FileHandle, or a sequential decompressing reader (decompress.ts),
 * which only serves reads at the position where the previous one ended.
 */
export interface ReadSource {
  read(buffer: Buffer, offset: number, length: number, position: number): Promise<{ bytesRead: number }>;
  stat(): Promise<{ size: number }>;
  close(): Promise<void>;
}
