// Precision and recall of the detectors on the hand-labelled real fixtures (test/labels/real-labels.json, method in
// docs/detection-quality.md). Each file is loaded as a run, as the CLI and the editor load it (conventions first,
// then every sample's flags), and the flags are compared with the labels per kind and per file. The targets are
// issue #16's: language-mix, stray tokens and repetition ≥ 0.95 precision and ≥ 0.9 recall; truncation ≥ 0.95 and
// ≥ 0.85; no per-sample format flag in a run whose convention has no reasoning tags.
// DETECTION_TABLE=1 prints the per-kind per-file table of the docs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadRunWithInput } from '../../../src/node/load-run';
import type { Flag } from '../../../src/core/types';
import type { RunModel } from '../../../src/core/run/run-builder';
import { PROJECT_ROOT, fixture, needFixtures, REAL, REAL2 } from '../../support/fixtures';

type Kind = 'language-mix' | 'stray-token' | 'repetition' | 'truncated' | 'format';
const KINDS: readonly Kind[] = ['language-mix', 'stray-token', 'repetition', 'truncated', 'format'];

interface Label {
  file: string;
  sample: number;
  record: number;
  kind: Kind;
  label: boolean;
  reason: string;
}
interface Scope {
  file: string;
  kind: Kind;
  label: false;
  reason: string;
}
interface LabelFile {
  scopes: Scope[];
  labels: Label[];
}

const TARGETS: Record<Exclude<Kind, 'format'>, { precision: number; recall: number }> = {
  'language-mix': { precision: 0.95, recall: 0.9 },
  'stray-token': { precision: 0.95, recall: 0.9 },
  repetition: { precision: 0.95, recall: 0.9 },
  truncated: { precision: 0.95, recall: 0.85 },
};

/** Whether a sample's flags say `kind` (stray tokens are language-mix flags with their own code). */
function predicted(flags: readonly Flag[], kind: Kind): boolean {
  if (kind === 'stray-token') return flags.some((f) => f.kind === 'language-mix' && f.code === 'stray-token');
  if (kind === 'language-mix') return flags.some((f) => f.kind === 'language-mix' && f.code !== 'stray-token');
  return flags.some((f) => f.kind === kind);
}

interface Counts {
  tp: number;
  fp: number;
  fn: number;
  labelled: number;
}

const labels = JSON.parse(readFileSync(join(PROJECT_ROOT, 'test', 'labels', 'real-labels.json'), 'utf8')) as LabelFile;
const files = [...new Set([...labels.scopes.map((s) => s.file), ...labels.labels.map((l) => l.file)])];

const models = new Map<string, RunModel>();
async function model(file: string): Promise<RunModel> {
  let m = models.get(file);
  if (!m) {
    m = (await loadRunWithInput(fixture(file), { analyse: true, keepFlags: true })).model;
    models.set(file, m);
  }
  return m;
}

/** Counts per file and kind; a sample is labelled when listed, or by its file's scope for the kind. */
async function evaluate(): Promise<Map<string, Map<Kind, Counts>>> {
  const out = new Map<string, Map<Kind, Counts>>();
  for (const file of files) {
    const m = await model(file);
    const flags = m.flags!;
    const perKind = new Map<Kind, Counts>();
    for (const kind of KINDS) {
      const explicit = new Map<number, boolean>();
      for (const l of labels.labels) if (l.file === file && l.kind === kind) explicit.set(l.sample, l.label);
      const scoped = labels.scopes.some((s) => s.file === file && s.kind === kind);
      const c: Counts = { tp: 0, fp: 0, fn: 0, labelled: 0 };
      for (let i = 0; i < m.count; i++) {
        const truth = explicit.has(i) ? explicit.get(i)! : scoped ? false : undefined;
        if (truth === undefined) continue;
        c.labelled++;
        const p = predicted(flags[i] ?? [], kind);
        if (p && truth) c.tp++;
        else if (p) c.fp++;
        else if (truth) c.fn++;
      }
      perKind.set(kind, c);
    }
    out.set(file, perKind);
  }
  return out;
}

function ratio(a: number, b: number): number {
  return b === 0 ? 1 : a / b;
}

