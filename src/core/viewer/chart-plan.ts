// Which charts the Charts tab (and the HTML report) draws for the data at hand, and why the others are not
// drawn: a chart over steps of a file without steps is one point labelled "none", a box plot of eight 0/1
// rewards is a box from 0 to 1. One line then says what was left out and why.
import type { ChartAggregates } from '../../protocol/viewer-protocol';

export type ChartId = 'pass-counts' | 'group-strip' | 'group-box' | 'adv-hist' | 'reward-hist' | 'trends' | 'reward-steps' | 'length-steps' | 'zv-steps' | 'flags-steps' | 'scatter' | 'turn-reward' | 'tool-reward';

export const CHART_TITLES: Record<ChartId, string> = {
  'pass-counts': 'Groups by how many of N were right',
  'group-strip': 'Every sample of every group: reward (up) and advantage (down)',
  'group-box': 'Reward per GRPO group',
  'adv-hist': 'Advantage distribution',
  'reward-hist': 'Reward distribution',
  trends: 'Trends over steps: mean reward, flag rates, length',
  'reward-steps': 'Reward over steps (mean ± std, pass rate)',
  'length-steps': 'Completion length over steps (mean ± std)',
  'zv-steps': 'Zero-variance groups per step',
  'flags-steps': 'Flags per step by kind',
  scatter: 'Length vs reward',
  'turn-reward': 'Reward by number of assistant turns',
  'tool-reward': 'Reward by number of tool calls',
};

/** null = drawn; else the reason it is not. */
export type ChartPlan = Record<ChartId, string | null>;

const STEP_CHARTS: ChartId[] = ['trends', 'reward-steps', 'length-steps', 'zv-steps', 'flags-steps'];

export function chartPlan(a: ChartAggregates): ChartPlan {
  const pc = a.passCounts ?? null;
  const steps = a.steps.filter((s) => s.step !== null);
  const stepWhy = steps.length === 0 ? 'the file has no steps' : steps.length === 1 ? `one step only (step ${steps[0].step})` : null;
  const plan: ChartPlan = {
    'pass-counts': pc && pc.total > 0 ? null : a.reward ? 'the rewards are continuous' : 'no sample has a reward',
    'group-strip': pc && pc.total > 0 ? null : a.reward ? 'the rewards are continuous (see the box plots)' : 'no sample has a reward',
    'group-box': pc ? 'rewards take few values (see the per-group strip)' : a.reward ? null : 'no sample has a reward',
    'adv-hist': a.advantage ? null : 'no advantages (none logged, and no group of two or more with rewards)',
    'reward-hist': a.reward ? null : 'no sample has a reward',
    trends: stepWhy,
    'reward-steps': stepWhy,
    'length-steps': stepWhy,
    'zv-steps': stepWhy ?? (steps.every((s) => s.zeroVarianceShare === null) ? 'no group of two or more samples' : null),
    'flags-steps': stepWhy ?? (steps.every((s) => Object.values(s.flags).every((n) => n === 0)) ? 'no flagged sample' : null),
    scatter: a.scatter.length > 0 ? null : 'no sample has a reward',
    'turn-reward': a.turns ? null : 'no multi-turn samples',
    'tool-reward': a.tools ? null : 'no tool calls',
  };
  return plan;
}

/** "Not drawn: trends over steps, … (the file has no steps); advantage distribution (no advantages …)". */
export function notDrawnLine(plan: ChartPlan): string | null {
  const byWhy = new Map<string, string[]>();
  for (const [id, why] of Object.entries(plan) as [ChartId, string | null][]) {
    if (why === null) continue;
    // A single-turn run without tool calls is the common case: the agentic charts' absence needs no line.
    if (id === 'tool-reward' || id === 'turn-reward') continue;
    // The strip and the box plot stand in for each other: say nothing about the one replaced.
    if ((id === 'group-box' && plan['group-strip'] === null) || (id === 'group-strip' && plan['group-box'] === null)) continue;
    const name = STEP_CHARTS.includes(id) ? 'charts over steps' : CHART_TITLES[id].toLowerCase();
    const list = byWhy.get(why) ?? [];
    if (!list.includes(name)) list.push(name);
    byWhy.set(why, list);
  }
  if (byWhy.size === 0) return null;
  return `Not drawn: ${[...byWhy].map(([why, names]) => `${names.join(', ')} (${why})`).join('; ')}.`;
}
