// Script of the standalone HTML report (`rollout-lens report`): reads the JSON block and draws the same charts
// as the viewer. Clicking a mark filters the flagged-samples table (by step, group, turns or tool calls) instead of a list.
import './report.css';
import type { ReportData, SampleFilter } from '../../src/protocol/viewer-protocol';
import { ChartSet, palette } from '../viewer/charts';
import { renderHealth } from '../viewer/health-list';
import { renderCountRewardChart } from '../viewer/count-reward-chart';
import { CHART_TITLES, chartPlan, notDrawnLine, type ChartId } from '../../src/core/viewer/chart-plan';

function el<K extends keyof HTMLElementTagNameMap>(tag: K, cls: string, text?: string): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  e.className = cls;
  if (text !== undefined) e.textContent = text;
  return e;
}

/** A row's count (data-turns, data-calls) within the filter's bounds; no bound: any row. */
function within(v: string | undefined, min: number | undefined, max: number | undefined): boolean {
  if (min === undefined && max === undefined) return true;
  const n = v === undefined || v === '' ? NaN : Number(v);
  return !Number.isNaN(n) && (min === undefined || n >= min) && (max === undefined || n <= max);
}

function filterTable(f: SampleFilter, label: string): void {
  const rows = document.querySelectorAll<HTMLTableRowElement>('table.flagged tbody tr');
  let shown = 0;
  for (const r of rows) {
    const okStep = f.step === undefined || r.dataset.step === (f.step === null ? '' : String(f.step));
    const okGroup = f.group === undefined || r.dataset.group === String(f.group);
    const kinds = (r.dataset.flags ?? '').split(' ');
    const okFlags = f.flags === undefined || f.flags.some((k) => kinds.includes(k));
    const okTurns = within(r.dataset.turns, f.minTurns, f.maxTurns);
    const okCalls = within(r.dataset.calls, f.minToolCalls, f.maxToolCalls);
    const ok = okStep && okGroup && okFlags && okTurns && okCalls;
    r.classList.toggle('hidden', !ok);
    if (ok) shown++;
  }
  const note = document.getElementById('table-filter');
  if (note) note.textContent = `Filtered by ${label}: ${shown} flagged samples shown (click another mark to change).`;
}

const raw = document.getElementById('report-data')?.textContent ?? '{}';
const data = JSON.parse(raw) as ReportData;
const root = document.getElementById('charts') ?? document.body;
const charts = new ChartSet((f, label) => filterTable(f, label));
const p = palette();
const card = (id: string, title: string): HTMLCanvasElement => {
  const section = el('section', `chart-card chart-${id}`);
  section.dataset.testid = `card-${id}`;
  section.appendChild(el('h3', '', title));
  const box = el('div', 'chart-box');
  const c = el('canvas', '');
  c.dataset.testid = `chart-${id}`;
  box.appendChild(c);
  section.appendChild(box);
  root.appendChild(section);
  return c;
};
const a = data.aggregates;
// Same choice of charts as the viewer: what has nothing to show is left out, and one line says why.
const plan = chartPlan(a);
const health = el('section', 'chart-card health');
health.dataset.testid = 'health';
root.appendChild(health);
renderHealth(health, data.health ?? null, { filter: (f, label) => filterTable(f, label) });
const why = notDrawnLine(plan);
if (why) {
  const line = el('p', 'muted not-drawn', why);
  line.dataset.testid = 'not-drawn';
  root.appendChild(line);
}
const on = (id: ChartId): boolean => plan[id] === null;
const pc = a.passCounts ?? null;
if (pc && on('pass-counts')) charts.passCounts(card('pass-counts', `${CHART_TITLES['pass-counts']} (${pc.mixed} of ${pc.total} groups mixed: they carry the learning signal)`), pc, p);
if (on('adv-hist')) charts.advantageHistogram(card('adv-hist', CHART_TITLES['adv-hist']), a, p);
if (pc && on('group-strip')) charts.groupStrip(card('group-strip', `${CHART_TITLES['group-strip']} (groups with a signal first, ${data.groups.boxes.length} of ${data.groups.total})`), data.groups, pc, p);
if (on('group-box')) charts.groupBoxes(card('group-box', `Reward per GRPO group (widest spread first, ${data.groups.boxes.length} of ${data.groups.total})`), data.groups, p);
if (on('reward-hist')) charts.rewardHistogram(card('reward-hist', CHART_TITLES['reward-hist']), a, p);
if (on('reward-steps')) charts.rewardOverSteps(card('reward-steps', CHART_TITLES['reward-steps']), a, p);
if (on('length-steps')) charts.lengthOverSteps(card('length-steps', CHART_TITLES['length-steps']), a, p);
if (on('zv-steps')) charts.zeroVarianceOverSteps(card('zv-steps', CHART_TITLES['zv-steps']), a, p);
if (on('flags-steps')) charts.flagsOverSteps(card('flags-steps', CHART_TITLES['flags-steps']), a, p);
if (on('scatter')) charts.lengthVsReward(card('scatter', CHART_TITLES.scatter), a, p);
// Multi-turn and agentic runs (docs/turn-charts.md): a click filters the flagged table to the bar's count.
if (on('turn-reward')) renderCountRewardChart('turn-reward', card('turn-reward', CHART_TITLES['turn-reward']), a.turns, p, filterTable);
if (on('tool-reward')) renderCountRewardChart('tool-reward', card('tool-reward', CHART_TITLES['tool-reward']), a.tools, p, filterTable);
document.body.dataset.rendered = 'true';