function table(results: Map<string, Map<Kind, Counts>>): string {
  const rows = ['| file | kind | labelled | positives | flagged | precision | recall |', '|---|---|---:|---:|---:|---:|---:|'];
  for (const [file, perKind] of results) {
    for (const [kind, c] of perKind) {
      if (c.tp + c.fp + c.fn === 0) continue;
      rows.push(`| ${file} | ${kind} | ${c.labelled} | ${c.tp + c.fn} | ${c.tp + c.fp} | ${ratio(c.tp, c.tp + c.fp).toFixed(2)} | ${ratio(c.tp, c.tp + c.fn).toFixed(2)} |`);
    }
  }
  return rows.join('\n');
}

test('labels: every entry names a fixture file, a kind and a sample of that file', { skip: needFixtures(REAL, REAL2) }, async () => {
  for (const l of labels.labels) {
    assert.ok(KINDS.includes(l.kind), l.kind);
    assert.ok(l.reason.length > 0);
    const m = await model(l.file);
    assert.ok(l.sample >= 0 && l.sample < m.count, `${l.file} #${l.sample}`);
    // The record number pins the sample: a change in how a file is read must not silently move the labels.
    assert.equal(m.columns.record[l.sample], l.record, `${l.file} #${l.sample}`);
  }
});

test('hand-labelled real files: precision and recall per kind meet the targets', { skip: needFixtures(REAL, REAL2) }, async () => {
  const results = await evaluate();
  if (process.env['DETECTION_TABLE']) process.stdout.write(table(results) + '\n');
  for (const kind of Object.keys(TARGETS) as (keyof typeof TARGETS)[]) {
    let tp = 0;
    let fp = 0;
    let fn = 0;
    for (const perKind of results.values()) {
      const c = perKind.get(kind)!;
      tp += c.tp;
      fp += c.fp;
      fn += c.fn;
    }
    assert.ok(tp + fn > 0, `${kind}: no positive labels`);
    const p = ratio(tp, tp + fp);
    const r = ratio(tp, tp + fn);
    assert.ok(p >= TARGETS[kind].precision, `${kind}: precision ${p.toFixed(3)} (tp ${tp}, fp ${fp})\n${table(results)}`);
    assert.ok(r >= TARGETS[kind].recall, `${kind}: recall ${r.toFixed(3)} (tp ${tp}, fn ${fn})\n${table(results)}`);
  }
  // Per file, wherever a kind has enough positives for a ratio to mean something.
  for (const [file, perKind] of results) {
    for (const kind of Object.keys(TARGETS) as (keyof typeof TARGETS)[]) {
      const c = perKind.get(kind)!;
      if (c.tp + c.fn >= 5) assert.ok(ratio(c.tp, c.tp + c.fn) >= TARGETS[kind].recall, `${file} ${kind}: recall ${ratio(c.tp, c.tp + c.fn).toFixed(3)}`);
      if (c.tp + c.fp >= 5) assert.ok(ratio(c.tp, c.tp + c.fp) >= TARGETS[kind].precision, `${file} ${kind}: precision ${ratio(c.tp, c.tp + c.fp).toFixed(3)}`);
    }
  }
});

test('runs whose convention has no reasoning tags: no per-sample format flag, one run-level note', { skip: needFixtures(REAL, REAL2) }, async () => {
  for (const file of files) {
    const m = await model(file);
    const c = m.conventions;
    assert.ok(c, file);
    if (c.reasoningTags === 'expected') continue;
    const formatFlagged = m.flags!.filter((f) => f.some((x) => x.kind === 'format')).length;
    assert.equal(formatFlagged, 0, `${file}: ${formatFlagged} samples with format flags`);
    assert.equal(m.notes.filter((n) => n.message.includes('reasoning tags')).length, 1, file);
  }
  // The runs that never use tags are recognised as such; the R1-style ones as using them.
  assert.equal((await model('real2/verl-hecate/2.jsonl')).conventions?.reasoningTags, 'none');
  assert.equal((await model('real2/qwen25-math-rm-maj/math_cot_100.jsonl')).conventions?.answer, 'boxed');
  assert.equal((await model('real2/verl-hecate/2.jsonl')).conventions?.answer, 'hash');
  assert.equal((await model('real/reward-kit/gsm8k_regenerated_think_traces.jsonl')).conventions?.reasoningTags, 'expected');
});
