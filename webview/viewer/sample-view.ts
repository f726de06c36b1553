// Sample detail and group view. Model text is untrusted: it goes in as text nodes (raw mode, with flag spans as
// <mark>s) or through markdown-it with html disabled (rendered mode). The reasoning is folded in a <details>,
// one click away, never dropped.
import type { FlagView, GroupDetail, GroupOrder, SampleDetail, Span } from '../../src/protocol/viewer-protocol';
import { append, button, ce, clear, fmt, h } from './dom';
import { renderMarkdown } from './markdown';
import { renderCodeTests } from './code-tests';
import { renderTranscript } from './transcript-view';
import type { ChartSet, Palette } from './charts';

export interface DetailCallbacks {
  step(delta: number): void;
  openGroup(group: number): void;
  stepGroup(group: number, delta: number): void;
  setOrder(order: GroupOrder, group: number): void;
  openSample(index: number): void;
  copy(index: number): void;
  revealLine(index: number): void;
  filterGroup(group: number): void;
  toggleRaw(): void;
  /** The prompt's history across steps (run viewer only). */
  history?(index: number): void;
}

/** Text with the flags that overlap [base, base + text.length) as <mark>s (offsets are into the completion). */
export function highlighted(text: string, base: number, flags: FlagView[]): DocumentFragment {
  const frag = document.createDocumentFragment();
  const end = base + text.length;
  const inside = flags.filter((f) => f.end > base && f.start < end && f.end > f.start);
  const cuts = new Set<number>([0, text.length]);
  for (const f of inside) {
    cuts.add(Math.max(0, f.start - base));
    cuts.add(Math.min(text.length, f.end - base));
  }
  const sorted = [...cuts].sort((a, b) => a - b);
  for (let k = 0; k + 1 < sorted.length; k++) {
    const a = sorted[k];
    const b = sorted[k + 1];
    if (b <= a) continue;
    const piece = text.slice(a, b);
    const cover = inside.filter((f) => f.start - base <= a && f.end - base >= b);
    if (cover.length === 0) {
      frag.appendChild(document.createTextNode(piece));
      continue;
    }
    // The narrowest flag decides the colour: a loop inside a language-mix region shows as the loop.
    const top = cover.reduce((x, y) => (y.end - y.start < x.end - x.start ? y : x));
    const m = h('mark', { class: `flag-mark flag-${top.kind} sev-${top.severity}`, testid: 'flag-mark', title: cover.map((f) => `${f.kind}: ${f.message}`).join('\n') }, piece);
    m.dataset.flagStart = String(top.start);
    frag.appendChild(m);
  }
  return frag;
}

function textBlock(text: string, base: number, flags: FlagView[], raw: boolean, testid: string): HTMLElement {
  if (raw) {
    const pre = h('pre', { class: 'raw-text', testid });
    pre.appendChild(highlighted(text, base, flags));
    return pre;
  }
  const div = h('div', { class: 'rendered', testid });
  renderMarkdown(div, text);
  return div;
}

/** The completion in order: text before the reasoning, the folded reasoning, and everything after it. */
function completionParts(completion: string, reasoning: Span | null, flags: FlagView[], raw: boolean, state: string, open = false): HTMLElement {
  const wrap = h('div', { class: 'completion' });
  if (!reasoning) {
    wrap.appendChild(textBlock(completion, 0, flags, raw, 'answer-text'));
    return wrap;
  }
  const before = completion.slice(0, reasoning.start);
  if (before.trim()) wrap.appendChild(textBlock(before, 0, flags, true, 'before-reasoning'));
  const inner = completion.slice(reasoning.start, reasoning.end);
  const flagged = flags.filter((f) => f.end > reasoning.start && f.start < reasoning.end).length;
  const det = h('details', { class: 'reasoning', testid: 'reasoning' },
    h('summary', {}, `Reasoning · ${inner.length} characters${state ? ` · ${state}` : ''}${flagged ? ` · ${flagged} flag${flagged > 1 ? 's' : ''}` : ''}`),
    textBlock(inner, reasoning.start, flags, raw, 'reasoning-text'));
  det.open = open;
  wrap.appendChild(det);
  const after = completion.slice(reasoning.end);
  if (after.length) wrap.appendChild(textBlock(after, reasoning.end, flags, raw, 'answer-text'));
  return wrap;
}

function kv(label: string, value: string, cls = ''): HTMLElement {
  return h('span', { class: `kv ${cls}` }, h('span', { class: 'k' }, label), h('span', { class: 'v' }, value));
}

