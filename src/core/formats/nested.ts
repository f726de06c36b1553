// Records inside nested JSON (recognition by inference): arrays of objects at any depth and objects keyed by
// training step (`"iterations": {"0": {…}, "10": {…}}`), found in a record that no known format reads as it is.
// A record path says how to reach the records from the top value; expanding it gives one flat object per record,
// with the fields of every enclosing object inherited (the prompt written once above 28 steps), the step taken from
// a step key, and the position of the record and of its enclosing item (a group of completions) made explicit.
import type { JsonObject, JsonValue } from '../types';
import { isMessageList, isObject } from './values';

/** Synthetic fields added to an expanded record (the `@` keeps them apart from real keys). */
export const STEP_FIELD = '@step';
export const PATH_FIELD = '@path';
export const GROUP_FIELD = '@group';

export type Segment =
  | { kind: 'key'; key: string }
  /** Every item of an array. */
  | { kind: 'items' }
  /** Every value of an object whose keys are step numbers; the key becomes the record's step. */
  | { kind: 'steps' }
  /** Every value of an object keyed by names (categories, datasets); the key goes into the record's path. */
  | { kind: 'names' };

const MAX_DEPTH = 8;
const MAX_CANDIDATES = 40;
/** Items looked into per collection while searching (enough to see the shape, bounded on large files). */
const PROBE_ITEMS = 3;

export function formatPath(segs: readonly Segment[]): string {
  let out = '';
  for (const s of segs) {
    if (s.kind === 'key') out += out === '' ? s.key : `.${s.key}`;
    else if (s.kind === 'items') out += '[*]';
    else if (s.kind === 'steps') out += '.{step}';
    else out += '.{name}';
  }
  return out === '' ? '(top level)' : out.replace(/^\./, '');
}

