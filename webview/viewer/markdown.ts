// Model text rendered as Markdown + KaTeX, safely: markdown-it with html disabled (tags in the text stay
// text), no images (they would be blocked by the CSP anyway), table alignment as classes (markdown-it writes
// style attributes, which the CSP forbids), and math rendered with katex.render into DOM nodes — KaTeX's
// DOM output sets styles through the CSSOM, unlike renderToString's style attributes. trust:false.
import MarkdownIt from 'markdown-it';
import katex from 'katex';

const md = new MarkdownIt({ html: false, linkify: false, typographer: false, breaks: true });
md.disable(['image']);

interface InlineState {
  src: string;
  pos: number;
  posMax: number;
  push(type: string, tag: string, nesting: number): { content: string; markup: string; attrs: [string, string][] | null };
}

/**
 * $…$, $$…$$, \(…\) and \[…\] become math tokens (content escaped as an attribute, rendered later). A single `$`
 * follows Pandoc ($x$: no space inside the dollars, so "$5 and $10" stays text), and also takes the padded
 * `$ L $` that Qwen3 / R1-style models write: padded on both sides, on one line, not followed by a digit.
 */
function mathInline(state: InlineState, silent: boolean): boolean {
  const src = state.src;
  const start = state.pos;
  const pairs: [string, string, boolean][] = [['$$', '$$', true], ['\\[', '\\]', true], ['\\(', '\\)', false], ['$', '$', false]];
  for (const [open, close, display] of pairs) {
    if (!src.startsWith(open, start)) continue;
    if (open === '$' && src[start + 1] === undefined) return false;
    const end = src.indexOf(close, start + open.length);
    if (end < 0 || end === start + open.length) return false;
    const content = src.slice(start + open.length, end);
    if (open === '$' && !singleDollarMath(content, src[end + 1])) return false;
    if (!silent) {
      const t = state.push('math', 'span', 0);
      t.content = content;
      t.markup = display ? 'display' : 'inline';
    }
    state.pos = end + close.length;
    return true;
  }
  return false;
}

function singleDollarMath(content: string, after: string | undefined): boolean {
  if (/\n\s*\n/.test(content) || content.trim() === '') return false;
  if (!content.startsWith(' ')) return !content.endsWith(' ');
  return content.endsWith(' ') && !content.includes('\n') && !(after !== undefined && after >= '0' && after <= '9');
}

md.inline.ruler.before('escape', 'math', mathInline as unknown as Parameters<typeof md.inline.ruler.before>[2]);
md.renderer.rules['math'] = (tokens, idx) => {
  const t = tokens[idx];
  return `<span class="math math-${t.markup}" data-tex="${md.utils.escapeHtml(t.content)}"></span>`;
};
md.core.ruler.push('align-classes', (state) => {
  for (const t of state.tokens) {
    const style = t.attrGet('style');
    if (typeof style !== 'string' && style !== null) continue;
    if (style === null) continue;
    const m = /text-align:(left|right|center)/.exec(style);
    t.attrs = (t.attrs ?? []).filter(([k]) => k !== 'style');
    if (m) t.attrJoin('class', `align-${m[1]}`);
  }
  return true;
});

/** Renders `text` into `el` (replacing its content). */
export function renderMarkdown(el: HTMLElement, text: string): void {
  el.innerHTML = md.render(text); // html:false: the source's tags are escaped, so this is markdown-it's own markup
  for (const a of el.querySelectorAll('a')) a.setAttribute('rel', 'noreferrer noopener');
  for (const m of el.querySelectorAll<HTMLElement>('span.math')) {
    const tex = m.dataset.tex ?? '';
    try {
      katex.render(tex, m, { displayMode: m.classList.contains('math-display'), throwOnError: true, trust: false, strict: 'ignore', output: 'htmlAndMathml' });
    } catch (e) {
      // Broken LaTeX stays readable as its source text. Not KaTeX's own error span (throwOnError: false): it sets
      // a style attribute, which the CSP blocks (and logs); the colour goes through the CSSOM instead.
      m.textContent = tex;
      m.classList.add('katex-error');
      m.title = e instanceof Error ? e.message : String(e);
      m.style.color = 'var(--vscode-errorForeground)';
    }
  }
}
