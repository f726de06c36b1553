// The tools a sample was offered, for the "call to a tool the prompt does not offer" finding: the `<tools>` block of
// a Hermes / Qwen prompt (one JSON signature a line), an OpenAI-style `tools` field of the record, or verifiers'
// `info.oai_tools` (stored as a Python repr string, hence the tolerant name scan). null when no list is found, so
// that nothing is called unknown without evidence.
import type { JsonValue, Sample } from '../types';
import { promptText } from '../run/sample-text';
import { boundedMemo } from '../text/bounded-memo';

function namesFromList(v: JsonValue | undefined): string[] | null {
  if (!Array.isArray(v)) return null;
  const out: string[] = [];
  for (const t of v) {
    if (t === null || typeof t !== 'object' || Array.isArray(t)) continue;
    const fn = t.function;
    const name = fn !== null && typeof fn === 'object' && !Array.isArray(fn) ? fn.name : t.name;
    if (typeof name === 'string') out.push(name);
  }
  return out.length ? out : null;
}

/** Names in the `<tools>…</tools>` blocks of the prompt (the template also names the tags in a sentence: `<tools></tools>`). */
export function toolsInPrompt(prompt: string): string[] | null {
  const out: string[] = [];
  for (let open = prompt.indexOf('<tools>'); open >= 0; open = prompt.indexOf('<tools>', open + 7)) {
    const close = prompt.indexOf('</tools>', open);
    namesInBlock(prompt.slice(open + 7, close < 0 ? prompt.length : close), out);
  }
  return out.length ? out : null;
}

function namesInBlock(block: string, out: string[]): void {
  for (const line of block.split('\n')) {
    const t = line.trim();
    if (!t.startsWith('{')) continue;
    try {
      const names = namesFromList([JSON.parse(t) as JsonValue]);
      if (names) out.push(...names);
    } catch {
      const m = /"name"\s*:\s*"([^"\\]+)"/.exec(t);
      if (m) out.push(m[1]);
    }
  }
}

/** `'name': 'x'` / `"name": "x"` pairs after the `oai_tools` key of a repr string. */
function namesInRepr(s: string): string[] | null {
  const at = s.indexOf('oai_tools');
  if (at < 0) return null;
  const out: string[] = [];
  const re = /['"]name['"]\s*:\s*['"]([A-Za-z0-9_.:-]{1,100})['"]/g;
  re.lastIndex = at;
  for (let m = re.exec(s); m; m = re.exec(s)) out.push(m[1]);
  return out.length ? out : null;
}

const toolsOfPrompt: (prompt: string) => string[] | null = boundedMemo(256, toolsInPrompt);

export function offeredTools(s: Sample): string[] | null {
  const raw = s.raw;
  if (raw !== null && typeof raw === 'object' && !Array.isArray(raw)) {
    const direct = namesFromList(raw.tools) ?? namesFromList(raw.oai_tools);
    if (direct) return direct;
    const info = raw.info;
    if (info !== null && typeof info === 'object' && !Array.isArray(info)) {
      const n = namesFromList(info.oai_tools) ?? namesFromList(info.tools);
      if (n) return n;
    } else if (typeof info === 'string') {
      const n = namesInRepr(info);
      if (n) return n;
    }
  }
  const p = promptText(s.prompt);
  if (p === null || !p.includes('<tools>')) return null;
  // Prompts repeat once per completion of a group: parse each distinct one once.
  return toolsOfPrompt(p);
}
