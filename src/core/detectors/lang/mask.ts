// Non-linguistic spans that language detection must skip (docs/detection.md §10.6 step 1): code, maths, LaTeX commands,
// URLs and tags. One alternation regex, one pass; the result is a sorted list of disjoint [start, end) spans.
// `\text{…}` keeps its words because only the command name is masked, not its braces.

const MASK = new RegExp(
  [
    '```[\\s\\S]*?(?:```|$)',
    '~~~[\\s\\S]*?(?:~~~|$)',
    '`[^`\\n]+`',
    '\\$\\$[\\s\\S]*?\\$\\$',
    '\\\\\\[[\\s\\S]*?\\\\\\]',
    '\\\\\\([\\s\\S]*?\\\\\\)',
    '\\\\begin\\{([A-Za-z*]+)\\}[\\s\\S]*?\\\\end\\{\\1\\}',
    '\\$[^$\\n]+\\$',
    '\\\\[A-Za-z]+',
    'https?://[^\\s<>)\\]]+',
    'www\\.[^\\s<>)\\]]+',
    '</?[A-Za-z_|][^<>\\n]{0,40}>',
    '<\\|[^<>\\n]{0,40}\\|>',
  ].join('|'),
  'g',
);

/** Quick test for any character that can start a masked span. */
const TRIGGER = /[`~$\\<]|https?:|www\./;

export function maskSpans(text: string, from = 0, to = text.length): number[] {
  const out: number[] = [];
  const slice = from === 0 && to === text.length ? text : text.slice(from, to);
  if (!TRIGGER.test(slice)) return out;
  MASK.lastIndex = 0;
  for (let m = MASK.exec(slice); m; m = MASK.exec(slice)) {
    if (m[0].length === 0) {
      MASK.lastIndex++;
      continue;
    }
    out.push(from + m.index, from + m.index + m[0].length);
  }
  return out;
}
