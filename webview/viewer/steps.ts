// The run's step picker (every step, or one: a select plus a slider over the steps) and the trends chart over
// steps: mean reward, the share of samples with each flag and mean length (own axis). Data comes from the host.
import { Chart } from 'chart.js';
import type { StepSelection, StepTrend } from '../../src/protocol/viewer-protocol';
import { FLAG_KIND_NAMES } from '../../src/protocol/viewer-protocol';
import { h, clear, append } from './dom';
import { alpha, flagColour, type Palette } from './charts';

const stepName = (s: number | null): string => (s === null ? 'no step' : `step ${s}`);

export class StepPicker {
  readonly el: HTMLElement;
  private readonly select: HTMLSelectElement;
  private readonly slider: HTMLInputElement;
  private readonly label: HTMLElement;
  private steps: (number | null)[] = [];
  private selection: StepSelection = { kind: 'all' };

  constructor(private readonly onChange: (s: StepSelection) => void) {
    // Native controls: the slider needs an <input type=range>, and a plain <select> keeps its value synchronously.
    this.select = h('select', { class: 'step-select', testid: 'step-select', title: 'Show every step or one step (list and charts)' });
    this.slider = h('input', { class: 'step-slider', testid: 'step-slider', attrs: { type: 'range', min: '0', max: '0', step: '1', value: '0', 'aria-label': 'Step' } });
    this.label = h('span', { class: 'muted step-label', testid: 'step-label' }, '');
    this.el = h('span', { class: 'step-picker hidden', testid: 'step-picker' }, h('span', { class: 'muted' }, 'steps:'), this.select, this.slider, this.label);
    this.select.addEventListener('change', () => {
      const v = this.select.value;
      this.choose(v === 'all' ? { kind: 'all' } : { kind: 'step', step: v === 'none' ? null : Number(v) });
    });
    this.slider.addEventListener('input', () => {
      const s = this.steps[Number(this.slider.value)];
      if (s !== undefined) this.choose({ kind: 'step', step: s });
    });
  }

  /** The steps of the run (after every read: a live run gains steps). Hidden for runs of one step. */
  setSteps(steps: (number | null)[]): void {
    this.steps = steps;
    this.el.classList.toggle('hidden', steps.length < 2);
    clear(this.select);
    append(this.select, h('option', { attrs: { value: 'all' } }, `all ${steps.length} steps`));
    for (const s of steps) append(this.select, h('option', { attrs: { value: s === null ? 'none' : String(s) } }, stepName(s)));
    this.slider.max = String(Math.max(0, steps.length - 1));
    if (this.selection.kind === 'step' && !steps.includes(this.selection.step)) this.selection = { kind: 'all' };
    this.sync();
  }

  get current(): StepSelection {
    return this.selection;
  }

  /** Sets the selection without calling back (restoring the list filter's step). */
  set(sel: StepSelection): void {
    this.selection = sel.kind === 'step' && this.steps.length > 0 && !this.steps.includes(sel.step) ? { kind: 'all' } : sel;
    this.sync();
  }

  private choose(sel: StepSelection): void {
    this.selection = sel;
    this.sync();
    this.onChange(sel);
  }

  private sync(): void {
    const sel = this.selection;
    this.select.value = sel.kind === 'all' ? 'all' : sel.step === null ? 'none' : String(sel.step);
    const k = sel.kind === 'step' ? this.steps.indexOf(sel.step) : -1;
    this.slider.value = String(Math.max(0, k));
    this.slider.classList.toggle('dim', sel.kind === 'all');
    this.label.textContent = sel.kind === 'all' ? 'all steps' : `${stepName(sel.step)} (${k + 1} of ${this.steps.length})`;
  }
}

let trendsChart: Chart | null = null;

/** Mean reward and flag rates (left axis, 0–1) and mean length (right axis) per step. */
export function renderTrends(canvas: HTMLCanvasElement, trends: StepTrend[], p: Palette): void {
  trendsChart?.destroy();
  const labels = trends.map((t) => (t.step === null ? 'none' : String(t.step)));
  const axis = (title: string, position: 'left' | 'right', grid: boolean): Record<string, unknown> => ({
    position, title: { display: true, text: title, color: p.foreground }, ticks: { color: p.foreground }, grid: { color: grid ? p.lines : 'transparent' },
  });
  trendsChart = new Chart(canvas, {
    type: 'line',
    data: {
      labels,
      datasets: [
        { label: 'mean reward', data: trends.map((t) => t.rewardMean), borderColor: p.blue, backgroundColor: p.blue, pointRadius: 3, yAxisID: 'y' },
        { label: 'any flag', data: trends.map((t) => t.anyFlagRate), borderColor: p.foreground, backgroundColor: p.foreground, borderDash: [2, 2], pointRadius: 2, yAxisID: 'y' },
        ...FLAG_KIND_NAMES.map((k) => ({ label: `${k} rate`, data: trends.map((t) => t.flagRates[k]), borderColor: flagColour(p, k), backgroundColor: alpha(flagColour(p, k), 0.6), borderDash: [5, 3], pointRadius: 2, yAxisID: 'y' })),
        { label: 'mean length (chars)', data: trends.map((t) => t.lengthMean), borderColor: p.green, backgroundColor: p.green, pointRadius: 3, yAxisID: 'y1' },
      ],
    },
    options: {
      responsive: true, maintainAspectRatio: false, animation: false,
      plugins: { legend: { labels: { color: p.foreground, boxWidth: 14 } }, tooltip: { enabled: true } },
      scales: { x: { ...axis('step', 'left', true), position: undefined }, y: { ...axis('reward / share of samples', 'left', true), min: 0 }, y1: axis('characters', 'right', false) },
    },
  });
}

/** What the two axes of the trends chart mean. */
export function trendsNote(): HTMLElement {
  return h('span', { class: 'muted', testid: 'trends-note' }, 'left axis: mean reward and the share of samples with each flag; right axis: mean completion length');
}
