// Messages between the parallel reader (src/node/parallel-load.ts) and the worker threads that read, parse,
// normalise and analyse one part of a file each (src/node/range-prepare.ts): a byte range of a JSONL file, a byte
// range of the items of a JSON array, or a span of parquet row groups.
import type { FormatDetection, Flag, FlagKind, GroupKeySource, JsonValue, ReadNote, Split } from '../core/types';
import type { ContainerKind } from './sniff';
import type { RunConventions } from '../core/run/conventions';

/** What a task's [start, end) holds: JSONL lines, JSON-array items (after itemBase items), parquet row groups. */
export type RangeUnit =
  | { kind: 'lines' }
  | { kind: 'items'; itemBase: number; first: boolean }
  | { kind: 'rows'; fromGroup: number; toGroup: number };

export interface RangeTask {
  type: 'range';
  id: number;
  path: string;
  /** Byte range [start, end): starts at a line start, ends just after a '\n' (or at the end of the file). */
  start: number;
  end: number;
  /** True for the range that ends at the end of the file (its last line may be unterminated). */
  last: boolean;
  /** Absent: lines (the JSONL byte range). For rows, start/end are the row groups' compressed bytes (progress only). */
  unit?: RangeUnit;
  detection: FormatDetection;
  stepFromName: number | null;
  split: Split | null;
  analyse: boolean;
  keepFlags: boolean;
  keepOffsets: boolean;
  lang: string;
  enabledFlags?: Partial<Record<FlagKind, boolean>>;
  /** The run's conventions, decided on the first records by the main thread (core/run/conventions.ts). */
  conventions?: RunConventions | null;
}

/** The first records of the run's first file, for the format detection (detect-sample.ts), read by a worker. */
export interface SampleTask {
  type: 'sample';
  path: string;
  container: ContainerKind;
  size: number;
  want: number;
}

/** The records, or the failure as the reader raised it (an InputError keeps its path and code). */
export interface SampleResult {
  type: 'sample';
  values?: JsonValue[];
  error?: { message: string; name: string; path?: string; code?: string };
}

/** A reader event in range order; `line` is relative (1 = the range's first line). */
export type RangeEvent =
  /** byRecord: `line` is the record number relative to the range (parquet rows, array items without a line). */
  | { kind: 'bad'; line: number; error: string; byRecord?: boolean }
  /** A container reader's note, as it made it (items, rows); utf8Item: one of the array's capped invalid-UTF-8 notes. */
  | { kind: 'read-note'; note: Omit<ReadNote, 'file'>; utf8Item?: boolean }
  | { kind: 'note'; note: 'bom' | 'invalid-utf8' | 'incomplete-last-line' | 'non-finite-number'; line: number };

/**
 * Everything the main thread needs from a range, compact: one entry per sample in the typed arrays; line and
 * record numbers relative to the range (the main thread adds the lines and records of the ranges before it).
 */
export interface RangeResult {
  type: 'range';
  id: number;
  /** Physical lines in the range ('\n' count, plus an unterminated last line). */
  lines: number;
  /** Records the reader emitted (before normalisation; a record may yield several samples or a bad line). */
  records: number;
  reward: Float64Array;
  advantage: Float64Array;
  step: Float64Array;
  chars: Float64Array;
  line: Int32Array;
  record: Int32Array;
  flagBits: Uint8Array;
  /** Group inputs: string tables (deduplicated within the range) and per-sample indices (-1 = null). */
  strings: string[];
  groupKey: Int32Array;
  promptKey: Int32Array;
  split: Int32Array;
  groupKeySource: Uint8Array;
  events: RangeEvent[];
  flags?: Flag[][];
  /** Assistant turns, tool calls and tool errors per sample; tool names and malformed calls of the range. */
  turns: Int32Array;
  toolCalls: Int32Array;
  toolErrors: Int32Array;
  toolNames: Record<string, number>;
  /** Per sample, how many distinct tools it called; their ids (into the range-local toolNameList) follow in toolNameIds. */
  toolNameCount: Int32Array;
  toolNameIds: Int32Array;
  toolNameList: string[];
  malformedCalls: number;
  /** TRL: per sample, hash53 of its re-log fingerprint (NaN without a step); see RelogDetector.addRowHash. */
  relogHash?: Float64Array;
  /** keepOffsets: per record byte offset, byte length, relative line and container row (-1 = whole line). */
  offsets?: { byteOffset: Float64Array; byteLength: Int32Array; line: Int32Array; row: Int32Array };
  /**
   * keepOffsets on parquet rows (no byte offsets to read them back by): every record encoded as a line of the viewer's
   * temporary copy (record-spill.ts), back to back, with each line's length and range-relative record number.
   */
  spill?: { bytes: Uint8Array; lengths: Float64Array; records: Float64Array };
  /** The last (unterminated) line parsed and was emitted. */
  tailRecordEmitted: boolean;
  /** The range ended in an unterminated line that did not parse. */
  pendingTail: boolean;
  /** Time the worker spent, for the bench. */
  ms: number;
}

export const GROUP_KEY_SOURCES: readonly GroupKeySource[] = ['explicit', 'row', 'prompt', 'position', 'none'];
