// Streaming GRPO grouping (docs/formats.md §7.3). The builder sees one compact record per sample (never a whole
// Sample), interns each distinct key once per (step, split) scope, and decides the final groups in finish():
// explicit key → row → identical prompt within (step, split) → consecutive blocks of n (formats that keep
// generation order) → singleton. Groups never cross steps or splits.
import type { GroupKeySource, Split } from '../types';
import { IntVec } from './int-vec';
import { GroupKeys } from './group-key';

export type GroupBy = 'auto' | 'prompt' | { field: string } | { consecutive: number };

export interface GroupBuilderOptions {
  groupBy?: GroupBy;
  /** Expected group size n: metadata `rollouts_per_example` or the user's setting. */
  expectedSize?: number | null;
  /** The writer keeps generation order (TRL, NeMo-RL, ROLL, verl validation): consecutive blocks allowed. */
  keepsOrder?: boolean;
}

export interface GroupInput {
  step: number | null;
  split: Split | null;
  /**
   * Sample.groupKey: an explicit id or a row key. With groupBy {field}, the caller passes that field's
   * value here (normalisation with the `group` role overridden does exactly that).
   */
  groupKey: string | null;
  groupKeySource: GroupKeySource;
  /** Exact prompt text, or the serialised message list; null when the record has no prompt. */
  promptKey: string | null;
}

export interface GroupingResult {
  /** 0-based group of each sample in order of first appearance; -1 for excluded samples. */
  groupOf: Int32Array;
  count: number;
  /** Members of group g: groupMembers.subarray(groupStart[g], groupStart[g + 1]), in sample order. */
  groupStart: Int32Array;
  groupMembers: Int32Array;
  /** How each group was formed (index = group). */
  groupSource: Uint8Array;
  /** The source that formed most samples' groups. */
  keySource: GroupKeySource;
  size: { min: number; max: number };
  /** The n used for k·n splitting and consecutive blocks, when known. */
  expectedSize: number | null;
  warnings: string[];
}

export const SOURCE_CODES: readonly GroupKeySource[] = ['none', 'explicit', 'row', 'prompt', 'position'];
const NONE = 0;
const EXPLICIT = 1;
const ROW = 2;
const PROMPT = 3;
const POSITION = 4;

/** Members of group g as a typed-array view. */
export function membersOf(r: Pick<GroupingResult, 'groupStart' | 'groupMembers'>, g: number): Int32Array {
  return r.groupMembers.subarray(r.groupStart[g], r.groupStart[g + 1]);
}

export class GroupBuilder {
  private readonly opts: Required<Pick<GroupBuilderOptions, 'keepsOrder'>> & GroupBuilderOptions;
  private readonly scopeIds = new Map<string, number>();
  /** Map keys of group ids and prompts: a long one as its digest (group-key.ts). */
  private readonly keys = new GroupKeys();
  /** One key map per scope: 'e'|'r'|'p' + key → provisional group. Each distinct key is stored once. */
  private readonly scopeKeys: Map<string, number>[] = [];
  /** Samples without a key seen so far, per scope (for consecutive blocks). */
  private readonly scopePending: number[] = [];
  private readonly scopeOf = new IntVec();
  private readonly provisional = new IntVec();
  /** Position among the scope's keyless samples (auto) or all its samples (consecutive mode). */
  private readonly position = new IntVec();
  private readonly groupSourceV = new IntVec();
  private excluded: Uint8Array | null = null;
  private missingField = 0;
  /** The last sample's step, split and scope: samples of one step come together, so most skip the scope lookup. */
  private lastStep: number | null | undefined = undefined;
  private lastSplit: Split | null = null;
  private lastScope = -1;

  constructor(opts: GroupBuilderOptions = {}) {
    this.opts = { keepsOrder: false, ...opts };
  }

  get size(): number {
    return this.provisional.length;
  }

