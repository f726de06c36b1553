// The program a code-RL completion submits: the LAST fenced block of the task's language, exactly as open-r1's
// `extract_code` reads it (docs/rewards.md §3.1: regex ```{language}\n(.*?)``` with DOTALL, last match, "" when none).
// The fence tag is matched literally (```python, not ```py or ```Python) because that is what decided the reward
// in training; when the only blocks use another tag we say which, so the user sees why the sample scored 0.

export interface ExtractedProgram {
  /** The program text, or null when the completion has no block of the language (open-r1 then runs ""). */
  code: string | null;
  /** How many blocks of the language were found (the last one is used). */
  blocks: number;
  /** Why no program was found, e.g. "no code block" or "no ```python block (found ```py, ```)". */
  reason?: string;
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** The last ```{language}\n…``` block of the completion (open-r1 `extract_code`). */
export function extractProgram(completion: string, language = 'python'): ExtractedProgram {
  const re = new RegExp('```' + escapeRegExp(language) + '\\n([\\s\\S]*?)```', 'g');
  const matches = [...completion.matchAll(re)].map((m) => m[1] ?? '');
  if (matches.length > 0) return { code: matches[matches.length - 1] ?? '', blocks: matches.length };
  const tags = otherFenceTags(completion);
  if (tags.length === 0) return { code: null, blocks: 0, reason: 'no code block' };
  return { code: null, blocks: 0, reason: `no \`\`\`${language} block (found ${tags.map((t) => '```' + t).join(', ')})` };
}

/** Distinct info strings of opening fences, for the "found ```py" hint. */
function otherFenceTags(completion: string): string[] {
  const seen = new Set<string>();
  // Opening fences alternate with closing ones; count every other fence line from the first.
  let open = true;
  for (const m of completion.matchAll(/```([^\n`]*)\n?/g)) {
    if (open) seen.add((m[1] ?? '').trim());
    open = !open;
  }
  return [...seen].slice(0, 4);
}
