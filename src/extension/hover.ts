// Hover on a sample line: reward and its components, advantage against its GRPO group's mean/std, detected
// language and R1 consistency ratio, answer vs gold, and the flags. Model text (answers, gold, flag messages
// quoting the trace) is untrusted: it goes in through appendText / appendCodeblock and the hover is not trusted.
import * as vscode from 'vscode';
import { describeDisagreement } from '../core/rewards/registry';
import { formatNumber, signed } from '../core/run/sample-headline';
import type { JsonValue, Sample } from '../core/types';
import type { RunModel } from '../core/run/run-builder';
import { completionStats } from '../core/trajectory/trajectory';
import { analysisOf, type DocumentModel } from './document-model';
import type { ModelCache } from './model-cache';
import { hoverEnabled } from './editor-settings';
import { samplesOnLine } from './sample-ranges';
import { appendCodeTests } from './code-reward/code-tests-view';
import { scoreStore } from './scoring/score-store';
import { appendScored } from './scoring/result-text';

const MAX_SAMPLES_PER_HOVER = 4;

export class SampleHoverProvider implements vscode.HoverProvider {
  constructor(private readonly cache: ModelCache) {}

  async provideHover(doc: vscode.TextDocument, pos: vscode.Position, token: vscode.CancellationToken): Promise<vscode.Hover | null> {
    if (!hoverEnabled(doc.uri)) return null;
    // Waits for a model still being built rather than showing nothing for a hover over a freshly opened file.
    const dm = await this.cache.whenReady(doc);
    if (!dm || token.isCancellationRequested) return null;
    const samples = samplesOnLine(dm, pos.line);
    if (samples.length === 0) return null;
    const md = new vscode.MarkdownString('', true);
    md.isTrusted = false;
    md.supportHtml = false;
    samples.slice(0, MAX_SAMPLES_PER_HOVER).forEach((s, k) => {
      if (k > 0) md.appendMarkdown('\n\n---\n\n');
      appendSample(md, dm, s);
      appendCodeTests(md, doc.uri, s);
      const scored = scoreStore.result(doc.uri, s);
      if (scored) appendScored(md, scored);
    });
    if (samples.length > MAX_SAMPLES_PER_HOVER) md.appendMarkdown(`\n\n…and ${samples.length - MAX_SAMPLES_PER_HOVER} more samples on this line`);
    return new vscode.Hover(md, doc.lineAt(pos.line).range);
  }
}

function goldText(gold: JsonValue | undefined): string | null {
  if (gold === undefined || gold === null) return null;
  if (typeof gold === 'string') return gold;
  if (typeof gold === 'number' || typeof gold === 'boolean') return String(gold);
  if (Array.isArray(gold) && gold.length > 0 && typeof gold[0] === 'string') return gold[0];
  return JSON.stringify(gold);
}

export function appendSample(md: vscode.MarkdownString, dm: DocumentModel, s: number): void {
  const m = dm.model;
  const sample = m.samples?.[s];
  const a = analysisOf(dm, s);
  md.appendMarkdown(`**$(graph) Sample ${s + 1}**`);
  const reward = m.columns.reward[s];
  md.appendMarkdown(`\n\n- reward **${formatNumber(reward, 3)}**`);
  const comps = sample ? Object.entries(sample.rewardComponents) : [];
  if (comps.length > 0) {
    md.appendMarkdown(' — ');
    md.appendText(comps.map(([k, v]) => `${k} ${v === null ? '—' : formatNumber(v, 3)}`).join(' · '));
  }
  const adv = m.groups.advantage[s];
  const g = m.groups.grouping.groupOf[s];
  if (!Number.isNaN(adv) || g >= 0) {
    let line = `\n- advantage **${signed(adv, 3)}**`;
    if (g >= 0) {
      const size = m.groups.grouping.groupStart[g + 1] - m.groups.grouping.groupStart[g];
      line += ` · group ${g + 1}/${m.groups.grouping.count} (${size} samples, mean ${formatNumber(m.groups.stats.mean[g], 3)}, std ${formatNumber(m.groups.stats.std[g], 3)}${m.groups.stats.zeroVariance[g] ? ', all rewards equal: no learning signal' : ''})`;
    }
    md.appendMarkdown(line);
    md.appendText(` [${m.groups.advantageSource}]`);
  }
  const traj = trajectoryLine(m, s, sample);
  if (traj) {
    md.appendMarkdown('\n- agent: ');
    md.appendText(traj);
  }
  if (a) {
    const lang = a.language;
    md.appendMarkdown(`\n- language: `);
    md.appendText(`${lang.detected ?? 'unknown'} (target ${lang.target}, from ${lang.targetSource}), consistency ratio ${formatNumber(lang.ratio, 2)}`);
    const pred = a.answer?.text ?? null;
    const gold = sample ? goldText(sample.gold) : null;
    md.appendMarkdown('\n- answer: ');
    if (pred === null) md.appendText(a.answerInReasoning ? `none after the reasoning (inside it: ${a.answerInReasoning.text})` : 'none found');
    else md.appendText(pred);
    if (gold !== null) {
      md.appendMarkdown(' · gold: ');
      md.appendText(gold);
      if (pred !== null) {
        let verdict: string;
        try {
          verdict = describeDisagreement({ gold, pred });
        } catch (e) {
          verdict = `could not compare: ${e instanceof Error ? e.message : String(e)}`;
        }
        md.appendMarkdown('\n- ');
        md.appendText(verdict);
      }
    }
  }
  const flags = m.flags?.[s] ?? [];
  if (flags.length === 0) {
    md.appendMarkdown('\n- no flags');
  } else {
    md.appendMarkdown(`\n- **${flags.length} flag${flags.length === 1 ? '' : 's'}**`);
    for (const f of flags.slice(0, 8)) {
      md.appendMarkdown('\n  - ');
      md.appendText(`${f.kind}: ${f.message}`);
    }
    if (flags.length > 8) md.appendMarkdown(`\n  - …${flags.length - 8} more`);
  }
}

/** "4 assistant turns · 3 tool calls: search_pages 1, read_section 2 · 1 malformed · 1 tool error"; null for a single turn. */
function trajectoryLine(m: RunModel, s: number, sample: Sample | undefined): string | null {
  const turns = m.trajectories.turns[s] ?? 1;
  const calls = m.trajectories.toolCalls[s] ?? 0;
  if (turns <= 1 && calls === 0) return null;
  const st = sample ? completionStats(sample.completion) : null;
  const names = st ? Object.entries(st.byName).map(([k, v]) => `${k} ${v}`).join(', ') : '';
  const errors = m.trajectories.toolErrors[s] ?? 0;
  return `${turns} assistant turn${turns === 1 ? '' : 's'} · ${calls} tool call${calls === 1 ? '' : 's'}${names ? `: ${names}` : ''}`
    + `${st && st.malformed ? ` · ${st.malformed} malformed` : ''}${errors ? ` · ${errors} tool error${errors === 1 ? '' : 's'}` : ''}`;
}