  /** Adds the next sample (indices are implicit: 0, 1, 2, … in call order). Returns its index. */
  add(s: GroupInput): number {
    const index = this.provisional.length;
    let scope = this.lastScope;
    // Object.is: NaN matches itself (the lookup's name is 'NaN' both times); -0 after 0 is looked up and finds 0's scope.
    if (!Object.is(s.step, this.lastStep) || s.split !== this.lastSplit) {
      scope = this.scopeFor(s.step, s.split);
      this.lastStep = s.step;
      this.lastSplit = s.split;
      this.lastScope = scope;
    }
    this.scopeOf.push(scope);
    const by = this.opts.groupBy ?? 'auto';
    let key: string | null = null;
    let source = NONE;
    if (typeof by === 'object' && 'consecutive' in by) {
      // Position blocks regardless of keys.
    } else if (typeof by === 'object' && 'field' in by) {
      if (s.groupKey !== null && s.groupKeySource === 'explicit') {
        key = this.keys.key('e', s.groupKey);
        source = EXPLICIT;
      } else this.missingField++;
    } else if (by === 'prompt') {
      if (s.promptKey !== null) {
        key = this.keys.key('p', s.promptKey);
        source = PROMPT;
      }
    } else if (s.groupKey !== null && (s.groupKeySource === 'explicit' || s.groupKeySource === 'row')) {
      key = this.keys.key(s.groupKeySource === 'explicit' ? 'e' : 'r', s.groupKey);
      source = s.groupKeySource === 'explicit' ? EXPLICIT : ROW;
    } else if (s.promptKey !== null) {
      key = this.keys.key('p', s.promptKey);
      source = PROMPT;
    }
    if (key !== null) {
      const keys = this.scopeKeys[scope];
      let g = keys.get(key);
      if (g === undefined) {
        g = this.groupSourceV.length;
        keys.set(key, g);
        this.groupSourceV.push(source);
      }
      this.provisional.push(g);
      this.position.push(-1);
    } else {
      this.provisional.push(-1);
      this.position.push(this.scopePending[scope]++);
    }
    return index;
  }

  /** The scope id of (step, split), created on first sight. */
  private scopeFor(step: number | null, split: Split | null): number {
    const scopeName = `${step ?? ''}\u0000${split ?? ''}`;
    let scope = this.scopeIds.get(scopeName);
    if (scope === undefined) {
      scope = this.scopeKeys.length;
      this.scopeIds.set(scopeName, scope);
      this.scopeKeys.push(new Map());
      this.scopePending.push(0);
    }
    return scope;
  }

  /** Expected number of samples: the per-sample columns are sized once (see RunBuilder.reserve). */
  reserve(samples: number): void {
    for (const v of [this.scopeOf, this.provisional, this.position]) v.reserve(samples);
  }

  /** Samples to leave out of every group (e.g. TRL re-logged batches); they get group -1. */
  exclude(mask: Uint8Array): void {
    this.excluded = mask;
  }

  finish(): GroupingResult {
    const n = this.provisional.length;
    const warnings: string[] = [];
    const prov = this.provisional.toArray();
    const sources: number[] = Array.from(this.groupSourceV.toArray());
    const isExcluded = (i: number): boolean => this.excluded !== null && this.excluded[i] === 1;

    // Provisional sizes, to learn n when no metadata gave it: the most common prompt/explicit group size.
    const provSize = new Int32Array(sources.length);
    for (let i = 0; i < n; i++) if (prov[i] >= 0 && !isExcluded(i)) provSize[prov[i]]++;
    const by = this.opts.groupBy ?? 'auto';
    const consecutiveN = typeof by === 'object' && 'consecutive' in by ? Math.max(1, Math.floor(by.consecutive)) : null;
    const expected = consecutiveN ?? this.opts.expectedSize ?? mostCommonSize(provSize);

    // k·n prompt groups: two dataset items with the same prompt text. Split contiguous ones into runs of n.
    if (expected !== null && expected >= 2) this.splitMultiples(prov, sources, provSize, expected, warnings, isExcluded);

    // Keyless samples: consecutive blocks of n where the writer keeps order, else singletons.
    const blockN = consecutiveN ?? (by === 'auto' && this.opts.keepsOrder && expected !== null && expected >= 2 ? expected : null);
    const blockGroup = new Map<string, number>();
    for (let i = 0; i < n; i++) {
      if (prov[i] >= 0 || isExcluded(i)) continue;
      if (blockN !== null) {
        const name = `${this.scopeOf.get(i)}:${Math.floor(this.position.get(i) / blockN)}`;
        let g = blockGroup.get(name);
        if (g === undefined) {
          g = sources.length;
          sources.push(POSITION);
          blockGroup.set(name, g);
        }
        prov[i] = g;
      } else {
        prov[i] = sources.length;
        sources.push(NONE);
      }
    }
    if (this.missingField > 0) warnings.push(`${this.missingField} samples lack the group field; they form singleton groups`);

    return this.renumber(prov, sources, expected, warnings, isExcluded);
  }

