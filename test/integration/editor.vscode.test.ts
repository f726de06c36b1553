// Text-editor surfaces through the real API: diagnostics at exact raw spans (escapes, surrogate pairs, CJK
// before the flagged span), decoration ranges of think/answer/tags, hovers, quick fixes, severity settings, and
// no hijacking of JSONL that is not a rollout. Fixtures: demo/editor/ (scripts/make-editor-fixtures.mjs), the
// demo runs and the real files of the shared fixtures (test/support/fixtures.ts; scripts/test-integration.mjs passes
// their root to the extension host as ROLLOUT_LENS_FIXTURES, skipped with the reason when absent).
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { activeExtension, demoUri, editorStateOf, openDemo, waitFor } from './helpers';
import { fixture, needFixtures } from '../support/fixtures';

const SOURCE = 'Rollout Lens';
// The Chinese sentence of demo/editor/escapes.rollout.jsonl without its full stop (the detector's span).
const CHINESE = '我们需要计算三十二乘以三十二，三十二乘以三十是九百六十，再加上六十四，结果是一千零二十四';

interface EditorState {
  decorationTypeKeys: { think: string; answer: string; tag: string };
  decorationRanges?: Record<'think' | 'answer' | 'tag', [number, number, number, number][]>;
  diagnosticsCount: number;
  samples?: number;
}

const editorState = editorStateOf<EditorState>;

function ours(uri: vscode.Uri): vscode.Diagnostic[] {
  return vscode.languages.getDiagnostics(uri).filter((d) => d.source === SOURCE);
}

async function diagnosticsOf(uri: vscode.Uri, what: string, ok: (d: vscode.Diagnostic[]) => boolean = (d) => d.length > 0): Promise<vscode.Diagnostic[]> {
  return waitFor(what, () => {
    const d = ours(uri);
    return ok(d) ? d : undefined;
  }, 10000);
}

/** JSON-decodes raw text taken from inside a string literal; throws when a range cuts an escape in half. */
function decode(raw: string): string {
  return JSON.parse(`"${raw}"`) as string;
}

function text(doc: vscode.TextDocument, r: vscode.Range | [number, number, number, number]): string {
  return doc.getText(Array.isArray(r) ? new vscode.Range(r[0], r[1], r[2], r[3]) : r);
}

