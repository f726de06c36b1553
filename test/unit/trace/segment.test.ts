// Segmentation: every reasoning state and tag variant of docs/formats.md §7.5, and the invariant that segments cover the
// whole text contiguously (property test).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { firstBuiltinVariant, segmentTrace, type Segmentation } from '../../../src/core/trace/segment';
import { THINK_VARIANTS, type TagVariant } from '../../../src/core/trace/tags';

function kinds(text: string, seg: Segmentation): string[] {
  return seg.segments.map((s) => `${s.kind}:${text.slice(s.start, s.end)}`);
}
function covers(text: string, seg: Segmentation): void {
  let at = 0;
  for (const s of seg.segments) {
    assert.equal(s.start, at, `gap or overlap at ${at}`);
    assert.ok(s.end > s.start, 'empty segment');
    at = s.end;
  }
  assert.equal(at, text.length);
}

/** The segmentation of `text`, checked to cover it exactly. */
function segmented(text: string, opts?: Parameters<typeof segmentTrace>[1]): Segmentation {
  const seg = segmentTrace(text, opts);
  covers(text, seg);
  return seg;
}
const slice = (t: string, s: { start: number; end: number } | null): string | null => (s ? t.slice(s.start, s.end) : null);

test('closed: <think>…</think>answer', () => {
  const t = '<think>\nLet me add 3 and 4.\n</think>\n\nThe answer is \\boxed{7}.';
  const s = segmented(t);
  assert.equal(s.state, 'closed');
  assert.equal(s.variant, 'think');
  assert.equal(s.thinkBlockCount, 1);
  assert.equal(slice(t, s.reasoning), '\nLet me add 3 and 4.\n');
  assert.equal(slice(t, s.answerRegion), '\n\nThe answer is \\boxed{7}.');
  assert.deepEqual(kinds(t, s), ['think-open-tag:<think>', 'think:\nLet me add 3 and 4.\n', 'think-close-tag:</think>', 'text:\n\nThe answer is \\boxed{7}.']);
});

test('implicit-open: </think> without <think>, and the prompt that opened it', () => {
  const t = 'So it is 7.\n</think>\n7';
  const s = segmented(t);
  assert.equal(s.state, 'implicit-open');
  assert.equal(s.implicitOpen, true);
  assert.equal(s.promptEndsWithOpenTag, false);
  assert.equal(slice(t, s.reasoning), 'So it is 7.\n');
  assert.equal(slice(t, s.answerRegion), '\n7');
  const p = segmentTrace(t, { prompt: '<|im_start|>user\nWhat is 3+4?<|im_end|>\n<|im_start|>assistant\n<think>\n' });
  assert.equal(p.state, 'implicit-open');
  assert.equal(p.promptEndsWithOpenTag, true);
  assert.equal(segmentTrace(t, { prompt: 'Assistant: <think><|im_end|>' }).promptEndsWithOpenTag, true);
  assert.equal(segmentTrace(t, { prompt: 'What is 3+4?' }).promptEndsWithOpenTag, false);
});

test('unterminated: <think> and end of text; prompt-opened reasoning without a close is unterminated too', () => {
  const t = '<think>\nOkay, let me think about the tunnel. So the speed';
  const s = segmented(t);
  assert.equal(s.state, 'unterminated');
  assert.equal(s.answerRegion, null);
  assert.equal(slice(t, s.reasoning), t.slice(7));
  const p = segmentTrace('Okay, so the speed', { prompt: 'Q\n<think>\n' });
  assert.equal(p.state, 'unterminated');
  assert.equal(p.promptEndsWithOpenTag, true);
  assert.equal(p.segments[0]!.kind, 'think');
});

