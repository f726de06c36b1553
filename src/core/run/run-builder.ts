// Builds a run model from a stream of raw records: format detection on the first records, normalisation,
// compact per-sample columns, optional trace analysis, then GRPO grouping, advantages and statistics.
// Pure core: the node layer feeds it records from files, the extension feeds it lines of a TextDocument.
// Memory stays bounded by the number of samples (a few numbers each), unless keepSamples asks for more.
import { detectFormat } from '../formats/detect';
import { normaliseRecord } from '../formats/normalise';
import { analyseCompletion, type AnalyseInput, type TraceAnalysis } from '../analyse';
import { completionText, promptGroupKey, promptText } from './sample-text';
import { agenticFields } from '../trajectory/analyse-fields';
import { TrajectoryTally, type RunTrajectories } from '../trajectory/tally';
import { completionTrajectory, trajectoryStats } from '../trajectory/trajectory';
import { GroupBuilder } from '../groups/group-builder';
import { ByteVec, FloatVec, IntVec } from '../groups/int-vec';
import { RelogDetector, relogRowHash } from '../groups/relog';
import type { BadLine, FieldMap, Flag, FlagKind, FormatDetection, FormatName, RawRecord, ReadNote, Role, Sample, Split } from '../types';
import { FLAG_KINDS } from '../types';
import { scoreGroups, type GroupByOption, type AdvantageOption, type RunGroups } from './run-groups';
import { conventionNote, conventionsOfRecords, type RunConventions } from './conventions';

export interface RunBuilderOptions {
  format?: FormatName | 'auto';
  fields?: Partial<Record<Role, string>>;
  groupBy?: GroupByOption;
  advantage?: AdvantageOption;
  /** Target language of the reasoning ('auto' = the prompt's). */
  lang?: string;
  /** Run the trace detectors on every sample (flags). */
  analyse?: boolean;
  enabledFlags?: Partial<Record<FlagKind, boolean>>;
  /** Keep every normalised Sample (small files only: the extension's text-editor tier). */
  keepSamples?: boolean;
  /** Keep the flags of every sample (extension diagnostics, CLI score). */
  keepFlags?: boolean;
  /** Group size from metadata (verifiers rollouts_per_example), used for consecutive grouping. */
  metadataGroupSize?: number;
  /** How many records are buffered for format detection. */
  detectWindow?: number;
  /**
   * Hand each sample's analysis to the caller instead of running it here (worker threads in src/node). The
   * caller reports results with applyFlags() before finish(). Requires analyse.
   */
  deferAnalysis?: (index: number, input: AnalyseInput) => void;
}

export interface FileContext {
  path: string;
  stepFromName: number | null;
  split: Split | null;
}

/** Compact columns for every sample, in file order. */
export interface SampleColumns {
  reward: Float64Array; // NaN = no reward
  loggedAdvantage: Float64Array; // NaN = none logged
  step: Float64Array; // NaN = none
  line: Int32Array; // 0 = no line (parquet rows, array items)
  record: Int32Array;
  fileIndex: Int32Array;
  completionChars: Float64Array;
  /** One bit per flag kind, in FLAG_KINDS order. */
  flagBits: Uint8Array;
  /** 1 when accuracy-like evidence says the sample is correct (reward > 0 by default). */
  correct: Uint8Array;
}

export interface RunModel {
  detection: FormatDetection | null;
  files: FileContext[];
  badLines: BadLine[];
  notes: ReadNote[];
  count: number;
  columns: SampleColumns;
  groups: RunGroups;
  samples: Sample[] | null;
  flags: Flag[][] | null;
  analyses: TraceAnalysis[] | null;
  /** Number of samples carrying at least one flag of each kind. */
  flagCounts: Record<FlagKind, number>;
  /** Turns and tool calls per sample, tool totals (docs/agentic.md). */
  trajectories: RunTrajectories;
  /** The run's conventions (reasoning tags, answer marker), decided on the first records; null without a format. */
  conventions: RunConventions | null;
}

export const FLAG_BIT: Record<FlagKind, number> = { 'language-mix': 1, repetition: 2, truncated: 4, format: 8, tool: 16 };

