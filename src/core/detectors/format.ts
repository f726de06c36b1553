// Format problems of the think/answer structure (docs/detection.md §12, docs/formats.md §2.2, §7.5). Unterminated reasoning is
// left to the truncation detector. Implicit-open is reported as info and is explicitly *not* a format error when the
// prompt ends with the opening tag: the template put it there (parity format rewards still score 0).

import type { Flag } from '../types';
import { isBlank } from '../trace/tags';
import type { Segmentation } from '../trace/segment';

export interface FormatInput {
  text: string;
  segmentation: Segmentation;
  field?: string;
  /** Whether a prompt was available: without it implicit-open cannot be explained. */
  promptKnown?: boolean;
  /**
   * Whether this run's convention has reasoning tags (run/conventions.ts); default true. When false, a completion
   * without tags is no deviation and gets no 'no-think' flag (the run gets one note instead).
   */
  expectTags?: boolean;
  /** Why tags are expected, for the message (e.g. "18 of 20 sampled completions use them"). */
  convention?: string;
  /**
   * Whether answer tags are part of the run's convention (default true). A "#### 42" run whose model once writes
   * "<answer>" in passing has no answer-tag format to break: its answer-tag anomalies are not reported.
   */
  expectAnswerTags?: boolean;
  /**
   * The run's convention is that the template opens the reasoning tag in the prompt (run/conventions.ts). Then a
   * completion that starts inside the reasoning is the norm, said once at run level, and gets no per-sample note:
   * on Qwen3/R1-template runs that note stood on every sample.
   */
  opensInPrompt?: boolean;
}

function flag(field: string, start: number, end: number, code: string, severity: Flag['severity'], message: string, evidence: Flag['evidence'] = {}): Flag {
  return { kind: 'format', field, start, end, code, severity, message, evidence };
}

export function detectFormat(input: FormatInput): Flag[] {
  const { text, segmentation: seg } = input;
  const field = input.field ?? 'completion';
  const flags: Flag[] = [];
  const { open, close } = seg.tags;

  if (seg.state === 'none' && input.expectTags !== false) {
    flags.push(flag(field, 0, Math.min(text.length, seg.contentEnd), 'no-think', 'info',
      `No reasoning tags (${open}…${close} or a variant): the reasoning may have been stripped, or the model skipped it${input.convention ? ` (this run's convention: ${input.convention})` : ''}`));
  }

  const first = seg.thinkBlocks[0];
  if (first && first.open === null) {
    const at = first.close ?? { start: 0, end: 0 };
    if (seg.promptEndsWithOpenTag) {
      if (!input.opensInPrompt) flags.push(flag(field, at.start, at.end, 'implicit-open', 'info',
        `${close} without ${open} in the completion: the prompt ends with ${open}, so this is not a format error (open-r1/TRL format rewards still score it 0)`,
        { promptEndsWithOpenTag: true, formatError: false }));
    } else if (first.close) {
      flags.push(flag(field, at.start, at.end, 'implicit-open', input.promptKnown ? 'warning' : 'info',
        input.promptKnown
          ? `${close} without ${open}: the opening tag is neither in the completion nor at the end of the prompt`
          : `${close} without ${open}: the opening tag was probably in the prompt (prompt not available to check)`,
        { promptEndsWithOpenTag: false, promptKnown: input.promptKnown ?? false, formatError: input.promptKnown ?? false }));
    }
  }

  for (const b of seg.thinkBlocks) {
    if (b.close && isBlank(text, b.content.start, b.content.end)) {
      flags.push(flag(field, b.open ? b.open.start : b.content.start, b.close.end, 'empty-think', 'warning',
        `Empty reasoning block (${open}${JSON.stringify(text.slice(b.content.start, b.content.end)).slice(1, -1)}${close}): DeepSeek warns about this; open-r1's format reward still gives full credit`));
    }
  }

  if (seg.thinkBlockCount > 1) {
    const second = seg.thinkBlocks[1]!;
    const s = second.open ? second.open.start : second.content.start;
    flags.push(flag(field, s, second.close ? second.close.end : seg.contentEnd, 'multiple-think', 'warning',
      `${seg.thinkBlockCount} reasoning blocks in one turn (TRL's think_format_reward rejects a second ${open})`,
      { blocks: seg.thinkBlockCount }));
  }

  for (const a of seg.anomalies) {
    const tagText = text.slice(a.start, a.end);
    switch (a.code) {
      case 'stray-think-close':
        flags.push(flag(field, a.start, a.end, 'stray-close', 'warning', `Extra ${tagText} with no open reasoning block`));
        break;
      case 'nested-think-open':
        flags.push(flag(field, a.start, a.end, 'nested-open', 'warning', `${tagText} inside an open reasoning block (a second opening tag)`));
        break;
      case 'stray-answer-close':
        if (input.expectAnswerTags === false) break;
        flags.push(flag(field, a.start, a.end, 'stray-answer-close', 'warning', `${tagText} without a matching opening answer tag`));
        break;
      case 'nested-answer-open':
        if (input.expectAnswerTags === false) break;
        flags.push(flag(field, a.start, a.end, 'nested-answer-open', 'warning', `${tagText} inside an open answer block`));
        break;
      case 'think-after-answer':
        flags.push(flag(field, a.start, a.end, 'misordered', 'warning', `Reasoning tag ${tagText} after the answer: the answer came before (part of) the reasoning`));
        break;
      case 'malformed-tag':
        flags.push(flag(field, a.start, a.end, 'malformed-tag', 'warning', `Malformed tag ${JSON.stringify(tagText)}: tags with attributes or spaces are not recognised`));
        break;
    }
  }

  if (input.expectAnswerTags === false) return flags;
  if (seg.answerTagCount > 1) {
    const a = seg.answerTag!;
    flags.push(flag(field, a.open.start, a.close ? a.close.end : seg.contentEnd, 'multiple-answer', 'warning',
      `${seg.answerTagCount} answer blocks; graders usually take the first or the last, so the result depends on the grader`,
      { answers: seg.answerTagCount }));
  }
  const ans = seg.answerTag;
  if (ans && ans.close === null) {
    flags.push(flag(field, ans.open.start, seg.contentEnd, 'unclosed-answer', 'warning',
      `${text.slice(ans.open.start, ans.open.end)} is never closed (${seg.contentEnd - ans.content.start} chars after it)`));
  }
  if (ans && ans.close) {
    const after = ans.close.end;
    if (!isBlank(text, after, seg.contentEnd)) {
      let s = after;
      while (s < seg.contentEnd && isBlank(text, s, s + 1)) s++;
      flags.push(flag(field, s, seg.contentEnd, 'trailing-text', 'warning',
        `${seg.contentEnd - s} chars of text after ${text.slice(ans.close.start, ans.close.end)} (open-r1's format reward still scores 1)`,
        { chars: seg.contentEnd - s }));
    }
  }
  return flags;
}
