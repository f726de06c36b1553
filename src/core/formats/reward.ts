// Reading a reward value: the total may be a number, a numeric string, a boolean (correctness), a per-token
// list (SkyRL: the sequence score is the sum) or a dict of named rewards (slime, lighteval `metric`).
// Missing values are kept distinct from 0 (docs/formats.md §2.6): they become null with a reason.
import type { JsonValue } from '../types';
import { FieldError, isObject, readNumber, typeName } from './values';

export interface RewardRead {
  reward: number | null;
  missing?: string;
  components: Record<string, number | null>;
}

function finiteOrMissing(n: number | null, field: string): RewardRead {
  if (n === null) return { reward: null, missing: `'${field}' is null (no reward returned)`, components: {} };
  if (!Number.isFinite(n)) return { reward: null, missing: `'${field}' is ${n}`, components: {} };
  return { reward: n, components: {} };
}

export function readReward(v: JsonValue | undefined, field: string | null): RewardRead {
  if (field === null) return { reward: null, missing: 'the format logs no reward', components: {} };
  if (v === undefined) return { reward: null, missing: `no field '${field}'`, components: {} };
  if (Array.isArray(v)) {
    // A per-token score list (SkyRL): the sequence reward is its sum.
    // Nested one level or more (`[[0.8]]`, a reward model's score per sample): the leaves are what is summed.
    let sum = 0;
    for (const x of v.flat(4)) {
      const n = readNumber(x, field);
      if (n === undefined || n === null || Number.isNaN(n)) continue;
      sum += n;
    }
    return v.length === 0 ? { reward: null, missing: `'${field}' is an empty list`, components: {} } : finiteOrMissing(sum, field);
  }
  if (isObject(v)) {
    const components: Record<string, number | null> = {};
    for (const [k, x] of Object.entries(v)) {
      if (typeof x === 'number' || typeof x === 'boolean' || x === null) components[k] = readNumber(x, `${field}.${k}`) ?? null;
    }
    const names = Object.keys(components);
    const pick = names.length === 1 ? names[0] : ['reward', 'score'].find((k) => k in components);
    if (pick !== undefined) return { ...finiteOrMissing(components[pick], `${field}.${pick}`), components };
    return {
      reward: null,
      missing: `'${field}' is a dict (${names.join(', ')}); choose one with --field reward=${field}.<key>`,
      components,
    };
  }
  const n = readNumber(v, field);
  if (n === undefined) throw new FieldError(`field '${field}' is ${typeName(v)}, expected a number`);
  return finiteOrMissing(n, field);
}

/** First usable scalar of an advantage: a number, or the first finite element of a per-token list. */
export function firstAdvantage(v: JsonValue | undefined, field: string, mask?: JsonValue): number | null {
  if (v === undefined || v === null) return null;
  if (Array.isArray(v)) {
    const m = Array.isArray(mask) && mask.length === v.length ? mask : null;
    for (let i = 0; i < v.length; i++) {
      if (m && !(m[i] === 1 || m[i] === true)) continue;
      const x = v[i];
      if (Array.isArray(x)) return firstAdvantage(x, field);
      const n = readNumber(x, field);
      if (n !== undefined && n !== null && Number.isFinite(n)) return n;
    }
    return null;
  }
  const n = readNumber(v, field);
  return n === undefined || n === null || !Number.isFinite(n) ? null : n;
}

/** True when the unmasked per-token advantages are not constant: not a plain GRPO estimator (§7.4). */
export function advantageVaries(v: JsonValue | undefined, mask?: JsonValue): boolean {
  if (!Array.isArray(v)) return false;
  const m = Array.isArray(mask) && mask.length === v.length ? mask : null;
  let first: number | null = null;
  for (let i = 0; i < v.length; i++) {
    if (m && !(m[i] === 1 || m[i] === true)) continue;
    const x = v[i];
    if (typeof x !== 'number' || !Number.isFinite(x)) continue;
    if (first === null) first = x;
    else if (Math.abs(x - first) > 1e-6) return true;
  }
  return false;
}