/**
 * A sample normalised and analysed elsewhere (worker threads that read byte ranges of the file themselves,
 * src/node/parallel-load.ts), handed over in file order with addPrepared().
 */
export interface PreparedSample {
  reward: number; // NaN = none
  advantage: number; // NaN = none
  step: number; // NaN = none
  line: number;
  record: number;
  chars: number;
  flagBits: number;
  group: { step: number | null; split: Split | null; groupKey: string | null; groupKeySource: Sample['groupKeySource']; promptKey: string | null };
  flags?: Flag[];
  /** Assistant turns, tool calls and tool errors (absent: a single turn without tools). */
  trajectory?: { turns: number; toolCalls: number; toolErrors: number; names?: string[] };
  /** TRL only: hash53 of the row's relogFingerprint, for the re-log detection (NaN when the sample has no step). */
  relogHash?: number;
}

export function flagBitsOf(flags: readonly Flag[]): number {
  let bits = 0;
  for (const f of flags) bits |= FLAG_BIT[f.kind];
  return bits;
}

export class RunBuilder {
  private readonly opts: RunBuilderOptions;
  private detection: FormatDetection | null = null;
  private conventions: RunConventions | null = null;
  private detectionFailed = false;
  private pending: { raw: RawRecord; file: number }[] = [];
  private readonly files: FileContext[] = [];
  private readonly badLines: BadLine[] = [];
  private readonly notes: ReadNote[] = [];
  private readonly reward = new FloatVec();
  private readonly advantage = new FloatVec();
  private readonly step = new FloatVec();
  private readonly line = new IntVec();
  private readonly record = new IntVec();
  private readonly fileIndex = new IntVec();
  private readonly chars = new FloatVec();
  private readonly flagBits = new ByteVec();
  private readonly correct = new ByteVec();
  private readonly tally = new TrajectoryTally();
  /** Created once the format is known (it says whether the writer keeps generation order). */
  private grouper: GroupBuilder | null = null;
  /** Capacity asked for by reserve(), passed on to a grouper created later. */
  private reserved = 0;
  /** TRL writes the same batch again under later steps (docs/formats.md §3.4): detected by whole-batch hashes. */
  private relog: RelogDetector | null = null;
  private readonly samples: Sample[] = [];
  private readonly flags: Flag[][] = [];
  private readonly analyses: TraceAnalysis[] = [];
  private readonly flagCounts: Record<FlagKind, number> = { 'language-mix': 0, repetition: 0, truncated: 0, format: 0, tool: 0 };

  constructor(opts: RunBuilderOptions = {}) {
    this.opts = opts;
  }

  /**
   * Expected number of samples (an estimate from the file size is fine): the per-sample columns are sized once
   * instead of doubling, which on a 1 GB file saves a third of the columns' peak memory. Over-estimates cost memory.
   */
  reserve(samples: number): void {
    const n = Math.ceil(samples);
    for (const v of [this.reward, this.advantage, this.step, this.chars]) v.reserve(n);
    for (const v of [this.line, this.record, this.fileIndex, this.flagBits, this.correct]) v.reserve(n);
    this.grouper?.reserve(n);
    this.tally.reserve(n);
    this.reserved = n;
  }

  private newGrouper(det: FormatDetection): GroupBuilder {
    const g = new GroupBuilder({ groupBy: this.opts.groupBy ?? 'auto', expectedSize: this.opts.metadataGroupSize ?? null, keepsOrder: det.keepsOrder ?? false });
    if (this.reserved > 0) g.reserve(this.reserved);
    return g;
  }

  /** Starts a new file of the run (a folder of step files is one run). */
  beginFile(ctx: FileContext): void {
    this.files.push(ctx);
  }

  addBadLine(b: BadLine): void {
    this.badLines.push(b);
  }

  addNote(n: ReadNote): void {
    this.notes.push(n);
  }

  addRecord(raw: RawRecord): void {
    if (this.files.length === 0) this.beginFile({ path: raw.source.file, stepFromName: null, split: null });
    const file = this.files.length - 1;
    if (this.detection === null && !this.detectionFailed) {
      this.pending.push({ raw, file });
      if (this.pending.length >= (this.opts.detectWindow ?? 20)) this.detect();
      return;
    }
    this.ingest(raw, file);
  }

