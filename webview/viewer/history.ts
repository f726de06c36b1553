// A prompt's history across the steps of the run: the same prompt (hash of its normalised text) at every
// step — reward mean with min–max band and pass rate, mean length on its own axis, and one row per step with
// its groups, opening a group or a sample of that step.
import { Chart } from 'chart.js';
import type { PromptHistory } from '../../src/protocol/viewer-protocol';
import { append, button, clear, fmt, h } from './dom';
import { alpha, type Palette } from './charts';

export interface HistoryCallbacks {
  openSample(index: number): void;
  openGroup(group: number): void;
  back(index: number): void;
}

let chart: Chart | null = null;

export function renderHistory(root: HTMLElement, hist: PromptHistory, cb: HistoryCallbacks, p: Palette): void {
  chart?.destroy();
  chart = null;
  clear(root);
  const wrap = h('div', { class: 'history', testid: 'history' });
  append(wrap,
    h('div', { class: 'toolbar' }, button('◀ Back to sample', 'history-back', () => cb.back(hist.from), { secondary: true })),
    h('h2', {}, 'History across steps'),
    h('div', { class: 'history-prompt', testid: 'history-prompt', title: hist.prompt ?? '' }, (hist.prompt ?? '(no prompt)').slice(0, 400)));
  root.appendChild(wrap);
  if (hist.steps.length === 0) {
    wrap.appendChild(h('div', { class: 'muted', testid: 'history-empty' }, 'This sample has no prompt to follow across steps.'));
    return;
  }
  const first = hist.steps[0];
  const last = hist.steps[hist.steps.length - 1];
  const moved = first.rewardMean !== null && last.rewardMean !== null ? last.rewardMean - first.rewardMean : null;
  wrap.appendChild(h('div', { class: 'muted', testid: 'history-summary' },
    `${hist.steps.length} step${hist.steps.length === 1 ? '' : 's'} · ${hist.steps.reduce((n, s) => n + s.count, 0)} samples` +
    (moved !== null && hist.steps.length > 1 ? ` · mean reward ${fmt(first.rewardMean, 2)} → ${fmt(last.rewardMean, 2)} (${moved >= 0 ? '+' : ''}${fmt(moved, 2)})` : '') +
    ` · ${hist.recurringPrompts} prompts of this run recur across steps`));
  const canvas = h('canvas', { testid: 'chart-history' });
  wrap.appendChild(h('div', { class: 'chart-box history-chart' }, canvas));
  const labels = hist.steps.map((s) => (s.step === null ? 'none' : String(s.step)));
  chart = new Chart(canvas, {
    type: 'line',
    data: {
      labels,
      datasets: [
        { label: 'max reward', data: hist.steps.map((s) => s.rewardMax), borderColor: alpha(p.blue, 0.3), backgroundColor: alpha(p.blue, 0.15), pointRadius: 0, fill: '+1', yAxisID: 'y' },
        { label: 'min reward', data: hist.steps.map((s) => s.rewardMin), borderColor: alpha(p.blue, 0.3), pointRadius: 0, fill: false, yAxisID: 'y' },
        { label: 'mean reward', data: hist.steps.map((s) => s.rewardMean), borderColor: p.blue, backgroundColor: p.blue, pointRadius: 4, yAxisID: 'y' },
        { label: 'pass rate', data: hist.steps.map((s) => s.passRate), borderColor: p.green, backgroundColor: p.green, borderDash: [4, 3], pointRadius: 3, yAxisID: 'y' },
        { label: 'mean length (chars)', data: hist.steps.map((s) => s.lengthMean), borderColor: p.purple, backgroundColor: p.purple, pointRadius: 3, yAxisID: 'y1' },
      ],
    },
    options: {
      responsive: true, maintainAspectRatio: false, animation: false,
      plugins: { legend: { labels: { color: p.foreground, boxWidth: 14 } } },
      scales: {
        x: { title: { display: true, text: 'step', color: p.foreground }, ticks: { color: p.foreground }, grid: { color: p.lines } },
        y: { title: { display: true, text: 'reward / pass rate', color: p.foreground }, ticks: { color: p.foreground }, grid: { color: p.lines } },
        y1: { position: 'right', title: { display: true, text: 'characters', color: p.foreground }, ticks: { color: p.foreground }, grid: { color: 'transparent' } },
      },
    },
  });
  const table = h('table', { class: 'history-table', testid: 'history-table' },
    h('thead', {}, h('tr', {}, ...['step', 'groups', 'samples', 'mean reward', 'min–max', 'pass rate', 'mean length', 'flagged', ''].map((t) => h('th', {}, t)))));
  const body = h('tbody');
  for (const s of hist.steps) {
    const row = h('tr', { testid: 'history-row' },
      h('td', {}, s.step === null ? 'none' : String(s.step)),
      h('td', {}, ...s.groups.slice(0, 6).map((g) => button(`group ${g + 1}`, 'history-group', () => cb.openGroup(g), { secondary: true, title: 'Open this group' }))),
      h('td', {}, String(s.count)),
      h('td', { class: 'num' }, fmt(s.rewardMean, 3)),
      h('td', { class: 'num' }, s.rewardMin === null ? '—' : `${fmt(s.rewardMin, 2)}–${fmt(s.rewardMax, 2)}`),
      h('td', { class: 'num' }, s.passRate === null ? '—' : `${Math.round(s.passRate * 100)} %`),
      h('td', { class: 'num' }, fmt(s.lengthMean, 0)),
      h('td', { class: 'num' }, String(s.flagged)),
      h('td', {}, s.samples.length ? button('Open sample', 'history-sample', () => cb.openSample(s.samples[0]), { secondary: true }) : null));
    if (s.samples.includes(hist.from)) row.classList.add('current');
    body.appendChild(row);
  }
  table.appendChild(body);
  wrap.appendChild(table);
}
