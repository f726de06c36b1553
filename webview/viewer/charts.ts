// The run's charts with chart.js (only the pieces used are registered) and the box-plot plugin. Data comes
// pre-aggregated from the host (or the report's JSON); colours come from VS Code's --vscode-charts-* variables
// with fallbacks for the standalone report. Clicking a mark calls back with a list filter.
import {
  BarController, BarElement, CategoryScale, Chart, Filler, Legend, LinearScale, LineController, LineElement, PointElement, ScatterController, Tooltip,
  type ActiveElement, type ChartConfiguration, type ChartDataset, type ChartEvent,
} from 'chart.js';
import { BoxAndWiskers, BoxPlotController } from '@sgratzl/chartjs-chart-boxplot';
import type { ChartAggregates, FlagKindName, GroupBox, GroupCell, GroupPage, PassCountData, SampleFilter, StepPoint } from '../../src/protocol/viewer-protocol';
import { FLAG_KIND_NAMES } from '../../src/protocol/viewer-protocol';

Chart.register(BarController, BarElement, CategoryScale, LinearScale, LineController, LineElement, PointElement, ScatterController, Filler, Legend, Tooltip, BoxPlotController, BoxAndWiskers);

export interface Palette {
  foreground: string;
  lines: string;
  blue: string;
  red: string;
  green: string;
  yellow: string;
  orange: string;
  purple: string;
}

function cssVar(name: string, fallback: string): string {
  const v = getComputedStyle(document.body).getPropertyValue(name).trim();
  return v || fallback;
}

export function palette(): Palette {
  return {
    foreground: cssVar('--vscode-charts-foreground', cssVar('--vscode-foreground', '#616161')),
    lines: cssVar('--vscode-charts-lines', 'rgba(128,128,128,0.35)'),
    blue: cssVar('--vscode-charts-blue', '#1a85ff'),
    red: cssVar('--vscode-charts-red', '#e51400'),
    green: cssVar('--vscode-charts-green', '#388a34'),
    yellow: cssVar('--vscode-charts-yellow', '#bf8803'),
    orange: cssVar('--vscode-charts-orange', '#d18616'),
    purple: cssVar('--vscode-charts-purple', '#652d90'),
  };
}

/** Colour with alpha, for fills: works for #rgb, #rrggbb and rgb() strings. */
export function alpha(c: string, a: number): string {
  const hex = /^#([0-9a-f]{3}|[0-9a-f]{6})([0-9a-f]{2})?$/i.exec(c);
  if (hex) {
    const s = hex[1].length === 3 ? hex[1].split('').map((x) => x + x).join('') : hex[1];
    const n = parseInt(s, 16);
    return `rgba(${(n >> 16) & 255},${(n >> 8) & 255},${n & 255},${a})`;
  }
  const rgb = /^rgba?\(([^,]+),([^,]+),([^,)]+)/.exec(c.replace(/\s/g, ''));
  return rgb ? `rgba(${rgb[1]},${rgb[2]},${rgb[3]},${a})` : c;
}

export function flagColour(p: Palette, k: FlagKindName): string {
  return { 'language-mix': p.purple, repetition: p.orange, truncated: p.red, format: p.yellow, tool: p.blue }[k];
}

export type FilterCallback = (f: SampleFilter, label: string) => void;
/** Opens one group in the group view (the per-group strip); null where there is none (the report). */
export type GroupCallback = ((group: number) => void) | null;

function baseOptions(p: Palette, x: string, y: string): ChartConfiguration['options'] {
  const axis = (title: string): Record<string, unknown> => ({
    title: { display: true, text: title, color: p.foreground },
    ticks: { color: p.foreground },
    grid: { color: p.lines },
  });
  return {
    responsive: true,
    maintainAspectRatio: false,
    animation: false,
    plugins: { legend: { labels: { color: p.foreground } }, tooltip: { enabled: true } },
    scales: { x: axis(x), y: axis(y) },
  };
}

