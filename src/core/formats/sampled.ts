// A view over the first records of a file that answers "does the file have key K?" with the §7.2 meaning:
// present in at least 90% of the sampled records (dotted paths allowed).
import type { JsonObject, JsonValue } from '../types';
import { getPath, isObject } from './values';

export const HAS_SHARE = 0.9;

/** Keys NeMo-RL leaves unwrapped (§3.10): `idx` is the batch position, written as a bare int. */
const NEMO_UNWRAPPED = new Set(['idx']);

/** True when every value (but idx) is a one-element list: NeMo-RL's micro-batch slices (§3.10, §7.2). */
export function isListWrapped(o: JsonObject): boolean {
  let n = 0;
  for (const [k, v] of Object.entries(o)) {
    if (NEMO_UNWRAPPED.has(k)) continue;
    if (!Array.isArray(v) || v.length !== 1) return false;
    n++;
  }
  return n > 0;
}

export function unwrapOne(o: JsonObject): JsonObject {
  const out: JsonObject = {};
  for (const [k, v] of Object.entries(o)) out[k] = !NEMO_UNWRAPPED.has(k) && Array.isArray(v) && v.length === 1 ? v[0] : v;
  return out;
}

export class SampledRecords {
  readonly objects: JsonObject[];
  private readonly total: number;

  constructor(records: JsonValue[]) {
    this.total = Math.max(1, records.length);
    this.objects = records.filter(isObject);
  }

  get size(): number {
    return this.objects.length;
  }

  share(pred: (o: JsonObject) => boolean): number {
    let n = 0;
    for (const o of this.objects) if (pred(o)) n++;
    return n / this.total;
  }

  /** Every key (path) present in ≥ 90% of the records. */
  has(...paths: string[]): boolean {
    return paths.every((p) => this.share((o) => getPath(o, p) !== undefined) >= HAS_SHARE);
  }

  /** The key is present and its value passes `test` in ≥ 90% of the records. */
  hasWith(path: string, test: (v: JsonValue) => boolean): boolean {
    return this.share((o) => {
      const v = getPath(o, path);
      return v !== undefined && test(v);
    }) >= HAS_SHARE;
  }

  /** First of `names` that the records have, or null. */
  firstOf(names: readonly string[]): string | null {
    for (const n of names) if (this.has(n)) return n;
    return null;
  }

  /** Keys seen in any sampled record, in first-seen order. */
  keys(): string[] {
    const seen = new Set<string>();
    for (const o of this.objects) for (const k of Object.keys(o)) seen.add(k);
    return [...seen];
  }

  /** Keys whose sampled values are all numbers or null (NaN included): candidate reward columns. */
  numericKeys(exclude: ReadonlySet<string>): string[] {
    return this.keys().filter((k) => {
      if (exclude.has(k)) return false;
      let numbers = 0;
      for (const o of this.objects) {
        const v = o[k];
        if (v === undefined || v === null) continue;
        if (typeof v !== 'number') return false;
        numbers++;
      }
      // A column that is null in every sampled row can still be a reward that returned None so far.
      return numbers > 0 || this.objects.some((o) => o[k] === null);
    });
  }
}