/** Inverse of formatPath for the paths it writes (record paths are stored in the detection as text). */
export function parsePath(text: string): Segment[] {
  if (text === '(top level)' || text === '') return [];
  const segs: Segment[] = [];
  const re = /\[\*\]|\.?\{step\}|\.?\{name\}|\.?([^.[{]+)/g;
  for (let m = re.exec(text); m !== null; m = re.exec(text)) {
    if (m[0] === '[*]') segs.push({ kind: 'items' });
    else if (m[0].endsWith('{step}')) segs.push({ kind: 'steps' });
    else if (m[0].endsWith('{name}')) segs.push({ kind: 'names' });
    else segs.push({ kind: 'key', key: m[1] });
  }
  return segs;
}

function isStepKeyed(o: JsonObject): boolean {
  const keys = Object.keys(o);
  if (keys.length < 2) return false;
  let objects = 0;
  for (const k of keys) {
    if (!/^\d{1,9}$/.test(k)) return false;
    if (isObject(o[k])) objects++;
  }
  return objects / keys.length >= 0.8;
}

/** An object of ≥ 2 objects (names → objects) with no scalar beside them: categories, datasets, splits. */
function isNameKeyed(o: JsonObject): boolean {
  const keys = Object.keys(o);
  if (keys.length < 2) return false;
  return keys.every((k) => isObject(o[k]) || Array.isArray(o[k]));
}

function isObjectArray(v: JsonValue[]): boolean {
  if (v.length === 0 || isMessageList(v)) return false;
  let objects = 0;
  for (const x of v) if (isObject(x)) objects++;
  return objects / v.length >= 0.8;
}

/**
 * Record paths below `value` that lead to collections of objects (arrays of objects, step-keyed objects), deepest
 * last. Message lists are values, not collections. Only the first items of each collection are looked into.
 */
export function findRecordPaths(value: JsonValue): Segment[][] {
  const out: Segment[][] = [];
  const seen = new Set<string>();
  const add = (segs: Segment[]): void => {
    const key = formatPath(segs);
    if (seen.has(key) || out.length >= MAX_CANDIDATES) return;
    seen.add(key);
    out.push(segs);
  };
  const walk = (v: JsonValue, segs: Segment[], depth: number): void => {
    if (depth > MAX_DEPTH || out.length >= MAX_CANDIDATES) return;
    if (Array.isArray(v)) {
      if (!isObjectArray(v)) return;
      const next: Segment[] = [...segs, { kind: 'items' }];
      add(next);
      for (const item of v.slice(0, PROBE_ITEMS)) walk(item, next, depth + 1);
      return;
    }
    if (!isObject(v)) return;
    if (isStepKeyed(v)) {
      const next: Segment[] = [...segs, { kind: 'steps' }];
      add(next);
      for (const k of Object.keys(v).slice(0, PROBE_ITEMS)) walk(v[k], next, depth + 1);
      return;
    }
    if (isNameKeyed(v)) {
      // Categories / datasets: one path for all of them, not one per name.
      const next: Segment[] = [...segs, { kind: 'names' }];
      for (const k of Object.keys(v).slice(0, PROBE_ITEMS)) walk(v[k], next, depth + 1);
      return;
    }
    for (const [k, child] of Object.entries(v)) {
      if (Array.isArray(child) || isObject(child)) walk(child, [...segs, { kind: 'key', key: k }], depth + 1);
    }
  };
  walk(value, [], 0);
  return out;
}

/** Fields of an enclosing object (all but the one followed down) over those of objects further out. */
function inherit(parent: JsonObject, followed: string, into: JsonObject): void {
  for (const [k, v] of Object.entries(parent)) if (k !== followed) into[k] = v;
}

interface Walk {
  value: JsonValue;
  /** Fields inherited from the enclosing objects. */
  context: JsonObject;
  path: string;
  step: number | null;
  /** Path of the innermost enclosing collection item (the group of the records below it), if any. */
  group: string | null;
}

/**
 * The flat records that `segs` leads to inside `value`: each record's own fields, the enclosing objects' fields,
 * and `@path` (where it sits), `@step` (from a step key, when there is one) and `@group` (its enclosing collection
 * item, when the path crosses two collections). Items that are not objects are left out.
 */
export function expandRecordPath(value: JsonValue, segs: readonly Segment[]): JsonObject[] {
  let level: Walk[] = [{ value, context: {}, path: '', step: null, group: null }];
  let collections = 0;
  for (let i = 0; i < segs.length; i++) {
    const seg = segs[i];
    const next: Walk[] = [];
    const isCollection = seg.kind !== 'key';
    for (const w of level) {
      const here = w.value;
      const ctx: JsonObject = { ...w.context };
      if (isObject(here) && seg.kind === 'key') {
        inherit(here, seg.key, ctx);
        const child = here[seg.key];
        if (child !== undefined) next.push({ ...w, value: child, context: ctx, path: w.path === '' ? seg.key : `${w.path}.${seg.key}` });
        continue;
      }
      // Entering a collection: the item the walk stood on becomes the enclosing group of what lies below.
      const group = collections > 0 ? w.path : w.group;
      if (seg.kind === 'items' && Array.isArray(here)) {
        here.forEach((item, k) => next.push({ value: item, context: ctx, path: `${w.path}[${k}]`, step: w.step, group }));
      } else if ((seg.kind === 'steps' || seg.kind === 'names') && isObject(here)) {
        for (const [k, item] of Object.entries(here)) {
          const step = seg.kind === 'steps' ? Number(k) : w.step;
          next.push({ value: item, context: ctx, path: w.path === '' ? k : `${w.path}.${k}`, step, group });
        }
      }
    }
    if (isCollection && seg.kind !== 'names') collections++;
    level = next;
  }
  const out: JsonObject[] = [];
  for (const w of level) {
    if (!isObject(w.value)) continue;
    const rec: JsonObject = { ...w.context, ...w.value };
    if (segs.length > 0) rec[PATH_FIELD] = w.path;
    if (w.step !== null) rec[STEP_FIELD] = w.step;
    if (w.group !== null) rec[GROUP_FIELD] = w.group;
    out.push(rec);
  }
  return out;
}