export function renderSample(root: HTMLElement, d: SampleDetail, raw: boolean, cb: DetailCallbacks, nav: boolean): void {
  clear(root);
  const title = h('h2', { testid: 'sample-title' }, `Sample ${d.index + 1}`);
  const where = h('div', { class: 'muted' }, `${d.file.split(/[\\/]/).pop() ?? d.file}${d.line ? `:${d.line}` : ''}${d.position !== null ? ` · ${d.position + 1} of ${d.total} in the list` : ''}`);
  const bar = h('div', { class: 'toolbar' });
  if (nav) {
    append(bar,
      button('◀ Previous', 'prev-sample', () => cb.step(-1), { secondary: true, title: 'Previous sample (k)' }),
      button('Next ▶', 'next-sample', () => cb.step(1), { secondary: true, title: 'Next sample (j)' }));
  }
  if (d.group !== null) {
    const g = d.group;
    append(bar,
      button(`Group ${g + 1}`, 'open-group', () => cb.openGroup(g), { secondary: true, title: 'All completions of this prompt' }),
      button('◀ Group', 'prev-group', () => cb.stepGroup(g, -1), { secondary: true }),
      button('Group ▶', 'next-group', () => cb.stepGroup(g, 1), { secondary: true }));
  }
  append(bar,
    button(raw ? 'Rendered' : 'Raw text', 'toggle-raw', () => cb.toggleRaw(), { secondary: true, title: 'Switch between Markdown/KaTeX rendering and raw text with flag highlights' }),
    button('Copy as JSON', 'copy-json', () => cb.copy(d.index), { secondary: true }));
  if (d.line) append(bar, button('Go to line', 'reveal-line', () => cb.revealLine(d.index), { secondary: true }));
  const history = cb.history;
  if (history) append(bar, button('History across steps', 'open-history', () => history(d.index), { secondary: true, title: 'This prompt at every step of the run: its groups, reward and length over time' }));

  const stats = h('div', { class: 'stats', testid: 'sample-stats' },
    kv('reward', fmt(d.reward), d.reward !== null && d.reward > 0 ? 'good' : ''),
    kv('advantage', fmt(d.advantage)),
    kv('step', fmt(d.step)),
    kv('group', d.group === null ? '—' : `${d.group + 1} (${d.groupSize})`),
    kv('answer', d.answer ?? '—'),
    kv('gold', d.gold ?? '—'),
  );
  const rewards = h('table', { class: 'rewards', testid: 'rewards' },
    h('thead', {}, h('tr', {}, h('th', {}, 'reward'), h('th', {}, 'recorded'), h('th', {}, 'recomputed'))));
  const tb = h('tbody');
  tb.appendChild(h('tr', {}, h('td', {}, 'total'), h('td', {}, fmt(d.reward)), h('td', {}, '')));
  const names = new Set([...Object.keys(d.rewardComponents), ...Object.keys(d.recomputed)]);
  for (const n of names) {
    const rec = d.rewardComponents[n];
    const re = d.recomputed[n];
    const differs = rec !== undefined && re !== undefined && rec !== null && re !== null && Math.abs(rec - re) > 1e-9;
    tb.appendChild(h('tr', { class: differs ? 'differs' : '' }, h('td', {}, n), h('td', {}, rec === undefined ? '' : fmt(rec)), h('td', {}, re === undefined ? '' : fmt(re))));
  }
  rewards.appendChild(tb);

  const flagList = h('ul', { class: 'flags', testid: 'flag-list' });
  for (const f of d.flags) {
    const li = h('li', { class: `flag-item sev-${f.severity}` }, h('span', { class: `flag-chip flag-${f.kind}` }, f.kind), ` ${f.message} `, h('span', { class: 'muted' }, `${typeof f.turn === 'number' ? `turn ${f.turn + 1} · ` : ''}[${f.start}–${f.end}]`));
    li.addEventListener('click', () => {
      if (!raw) cb.toggleRaw();
      else revealFlag(root, f);
    });
    flagList.appendChild(li);
  }
  if (d.flags.length === 0) flagList.appendChild(h('li', { class: 'muted' }, 'no flags'));

  append(root, title, where, bar, stats,
    d.note ? h('div', { class: 'banner warn', testid: 'sample-note' }, d.note) : null,
    h('h3', {}, 'Flags'), flagList,
    h('h3', {}, 'Rewards'), rewards,
    d.codeTests ? renderCodeTests(d.codeTests) : null,
    // A multi-turn sample whose prompt is a chat shows the prompt's messages as the transcript's first turns.
    ...(d.transcript?.prompt ? [] : [h('h3', {}, 'Prompt'), d.prompt === null ? h('div', { class: 'muted' }, '(no prompt in the record)') : textBlock(d.prompt, 0, [], raw, 'prompt-text')]),
    ...(d.transcript
      ? [h('h3', {}, 'Transcript'), renderTranscript(d.transcript, d.flags.filter((f) => f.field === 'completion'), raw, highlighted)]
      : [h('h3', {}, 'Completion'), completionParts(d.completion, d.reasoning, d.flags.filter((f) => f.field === 'completion'), raw, d.reasoningState)]));
}