  private splitMultiples(prov: Int32Array, sources: number[], provSize: Int32Array, nExp: number, warnings: string[], isExcluded: (i: number) => boolean): void {
    const candidates = new Set<number>();
    for (let g = 0; g < provSize.length; g++) if (sources[g] === PROMPT && provSize[g] > nExp && provSize[g] % nExp === 0) candidates.add(g);
    if (candidates.size === 0) return;
    const first = new Map<number, number>();
    const last = new Map<number, number>();
    for (let i = 0; i < prov.length; i++) {
      const g = prov[i];
      if (!candidates.has(g) || isExcluded(i)) continue;
      if (!first.has(g)) first.set(g, i);
      last.set(g, i);
    }
    let split = 0;
    let kept = 0;
    for (const g of candidates) {
      const a = first.get(g) ?? 0;
      const b = last.get(g) ?? 0;
      // Contiguous = the members fill [a, b] exactly (ignoring excluded rows).
      let contiguous = true;
      for (let i = a; i <= b; i++) if (prov[i] !== g && !isExcluded(i)) { contiguous = false; break; }
      if (!contiguous) {
        kept++;
        continue;
      }
      split++;
      let seen = 0;
      let current = g;
      for (let i = a; i <= b; i++) {
        if (isExcluded(i)) continue;
        if (seen > 0 && seen % nExp === 0) {
          current = sources.length;
          sources.push(PROMPT);
        }
        prov[i] = current;
        seen++;
      }
    }
    if (split) warnings.push(`${split} prompt groups of size k·${nExp} were contiguous and split into runs of ${nExp}`);
    if (kept) warnings.push(`${kept} prompt groups have size k·${nExp} but are not contiguous; kept whole (two items share a prompt?)`);
  }

  private renumber(prov: Int32Array, sources: number[], expected: number | null, warnings: string[], isExcluded: (i: number) => boolean): GroupingResult {
    const n = prov.length;
    const final = new Int32Array(sources.length).fill(-1);
    const groupOf = new Int32Array(n);
    let count = 0;
    for (let i = 0; i < n; i++) {
      if (isExcluded(i)) {
        groupOf[i] = -1;
        continue;
      }
      const p = prov[i];
      if (final[p] < 0) final[p] = count++;
      groupOf[i] = final[p];
    }
    const groupStart = new Int32Array(count + 1);
    for (let i = 0; i < n; i++) if (groupOf[i] >= 0) groupStart[groupOf[i] + 1]++;
    for (let g = 0; g < count; g++) groupStart[g + 1] += groupStart[g];
    const fill = groupStart.slice(0, count);
    const groupMembers = new Int32Array(groupStart[count]);
    for (let i = 0; i < n; i++) if (groupOf[i] >= 0) groupMembers[fill[groupOf[i]]++] = i;
    const groupSource = new Uint8Array(count);
    for (let p = 0; p < sources.length; p++) if (final[p] >= 0) groupSource[final[p]] = sources[p];

    let min = count ? Number.MAX_SAFE_INTEGER : 0;
    let max = 0;
    const bySource = new Float64Array(SOURCE_CODES.length);
    for (let g = 0; g < count; g++) {
      const size = groupStart[g + 1] - groupStart[g];
      if (size < min) min = size;
      if (size > max) max = size;
      bySource[groupSource[g]] += size;
    }
    let best = NONE;
    for (let c = 1; c < SOURCE_CODES.length; c++) if (bySource[c] > bySource[best]) best = c;
    if (count && min !== max && best !== NONE) {
      warnings.push(`group sizes differ: ${min}–${max}${expected ? ` (expected ${expected})` : ''}; a smaller group means a cut, filtered or de-duplicated file`);
    }
    return {
      groupOf, count, groupStart, groupMembers, groupSource, keySource: SOURCE_CODES[best],
      size: { min, max }, expectedSize: expected, warnings,
    };
  }
}

/** Most common size among groups of size ≥ 2 (the n of a GRPO run); ties go to the larger size. */
function mostCommonSize(sizes: Int32Array): number | null {
  const freq = new Map<number, number>();
  for (const s of sizes) if (s >= 2) freq.set(s, (freq.get(s) ?? 0) + 1);
  let best: number | null = null;
  let bestF = 0;
  for (const [s, f] of freq) if (f > bestF || (f === bestF && best !== null && s > best)) {
    best = s;
    bestF = f;
  }
  return best;
}

/** The compact grouping record of a normalised sample (the caller may drop the Sample afterwards). */
export function groupInputOf(s: { step: number | null; split: Split | null; groupKey: string | null; groupKeySource: GroupKeySource; prompt: string | { role: string; content: string }[] | null }): GroupInput {
  return {
    step: s.step, split: s.split, groupKey: s.groupKey, groupKeySource: s.groupKeySource,
    promptKey: s.prompt === null ? null : typeof s.prompt === 'string' ? s.prompt : JSON.stringify(s.prompt),
  };
}
