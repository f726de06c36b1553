// Text of the status-bar item for the active rollout document: format, samples, groups, mean reward and flag
// counts per kind; in tier B it says that lenses are off and clicking it offers the alternatives.
import { FLAG_KINDS, type FlagKind } from '../core/types';
import { formatNumber } from '../core/run/sample-headline';
import type { RunModel } from '../core/run/run-builder';
import { conventionNote } from '../core/run/conventions';
import { tierExplanation, type Tier } from './tier';

const SHORT: Record<FlagKind, string> = { 'language-mix': 'lang', repetition: 'rep', truncated: 'trunc', format: 'fmt', tool: 'tool' };

export interface StatusText {
  text: string;
  tooltip: string;
  command: string;
}

export function meanReward(m: RunModel): number {
  let sum = 0;
  let n = 0;
  for (const r of m.columns.reward) if (Number.isFinite(r)) { sum += r; n++; }
  return n ? sum / n : Number.NaN;
}

/** Findings the Problems panel's cap left out (diagnostics.ts leftOut). */
export interface LeftOut {
  total: number;
  warnings: number;
}

export function statusText(m: RunModel, tier: Tier, hidden?: LeftOut): StatusText {
  const det = m.detection;
  const mean = meanReward(m);
  const flags = FLAG_KINDS.filter((k) => m.flagCounts[k] > 0).map((k) => `${SHORT[k]} ${m.flagCounts[k]}`);
  let text = `$(graph) ${det?.format ?? 'rollouts'} · ${m.count} samples`;
  // Early in the text: VS Code cuts a status bar item at 40 % of the window width, and on a big file the flag
  // counts alone can fill that (seen in the 30 MB e2e screenshot).
  if (tier !== 'A') text += ' · lenses off (file > 20 MB)';
  text += ` · ${m.groups.grouping.count} groups`;
  if (!Number.isNaN(mean)) text += ` · reward ${formatNumber(mean, 3)}`;
  if (flags.length) text += ` · $(warning) ${flags.join(' ')}`;
  if (m.badLines.length) text += ` · $(error) ${m.badLines.length} bad`;
  if (hidden && hidden.total > 0) text += ` · ${hidden.total} not in Problems`;
  const perKind = FLAG_KINDS.map((k) => `${k}: ${m.flagCounts[k]} samples`).join('\n');
  const note = m.conventions ? conventionNote(m.conventions) : null;
  const capNote = hidden && hidden.total > 0
    ? `\nThe Problems panel shows 1,000 findings, worst first: ${hidden.total} more are left out (${hidden.warnings} of them warnings or errors).`
    : '';
  // An inferred format shows each role's evidence, so the guess can be checked without opening anything.
  const inf = det?.inference;
  const evidence = inf
    ? `\n${Object.entries(inf.roles).map(([role, ev]) => `${role} ← ${ev?.evidence ?? ''}`).join('\n')}${inf.weak ? '\nWeak guess: Rollout Lens: Set Field Mapping… to correct it.' : ''}`
    : '';
  const tooltip = `Rollout Lens: ${det?.reason ?? ''}${evidence}\nmean reward ${formatNumber(mean, 4)}\n${perKind}${note ? `\n${note}` : ''}${capNote}\nTier ${tier}: ${tierExplanation(tier)}${tier === 'A' ? '' : '\nClick for the Rollout Viewer or to turn large-file optimizations off.'}`;
  return { text, tooltip, command: tier === 'A' ? 'rolloutLens.showSummary' : 'rolloutLens.largeFileActions' };
}
