// Per-sample trajectory counts of a run (three small columns) and the run's tool totals, for `summary --json`, the
// viewer's list columns and filters. Filled in file order next to the run's other columns, from samples parsed in
// this thread or counts prepared by the range workers.
import { IntVec } from '../groups/int-vec';
import { Interner } from '../text/interner';
import type { TrajectoryStats } from './types';

export interface RunTrajectories {
  /** Assistant turns per sample. */
  turns: Int32Array;
  /** Tool calls attempted per sample (malformed included). */
  toolCalls: Int32Array;
  /** Tool results that read as errors, per sample. */
  toolErrors: Int32Array;
  /**
   * Which tools each sample called, as a per-run name table: sample i called toolNames[nameIds[j]] for j in
   * [nameStart[i], nameStart[i + 1]). Any number of names (a bitmask held 31); most samples call one or two tools,
   * single-turn samples none, so the table costs one Int32 per sample plus one per (sample, tool) pair.
   */
  nameStart: Int32Array;
  nameIds: Int32Array;
  /** Tool names in order of first appearance (the ids of nameIds). */
  toolNames: string[];
  /** Calls per tool name over the run. */
  byName: Record<string, number>;
  malformed: number;
  total: number;
}

export class TrajectoryTally {
  private readonly turns = new IntVec();
  private readonly calls = new IntVec();
  private readonly errors = new IntVec();
  private readonly nameStart = new IntVec();
  private readonly nameIds = new IntVec();
  private readonly names = new Interner();
  private byName: Record<string, number> = Object.create(null) as Record<string, number>;
  private malformed = 0;
  private total = 0;

  reserve(n: number): void {
    for (const v of [this.turns, this.calls, this.errors, this.nameStart]) v.reserve(n + 1);
  }

  /** One sample's counts (byName and malformed too). */
  add(s: TrajectoryStats): void {
    this.addCounts(s.turns, s.toolCalls, s.toolErrors, Object.keys(s.byName));
    this.addNames(s.byName, s.malformed);
  }

  /** One sample's columns only (`called`: the tools it called); name totals and malformed calls come with addNames. */
  addCounts(turns: number, toolCalls: number, toolErrors: number, called: readonly string[] = []): void {
    this.nameStart.push(this.nameIds.length);
    for (const n of called) this.nameIds.push(this.names.id(n));
    this.turns.push(turns);
    this.calls.push(toolCalls);
    this.errors.push(toolErrors);
    this.total += toolCalls;
  }

  addNames(byName: Readonly<Record<string, number>>, malformed: number): void {
    for (const [k, v] of Object.entries(byName)) this.byName[k] = (this.byName[k] ?? 0) + v;
    this.malformed += malformed;
  }

  /** nameStart with its closing entry (one past the last sample). */
  private closedStarts(): Int32Array {
    this.nameStart.push(this.nameIds.length);
    return this.nameStart.take();
  }

  finish(): RunTrajectories {
    // Sorted by count, then name, so JSON output is deterministic.
    const byName: Record<string, number> = {};
    // defineProperty: a tool named `__proto__` (model output is untrusted) stays a plain key.
    for (const [k, v] of Object.entries(this.byName).sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))) {
      Object.defineProperty(byName, k, { value: v, enumerable: true, writable: true, configurable: true });
    }
    return {
      turns: this.turns.take(), toolCalls: this.calls.take(), toolErrors: this.errors.take(), toolNames: [...this.names.list],
      nameStart: this.closedStarts(), nameIds: this.nameIds.take(),
      byName, malformed: this.malformed, total: this.total,
    };
  }
}

/** A predicate "sample i called `name`" over the run's name table; a name never called matches no sample. */
export function calledToolTest(t: RunTrajectories, name: string): (i: number) => boolean {
  const id = t.toolNames.indexOf(name);
  if (id < 0) return () => false;
  return (i) => {
    for (let j = t.nameStart[i], end = t.nameStart[i + 1]; j < end; j++) if (t.nameIds[j] === id) return true;
    return false;
  };
}

/** The run is multi-turn or agentic: some sample has more than one assistant turn or a tool call. */
export function isAgenticRun(t: RunTrajectories): boolean {
  if (t.total > 0) return true;
  for (let i = 0; i < t.turns.length; i++) if (t.turns[i] > 1) return true;
  return false;
}
