// Script of the standalone HTML report (`rollout-lens report`): reads the JSON block and draws the same charts
// as the viewer. Clicking a mark filters the flagged-samples table (by step or group) instead of a list.
import './report.css';
import type { ReportData, SampleFilter } from '../../src/protocol/viewer-protocol';
import { ChartSet, palette } from '../viewer/charts';

function el<K extends keyof HTMLElementTagNameMap>(tag: K, cls: string, text?: string): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  e.className = cls;
  if (text !== undefined) e.textContent = text;
  return e;
}

function filterTable(f: SampleFilter, label: string): void {
  const rows = document.querySelectorAll<HTMLTableRowElement>('table.flagged tbody tr');
  let shown = 0;
  for (const r of rows) {
    const okStep = f.step === undefined || r.dataset.step === (f.step === null ? '' : String(f.step));
    const okGroup = f.group === undefined || r.dataset.group === String(f.group);
    r.classList.toggle('hidden', !(okStep && okGroup));
    if (okStep && okGroup) shown++;
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
charts.groupBoxes(card('group-box', `Reward per GRPO group (widest spread first, ${data.groups.boxes.length} of ${data.groups.total})`), data.groups, p);
charts.advantageHistogram(card('adv-hist', 'Advantage distribution'), a, p);
charts.rewardHistogram(card('reward-hist', 'Reward distribution'), a, p);
charts.rewardOverSteps(card('reward-steps', 'Reward over steps (mean ± std, pass rate)'), a, p);
charts.lengthOverSteps(card('length-steps', 'Completion length over steps'), a, p);
charts.zeroVarianceOverSteps(card('zv-steps', 'Zero-variance groups per step'), a, p);
charts.flagsOverSteps(card('flags-steps', 'Flags per step by kind'), a, p);
charts.lengthVsReward(card('scatter', 'Length vs reward'), a, p);
document.body.dataset.rendered = 'true';