/** Opens the reasoning if needed and scrolls to a flag's mark. */
export function revealFlag(root: HTMLElement, f: FlagView): void {
  // Marks in the text, and tool-call cards of multi-turn samples (they carry data-flag-start too).
  const marks = [...root.querySelectorAll<HTMLElement>('[data-flag-start]')];
  const turn = typeof f.turn === 'number' ? root.querySelector<HTMLElement>(`[data-turn="${f.turn}"]`) : null;
  const m = marks.find((x) => Number(x.dataset.flagStart) === f.start) ?? turn ?? marks[0];
  if (!m) return;
  const det = m.closest('details');
  if (det) det.open = true;
  m.scrollIntoView({ block: 'center' });
  m.classList.add('pulse');
}

export function renderGroup(root: HTMLElement, g: GroupDetail, raw: boolean, cb: DetailCallbacks, charts: ChartSet, p: Palette): void {
  clear(root);
  const order = ce('vscode-single-select', { testid: 'group-order' },
    ...(['index', 'spread', 'mean'] as GroupOrder[]).map((o) => ce('vscode-option', { value: o, ...(o === g.order ? { selected: '' } : {}) }, o === 'index' ? 'file order' : `by ${o}`)));
  order.addEventListener('change', () => cb.setOrder((order as HTMLElement & { value: string }).value as GroupOrder, g.group));
  const bar = h('div', { class: 'toolbar' },
    button('◀ Previous group', 'group-prev', () => cb.stepGroup(g.group, -1), { secondary: true }),
    button('Next group ▶', 'group-next', () => cb.stepGroup(g.group, 1), { secondary: true }),
    order,
    button('Show in list', 'group-filter', () => cb.filterGroup(g.group), { secondary: true }),
    button(raw ? 'Rendered' : 'Raw text', 'toggle-raw', () => cb.toggleRaw(), { secondary: true }));
  const history = cb.history;
  const first = g.members[0];
  if (history && first) append(bar, button('History across steps', 'group-history', () => history(first.index), { secondary: true, title: 'This prompt at every step of the run' }));
  const stats = h('div', { class: 'stats' },
    kv('step', fmt(g.step)), kv('mean', fmt(g.mean)), kv('std', fmt(g.std)), kv('spread', fmt(g.spread)), kv('gold', g.gold ?? '—'),
    kv('rank', `${g.rank + 1} of ${g.count} (${g.order === 'index' ? 'file order' : `by ${g.order}`})`));
  const canvasWrap = h('div', { class: 'chart-box small' });
  const canvas = h('canvas', { testid: 'group-adv-chart' });
  canvasWrap.appendChild(canvas);
  const cards = h('div', { class: 'group-cards', testid: 'group-cards' });
  for (const m of g.members) {
    const differs = m.answerClass !== null && m.answerClass > 0;
    const comps = Object.entries(m.rewardComponents).map(([k, v]) => `${k} ${fmt(v)}`).join(' · ');
    const open = button('Open', 'group-open-sample', () => cb.openSample(m.index), { secondary: true });
    const flags = h('div', { class: 'chips' }, ...m.flags.map((f) => h('span', { class: `flag-chip flag-${f}` }, f)));
    cards.appendChild(h('div', { class: `card${m.reward !== null && m.reward > 0 ? ' rewarded' : ''}`, testid: 'group-member' },
      h('div', { class: 'card-head' }, h('strong', {}, `#${m.index + 1}`), kv('reward', fmt(m.reward)), kv('adv.', fmt(m.advantage)), open),
      comps ? h('div', { class: 'muted' }, comps) : null,
      h('div', { class: `answer${differs ? ' answer-differs' : m.answerClass === 0 ? ' answer-common' : ' answer-none'}`, testid: 'group-answer', title: differs ? 'differs from the most common answer of the group' : '' }, `answer: ${m.answer ?? '(none)'}`),
      flags,
      completionParts(m.completion, m.reasoning, [], raw, '')));
  }
  append(root,
    h('h2', { testid: 'group-title' }, `Group ${g.group + 1} · ${g.members.length} completions`),
    bar,
    g.zeroVariance ? h('div', { class: 'banner warn', testid: 'zero-variance-banner' }, 'Zero variance: every completion got the same reward, so every advantage is 0 and this group gives GRPO no learning signal.') : null,
    stats,
    h('details', { class: 'prompt', attrs: { open: '' } }, h('summary', {}, 'Prompt'), g.prompt === null ? h('div', { class: 'muted' }, '(none)') : textBlock(g.prompt, 0, [], raw, 'group-prompt')),
    canvasWrap,
    cards);
  charts.groupAdvantages(canvas, g.members.map((m) => `#${m.index + 1}`), g.members.map((m) => m.advantage), p);
}
