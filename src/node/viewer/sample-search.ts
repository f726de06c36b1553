// Regex search over the prompts, reasoning and answers of a run. The run is streamed again (sequential reads
// beat one positioned read per sample) and re-normalised with the model's detection, so the k-th sample seen
// here is sample k of the model. Reads come in chunks, so the host stays responsive and the search can be
// cancelled; progress is reported as it goes.
import { readInput } from '../read-input';
import { normaliseRecord } from '../../core/formats/normalise';
import { segmentTrace } from '../../core/trace/segment';
import { completionText, promptText } from '../../core/run/sample-text';
import type { RunModel } from '../../core/run/run-builder';
import type { SearchField, SearchRequest } from '../../protocol/viewer-protocol';

export interface SearchProgress {
  scanned: number;
  matching: number;
  hits: Record<SearchField, number>;
}

export interface SearchResult {
  /** 1 for each sample index that matched in any searched field. */
  matches: Uint8Array;
  progress: SearchProgress;
}

/** Builds the regex; the global flag is added for counting. Throws a readable error for a bad pattern. */
export function compileSearch(req: SearchRequest): RegExp {
  const flags = [...new Set((req.flags.replace(/[^imsu]/g, '') + 'g').split(''))].join('');
  try {
    return new RegExp(req.pattern, flags);
  } catch (e) {
    throw new Error(`invalid regular expression: ${e instanceof Error ? e.message : String(e)}`);
  }
}

/** Number of matches of re in s (zero-length matches count once and do not loop). */
export function countMatches(re: RegExp, s: string): number {
  re.lastIndex = 0;
  let n = 0;
  for (let m = re.exec(s); m !== null; m = re.exec(s)) {
    n++;
    if (m[0].length === 0) re.lastIndex++;
    if (n >= 1_000_000) break;
  }
  return n;
}

/** The searchable parts of a sample, as the detail view shows them. */
export function searchFields(prompt: string | null, completion: string): Record<SearchField, string> {
  const seg = segmentTrace(completion, { prompt });
  const reasoning = seg.reasoning ? completion.slice(seg.reasoning.start, seg.reasoning.end) : '';
  const answer = seg.answerRegion ? completion.slice(seg.answerRegion.start, seg.answerRegion.end) : '';
  return { prompt: prompt ?? '', reasoning, answer };
}

export async function searchRun(
  path: string,
  model: RunModel,
  req: SearchRequest,
  opts: { signal?: AbortSignal; chunkSize?: number; onProgress?(p: SearchProgress): void; everyMs?: number } = {},
): Promise<SearchResult> {
  const re = compileSearch(req);
  const det = model.detection;
  const matches = new Uint8Array(model.count);
  const progress: SearchProgress = { scanned: 0, matching: 0, hits: { prompt: 0, reasoning: 0, answer: 0 } };
  if (det === null || req.fields.length === 0) return { matches, progress };
  let ctx = { stepFromName: null as number | null, split: model.files[0]?.split ?? null };
  let last = 0;
  const every = opts.everyMs ?? 150;
  await readInput(path, {
    onFile: (info) => { ctx = { stepFromName: info.stepFromName, split: info.split }; },
    onRecord: (raw) => {
      const out = normaliseRecord(raw, det, ctx);
      if (!Array.isArray(out)) return;
      for (const s of out) {
        const i = progress.scanned++;
        if (i >= model.count) return;
        const parts = searchFields(promptText(s.prompt), completionText(s.completion));
        let any = false;
        for (const f of req.fields) {
          const n = countMatches(re, parts[f]);
          if (n > 0) {
            progress.hits[f] += n;
            any = true;
          }
        }
        if (any) {
          matches[i] = 1;
          progress.matching++;
        }
      }
    },
    onProgress: () => {
      const now = performance.now();
      if (now - last < every) return;
      last = now;
      opts.onProgress?.({ ...progress, hits: { ...progress.hits } });
    },
  }, { signal: opts.signal, chunkSize: opts.chunkSize ?? 1 << 20 });
  return { matches, progress };
}