/**
 * The pass-count axis labels every bin: with mixed group sizes ("3/4" next to "5/8") chart.js's auto-skip dropped
 * every other label, and a bar without its k/N cannot be read. Only a very wide axis is thinned.
 */
function passCountOptions(p: Palette, threshold: number, bins: number): ChartConfiguration['options'] {
  const o = baseOptions(p, `right of N (right = reward > ${fmtEdge(threshold)})`, 'groups');
  const x = o?.scales?.['x'];
  if (x) x.ticks = { color: p.foreground, autoSkip: bins > 48, maxRotation: 90, minRotation: 0 };
  return o;
}

const stepLabel = (s: StepPoint): string => (s.step === null ? 'none' : String(s.step));

/** One chart per canvas; re-created on theme change. */
export class ChartSet {
  private readonly charts = new Map<string, Chart>();

  constructor(private readonly onFilter: FilterCallback | null, private readonly onGroup: GroupCallback = null) {}

  private make(id: string, canvas: HTMLCanvasElement, config: ChartConfiguration, click?: (els: ActiveElement[], ev: ChartEvent, chart: Chart) => void): Chart {
    this.charts.get(id)?.destroy();
    if (click) {
      config.options = { ...config.options, onClick: (ev, els, chart) => click(els, ev, chart) };
    }
    const c = new Chart(canvas, config);
    this.charts.set(id, c);
    return c;
  }

  destroyAll(): void {
    for (const c of this.charts.values()) c.destroy();
    this.charts.clear();
  }

  rewardHistogram(canvas: HTMLCanvasElement, a: ChartAggregates, p: Palette): void {
    const h = a.reward;
    if (!h) return;
    const labels = h.counts.map((_, i) => `${fmtEdge(h.edges[i])}–${fmtEdge(h.edges[i + 1])}`);
    this.make('reward-hist', canvas, {
      type: 'bar',
      data: { labels, datasets: [{ label: 'samples', data: h.counts, backgroundColor: alpha(p.green, 0.7), borderColor: p.green, borderWidth: 1 }] },
      options: baseOptions(p, 'reward', 'samples'),
    }, (els) => {
      const i = els[0]?.index;
      if (i === undefined) return;
      this.onFilter?.({ bin: { field: 'reward', min: h.edges[0], max: h.edges[h.edges.length - 1], bins: h.counts.length, index: i } }, `reward ${labels[i]}`);
    });
  }

  advantageHistogram(canvas: HTMLCanvasElement, a: ChartAggregates, p: Palette): void {
    const h = a.advantage;
    if (!h) return;
    const labels = h.counts.map((_, i) => fmtEdge((h.edges[i] + h.edges[i + 1]) / 2));
    this.make('adv-hist', canvas, {
      type: 'bar',
      data: { labels, datasets: [{ label: 'samples', data: h.counts, backgroundColor: alpha(p.blue, 0.7), borderColor: p.blue, borderWidth: 1 }] },
      options: baseOptions(p, 'advantage (bin centre)', 'samples'),
    }, (els) => {
      const i = els[0]?.index;
      if (i === undefined) return;
      this.onFilter?.({ bin: { field: 'advantage', min: h.edges[0], max: h.edges[h.edges.length - 1], bins: h.counts.length, index: i } }, `advantage ${fmtEdge(h.edges[i])}…${fmtEdge(h.edges[i + 1])}`);
    });
  }

  groupBoxes(canvas: HTMLCanvasElement, page: GroupPage, p: Palette): void {
    const labels = page.boxes.map((b) => `g${b.group + 1}`);
    this.make('group-box', canvas, {
      type: 'boxplot',
      data: {
        labels,
        datasets: [{
          label: 'reward per group',
          data: page.boxes.map((b) => b.rewards),
          backgroundColor: page.boxes.map((b) => (b.zeroVariance ? alpha(p.red, 0.35) : alpha(p.blue, 0.35))),
          borderColor: page.boxes.map((b) => (b.zeroVariance ? p.red : p.blue)),
          borderWidth: 1,
          outlierBackgroundColor: p.orange,
          itemRadius: 2,
          itemBackgroundColor: alpha(p.foreground, 0.6),
        }],
      },
      options: baseOptions(p, `GRPO group (${page.order === 'index' ? 'file order' : `by ${page.order}`}; red = zero variance)`, 'reward'),
    } as ChartConfiguration, (els) => {
      const i = els[0]?.index;
      if (i === undefined) return;
      this.onFilter?.({ group: page.boxes[i].group }, `group ${page.boxes[i].group + 1}`);
    });
  }

