// Builds the viewer's sample and group payloads from normalised samples: segmentation spans for folding the
// reasoning, the extracted answer, recorded and recomputed rewards, and flags with their UTF-16 spans.
import { analyseCompletion } from '../analyse';
import { agenticFields } from '../trajectory/analyse-fields';
import { transcriptOf } from './transcript';
import { completionText, promptText } from '../run/sample-text';
import { scoreSample, DEFAULT_REWARDS } from '../run/score-sample';
import type { RunModel } from '../run/run-builder';
import type { Flag, JsonValue, Sample } from '../types';
import type { FlagView, GroupDetail, GroupMember, GroupOrder, SampleDetail, SampleRow } from '../../protocol/viewer-protocol';
import { finiteOrNull, flagKindsOf } from './sample-query';

export function goldText(g: JsonValue | undefined): string | null {
  if (g === undefined || g === null) return null;
  return typeof g === 'string' ? g : JSON.stringify(g);
}

function flagView(f: Flag): FlagView {
  const v: FlagView = { kind: f.kind, field: f.field, start: f.start, end: f.end, message: f.message, severity: f.severity ?? 'warning', code: f.code ?? null };
  if (f.turn !== undefined) v.turn = f.turn;
  return v;
}

export function groupSizeOf(model: RunModel, index: number): { group: number | null; size: number | null } {
  const g = model.groups.grouping.groupOf[index] ?? -1;
  if (g < 0) return { group: null, size: null };
  return { group: g, size: model.groups.grouping.groupStart[g + 1] - model.groups.grouping.groupStart[g] };
}

/** First characters of the prompt (or of the completion when there is none), on one line. */
export function previewOf(s: Sample, max = 120): string {
  const p = promptText(s.prompt) ?? completionText(s.completion);
  return p.slice(0, max * 2).replace(/\s+/g, ' ').trim().slice(0, max);
}

export function sampleRow(model: RunModel, index: number, preview: string): SampleRow {
  const c = model.columns;
  const g = model.groups.grouping.groupOf[index] ?? -1;
  return {
    index,
    reward: finiteOrNull(c.reward[index]),
    advantage: finiteOrNull(model.groups.advantage[index] ?? Number.NaN),
    group: g >= 0 ? g : null,
    step: finiteOrNull(c.step[index]),
    length: c.completionChars[index],
    flags: flagKindsOf(c.flagBits[index]),
    preview,
    turns: model.trajectories.turns[index] ?? 1,
    toolCalls: model.trajectories.toolCalls[index] ?? 0,
    toolErrors: model.trajectories.toolErrors[index] ?? 0,
  };
}

export interface DetailOptions {
  lang: string;
  enabled?: Partial<Record<Flag['kind'], boolean>>;
  position: number | null;
  total: number;
}

export function sampleDetail(model: RunModel, index: number, s: Sample, opts: DetailOptions): SampleDetail {
  const text = completionText(s.completion);
  const prompt = promptText(s.prompt);
  const agentic = agenticFields(s);
  const a = analyseCompletion({ completion: text, prompt, finishReason: s.finishReason, targetLanguage: opts.lang, enabled: opts.enabled, ...agentic });
  const scored = scoreSample(s, index, model, { rewards: DEFAULT_REWARDS, lang: opts.lang });
  const { group, size } = groupSizeOf(model, index);
  return {
    index,
    position: opts.position,
    total: opts.total,
    file: s.source.file,
    line: s.source.line,
    step: s.step,
    group,
    groupSize: size,
    prompt,
    completion: text,
    reasoning: a.segmentation.reasoning,
    answerRegion: a.segmentation.answerRegion,
    reasoningState: a.segmentation.state,
    answer: a.answer?.text ?? null,
    answerSpan: a.answer ? { start: a.answer.start, end: a.answer.end } : null,
    gold: goldText(s.gold),
    reward: s.reward,
    rewardComponents: s.rewardComponents,
    recomputed: scored.scores,
    advantage: finiteOrNull(model.groups.advantage[index] ?? Number.NaN),
    flags: a.flags.map(flagView),
    note: scored.note ?? null,
    transcript: transcriptOf(s.completion, text, { prompt: s.prompt, tools: agentic.tools }),
  };
}

/** Normalises answers for comparison: whitespace and surrounding $ do not make two answers differ. */
function answerKey(a: string): string {
  return a.replace(/\s+/g, '').replace(/^\$+|\$+$/g, '');
}

export function groupDetail(model: RunModel, g: number, members: { index: number; sample: Sample }[], order: GroupOrder, rank: number): GroupDetail {
  const st = model.groups.stats;
  const rows: GroupMember[] = members.map(({ index, sample }) => {
    const text = completionText(sample.completion);
    const a = analyseCompletion({ completion: text, prompt: promptText(sample.prompt), finishReason: sample.finishReason, enabled: { 'language-mix': false, repetition: false }, ...agenticFields(sample) });
    return {
      index,
      reward: finiteOrNull(model.columns.reward[index]),
      advantage: finiteOrNull(model.groups.advantage[index] ?? Number.NaN),
      rewardComponents: sample.rewardComponents,
      answer: a.answer?.text ?? null,
      answerClass: null,
      length: text.length,
      flags: flagKindsOf(model.columns.flagBits[index]),
      completion: text,
      reasoning: a.segmentation.reasoning,
      answerRegion: a.segmentation.answerRegion,
    };
  });
  // Answer classes by frequency: 0 = the most common answer, so the UI can mark the ones that differ.
  const freq = new Map<string, number>();
  for (const r of rows) if (r.answer !== null) freq.set(answerKey(r.answer), (freq.get(answerKey(r.answer)) ?? 0) + 1);
  const ranked = [...freq.entries()].sort((x, y) => y[1] - x[1]).map(([k]) => k);
  for (const r of rows) r.answerClass = r.answer === null ? null : ranked.indexOf(answerKey(r.answer));
  const first = members[0]?.sample;
  const spread = Number.isFinite(st.max[g] - st.min[g]) ? st.max[g] - st.min[g] : null;
  return {
    group: g,
    count: model.groups.grouping.count,
    order,
    rank,
    step: first?.step ?? null,
    mean: finiteOrNull(st.mean[g]),
    std: finiteOrNull(st.std[g]),
    spread,
    zeroVariance: st.zeroVariance[g] === 1,
    prompt: first ? promptText(first.prompt) : null,
    gold: first ? goldText(first.gold) : null,
    members: rows,
  };
}
