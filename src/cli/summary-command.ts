// `rollout-lens summary`: one object describing what the file is and what is in it (cli.md `summary --json`).
import { basename } from 'node:path';
import { loadRun } from '../node/load-run';
import { summariseRun, type RunSummary } from '../core/run/run-summary';
import type { CliOptions } from './args';
import { EXIT_FAIL_ON, failOnHealthHit, failOnHit, progressReporter, runOptions, terminalSafe } from './common';
import { healthLine } from '../core/run/health';
import { InputError } from '../node/read-types';
import type { InferenceReport } from '../core/types';
import type { HealthExample } from '../protocol/viewer-protocol';

/** What to pass when nothing was recognised: the roles a rollout needs, by name. */
export const FIELD_HINT = 'if the file holds rollouts, name their fields: --field completion=<name> --field prompt=<name> --field reward=<name>';

export async function runSummary(opts: CliOptions): Promise<number> {
  const progress = progressReporter();
  const model = await loadRun(opts.path, { ...runOptions(opts), analyse: true, workers: true, onProgress: progress.update });
  progress.done();
  if (model.detection === null || model.count === 0) {
    const why = model.badLines.length > 0 ? ` (${model.badLines.length} unusable lines; first: line ${model.badLines[0].line}: ${model.badLines[0].error})` : '';
    throw new InputError(`${opts.path}: no record recognised as a rollout${why}; ${FIELD_HINT}`, opts.path, 'unsupported');
  }
  const summary = summariseRun(model, opts.path);
  if (summary === null) throw new InputError(`${opts.path}: no record recognised as a rollout`, opts.path, 'unsupported');
  process.stdout.write(opts.json ? JSON.stringify(summary) + '\n' : formatSummary(summary));
  return failOnHit(opts.failOn, model.flagCounts) || failOnHealthHit(opts.failOnHealth, summary.health) ? EXIT_FAIL_ON : 0;
}

function fmt(n: number | null | undefined, digits = 3): string {
  if (n === null || n === undefined || Number.isNaN(n)) return '—';
  return Number.isInteger(n) ? String(n) : n.toFixed(digits);
}

export function formatSummary(s: RunSummary): string {
  const rows: [string, string][] = [
    ['path', s.path],
    ['format', `${s.format} (${s.formatReason})`],
    ['samples', String(s.samples)],
    ['bad lines', s.badLines.length === 0 ? '0' : `${s.badLines.length} (first: line ${s.badLines[0].line}: ${s.badLines[0].error})`],
    ['steps', s.steps.length <= 8 ? s.steps.join(', ') || '—' : `${s.steps[0]} … ${s.steps[s.steps.length - 1]} (${s.steps.length})`],
    ['groups', `${s.groups.count} by ${s.groups.keySource}, size ${s.groups.size.min}–${s.groups.size.max}, ${s.groups.zeroVariance} zero-variance`],
    ...(s.groups.passCounts ? [['pass counts', passCountsLine(s.groups.passCounts)] as [string, string]] : []),
    ['reward', s.reward ? `mean ${fmt(s.reward.mean)} · std ${fmt(s.reward.std)} · min ${fmt(s.reward.min)} · max ${fmt(s.reward.max)}` : 'none in file'],
    ['advantage', s.advantage.source === null ? 'none' : `${s.advantage.source} · mean ${fmt(s.advantage.mean)} · std ${fmt(s.advantage.std)}`],
    ['flags', Object.entries(s.flags).map(([k, v]) => `${k} ${v}`).join(' · ')],
  ];
  if (s.health.length === 0) rows.push(['health', s.healthNote]);
  for (const f of s.health) {
    const ex = f.examples.map(exampleLabel(f.examples)).join(', ');
    rows.push(['health', `${healthLine(f)}${ex ? ` (${ex})` : ''}`]);
  }
  if (s.toolCalls) {
    const names = Object.entries(s.toolCalls.byName).map(([k, v]) => `${k} ${v}`).join(' · ');
    rows.push(['tool calls', `${s.toolCalls.total}${names ? ` (${names})` : ''} · ${s.toolCalls.malformed} malformed · ${s.toolErrors?.total ?? 0} tool errors`]);
  }
  if (s.turns) rows.push(['turns', `${s.turns.min}–${s.turns.max}, mean ${fmt(s.turns.mean, 2)} (${Object.entries(s.turns.histogram).map(([k, v]) => `${k}: ${v}`).join(', ')})`]);
  if (s.conventions) rows.push(['convention', `reasoning tags ${s.conventions.reasoningTags}${s.conventions.thinkOpensInPrompt ? ' (opened in the prompt)' : ''} · answer ${s.conventions.answer}`]);
  for (const n of s.notes ?? []) rows.push(['note', n]);
  if (s.inference) rows.push(...inferenceRows(s.inference));
  const w = Math.max(...rows.map((r) => r[0].length));
  return rows.map(([k, v]) => `${k.padEnd(w)}  ${terminalSafe(v)}`).join('\n') + '\n';
}

/** "86 × 8/8 · 10 mixed · 4 × 0/8": the all-right and all-wrong groups and how many give a learning signal. */
export function passCountsLine(pc: Record<string, number>): string {
  let mixed = 0;
  const ends: string[] = [];
  for (const [key, groups] of Object.entries(pc)) {
    const [k, n] = key.split('/').map(Number);
    if (k > 0 && k < n) mixed += groups;
    else ends.push(`${groups} × ${key}`);
  }
  const total = Object.values(pc).reduce((a, b) => a + b, 0);
  return `${[...ends.filter((e) => !/ × 0\//.test(e)), ...ends.filter((e) => / × 0\//.test(e))].join(' · ')} · ${mixed} mixed (${total ? Math.round((100 * mixed) / total) : 0} % of groups give a signal)`;
}

const ROLE_ORDER = ['completion', 'prompt', 'reward', 'gold', 'answer', 'group', 'step', 'reasoning', 'finishReason', 'advantage'] as const;

/** The evidence of an inferred format, one row per role, and what to pass when the guess is weak. */
export function inferenceRows(inf: InferenceReport): [string, string][] {
  const rows: [string, string][] = [];
  if (inf.recordPath) rows.push(['records', `found at ${inf.recordPath} inside each JSON value`]);
  for (const role of ROLE_ORDER) {
    const ev = inf.roles[role];
    if (ev) rows.push([`${role} ←`, `${ev.evidence} (confidence ${ev.confidence.toFixed(2)})`]);
  }
  for (const m of inf.missing) rows.push(['not found', m]);
  if (inf.weak || inf.hints.length > 0) {
    const pass = inf.hints.length > 0 ? inf.hints.join(' ') : '--field <role>=<name>';
    rows.push(['guess', `${inf.weak ? 'weak: check the fields above; ' : ''}to set a role yourself pass ${pass}`]);
  }
  return rows;
}

/**
 * How a health example is named in the terminal: its line when that tells the examples apart (with the file's name
 * when they come from several files), otherwise its step (a one-record JSON file puts every sample on line 1).
 */
function exampleLabel(all: readonly HealthExample[]): (e: HealthExample) => string {
  const files = new Set(all.map((e) => e.file));
  const lines = new Set(all.map((e) => `${e.file}\0${e.line}`));
  const byLine = all.every((e) => e.line !== null) && lines.size === all.length;
  const bySteps = all.every((e) => e.step !== null) && new Set(all.map((e) => e.step)).size === all.length;
  return (e) => {
    if (byLine) return files.size > 1 ? `${basename(e.file)}:${e.line}` : `line ${e.line}`;
    return bySteps ? `step ${e.step}` : `sample ${e.sample + 1}`;
  };
}