  /** Groups with k of N right: all wrong (red), all right (green) and the mixed ones that carry a signal (blue). */
  passCounts(canvas: HTMLCanvasElement, pc: PassCountData, p: Palette): void {
    const bins = pc.bins;
    const colour = (k: number, n: number): string => (k === 0 ? p.red : k === n ? p.green : p.blue);
    this.make('pass-counts', canvas, {
      type: 'bar',
      data: {
        labels: bins.map((b) => `${b.k}/${b.n}`),
        datasets: [{
          label: 'groups', data: bins.map((b) => b.groups),
          backgroundColor: bins.map((b) => alpha(colour(b.k, b.n), 0.7)), borderColor: bins.map((b) => colour(b.k, b.n)), borderWidth: 1,
        }],
      },
      options: {
        ...passCountOptions(p, pc.threshold, bins.length),
        plugins: {
          legend: { display: false },
          tooltip: { callbacks: { label: (ctx) => `${String(ctx.raw)} groups with ${bins[ctx.dataIndex].k} of ${bins[ctx.dataIndex].n} right${bins[ctx.dataIndex].k === 0 || bins[ctx.dataIndex].k === bins[ctx.dataIndex].n ? ' (no learning signal)' : ''}` } },
        },
      },
    }, (els) => {
      const i = els[0]?.index;
      if (i === undefined) return;
      this.onFilter?.({ passCount: { k: bins[i].k, n: bins[i].n } }, `groups with ${bins[i].k}/${bins[i].n} right`);
    });
  }