  /**
   * Sets the format found on the first records by the caller (the parallel reader detects on the same records
   * addRecord would have buffered) so that prepared samples can follow. For TRL the prepared samples carry their
   * row hashes (PreparedSample.relogHash) and the re-log detection runs here on them, in file order.
   */
  useDetection(det: FormatDetection, conventions: RunConventions | null = null): void {
    this.detection = det;
    this.conventions = conventions;
    this.grouper = this.newGrouper(det);
    if (det.format === 'trl') this.relog = new RelogDetector();
  }

  /** The run's conventions, once the format is known (hand them to analyses made elsewhere). */
  get currentConventions(): RunConventions | null {
    return this.conventions;
  }

  /**
   * Appends a sample prepared by addSample's logic elsewhere (see PreparedSample); same columns, same grouping. `p` is
   * read, never kept (its flags array excepted): the caller may fill one object for every sample.
   */
  addPrepared(p: PreparedSample, file: number): void {
    this.reward.push(p.reward);
    this.advantage.push(p.advantage);
    this.step.push(p.step);
    this.line.push(p.line);
    this.record.push(p.record);
    this.fileIndex.push(file);
    this.chars.push(p.chars);
    this.correct.push(p.reward > 0 ? 1 : 0);
    this.relog?.addRowHash(Number.isNaN(p.step) ? null : p.step, p.relogHash ?? 0);
    this.grouper?.add(p.group);
    if (this.opts.keepFlags) this.flags.push(p.flags ?? []);
    this.flagBits.push(p.flagBits);
    const t = p.trajectory;
    this.tally.addCounts(t?.turns ?? 1, t?.toolCalls ?? 0, t?.toolErrors ?? 0, t?.names);
  }

  /** Tool names and malformed calls of prepared samples (a range's totals; see addPrepared). */
  addToolNames(byName: Readonly<Record<string, number>>, malformed: number): void {
    this.tally.addNames(byName, malformed);
  }

  /** The detection so far (null until enough records were seen or when nothing was recognised). */
  get currentDetection(): FormatDetection | null {
    return this.detection;
  }

  private detect(): void {
    const det = detectFormat(this.pending.map((p) => p.raw.value), {
      fileName: this.files[0]?.path,
      format: this.opts.format ?? 'auto',
      fields: this.opts.fields as Partial<FieldMap> | undefined,
    });
    const pending = this.pending;
    this.pending = [];
    if (det === null) {
      this.detectionFailed = true;
      for (const p of pending) this.badLines.push({ file: p.raw.source.file, line: p.raw.source.line ?? p.raw.source.record, error: 'record not recognised as a rollout' });
      return;
    }
    this.detection = det;
    // The same window decides the run's conventions, before any sample is analysed (every flag then follows them).
    // Decided whether or not this load analyses: scoring analyses each sample later and must follow the same ones.
    this.conventions = conventionsOfRecords(pending.map((p) => p.raw.value), det, this.files[0]?.path);
    this.grouper = this.newGrouper(det);
    if (det.format === 'trl') this.relog = new RelogDetector();
    for (const p of pending) this.ingest(p.raw, p.file);
  }

  private ingest(raw: RawRecord, file: number): void {
    const det = this.detection;
    if (det === null) {
      this.badLines.push({ file: raw.source.file, line: raw.source.line ?? raw.source.record, error: 'record not recognised as a rollout' });
      return;
    }
    const ctx = this.files[file];
    const out = normaliseRecord(raw, det, { stepFromName: ctx.stepFromName, split: ctx.split });
    if (!Array.isArray(out)) {
      this.badLines.push({ file: raw.source.file, line: raw.source.line ?? raw.source.record, error: out.error });
      return;
    }
    for (const s of out) this.addSample(s, file);
  }