suite('editor: no hijacking of JSONL that is not a rollout', () => {
  test('application logs in JSONL get no lenses, no diagnostics, no decorations', async () => {
    const editor = await openDemo('editor', 'app-logs.jsonl');
    await activeExtension();
    const uri = editor.document.uri;
    // Wait until our decoration pass has run for this editor (it records empty ranges), then check everything.
    const state = await waitFor('decoration pass on app-logs.jsonl', async () => {
      const s = await editorState(uri);
      return s.decorationRanges ? s : undefined;
    });
    assert.equal(state.samples, undefined, 'a model was built for a non-rollout file');
    assert.deepEqual(state.decorationRanges, { think: [], answer: [], tag: [] }, '<think> in a log message must not be highlighted');
    const lenses = (await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', uri, 10)) ?? [];
    assert.deepEqual(lenses.filter((l) => l.command?.command.startsWith('rolloutLens.')).map((l) => l.command?.title), []);
    assert.equal(ours(uri).length, 0);
    assert.equal(state.diagnosticsCount, 0);
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', uri, new vscode.Position(0, 5));
    assert.ok(!hovers.some((h) => h.contents.some((c) => (typeof c === 'string' ? c : c.value).includes('Sample 1'))), 'our hover on a non-rollout');
  });
});

suite('editor: exact spans on demo/editor/escapes.rollout.jsonl', () => {
  test('language-mix diagnostic covers exactly the raw Chinese sentence after \\" \\n \\\\ \\/ and emoji (raw and \\ud83d\\ude00)', async () => {
    const editor = await openDemo('editor', 'escapes.rollout.jsonl');
    await activeExtension();
    const doc = editor.document;
    const diags = await diagnosticsOf(doc.uri, 'diagnostics on escapes.rollout.jsonl');
    const mix = diags.filter((d) => d.code === 'language-mix').sort((a, b) => a.range.start.compareTo(b.range.start));
    assert.equal(mix.length, 2, `language-mix diagnostics: ${JSON.stringify(diags.map((d) => [d.code, d.range.start.line, d.message]))}`);
    const [raw, ascii] = mix as [vscode.Diagnostic, vscode.Diagnostic];
    // Line 1: raw UTF-8 CJK, escapes before the span. The raw text under the squiggle IS the sentence.
    assert.equal(raw.range.start.line, 0);
    assert.equal(text(doc, raw.range), CHINESE);
    const line0 = doc.lineAt(0).text;
    assert.equal(raw.range.start.character, line0.indexOf(CHINESE), 'start column');
    assert.equal(raw.range.end.character, line0.indexOf(CHINESE) + CHINESE.length, 'end column');
    assert.ok(line0.slice(0, raw.range.start.character).includes('\\ud83d\\ude00') && line0.slice(0, raw.range.start.character).includes('😀'), 'fixture lost its emoji before the span');
    assert.match(raw.message, /Chinese inside Japanese reasoning/);
    assert.ok(raw.message.includes(CHINESE), 'the message quotes the evidence');
    assert.equal(raw.severity, vscode.DiagnosticSeverity.Warning);
    assert.equal(raw.source, SOURCE);
    // Line 3: the same sentence written ensure_ascii-style (\u6211\u4eec…): the range is the escaped text.
    assert.equal(ascii.range.start.line, 2);
    const escaped = text(doc, ascii.range);
    assert.ok(escaped.startsWith('\\u6211\\u4eec'), escaped.slice(0, 20));
    assert.equal(decode(escaped), CHINESE);
    assert.equal(escaped.length, CHINESE.length * 6);
  });

  test('a malformed line is an error diagnostic on that line', async () => {
    const editor = await openDemo('editor', 'escapes.rollout.jsonl');
    const diags = await diagnosticsOf(editor.document.uri, 'diagnostics', (d) => d.some((x) => x.code === 'malformed'));
    const bad = diags.filter((d) => d.code === 'malformed');
    assert.equal(bad.length, 1);
    assert.equal(bad[0]!.range.start.line, 4);
    assert.equal(bad[0]!.severity, vscode.DiagnosticSeverity.Error);
    assert.match(bad[0]!.message, /^Malformed line: /);
  });

  test('decorations: tags, think and answer ranges map exactly through the escapes', async () => {
    const editor = await openDemo('editor', 'escapes.rollout.jsonl');
    const doc = editor.document;
    const state = await waitFor('decoration ranges', async () => {
      const s = await editorState(doc.uri);
      return s.decorationRanges && s.decorationRanges.tag.length > 0 ? s : undefined;
    });
    const keys = state.decorationTypeKeys;
    assert.ok(keys.think && keys.answer && keys.tag && new Set([keys.think, keys.answer, keys.tag]).size === 3, JSON.stringify(keys));
    const r = state.decorationRanges!;
    const onLine = (rs: [number, number, number, number][], line: number): string[] => rs.filter((x) => x[0] === line).map((x) => text(doc, x));
    assert.deepEqual(onLine(r.tag, 0), ['<think>', '</think>', '<answer>', '</answer>']);
    assert.deepEqual(onLine(r.answer, 0), ['1024']);
    const think = onLine(r.think, 0);
    assert.equal(think.length, 1);
    const decoded = decode(think[0]!);
    assert.ok(decoded.startsWith('\n彼は「"2の10乗"」と書いた 😀 そして 😀 も。パスは C:\\tmp/x です。'), JSON.stringify(decoded.slice(0, 40)));
    assert.ok(decoded.endsWith('したがって、答えは1024です。\n'));
    // ensure_ascii line: tags are ASCII, the answer too; every range decodes cleanly.
    assert.deepEqual(onLine(r.tag, 2), ['<think>', '</think>', '<answer>', '</answer>']);
    for (const x of [...r.think, ...r.answer, ...r.tag]) decode(text(doc, x));
  });

  test('lens titles, hover and quick fixes on the flagged sample', async () => {
    const editor = await openDemo('editor', 'escapes.rollout.jsonl');
    const doc = editor.document;
    const lenses = await waitFor('resolved lenses', async () => {
      const l = (await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', doc.uri, 100)) ?? [];
      return l.some((x) => x.range.start.line === 0 && x.command?.title.startsWith('reward ')) ? l : undefined;
    });
    const first = lenses.filter((l) => l.range.start.line === 0).map((l) => l.command?.title ?? '');
    console.log(`      lens titles on line 1: ${JSON.stringify(first)}`);
    assert.match(first[0]!, /^reward 1 · .*language-mix/);

    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', doc.uri, new vscode.Position(0, 10));
    // appendText escapes model text for markdown (&nbsp;, backslashes): compare on the unescaped text.
    const md = hovers.flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : c.value))).join('\n').replace(/&nbsp;/g, ' ').replace(/\\([\\`*_{}[\]()#+\-.!|<>])/g, '$1');
    assert.match(md, /Sample 1/);
    assert.match(md, /reward \*\*1\*\*/);
    assert.match(md, /advantage \*\*[+-]?\d/);
    assert.match(md, /group 1\/1 \(4 samples, mean 0\.75, std 0\.5/);
    assert.match(md, /language: ja \(target ja/);
    assert.match(md, /answer: 1024 · gold: 1024/);
    assert.match(md, /language-mix: Chinese inside Japanese/);

    const diag = ours(doc.uri).find((d) => d.code === 'language-mix' && d.range.start.line === 0)!;
    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', doc.uri, diag.range);
    const titles = actions.map((a) => a.title);
    assert.ok(titles.includes('Open sample 1 rendered'), JSON.stringify(titles));
    assert.ok(titles.includes('Disable "language-mix" flags'), JSON.stringify(titles));
    assert.ok(titles.includes('Go to next flag'), JSON.stringify(titles));
    const open = actions.find((a) => a.title === 'Open sample 1 rendered')!;
    assert.equal(open.command?.command, 'rolloutLens.openSample');
    assert.equal(open.command?.arguments?.[1], 0);
  });

  test('rolloutLens.nextFlag moves the cursor to the next diagnostic', async () => {
    const editor = await openDemo('editor', 'escapes.rollout.jsonl');
    await diagnosticsOf(editor.document.uri, 'diagnostics');
    editor.selection = new vscode.Selection(0, 0, 0, 0);
    await vscode.commands.executeCommand('rolloutLens.nextFlag');
    const sel = vscode.window.activeTextEditor!.selection;
    assert.equal(sel.start.line, 0);
    assert.equal(text(editor.document, sel), CHINESE);
    await vscode.commands.executeCommand('rolloutLens.nextFlag');
    assert.equal(vscode.window.activeTextEditor!.selection.start.line, 2);
  });

  test('rolloutLens.severity {"language-mix": …}: error, then off; the deprecated per-kind key still works; then back', async () => {
    const editor = await openDemo('editor', 'escapes.rollout.jsonl');
    const uri = editor.document.uri;
    const config = vscode.workspace.getConfiguration('rolloutLens');
    try {
      await config.update('severity', { 'language-mix': 'error' }, vscode.ConfigurationTarget.Global);
      await diagnosticsOf(uri, 'error severity', (d) => d.some((x) => x.code === 'language-mix' && x.severity === vscode.DiagnosticSeverity.Error));
      await config.update('severity', { 'language-mix': 'off' }, vscode.ConfigurationTarget.Global);
      await diagnosticsOf(uri, 'language-mix off', (d) => d.length > 0 && !d.some((x) => x.code === 'language-mix'));
      // Someone's settings.json from before the object: the old key is read as a fallback.
      await config.update('severity', undefined, vscode.ConfigurationTarget.Global);
      await config.update('severity.language-mix', 'hint', vscode.ConfigurationTarget.Global);
      await diagnosticsOf(uri, 'hint severity from the old key', (d) => d.some((x) => x.code === 'language-mix' && x.severity === vscode.DiagnosticSeverity.Hint));
    } finally {
      await config.update('severity', undefined, vscode.ConfigurationTarget.Global);
      await config.update('severity.language-mix', undefined, vscode.ConfigurationTarget.Global);
    }
    await diagnosticsOf(uri, 'language-mix back', (d) => d.filter((x) => x.code === 'language-mix' && x.severity === vscode.DiagnosticSeverity.Warning).length === 2);
  });
});

suite('editor: diagnostics on the demo runs and real fixtures', () => {
  test('demo/verl/1.jsonl: drift and mixed samples are flagged at raw spans inside the completion', async () => {
    const editor = await openDemo('verl', '1.jsonl');
    await activeExtension();
    const doc = editor.document;
    const diags = await diagnosticsOf(doc.uri, 'verl diagnostics', (d) => d.some((x) => x.code === 'language-mix'));
    const kinds = new Set(diags.map((d) => String(d.code)));
    console.log(`      verl/1.jsonl: ${diags.length} diagnostics, kinds ${[...kinds].join(', ')}`);
    for (const k of ['language-mix', 'repetition', 'truncated', 'format']) assert.ok(kinds.has(k), `no ${k} diagnostic`);
    for (const d of diags) {
      assert.ok(d.message.length > 10, `empty message: ${d.message}`);
      assert.equal(d.range.start.line, d.range.end.line, 'a flag stays on its sample line');
      const raw = text(doc, d.range);
      const m = /"output":\s*"/.exec(doc.lineAt(d.range.start.line).text);
      const output = m ? m.index + m[0].length : 0;
      if (d.code === 'malformed') continue;
      assert.ok(d.range.start.character >= output || d.range.isEmpty, `range starts before the completion: ${JSON.stringify(raw.slice(0, 30))}`);
      decode(raw);
    }
    for (const d of diags.filter((x) => x.code === 'language-mix')) assert.match(decode(text(doc, d.range)), /[\u4e00-\u9fff]/);
  });

  for (const file of ['verifiers/wordle_qwen3-30b-a3b-thinking_results.jsonl', 'reward-kit/openr1_math_regenerated_think_traces.jsonl', 'rl-logging-board/eval_poem_task_data.jsonl']) {
    test(`real ${file}: every diagnostic range is whole JSON-string text, decorations decode`, async function () {
      const path = fixture('real', file);
      const missing = needFixtures(path);
      if (missing) {
        console.log(`      skipped: ${missing}`);
        this.skip();
      }
      const uri = demoUri().with({ path });
      const doc = await vscode.workspace.openTextDocument(uri);
      await vscode.window.showTextDocument(doc, { preview: false });
      await activeExtension();
      const state = await waitFor('a decoration pass', async () => {
        const s = await editorState(uri);
        return s.decorationRanges ? s : undefined;
      });
      assert.ok((state.samples ?? 0) > 0, `${file} is not recognised`);
      const diags = ours(uri);
      let flags = 0;
      for (const d of diags) {
        if (d.code === 'malformed') continue;
        flags++;
        if (!d.range.isEmpty) decode(text(doc, d.range));
      }
      const r = state.decorationRanges!;
      for (const x of [...r.think, ...r.answer]) decode(text(doc, x));
      for (const x of r.tag) assert.match(text(doc, x), /^<\/?[a-z_|]+>?/i, `tag range ${JSON.stringify(text(doc, x))}`);
      console.log(`      ${file}: ${state.samples} samples, ${flags} flag diagnostics, decorations think ${r.think.length} answer ${r.answer.length} tag ${r.tag.length}`);
      assert.ok(diags.length <= 1000);
    });
  }
});