  /**
   * One column per group, one cell per sample: reward above the axis (best first: the green run is "k of N
   * right"), the same samples' advantage below it (blue positive, orange negative, stronger = larger). A click
   * filters the list to the group and opens it in the group view.
   */
  groupStrip(canvas: HTMLCanvasElement, page: GroupPage, pc: PassCountData, p: Palette): void {
    const boxes = page.boxes;
    const depth = Math.max(1, ...boxes.map((b) => b.cells?.length ?? 0));
    const lo = pc.values[0] ?? 0;
    const hi = pc.values[pc.values.length - 1] ?? 1;
    let maxAdv = 0;
    for (const b of boxes) for (const c of b.cells ?? []) if (c.advantage !== null) maxAdv = Math.max(maxAdv, Math.abs(c.advantage));
    const rewardColour = (r: number | null): string => {
      if (r === null) return alpha(p.foreground, 0.12);
      const t = hi > lo ? (r - lo) / (hi - lo) : 1;
      return r > pc.threshold ? alpha(p.green, 0.35 + 0.6 * t) : alpha(p.red, 0.35 + 0.6 * (1 - t));
    };
    const advColour = (a: number | null): string => {
      if (a === null || maxAdv === 0) return alpha(p.foreground, 0.08);
      return alpha(a >= 0 ? p.blue : p.orange, 0.12 + 0.83 * Math.min(1, Math.abs(a) / maxAdv));
    };
    const datasets: ChartDataset<'bar', (number | null)[]>[] = [];
    for (let j = 0; j < depth; j++) {
      const cell = (b: GroupBox): GroupCell | undefined => b.cells?.[j];
      datasets.push({ label: `reward ${j + 1}`, stack: 's', data: boxes.map((b) => (cell(b) ? 1 : null)), backgroundColor: boxes.map((b) => rewardColour(cell(b)?.reward ?? null)), borderColor: alpha(p.foreground, 0.25), borderWidth: 0.5, barPercentage: 1, categoryPercentage: 0.9 });
      datasets.push({ label: `advantage ${j + 1}`, stack: 's', data: boxes.map((b) => (cell(b) ? -1 : null)), backgroundColor: boxes.map((b) => advColour(cell(b)?.advantage ?? null)), borderColor: alpha(p.foreground, 0.25), borderWidth: 0.5, barPercentage: 1, categoryPercentage: 0.9 });
    }
    const opts = baseOptions(p, `GRPO group (${page.order === 'index' ? 'file order' : page.order === 'spread' ? 'groups with a signal first' : 'most right first'})`, '↓ advantage · reward ↑');
    const sc = opts?.scales as Record<string, Record<string, unknown>>;
    sc.x.stacked = true;
    sc.y.stacked = true;
    sc.y.ticks = { display: false };
    sc.x.ticks = { color: p.foreground, autoSkip: true, maxRotation: 0 };
    const config: ChartConfiguration<'bar', (number | null)[]> = {
      type: 'bar',
      data: { labels: boxes.map((b) => `g${b.group + 1}`), datasets },
      options: {
        ...(opts as ChartConfiguration<'bar'>['options']),
        plugins: {
          legend: { display: false },
          tooltip: {
            callbacks: {
              title: (items) => {
                const b = boxes[items[0]?.dataIndex ?? 0];
                const k = b.cells?.filter((c) => c.reward !== null && c.reward > pc.threshold).length ?? 0;
                return `group ${b.group + 1}${b.step === null ? '' : ` · step ${b.step}`} · ${k} of ${b.size} right`;
              },
              label: (ctx) => {
                const c = boxes[ctx.dataIndex].cells?.[Math.floor(ctx.datasetIndex / 2)];
                return c ? `sample ${c.sample + 1}: reward ${c.reward ?? '—'}, advantage ${c.advantage === null ? '—' : fmtEdge(c.advantage)}` : '';
              },
            },
          },
        },
      },
    };
    this.make('group-strip', canvas, config as unknown as ChartConfiguration, (els) => {
      const i = els[0]?.index;
      if (i === undefined) return;
      const g = boxes[i].group;
      this.onFilter?.({ group: g }, `group ${g + 1}`);
      this.onGroup?.(g);
    });
  }

  private stepClick(steps: StepPoint[], extra: (els: ActiveElement[]) => SampleFilter = () => ({}), what = ''): (els: ActiveElement[]) => void {
    return (els) => {
      const i = els[0]?.index;
      if (i === undefined) return;
      const f = { step: steps[i].step, ...extra(els) };
      this.onFilter?.(f, `step ${stepLabel(steps[i])}${what}`);
    };
  }

  rewardOverSteps(canvas: HTMLCanvasElement, a: ChartAggregates, p: Palette): void {
    const s = a.steps;
    const mean = s.map((x) => x.rewardMean);
    this.make('reward-steps', canvas, {
      type: 'line',
      data: {
        labels: s.map(stepLabel),
        datasets: [
          { label: 'mean + std', data: s.map((x) => (x.rewardMean === null ? null : x.rewardMean + (x.rewardStd ?? 0))), borderColor: alpha(p.blue, 0.3), backgroundColor: alpha(p.blue, 0.15), pointRadius: 0, fill: '+1' },
          { label: 'mean − std', data: s.map((x) => (x.rewardMean === null ? null : x.rewardMean - (x.rewardStd ?? 0))), borderColor: alpha(p.blue, 0.3), pointRadius: 0, fill: false },
          { label: 'mean reward', data: mean, borderColor: p.blue, backgroundColor: p.blue, pointRadius: 3 },
          { label: 'pass rate', data: s.map((x) => x.passRate), borderColor: p.green, backgroundColor: p.green, borderDash: [4, 3], pointRadius: 3 },
        ],
      },
      options: baseOptions(p, 'step', 'reward / pass rate'),
    }, this.stepClick(s));
  }

