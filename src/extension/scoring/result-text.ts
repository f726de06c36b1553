// How a recomputed result reads in a code lens and a hover: the recomputed scores beside the recorded reward,
// and a disagreement with its reason. Model text (answers, gold, errors quoting it) goes into hovers as plain text.
import * as vscode from 'vscode';
import type { ScoredSample } from '../../core/scoring/score-one';
import { disagreementLabel } from '../../core/scoring/disagreement';

function fmt(v: number | null): string {
  if (v === null) return '—';
  return Number.isInteger(v) ? String(v) : (Math.round(v * 1000) / 1000).toString();
}

/** " · recomputed accuracy 0, format 1 · ⚠ recorded 1 ≠ recomputed 0 (accuracy): no closing think" */
export function lensSuffix(r: ScoredSample): string {
  const scores = Object.entries(r.scores).map(([k, v]) => `${k} ${fmt(v)}`).join(', ');
  let out = ` · recomputed ${scores}`;
  const errs = Object.keys(r.errors ?? {});
  if (errs.length > 0) out += ` · ${errs.join(', ')} failed`;
  // Lens titles render $(name) as an icon: keep model text (answers, gold) from doing that.
  if (r.disagreement) out += ` · $(warning) ${disagreementLabel(r.disagreement).replace(/\$\(/g, '$\u200b(')}`;
  return out;
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
