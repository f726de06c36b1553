// File helpers shared by the suites: a content hash (to prove an input was never written) and a Parquet writer.
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';

/** Hex SHA-256 of a file's bytes. */
export function sha256(path: string): string {
  return createHash('sha256').update(readFileSync(path)).digest('hex');
}

export interface ParquetColumn {
  name: string;
  data: unknown[];
  type: string;
}

/** Writes a small Parquet file with hyparquet-writer (ESM-only: imported dynamically from these CommonJS tests). */
export async function writeParquet(path: string, columnData: ParquetColumn[], options: { codec: string; compressors?: Record<string, (x: Uint8Array) => Uint8Array>; rowGroupSize?: number }): Promise<void> {
  const w = await import('hyparquet-writer');
  const ab = w.parquetWriteBuffer({ ...options, columnData } as Parameters<typeof w.parquetWriteBuffer>[0]);
  writeFileSync(path, new Uint8Array(ab));
}
