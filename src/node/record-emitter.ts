// Turns one parsed JSON value (a JSONL line, an array item, a whole-file object) into RawRecords or BadLines,
// expanding the containers that hold many rows (ROLL columnar, W&B table). Shared by every reader so that the
// streaming scan, the single-object path and random access number and expand rows identically.
import { analyzeColumnar, columnarRows, describeJsonKind, expandTable, isJsonObject } from '../core/columnar';
import type { JsonValue, RawRecord } from '../core/types';
import { columnarLineRow, type ColumnarLayout } from './columnar-line';
import type { ReadHandlers } from './read-types';
import type { RecordOffsets } from './record-offsets';

export interface EmitPosition {
  file: string;
  /** 1-based line for JSONL, null otherwise. */
  line: number | null;
  /** Number reported in a BadLine: the line (JSONL) or the 1-based item number. */
  badLineNumber: number;
  byteOffset: number | null;
  /** Byte length of the line/item, for the offsets index. */
  byteLength: number;
  /** Row of a container item (array item index); null for a JSONL line. */
  rowIndex: number | null;
  /** Word used in messages: 'line' or 'item'. */
  unit: 'line' | 'item';
}

export class RecordEmitter {
  /** Number of the next record (1-based). */
  record: number;

  constructor(
    private readonly handlers: ReadHandlers,
    private readonly expand: boolean,
    private readonly offsets: RecordOffsets | null,
    firstRecord = 1,
  ) {
    this.record = firstRecord;
  }

  /** Emits a value; returns the number of records produced. */
  emit(value: JsonValue, pos: EmitPosition): number {
    if (!isJsonObject(value)) {
      this.bad(pos, `${pos.unit} is ${describeJsonKind(value)}, not an object`);
      return 0;
    }
    if (this.expand) {
      const c = analyzeColumnar(value);
      if (c.kind === 'unequal') {
        this.bad(pos, c.error);
        return 0;
      }
      if (c.kind === 'columnar') {
        const rows = columnarRows(value, c.rows);
        for (let i = 0; i < rows.length; i++) this.push(rows[i], pos, i);
        return rows.length;
      }
      const t = expandTable(value);
      if (t !== null) {
        for (const e of t.errors) this.bad(pos, e.error);
        // Row numbers are data indices so that random access can find the same row again.
        let r = 0;
        const bad = new Set(t.errors.map((e) => e.row));
        for (let i = 0; r < t.rows.length; i++) {
          if (bad.has(i)) continue;
          this.push(t.rows[r++], pos, i);
        }
        return t.rows.length;
      }
    }
    this.push(value, pos, pos.rowIndex);
    return 1;
  }

  /**
   * Emits the rows of a ROLL line scanned by scanColumnarLine (columnar-line.ts), one parsed row at a time, exactly
   * as emit() would after parsing the line whole; returns the number of records produced.
   */
  emitColumnarLine(b: Buffer, layout: ColumnarLayout, pos: EmitPosition): number {
    for (let i = 0; i < layout.rows; i++) this.push(columnarLineRow(b, layout, i), pos, i);
    return layout.rows;
  }

  bad(pos: EmitPosition, error: string): void {
    this.handlers.onBadLine?.({ file: pos.file, line: pos.badLineNumber, error });
  }

  private push(value: JsonValue, pos: EmitPosition, rowIndex: number | null): void {
    const r: RawRecord = {
      value,
      source: { file: pos.file, line: pos.line, record: this.record++, byteOffset: pos.byteOffset, rowIndex },
    };
    if (this.offsets !== null && pos.byteOffset !== null) {
      // For array items the stored row is -1: the item alone is the record, nothing to pick inside it.
      const containerRow = pos.rowIndex === rowIndex ? -1 : (rowIndex ?? -1);
      this.offsets.push(pos.byteOffset, pos.byteLength, pos.line ?? pos.badLineNumber, containerRow);
    }
    this.handlers.onRecord(r);
  }
}
