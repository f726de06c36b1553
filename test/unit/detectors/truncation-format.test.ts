// Truncation and format flags over the reasoning states of docs/formats.md §2.2 / §7.5.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { segmentTrace } from '../../../src/core/trace/segment';
import { detectTruncation } from '../../../src/core/detectors/truncation';
import { detectFormat } from '../../../src/core/detectors/format';

const trunc = (text: string, finishReason?: string | null, prompt?: string) =>
  detectTruncation({ text, segmentation: segmentTrace(text, { prompt }), finishReason });
const fmt = (text: string, prompt?: string | null) =>
  detectFormat({ text, segmentation: segmentTrace(text, { prompt }), promptKnown: prompt !== undefined && prompt !== null });
const codes = (flags: { code?: string }[]): string[] => flags.map((f) => f.code ?? '');
/** The one format flag `text` gets must have `code`; returns the text it covers. */
function onlyFlag(text: string, code: string): string {
  const f = fmt(text);
  assert.deepEqual(codes(f), [code]);
  return text.slice(f[0]!.start, f[0]!.end);
}

test('unterminated think is truncated, spanning from the open tag to the end', () => {
  const t = 'Sure.\n<think>\nOkay, so the tunnel speed is';
  const [f, ...rest] = trunc(t);
  assert.equal(rest.length, 0);
  assert.equal(f!.kind, 'truncated');
  assert.equal(f!.code, 'unterminated-think');
  assert.equal(t.slice(f!.start, f!.end), '<think>\nOkay, so the tunnel speed is');
  assert.match(f!.message, /Reasoning never closed: <think> at 6 has no <\/think>/);
  // prompt-opened reasoning that never closes
  const p = trunc('Okay, so', null, 'Q <think>\n');
  assert.match(p[0]!.message, /opened in the prompt/);
});

test('finish reason length', () => {
  const t = '<think>r</think>The answer is 4 because we add';
  const [f] = trunc(t, 'length');
  assert.equal(f!.code, 'finish-length');
  assert.equal(t.slice(f!.start, f!.end), 'The answer is 4 because we add');
  assert.deepEqual(trunc(t, 'stop'), []);
});

test('mid-word heuristic is conservative', () => {
  const long = 'We compute the sum of the series term by term. '.repeat(25);
  assert.equal(trunc(long + 'The next term is equival')[0]?.code, 'cut-mid-word');
  assert.deepEqual(trunc(long + 'The answer is 42'), []); // ends with a digit
  assert.deepEqual(trunc(long + 'So the answer: B'), []);
  assert.deepEqual(trunc('Short answer without full stop'), []); // too short to judge
  assert.deepEqual(trunc(long + 'The next term is equival', 'stop'), []); // the writer says it stopped
  assert.deepEqual(trunc(long + 'The next term is equival<|im_end|>'), []);
  assert.deepEqual(trunc('<think>a</think>' + long + 'and so'), []); // closed reasoning: not judged
});

test('closed trace: no truncation, no format flag', () => {
  const t = '<think>\nadd\n</think>\n\\boxed{7}<|im_end|>';
  assert.deepEqual(trunc(t), []);
  assert.deepEqual(fmt(t, 'Q'), []);
});

test('implicit-open: info and not a format error when the prompt ends with <think>', () => {
  const t = 'We add.\n</think>\n7';
  const withPrompt = fmt(t, 'What is 3+4?\n<think>\n');
  assert.deepEqual(codes(withPrompt), ['implicit-open']);
  assert.equal(withPrompt[0]!.severity, 'info');
  assert.equal(withPrompt[0]!.evidence!['formatError'], false);
  assert.match(withPrompt[0]!.message, /not a format error/);
  assert.equal(t.slice(withPrompt[0]!.start, withPrompt[0]!.end), '</think>');
  const noTag = fmt(t, 'What is 3+4?');
  assert.equal(noTag[0]!.severity, 'warning');
  assert.equal(noTag[0]!.evidence!['formatError'], true);
  assert.equal(fmt(t)[0]!.severity, 'info'); // prompt unknown
});

test('implicit-open: no per-sample note when the run convention is that the template opens the tag', () => {
  const t = 'We add.\n</think>\n7';
  const seg = segmentTrace(t, { prompt: 'What is 3+4?\n<think>\n' });
  assert.deepEqual(codes(detectFormat({ text: t, segmentation: seg, promptKnown: true, opensInPrompt: true })), []);
  // A sample whose own prompt does not open the tag still deviates, whatever the run does.
  const odd = segmentTrace(t, { prompt: 'What is 3+4?' });
  assert.deepEqual(codes(detectFormat({ text: t, segmentation: odd, promptKnown: true, opensInPrompt: true })), ['implicit-open']);
});

test('empty, multiple, misordered, stray and malformed tags', () => {
  assert.equal(onlyFlag('<think>\n\n</think>\n\n7', 'empty-think'), '<think>\n\n</think>');
  assert.equal(onlyFlag('<think>a</think>b<think>c</think>d', 'multiple-think'), '<think>c</think>');
  assert.deepEqual(codes(fmt('<think>a</think>b</think>')), ['stray-close']);
  assert.deepEqual(codes(fmt('<think>a<think>b</think>c')), ['nested-open']);
  const mis = codes(fmt('<answer>1</answer><think>r</think>'));
  assert.ok(mis.includes('misordered'));
  assert.ok(codes(fmt('<think type="x">a</think>b')).includes('malformed-tag'));
  assert.deepEqual(codes(fmt('The answer is 7.')), ['no-think']);
});

test('answer tags: unclosed, duplicated, trailing text', () => {
  assert.equal(onlyFlag('<think>r</think><answer>42', 'unclosed-answer'), '<answer>42');
  assert.equal(onlyFlag('<think>r</think><answer>42</answer>\n\nAlso, 43 works.<|im_end|>', 'trailing-text'), 'Also, 43 works.');
  assert.deepEqual(codes(fmt('<think>r</think><answer>1</answer>\n<|im_end|>')), []);
  assert.ok(codes(fmt('<think>r</think><answer>1</answer><answer>2</answer>')).includes('multiple-answer'));
});

test('CRLF line endings', () => {
  const t = '<think>\r\nadd\r\n</think>\r\n<answer>7</answer>\r\n';
  assert.deepEqual(fmt(t, 'Q'), []);
  assert.deepEqual(trunc(t), []);
});
