// The sample view's transcript of a multi-turn / agentic completion (docs/agentic.md): one block per turn (assistant,
// tool, user), reasoning folded per turn, tool calls as cards with the name and pretty-printed arguments, tool
// results collapsible and cut to a screenful with a button for the rest. Everything is untrusted text: it goes in
// through text nodes (raw mode, with flag marks) or markdown-it with html disabled (rendered mode, model text only).
import type { FlagView, TranscriptCall, TranscriptPart, TranscriptPromptTurn, TranscriptTurn, TranscriptView } from '../../src/protocol/viewer-protocol';
import { append, h } from './dom';
import { renderMarkdown } from './markdown';

/** Characters of a tool result shown before "Show all". */
export const RESULT_PREVIEW_CHARS = 1500;

type Highlight = (text: string, base: number, flags: FlagView[]) => DocumentFragment;

function textPart(p: { text: string; base: number | null }, flags: FlagView[], raw: boolean, hl: Highlight, testid: string): HTMLElement {
  if (raw || p.base === null) {
    const pre = h('pre', { class: 'raw-text', testid });
    pre.appendChild(p.base === null ? document.createTextNode(p.text) : hl(p.text, p.base, flags));
    return pre;
  }
  const div = h('div', { class: 'rendered', testid });
  renderMarkdown(div, p.text);
  return div;
}

function callCard(c: TranscriptCall, flags: FlagView[]): HTMLElement {
  const hits = c.span ? flags.filter((f) => f.start < c.span!.end && f.end > c.span!.start) : [];
  const card = h('div', { class: `tool-call-card${c.error ? ' malformed' : ''}`, testid: 'tool-call' },
    h('div', { class: 'tool-call-head' },
      h('span', { class: 'tool-call-icon' }, 'ƒ'),
      h('strong', { class: 'tool-call-name', testid: 'tool-call-name' }, c.name ?? '(no name)'),
      c.id ? h('span', { class: 'muted' }, ` ${c.id}`) : null,
      c.error ? h('span', { class: 'flag-chip flag-tool', testid: 'tool-call-error', title: c.error }, `malformed: ${c.error}`) : null),
    h('pre', { class: 'tool-call-args', testid: 'tool-call-args' }, c.arguments || '(no arguments)'));
  if (hits.length > 0) {
    card.dataset.flagStart = String(hits[0].start);
    card.title = hits.map((f) => `${f.kind}: ${f.message}`).join('\n');
  }
  return card;
}

function reasoningPart(p: { text: string; base: number | null }, flags: FlagView[], raw: boolean, hl: Highlight): HTMLElement {
  const n = p.base === null ? 0 : flags.filter((f) => f.start < p.base! + p.text.length && f.end > p.base!).length;
  return h('details', { class: 'reasoning', testid: 'turn-reasoning' },
    h('summary', {}, `Reasoning · ${p.text.length} characters${n ? ` · ${n} flag${n > 1 ? 's' : ''}` : ''}`),
    textPart(p, flags, raw, hl, 'turn-reasoning-text'));
}

function partView(p: TranscriptPart, flags: FlagView[], raw: boolean, hl: Highlight): HTMLElement {
  if (p.kind === 'call') return callCard(p.call, flags);
  if (p.kind === 'reasoning') return reasoningPart(p, flags, raw, hl);
  return textPart(p, flags, raw, hl, 'turn-text');
}

/** A tool result or user reply: collapsible, the first RESULT_PREVIEW_CHARS characters, a button for the rest. */
function environmentTurn(t: TranscriptTurn, flags: FlagView[], hl: Highlight): HTMLElement {
  const text = t.parts.map((p) => (p.kind === 'call' ? '' : p.text)).join('');
  const base = t.parts[0] && t.parts[0].kind !== 'call' ? t.parts[0].base : null;
  const label = t.role === 'tool' ? `Tool result${t.toolName ? ` · ${t.toolName}` : ''}` : t.role === 'system' ? 'System' : 'User';
  const size = text.length + t.omitted;
  const det = h('details', { class: `turn turn-${t.role}${t.error ? ' turn-error' : ''}`, testid: `turn-${t.role}` },
    h('summary', {}, h('span', { class: 'turn-role' }, label),
      h('span', { class: 'muted' }, ` · turn ${t.index + 1} · ${size.toLocaleString('en-US')} characters`),
      t.error ? h('span', { class: 'flag-chip flag-tool', testid: 'tool-error' }, `error: ${t.error}`) : null));
  det.dataset.turn = String(t.index);
  det.open = true;
  const long = text.length > RESULT_PREVIEW_CHARS;
  const pre = h('pre', { class: 'raw-text tool-result', testid: 'tool-result-text' });
  const fill = (all: boolean): void => {
    pre.textContent = '';
    const shown = all || !long ? text : text.slice(0, RESULT_PREVIEW_CHARS);
    pre.appendChild(base === null ? document.createTextNode(shown) : hl(shown, base, flags));
  };
  fill(false);
  det.appendChild(pre);
  if (long) {
    const more = h('button', { class: 'link-button', testid: 'tool-result-expand' }, `Show all ${text.length.toLocaleString('en-US')} characters`);
    more.addEventListener('click', () => {
      det.dataset.expanded = '1';
      fill(true);
      more.remove();
    });
    det.appendChild(more);
  }
  if (t.omitted > 0) det.appendChild(h('div', { class: 'muted' }, `… ${t.omitted.toLocaleString('en-US')} more characters are in the file (not loaded into the view)`));
  return det;
}

