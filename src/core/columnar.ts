// Whole-object containers that hold many rollouts in one JSON object (docs/formats.md §7.1): ROLL's column-oriented
// step dump, W&B table exports, and known objects that are not rollouts at all. Pure so that the JSONL scanner,
// the single-object reader and the random-access index all expand rows the same way.
import type { JsonObject, JsonValue } from './types';

export type ColumnarAnalysis =
  | { kind: 'none' }
  | { kind: 'columnar'; rows: number }
  | { kind: 'unequal'; error: string };

function isObject(v: JsonValue | undefined): v is JsonObject {
  return v !== null && v !== undefined && typeof v === 'object' && !Array.isArray(v);
}

/**
 * ROLL writes `{column: [v0, v1, …]}` (docs/formats.md §3.11). Recognised when every value is an array and the object
 * has `responses` and `scores`; a record that merely contains those arrays next to scalars is left alone, because
 * other formats keep a whole group in one row and expect to see it as such.
 */
export function analyzeColumnar(obj: JsonObject): ColumnarAnalysis {
  const responses = obj['responses'];
  const scores = obj['scores'];
  if (!Array.isArray(responses) || !Array.isArray(scores)) return { kind: 'none' };
  const keys = Object.keys(obj);
  for (const k of keys) if (!Array.isArray(obj[k])) return { kind: 'none' };
  const rows = responses.length;
  const odd = keys.filter((k) => (obj[k] as JsonValue[]).length !== rows);
  if (odd.length === 0) return { kind: 'columnar', rows };
  const lengths = keys.map((k) => `${k} (${(obj[k] as JsonValue[]).length})`).join(', ');
  return { kind: 'unequal', error: `column-oriented object has columns of different lengths: ${lengths}` };
}

/** Rows of a ROLL column-oriented object, or null when `obj` is not one (or its columns disagree in length). */
export function expandColumnar(obj: JsonObject): JsonObject[] | null {
  const a = analyzeColumnar(obj);
  if (a.kind !== 'columnar') return null;
  return columnarRows(obj, a.rows);
}

/** Transposes column by column so that no intermediate per-cell structure is built. */
export function columnarRows(obj: JsonObject, rows: number): JsonObject[] {
  const out: JsonObject[] = [];
  for (let i = 0; i < rows; i++) out.push({});
  for (const k of Object.keys(obj)) {
    const col = obj[k] as JsonValue[];
    for (let i = 0; i < rows; i++) out[i][k] = col[i];
  }
  return out;
}

/** Row `i` alone (random access without transposing the whole step). */
export function columnarRow(obj: JsonObject, i: number): JsonObject {
  const row: JsonObject = {};
  for (const k of Object.keys(obj)) row[k] = (obj[k] as JsonValue[])[i];
  return row;
}

export interface TableExpansion {
  rows: JsonObject[];
  /** 0-based index in `data` and what is wrong with that row. */
  errors: { row: number; error: string }[];
}

/** W&B table export: `{columns: [names], data: [[cells]…]}` (plus `_type`, `ncols`, `nrows`). */
export function expandTable(obj: JsonObject): TableExpansion | null {
  const columns = obj['columns'];
  const data = obj['data'];
  if (!Array.isArray(columns) || !Array.isArray(data)) return null;
  if (!columns.every((c) => typeof c === 'string')) return null;
  const names = columns as string[];
  const rows: JsonObject[] = [];
  const errors: { row: number; error: string }[] = [];
  data.forEach((cells, r) => {
    if (!Array.isArray(cells)) {
      errors.push({ row: r, error: `table row ${r + 1} is not an array` });
      return;
    }
    if (cells.length !== names.length) {
      errors.push({ row: r, error: `table row ${r + 1} has ${cells.length} cells for ${names.length} columns` });
      return;
    }
    const row: JsonObject = {};
    names.forEach((name, c) => {
      row[name] = cells[c];
    });
    rows.push(row);
  });
  return { rows, errors };
}

export interface NotRollout {
  /** Short machine-readable kind. */
  kind: 'trl-trainer-state' | 'verifiers-metadata';
  /** Sentence for the user, e.g. "TRL trainer_state.json: training metrics (log_history), no completions". */
  explanation: string;
  /** Values a caller can use, e.g. `rollouts_per_example` as the group size. */
  metadata: JsonObject;
}

/** Known objects that sit next to rollouts but hold none (docs/formats.md §7.1). */
export function explainNonRollout(obj: JsonObject): NotRollout | null {
  if (Array.isArray(obj['log_history'])) {
    return {
      kind: 'trl-trainer-state',
      explanation:
        'TRL trainer_state.json: training metrics (log_history), no completions; enable log_completions=True to get completions/*.parquet',
      metadata: pick(obj, ['global_step', 'max_steps', 'logging_steps', 'epoch']),
    };
  }
  if (typeof obj['rollouts_per_example'] === 'number') {
    return {
      kind: 'verifiers-metadata',
      explanation: `verifiers metadata.json: run metadata (rollouts_per_example = ${String(obj['rollouts_per_example'])}), no completions; the rollouts are in results.jsonl`,
      metadata: obj,
    };
  }
  return null;
}

function pick(obj: JsonObject, keys: string[]): JsonObject {
  const out: JsonObject = {};
  for (const k of keys) if (k in obj) out[k] = obj[k];
  return out;
}

export function isJsonObject(v: JsonValue): v is JsonObject {
  return isObject(v);
}

/** "a JSON array" / "a number" …, for messages about lines that are not objects. */
export function describeJsonKind(v: JsonValue): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a JSON array';
  switch (typeof v) {
    case 'string':
      return 'a string';
    case 'number':
      return 'a number';
    case 'boolean':
      return 'a boolean';
    default:
      return 'an object';
  }
}
