// The issue's done-when on the two real agentic fixtures, through the CLI as a user runs it: `score --json`'s
// per-sample toolCalls against the text / the writer's own counts, flags on every malformed call, `summary --json`'s
// byName, and language mixing judged on the model's turns only.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { cli } from '../../support/cli';
import { fixture, needFixtures } from '../../support/fixtures';
import { analyseCompletion } from '../../../src/core/analyse';
import { parseTextTrajectory } from '../../../src/core/trajectory/parse-text';

const VERL = fixture('real2', 'verl-hecate', '2.jsonl');
const WIKI = fixture('real2', 'verifiers-wiki-search', 'results.jsonl');

interface Flag { kind: string; code?: string; turn?: number; start: number; end: number; message: string }
interface Line { record: number; turns: number; toolCalls: number; toolErrors: number; flags: Flag[] }

function jsonLines<T>(text: string): T[] {
  return text.trim().split('\n').map((l) => JSON.parse(l) as T);
}

function scoreLines(path: string): Line[] {
  const r = cli(['score', path, '--json']);
  assert.equal(r.code, 0, r.stderr);
  return jsonLines<Line>(r.stdout);
}

function openings(s: string): number {
  return s.split('<tool_call>').length - 1;
}

test('verl-hecate: toolCalls = <tool_call> openings for every sample; every malformed call is flagged', { skip: needFixtures(VERL) }, () => {
  const rows = jsonLines<{ output: string }>(readFileSync(VERL, 'utf8'));
  const lines = scoreLines(VERL);
  assert.equal(lines.length, 1024);
  let malformedSamples = 0;
  lines.forEach((l, i) => {
    assert.equal(l.toolCalls, openings(rows[i].output), `line ${i + 1}`);
    const t = parseTextTrajectory(rows[i].output);
    const malformed = t.turns.reduce((n, x) => n + x.toolCalls.filter((c) => c.error).length, 0);
    const flagged = l.flags.filter((f) => f.kind === 'tool' && f.code === 'malformed-call').length;
    assert.equal(flagged, malformed, `line ${i + 1}: one flag per malformed call`);
    if (malformed > 0) malformedSamples++;
  });
  // Unclosed tags and non-JSON arguments are in the file (fixtures README: "some calls are cut or malformed").
  assert.ok(malformedSamples >= 40, `${malformedSamples} samples with malformed calls`);
  // The one call to a tool that does not exist (calc_gsmsk_reward) is flagged as such.
  const unknown = lines.flatMap((l) => l.flags.filter((f) => f.code === 'unknown-tool').map((f) => f.message));
  assert.ok(unknown.some((m) => m.includes('calc_gsmsk_reward')), unknown.join('\n'));
  // Every flag of a multi-turn sample says which turn it is in.
  for (const l of lines) if (l.turns > 1) for (const f of l.flags) assert.equal(typeof f.turn, 'number', `record ${l.record}: ${f.message}`);
});

test('verl-hecate summary: byName counts each tool name, malformed counted', { skip: needFixtures(VERL) }, () => {
  const rows = jsonLines<{ output: string }>(readFileSync(VERL, 'utf8'));
  const r = cli(['summary', VERL, '--json']);
  assert.equal(r.code, 0, r.stderr);
  const s = JSON.parse(r.stdout) as { toolCalls: { total: number; byName: Record<string, number>; malformed: number }; turns: { histogram: Record<string, number> } };
  assert.equal(s.toolCalls.total, rows.reduce((n, x) => n + openings(x.output), 0));
  assert.equal(s.toolCalls.byName.calc_gsmsk_reward, 1);
  assert.ok(s.toolCalls.malformed > 40);
  assert.equal(Object.values(s.turns.histogram).reduce((a, b) => a + b, 0), 1024);
});

test('verifiers wiki-search: toolCalls = the writer\'s total_tool_calls for all 100; byName = the per-tool counts', { skip: needFixtures(WIKI) }, () => {
  const rows = jsonLines<{ total_tool_calls: number; search_pages_calls: number; view_sections_calls: number; read_section_calls: number }>(readFileSync(WIKI, 'utf8'));
  const lines = scoreLines(WIKI);
  assert.equal(lines.length, 100);
  lines.forEach((l, i) => assert.equal(l.toolCalls, rows[i].total_tool_calls, `line ${i + 1}`));
  const r = cli(['summary', WIKI, '--json']);
  assert.equal(r.code, 0, r.stderr);
  const s = JSON.parse(r.stdout) as { toolCalls: { total: number; byName: Record<string, number>; malformed: number } };
  const sum = (k: 'search_pages_calls' | 'view_sections_calls' | 'read_section_calls'): number => rows.reduce((n, x) => n + x[k], 0);
  assert.deepEqual(s.toolCalls.byName, { read_section: sum('read_section_calls'), view_sections: sum('view_sections_calls'), search_pages: sum('search_pages_calls') });
  assert.equal(s.toolCalls.total, rows.reduce((n, x) => n + x.total_tool_calls, 0));
  // "Invalid section_id format…" replies are tool errors.
  assert.ok(lines.some((l) => l.toolErrors > 0));
});

test('language mixing inside a tool result is not flagged; in the model\'s own turn it still is', () => {
  const zh = '这是一个很长的中文段落，用来测试语言混合检测器是否会在工具返回的结果中报告问题。我们希望它不会报告，因为这不是模型写的文字。';
  const call = '<tool_call>\n{"name": "search", "arguments": {"q": "x"}}\n</tool_call>';
  const english = 'I will look this up in the encyclopedia and then report what I find about the question asked.';
  const inTool = `${english}\n${call}\nuser\n<tool_response>\n${zh}\n</tool_response>\nassistant\nThe page says the answer is forty two, which matches my own reasoning. #### 42`;
  const a = analyseCompletion({ completion: inTool, prompt: 'Answer the question in English, please.', targetLanguage: 'en' });
  assert.deepEqual(a.flags.filter((f) => f.kind === 'language-mix'), []);
  const inModel = `${english}\n${call}\nuser\n<tool_response>\nok\n</tool_response>\nassistant\n${zh} #### 42`;
  const b = analyseCompletion({ completion: inModel, prompt: 'Answer the question in English, please.', targetLanguage: 'en' });
  const mix = b.flags.filter((f) => f.kind === 'language-mix');
  assert.ok(mix.length > 0, 'the model drifting into Chinese is flagged');
  assert.equal(mix[0].turn, 2, 'in the third turn (assistant after the tool)');
  assert.ok(inModel.slice(mix[0].start, mix[0].end).includes('中文'), 'the span points into the original string');
});

test('the same call back to back, and an episode ending on a tool result, are flagged', () => {
  const call = '<tool_call>\n{"name": "calc", "arguments": {"answer": "5"}}\n</tool_call>';
  const text = `${call}\nuser\n<tool_response>\nreward=0.0\n</tool_response>\nassistant\n${call}\nuser\n<tool_response>\nreward=0.0\n</tool_response>`;
  const a = analyseCompletion({ completion: text, tools: ['calc'] });
  const codes = a.flags.filter((f) => f.kind === 'tool').map((f) => [f.code, f.turn, f.severity]);
  assert.deepEqual(codes, [['repeated-call', 2, 'info'], ['no-final-answer', 3, 'warning']]);
  const b = analyseCompletion({ completion: '<tool_call>{"name": "calk", "arguments": {}}</tool_call>', tools: ['calc'] });
  assert.deepEqual(b.flags.filter((f) => f.kind === 'tool').map((f) => f.code), ['unknown-tool', 'no-final-answer']);
});
