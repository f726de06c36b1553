// "Reward by number of tool calls" for multi-turn runs (docs/agentic.md): bars of the mean reward per call count,
// the share rewarded as a line, the sample count in the tooltip. Its own Chart instance, beside charts.ts (chart.js
// pieces are registered there). Clicking a bar lists the samples with at least that many calls.
import { Chart } from 'chart.js';
import type { ChartAggregates, SampleFilter } from '../../src/protocol/viewer-protocol';
import { alpha, type Palette } from './charts';

let chart: Chart | null = null;

export function renderToolChart(canvas: HTMLCanvasElement, a: ChartAggregates, p: Palette, onFilter: (f: SampleFilter, label: string) => void): void {
  chart?.destroy();
  chart = null;
  const pts = a.tools;
  if (!pts || pts.length === 0) return;
  const labels = pts.map((x) => `${x.calls}${x.orMore ? '+' : ''}`);
  const grid = alpha(p.foreground, 0.12);
  chart = new Chart(canvas, {
    type: 'bar',
    data: {
      labels,
      datasets: [
        { type: 'bar', label: 'mean reward', data: pts.map((x) => x.rewardMean), backgroundColor: alpha(p.blue, 0.7), yAxisID: 'y' },
        { type: 'line', label: 'share rewarded > 0', data: pts.map((x) => x.passRate), borderColor: p.green, backgroundColor: p.green, yAxisID: 'y' },
      ],
    },
    options: {
      animation: false,
      maintainAspectRatio: false,
      plugins: {
        legend: { labels: { color: p.foreground } },
        tooltip: { callbacks: { footer: (items) => `${pts[items[0]?.dataIndex ?? 0]?.count ?? 0} samples` } },
      },
      scales: {
        x: { title: { display: true, text: 'tool calls in the sample', color: p.foreground }, ticks: { color: p.foreground }, grid: { color: grid } },
        y: { title: { display: true, text: 'reward', color: p.foreground }, ticks: { color: p.foreground }, grid: { color: grid } },
      },
      onClick: (_e, els) => {
        const i = els[0]?.index;
        if (i === undefined) return;
        onFilter({ minToolCalls: pts[i].calls }, `≥ ${pts[i].calls} tool calls`);
      },
    },
  });
}