  lengthOverSteps(canvas: HTMLCanvasElement, a: ChartAggregates, p: Palette): void {
    const s = a.steps;
    this.make('length-steps', canvas, {
      type: 'line',
      data: {
        labels: s.map(stepLabel),
        datasets: [
          { label: 'mean + std', data: s.map((x) => (x.lengthMean === null ? null : x.lengthMean + (x.lengthStd ?? 0))), borderColor: alpha(p.purple, 0.3), backgroundColor: alpha(p.purple, 0.15), pointRadius: 0, fill: '+1' },
          { label: 'mean − std', data: s.map((x) => (x.lengthMean === null ? null : Math.max(0, x.lengthMean - (x.lengthStd ?? 0)))), borderColor: alpha(p.purple, 0.3), pointRadius: 0, fill: false },
          { label: 'mean completion length', data: s.map((x) => x.lengthMean), borderColor: p.purple, backgroundColor: p.purple, pointRadius: 3 },
        ],
      },
      options: baseOptions(p, 'step', 'characters'),
    }, this.stepClick(s));
  }

  zeroVarianceOverSteps(canvas: HTMLCanvasElement, a: ChartAggregates, p: Palette): void {
    const s = a.steps;
    this.make('zv-steps', canvas, {
      type: 'bar',
      data: { labels: s.map(stepLabel), datasets: [{ label: 'share of zero-variance groups', data: s.map((x) => x.zeroVarianceShare), backgroundColor: alpha(p.red, 0.6), borderColor: p.red, borderWidth: 1 }] },
      options: { ...baseOptions(p, 'step', 'share of groups'), scales: { ...baseOptions(p, 'step', 'share of groups')?.scales, y: { min: 0, max: 1, title: { display: true, text: 'share of groups', color: p.foreground }, ticks: { color: p.foreground }, grid: { color: p.lines } } } },
    }, this.stepClick(s, () => ({ zeroVariance: true }), ', zero-variance groups'));
  }

  flagsOverSteps(canvas: HTMLCanvasElement, a: ChartAggregates, p: Palette): void {
    const s = a.steps;
    const opts = baseOptions(p, 'step', 'flagged samples');
    const sc = opts?.scales as Record<string, Record<string, unknown>>;
    sc.x.stacked = true;
    sc.y.stacked = true;
    this.make('flags-steps', canvas, {
      type: 'bar',
      data: {
        labels: s.map(stepLabel),
        datasets: FLAG_KIND_NAMES.map((k) => ({ label: k, data: s.map((x) => x.flags[k]), backgroundColor: alpha(flagColour(p, k), 0.75), borderColor: flagColour(p, k), borderWidth: 1 })),
      },
      options: opts,
    }, this.stepClick(s, (els) => ({ flags: [FLAG_KIND_NAMES[els[0].datasetIndex]] }), ''));
  }

  lengthVsReward(canvas: HTMLCanvasElement, a: ChartAggregates, p: Palette): void {
    const pts = a.scatter;
    this.make('scatter', canvas, {
      type: 'scatter',
      data: { datasets: [{ label: a.scatterComplete ? 'samples' : `samples (${pts.length} evenly sampled)`, data: pts.map((x) => ({ x: x.length, y: x.reward })), backgroundColor: alpha(p.orange, 0.6), pointRadius: 3 }] },
      options: baseOptions(p, 'completion length (characters)', 'reward'),
    }, (els) => {
      const i = els[0]?.index;
      if (i === undefined) return;
      this.onFilter?.({ sample: pts[i].sample }, `sample ${pts[i].sample + 1}`);
    });
  }

  /** Advantage of each member of one group (group view). */
  groupAdvantages(canvas: HTMLCanvasElement, labels: string[], values: (number | null)[], p: Palette): void {
    this.make('group-adv', canvas, {
      type: 'bar',
      data: { labels, datasets: [{ label: 'advantage', data: values, backgroundColor: values.map((v) => ((v ?? 0) >= 0 ? alpha(p.green, 0.7) : alpha(p.red, 0.7))) }] },
      options: baseOptions(p, 'sample', 'advantage'),
    });
  }
}

function fmtEdge(v: number): string {
  return Math.abs(v) >= 100 || Number.isInteger(v) ? String(Math.round(v)) : v.toFixed(2);
}