test('none, empty, multiple', () => {
  const none = segmentTrace('The answer is 7.');
  assert.equal(none.state, 'none');
  assert.equal(none.variant, null);
  assert.deepEqual(none.answerRegion, { start: 0, end: 16 });
  assert.equal(none.reasoning, null);
  assert.equal(segmentTrace('').state, 'none');
  assert.equal(segmentTrace('').segments.length, 0);

  const empty = '<think>\n\n</think>\n\n7';
  assert.equal(segmentTrace(empty).state, 'empty');
  const multi = '<think>a</think>b<think>c</think>d';
  const m = segmentTrace(multi);
  covers(multi, m);
  assert.equal(m.state, 'multiple');
  assert.equal(m.thinkBlockCount, 2);
  assert.equal(slice(multi, m.answerRegion), 'd');
  assert.equal(slice(multi, m.reasoning), 'a</think>b<think>c');
});

test('tag variants', () => {
  const cases: [string, string, string, string][] = [
    ['<thinking>x</thinking>y', 'thinking', 'x', 'y'],
    ['<reasoning>x</reasoning>y', 'reasoning', 'x', 'y'],
    ['<thought>x</thought>y', 'thought', 'x', 'y'],
    ['<|begin_of_thought|>x<|end_of_thought|>\n<|begin_of_solution|>y<|end_of_solution|>', 'openthoughts', 'x', '\n<|begin_of_solution|>y<|end_of_solution|>'],
    ['◁think▷x◁/think▷y', 'kimi', 'x', 'y'],
    ['|special_token|<reasoning_process>x</reasoning_process>|special_token|<summary>y</summary>', 'r1-cold-start', 'x', '|special_token|<summary>y</summary>'],
  ];
  for (const [t, variant, reasoning, region] of cases) {
    const s = segmented(t);
    assert.equal(s.variant, variant, t);
    assert.equal(s.state, 'closed', t);
    assert.equal(slice(t, s.reasoning), reasoning, t);
    assert.equal(slice(t, s.answerRegion), region, t);
  }
  const ot = segmentTrace(cases[3]![0]);
  assert.equal(ot.answerTag && cases[3]![0].slice(ot.answerTag.content.start, ot.answerTag.content.end), 'y');
  const cs = segmentTrace(cases[5]![0]);
  assert.equal(cs.answerTag && cases[5]![0].slice(cs.answerTag.content.start, cs.answerTag.content.end), 'y');
  // custom tags replace the built-in list
  const c = segmentTrace('[[R]]x[[/R]]y<think>z', { tags: [{ open: '[[R]]', close: '[[/R]]' }] });
  assert.equal(c.variant, 'custom');
  assert.equal(c.state, 'closed');
  // `< think >` and attributes are not tags; attributes are recorded as malformed
  assert.equal(segmentTrace('< think >x</ think >y').state, 'none');
  const mal = segmentTrace('<think type="x">a</think>b');
  assert.equal(mal.state, 'implicit-open');
  assert.ok(mal.anomalies.some((a) => a.code === 'malformed-tag' && a.start === 0));
  // case-sensitive
  assert.equal(segmentTrace('<THINK>x</THINK>').state, 'none');
});

test('answer tags: closed, unclosed, text after </answer>, inside the reasoning', () => {
  const t = '<think>r</think>\n<answer>42</answer>\nextra';
  const s = segmented(t);
  assert.deepEqual(kinds(t, s).slice(3), ['text:\n', 'answer-open-tag:<answer>', 'answer:42', 'answer-close-tag:</answer>', 'after-answer:\nextra']);
  assert.equal(s.answerTagCount, 1);
  assert.equal(s.answerTag!.close !== null, true);
  const u = '<think>r</think><answer>42';
  const su = segmentTrace(u);
  assert.equal(su.answerTag!.close, null);
  assert.equal(slice(u, su.answerTag!.content), '42');
  // answer tags inside the reasoning are content
  const inside = '<think>I will write <answer>x</answer> later</think><answer>1</answer>';
  const si = segmentTrace(inside);
  assert.equal(si.answerTagCount, 1);
  assert.equal(slice(inside, si.answerTag!.content), '1');
  // misordered: answer before think
  const mis = '<answer>1</answer><think>r</think>';
  assert.ok(segmentTrace(mis).anomalies.some((a) => a.code === 'think-after-answer'));
});

