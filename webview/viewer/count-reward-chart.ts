// "Reward by number of assistant turns / tool calls" for multi-turn runs (docs/turn-charts.md). Per bin: the
// spread as a floating bar (0/1 rewards: the 95 % interval of the pass rate; others: mean ± std, clipped to the
// bin's lowest and highest reward), the mean as a line of points, the pass rate as a dashed line on its own 0–1 axis when the rewards have levels (not when they are 0/1:
// then the mean is the pass rate), the sample count under each label and in the tooltip. One Chart per canvas
// beside charts.ts (chart.js pieces are registered there); re-created on every render, so a theme change
// re-colours it. Clicking a bar lists that bar's samples.
import { Chart, type ChartConfiguration, type TooltipItem } from 'chart.js';
import type { CountRewardBin, CountRewardChart, SampleFilter } from '../../src/protocol/viewer-protocol';
import { countBinFilter } from '../../src/core/viewer/count-reward';
import { alpha, type Palette } from './charts';

const charts = new Map<string, Chart>();

const NOUN: Record<CountRewardChart['by'], [string, string]> = { turns: ['assistant turn', 'assistant turns'], toolCalls: ['tool call', 'tool calls'] };

function fmt(v: number): string {
  return Number.isInteger(v) ? String(v) : Math.abs(v) >= 100 ? v.toFixed(0) : v.toFixed(3).replace(/0+$/, '');
}

function binName(b: CountRewardBin, by: CountRewardChart['by']): string {
  const noun = NOUN[by][b.value === 1 && !b.orMore ? 0 : 1];
  return `${b.orMore ? '≥ ' : ''}${b.value} ${noun}`;
}

/**
 * The spread bar. Rewards 0/1: the 95 % interval of the pass rate (their std is √(p(1−p)), a function of the mean
 * that says nothing new, while the interval says a bin of 5 is unsure where a bin of 600 is not). Other rewards:
 * mean ± std inside [min, max] (a bin at 0.9 does not reach 1.2).
 */
function spreadOf(d: CountRewardChart, b: CountRewardBin): [number, number] | null {
  if (d.meanIsPassRate) return b.passLow === null || b.passHigh === null ? null : [b.passLow, b.passHigh];
  if (b.rewardMean === null || b.rewardStd === null || b.rewardMin === null || b.rewardMax === null) return null;
  return [Math.max(b.rewardMin, b.rewardMean - b.rewardStd), Math.min(b.rewardMax, b.rewardMean + b.rewardStd)];
}

export function renderCountRewardChart(id: string, canvas: HTMLCanvasElement, d: CountRewardChart | null | undefined, p: Palette, onFilter: (f: SampleFilter, label: string) => void): void {
  charts.get(id)?.destroy();
  charts.delete(id);
  delete canvas.dataset.bins;
  delete canvas.dataset.binX;
  if (!d || d.bins.length === 0) return;
  const bins = d.bins;
  const showPass = d.passThreshold !== null && !d.meanIsPassRate;
  // Two-line labels: the count, and how many samples it holds (visible without hovering).
  const labels = bins.map((b) => [`${b.orMore ? '≥ ' : ''}${b.value}`, `n=${b.count}`]);
  const grid = alpha(p.foreground, 0.12);
  const axis = (title: string): Record<string, unknown> => ({ title: { display: true, text: title, color: p.foreground }, ticks: { color: p.foreground }, grid: { color: grid } });
  const meanLabel = d.meanIsPassRate ? 'mean reward (= pass rate)' : 'mean reward';
  const passLabel = `pass rate (reward > ${fmt(d.passThreshold ?? 0)})`;
  const spreadLabel = d.meanIsPassRate ? '95 % interval' : 'mean ± std';
  const config: ChartConfiguration<'bar' | 'line', (number | [number, number] | null)[], string[]> = {
    type: 'bar',
    data: {
      labels,
      datasets: [
        {
          type: 'bar', label: spreadLabel, data: bins.map((b) => spreadOf(d, b)), yAxisID: 'y', order: 3,
          backgroundColor: alpha(p.blue, 0.25), borderColor: alpha(p.blue, 0.8), borderWidth: 1, borderSkipped: false, barPercentage: 0.6,
        },
        {
          type: 'line', label: meanLabel, data: bins.map((b) => b.rewardMean), yAxisID: 'y', order: 1,
          borderColor: p.blue, backgroundColor: p.blue, borderWidth: 2, pointRadius: 4, pointHoverRadius: 6, spanGaps: false,
        },
        ...(showPass ? [{
          type: 'line' as const, label: passLabel, data: bins.map((b) => b.passRate), yAxisID: 'y1', order: 2,
          borderColor: p.green, backgroundColor: p.green, borderDash: [5, 4], borderWidth: 2, pointRadius: 3, pointStyle: 'rect' as const,
        }] : []),
      ],
    },
    options: {
      animation: false,
      maintainAspectRatio: false,
      // The whole column answers (a bin whose rewards are all equal has a spread bar of zero height).
      interaction: { mode: 'index', intersect: false },
      plugins: {
        legend: { labels: { color: p.foreground } },
        tooltip: {
          callbacks: {
            title: (items) => binName(bins[items[0]?.dataIndex ?? 0], d.by),
            label: (item: TooltipItem<'bar' | 'line'>) => {
              const b = bins[item.dataIndex];
              if (item.datasetIndex === 0) {
                const s = spreadOf(d, b);
                return s ? `${spreadLabel}: ${fmt(s[0])} … ${fmt(s[1])}` : 'no reward';
              }
              if (item.datasetIndex === 1) return b.rewardMean === null ? '' : `${meanLabel}: ${fmt(b.rewardMean)}`;
              return b.passRate === null ? '' : `${passLabel}: ${(100 * b.passRate).toFixed(1)} %`;
            },
            footer: (items) => {
              const b = bins[items[0]?.dataIndex ?? 0];
              const range = b.rewardMin === null || b.rewardMax === null ? '' : `\nrewards ${fmt(b.rewardMin)} … ${fmt(b.rewardMax)}, std ${fmt(b.rewardStd ?? 0)}`;
              return `${b.count} samples${b.rewarded < b.count ? ` (${b.rewarded} with a reward)` : ''}${range}\nclick to list them`;
            },
          },
        },
      },
      scales: {
        x: { ...axis(d.by === 'turns' ? 'assistant turns in the sample (n = samples)' : 'tool calls in the sample (n = samples)'), ticks: { color: p.foreground, autoSkip: false, maxRotation: 0 } },
        // 0/1 rewards: the full 0–1 range, so the two charts side by side read on the same scale.
        y: { ...axis('reward'), position: 'left', ...(d.meanIsPassRate ? { min: 0, max: 1 } : {}) },
        ...(showPass ? { y1: { ...axis('pass rate'), position: 'right', min: 0, max: 1, grid: { drawOnChartArea: false } } } : {}),
      },
      onClick: (_e, els) => {
        const i = els[0]?.index;
        if (i === undefined || bins[i].count === 0) return;
        onFilter(countBinFilter(d, bins[i]), binName(bins[i], d.by));
      },
    },
  };
  const chart = new Chart(canvas, config as unknown as ChartConfiguration);
  charts.set(id, chart);
  // What the chart shows, readable without decoding pixels (the e2e test checks the bins and clicks one).
  canvas.dataset.bins = bins.map((b) => `${b.orMore ? '≥' : ''}${b.value}:${b.count}`).join(' ');
  canvas.dataset.binX = bins.map((_, i) => Math.round(chart.scales.x?.getPixelForValue(i) ?? 0)).join(' ');
}