  private addSample(s: Sample, file: number): void {
    const text = completionText(s.completion);
    this.reward.push(s.reward ?? NaN);
    this.advantage.push(s.advantage ?? NaN);
    this.step.push(s.step ?? NaN);
    this.line.push(s.source.line ?? 0);
    this.record.push(s.source.record);
    this.fileIndex.push(file);
    this.chars.push(text.length);
    this.correct.push(s.reward !== null && s.reward > 0 ? 1 : 0);
    const trajectory = completionTrajectory(s.completion);
    this.tally.add(trajectoryStats(trajectory));
    this.relog?.addRowHash(s.step, s.step === null ? 0 : relogRowHash(promptGroupKey(s.prompt) ?? '', text, Object.values(s.rewardComponents), s.advantage));
    // Each distinct prompt is interned once per (step, split) by the group builder, not kept per sample.
    this.grouper?.add({ step: s.step, split: s.split, groupKey: s.groupKey, groupKeySource: s.groupKeySource, promptKey: promptGroupKey(s.prompt) });
    let bits = 0;
    if (this.opts.analyse) {
      const input: AnalyseInput = {
        completion: text,
        prompt: promptText(s.prompt),
        finishReason: s.finishReason,
        targetLanguage: this.opts.lang ?? 'auto',
        enabled: this.opts.enabledFlags,
        ...agenticFields(s),
        conventions: this.conventions,
      };
      if (this.opts.deferAnalysis) {
        if (this.opts.keepFlags) this.flags.push([]);
        this.opts.deferAnalysis(this.flagBits.length, input);
      } else {
        // The trajectory parsed above for the tally (not sent with deferred inputs: the workers parse their own).
        // Only flags are kept unless the samples are (their analyses then keep every metric).
        const a = analyseCompletion({ ...input, trajectory, flagsOnly: !this.opts.keepSamples });
        bits = flagBitsOf(a.flags);
        if (this.opts.keepFlags) this.flags.push(a.flags);
        if (this.opts.keepSamples) this.analyses.push(a);
      }
    } else if (this.opts.keepFlags) {
      this.flags.push([]);
    }
    this.flagBits.push(bits);
    if (this.opts.keepSamples) this.samples.push(s);
  }

  /** Results of a deferred analysis (see RunBuilderOptions.deferAnalysis). */
  applyFlags(index: number, flags: Flag[] | number): void {
    this.flagBits.set(index, typeof flags === 'number' ? flags : flagBitsOf(flags));
    if (this.opts.keepFlags && typeof flags !== 'number') this.flags[index] = flags;
  }

  /** No more records: detect the format from what was buffered (a file shorter than the detection window). */
  endInput(): void {
    if (this.detection === null && !this.detectionFailed && this.pending.length > 0) this.detect();
  }

  finish(): RunModel {
    this.endInput();
    const bitsAll = this.flagBits.take();
    for (let i = 0; i < bitsAll.length; i++) {
      const b = bitsAll[i];
      if (b !== 0) for (const k of FLAG_KINDS) if (b & FLAG_BIT[k]) this.flagCounts[k]++;
    }
    const columns: SampleColumns = {
      reward: this.reward.take(),
      loggedAdvantage: this.advantage.take(),
      step: this.step.take(),
      line: this.line.take(),
      record: this.record.take(),
      fileIndex: this.fileIndex.take(),
      completionChars: this.chars.take(),
      flagBits: bitsAll,
      correct: this.correct.take(),
    };
    const grouper = this.grouper ?? new GroupBuilder();
    const relog = this.relog?.finish();
    if (relog && relog.dropped > 0) {
      grouper.exclude(relog.drop);
      this.notes.push({ line: null, kind: 'info', message: `${relog.dropped} TRL rows re-logged under later steps (${relog.relogged.map((r) => `step ${r.step} = step ${r.sameAs}`).join(', ')}) are counted once` });
    }
    const note = this.conventions ? conventionNote(this.conventions) : null;
    if (note && !this.notes.some((n) => n.message === note)) this.notes.push({ line: null, kind: 'info', message: note });
    const grouping = grouper.finish();
    const groups = scoreGroups(grouping, columns, this.detection, this.opts.advantage ?? 'auto');
    return {
      detection: this.detection,
      files: this.files,
      badLines: this.badLines,
      notes: this.notes,
      count: columns.reward.length,
      columns,
      groups,
      samples: this.opts.keepSamples ? this.samples : null,
      flags: this.opts.keepFlags ? this.flags : null,
      analyses: this.opts.keepSamples && this.opts.analyse ? this.analyses : null,
      flagCounts: this.flagCounts,
      trajectories: this.tally.finish(),
      conventions: this.conventions,
    };
  }
}
