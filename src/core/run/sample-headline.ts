// The one-line summary of a sample shown in code lenses and the status bar:
// "reward 1 · adv +0.94 · group 3/64 (5/8 correct) · 2 flags".
import { FLAG_KINDS } from '../types';
import { FLAG_BIT, type RunModel } from './run-builder';

export function formatNumber(v: number, digits = 2): string {
  if (Number.isNaN(v)) return '—';
  if (Number.isInteger(v)) return String(v);
  return v.toFixed(digits).replace(/0+$/, '').replace(/\.$/, '');
}

export function signed(v: number, digits = 2): string {
  if (Number.isNaN(v)) return '—';
  const s = v.toFixed(digits);
  return v > 0 ? `+${s}` : s;
}

export function sampleHeadline(model: RunModel, i: number): string {
  const parts: string[] = [];
  const r = model.columns.reward[i];
  parts.push(Number.isNaN(r) ? 'reward —' : `reward ${formatNumber(r)}`);
  const a = model.groups.advantage[i];
  if (!Number.isNaN(a)) parts.push(`adv ${signed(a)}`);
  const g = model.groups.grouping.groupOf[i];
  if (g >= 0) {
    const size = model.groups.grouping.groupStart[g + 1] - model.groups.grouping.groupStart[g];
    let text = `group ${g + 1}/${model.groups.grouping.count}`;
    if (size > 1) text += ` (${model.groups.correct[g]}/${size} correct${model.groups.stats.zeroVariance[g] ? ', no signal' : ''})`;
    parts.push(text);
  }
  // Multi-turn samples: "3 turns · 2 tool calls (1 error)" (docs/agentic.md).
  const t = model.trajectories;
  const turns = t.turns[i] ?? 1;
  const calls = t.toolCalls[i] ?? 0;
  if (turns > 1 || calls > 0) {
    const errors = t.toolErrors[i] ?? 0;
    parts.push(`${turns} turn${turns === 1 ? '' : 's'} · ${calls} tool call${calls === 1 ? '' : 's'}${errors ? ` (${errors} error${errors === 1 ? '' : 's'})` : ''}`);
  }
  const bits = model.columns.flagBits[i];
  const kinds = FLAG_KINDS.filter((k) => bits & FLAG_BIT[k]);
  parts.push(kinds.length === 0 ? 'no flags' : kinds.join(', '));
  return parts.join(' · ');
}