function modelTurn(t: TranscriptTurn, flags: FlagView[], raw: boolean, hl: Highlight): HTMLElement {
  const own = flags.filter((f) => f.turn === t.index).length;
  const calls = t.parts.filter((p) => p.kind === 'call').length;
  const el = h('div', { class: 'turn turn-assistant', testid: 'turn-assistant' },
    h('div', { class: 'turn-head' }, h('span', { class: 'turn-role' }, 'Assistant'),
      h('span', { class: 'muted' }, ` · turn ${t.index + 1}${calls ? ` · ${calls} tool call${calls > 1 ? 's' : ''}` : ''}${own ? ` · ${own} flag${own > 1 ? 's' : ''}` : ''}`)));
  el.dataset.turn = String(t.index);
  if (t.parts.length === 0) el.appendChild(h('div', { class: 'muted' }, '(empty)'));
  for (const p of t.parts) el.appendChild(partView(p, flags, raw, hl));
  return el;
}

const PROMPT_LABEL: Record<TranscriptPromptTurn['role'], string> = { system: 'System prompt', user: 'User', assistant: 'Assistant (earlier)', tool: 'Tool result (earlier)' };

/**
 * One message of the prompt, marked as prompt: the system prompt (tool schemas, long instructions) folded, the
 * user's question open. Not part of the completion: no flag marks, no turn number.
 */
function promptTurn(t: TranscriptPromptTurn, raw: boolean, tools: string[] | null): HTMLElement {
  const offers = t.role === 'system' && tools && tools.length > 0 ? ` · offers ${tools.join(', ')}` : '';
  const det = h('details', { class: `turn turn-prompt turn-${t.role}`, testid: `prompt-turn-${t.role}` },
    h('summary', {}, h('span', { class: 'prompt-badge' }, 'prompt'), ' ', h('span', { class: 'turn-role' }, PROMPT_LABEL[t.role]),
      h('span', { class: 'muted' }, ` · ${(t.text.length + t.omitted).toLocaleString('en-US')} characters${offers}`)));
  det.open = t.role !== 'system';
  if (raw) det.appendChild(h('pre', { class: 'raw-text', testid: 'prompt-turn-text' }, t.text));
  else {
    const div = h('div', { class: 'rendered', testid: 'prompt-turn-text' });
    renderMarkdown(div, t.text);
    det.appendChild(div);
  }
  if (t.omitted > 0) det.appendChild(h('div', { class: 'muted' }, `… ${t.omitted.toLocaleString('en-US')} more characters are in the file (not loaded into the view)`));
  return det;
}

export function renderTranscript(t: TranscriptView, flags: FlagView[], raw: boolean, hl: Highlight): HTMLElement {
  const names = Object.entries(t.stats.byName).map(([k, v]) => `${k} ×${v}`).join(', ');
  const wrap = h('div', { class: 'transcript', testid: 'transcript' },
    h('div', { class: 'muted transcript-summary', testid: 'transcript-summary', title: `parsed as ${t.shape}: ${t.evidence}` },
      `${t.stats.turns} assistant turn${t.stats.turns === 1 ? '' : 's'} · ${t.stats.toolCalls} tool call${t.stats.toolCalls === 1 ? '' : 's'}${names ? ` (${names})` : ''}`
      + `${t.stats.malformed ? ` · ${t.stats.malformed} malformed` : ''}${t.stats.toolErrors ? ` · ${t.stats.toolErrors} tool error${t.stats.toolErrors > 1 ? 's' : ''}` : ''}`));
  for (const p of t.prompt ?? []) append(wrap, promptTurn(p, raw, t.offeredTools ?? null));
  for (const turn of t.turns) append(wrap, turn.byModel ? modelTurn(turn, flags, raw, hl) : environmentTurn(turn, flags, hl));
  return wrap;
}