test('end-of-turn tokens are recorded and kept out of the answer region', () => {
  for (const eot of ['<|im_end|>', '<｜end▁of▁sentence｜>', '</s>', '<|endoftext|>']) {
    const t = `<think>r</think>answer ${eot}\n`;
    const s = segmented(t);
    assert.deepEqual(s.endOfTurn?.tokens, [eot]);
    assert.equal(slice(t, s.answerRegion), 'answer ');
    assert.equal(s.segments[s.segments.length - 1]!.kind, 'eot');
  }
  const two = segmentTrace('x<|im_end|></s>');
  assert.deepEqual(two.endOfTurn?.tokens, ['<|im_end|>', '</s>']);
  // a trace truncated inside the reasoning has no end-of-turn token
  assert.equal(segmentTrace('<think>abc').endOfTurn, null);
});

test('CRLF line endings and astral characters keep exact UTF-16 offsets', () => {
  const t = '<think>\r\n😀 x\r\n</think>\r\n𠀋 ok';
  const s = segmented(t);
  assert.equal(slice(t, s.reasoning), '\r\n😀 x\r\n');
  assert.equal(slice(t, s.answerRegion), '\r\n𠀋 ok');
});

test('property: segments cover the whole text for random strings with tags', () => {
  const pieces = ['<think>', '</think>', '<answer>', '</answer>', '<|im_end|>', '</s>', '◁think▷', '◁/think▷', '<thinking>', '</thinking>',
    '<|begin_of_thought|>', '<|end_of_thought|>', '<|begin_of_solution|>', '<|end_of_solution|>', '\n', ' ', 'x', '中文', '😀', '<', '>', '<think', 'answer'];
  const arb = fc.array(fc.oneof(fc.constantFrom(...pieces), fc.string({ maxLength: 5 })), { maxLength: 30 }).map((a) => a.join(''));
  fc.assert(fc.property(arb, fc.option(fc.constantFrom('<think>\n', 'Q', '<thinking>'), { nil: undefined }), (t, prompt) => {
    const s = segmentTrace(t, { prompt });
    covers(t, s);
    assert.equal(s.segments.map((g) => t.slice(g.start, g.end)).join(''), t);
    if (s.reasoning) assert.ok(s.reasoning.start <= s.reasoning.end && s.reasoning.end <= t.length);
    if (s.answerRegion) assert.ok(s.answerRegion.start <= s.answerRegion.end && s.answerRegion.end <= t.length);
  }), { numRuns: 2000 });
});

/** The search firstBuiltinVariant replaces: each variant's first opening or closing tag, the earliest before `end` wins. */
function firstVariantByIndexOf(text: string, end: number): TagVariant | null {
  let best: TagVariant | null = null;
  let bestPos = Infinity;
  for (const v of THINK_VARIANTS) {
    const a = text.indexOf(v.think.open);
    const b = text.indexOf(v.think.close);
    const m = a < 0 ? b : b < 0 ? a : Math.min(a, b);
    if (m >= 0 && m < end && m < bestPos) {
      best = v;
      bestPos = m;
    }
  }
  return best;
}

test('the built-in tag variant is chosen as by one indexOf per tag (differential, random tag soup)', () => {
  const pieces = [
    ...THINK_VARIANTS.flatMap((v) => [v.think.open, v.think.close, v.think.open.slice(0, -1), v.think.close.slice(1)]),
    '<', '</', '<t', '<r', '<|', '\u25c1', '\u25c1/', 'x < y', 'a<b', '<answer>', '</answer>', 'text ', '\n', '∑', '<<think>',
  ];
  fc.assert(
    fc.property(fc.array(fc.constantFrom(...pieces), { maxLength: 12 }), fc.nat(200), (parts, cut) => {
      const text = parts.join('');
      const end = Math.min(cut, text.length);
      for (const e of [text.length, end]) assert.equal(firstBuiltinVariant(text, e)?.name ?? null, firstVariantByIndexOf(text, e)?.name ?? null, JSON.stringify([text, e]));
    }),
    { numRuns: 3000 },
  );
});
