// How a recomputed result reads in a code lens and a hover: the recomputed scores beside the recorded reward,
// and a disagreement with its reason. Model text (answers, gold, errors quoting it) goes into hovers as plain text.
import * as vscode from 'vscode';
import type { ScoredSample } from '../../core/scoring/score-one';
import { disagreementLabel } from '../../core/scoring/disagreement';
import { REWARDS } from '../../core/rewards/registry';

const RULE_NAMES = new Set(REWARDS.map((r) => r.name));

function fmt(v: number | null): string {
  if (v === null) return '—';
  return Number.isInteger(v) ? String(v) : (Math.round(v * 1000) / 1000).toString();
}

/**
 * Lens text after the recorded headline, kept short so the lens actions stay on screen: the compared reward only
 * (" · recomputed accuracy 1"), or the disagreement first (" · ⚠ recomputed accuracy 1 ≠ recorded 0: answer 100 =
 * gold 100"). Every recomputed score is in the hover.
 */
export function lensSuffix(r: ScoredSample): string {
  const errs = Object.keys(r.errors ?? {});
  const failed = errs.length > 0 ? ` · ${errs.join(', ')} failed` : '';
  const d = r.disagreement;
  if (d) {
    // Lens titles render $(name) as an icon: keep model text (answers, gold) from doing that.
    const reason = d.reason.replace(/\$\(/g, '$\u200b(');
    return ` · $(warning) recomputed ${d.reward} ${fmt(d.recomputed)} ≠ recorded ${fmt(d.recorded)}: ${reason}${failed}`;
  }
  // The reward the pipeline compares with the log: the first batch reward (user function, code), else accuracy.
  const keys = Object.keys(r.scores);
  const shown = keys.find((k) => !RULE_NAMES.has(k)) ?? (keys.includes('accuracy') ? 'accuracy' : keys[0]);
  if (shown === undefined) return failed;
  return ` · recomputed ${shown} ${fmt(r.scores[shown] ?? null)}${keys.length > 1 ? ` (+${keys.length - 1} in hover)` : ''}${failed}`;
}

export function appendScored(md: vscode.MarkdownString, r: ScoredSample): void {
  md.appendMarkdown('\n- recomputed: ');
  md.appendText(Object.entries(r.scores).map(([k, v]) => `${k} ${fmt(v)}`).join(' · '));
  for (const [k, e] of Object.entries(r.errors ?? {})) {
    md.appendMarkdown(`\n  - ${k} failed: `);
    md.appendText(e);
  }
  if (r.disagreement) {
    md.appendMarkdown('\n- **disagreement**: ');
    md.appendText(disagreementLabel(r.disagreement));
  }
}
