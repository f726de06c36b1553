// Finds where a sample's completion text sits on its JSONL line, so that a span of the decoded completion
// (a flag, a think/answer segment) becomes raw column ranges of that line. A chat-message completion (verifiers)
// is several string literals, one per assistant message, joined by completionText(): each piece is located and
// mapped on its own. Pure core.
import { completionPieces, type CompletionPiece } from '../run/sample-text';
import type { TextOrMessages } from '../types';
import { JsonStringMap, decodeRaw, findStringAtPath, findStringsWithValue, parseFieldPath, type RawStringSpan } from './json-string-map';

export interface LocateInput {
  /** The raw JSONL line (as the editor shows it). */
  line: string;
  completion: TextOrMessages;
  /** The detected field path of the completion role (FormatDetection.fields.completion), if any. */
  completionField: string | null;
  /** Index of the sample inside a row holding a group (Sample.sampleIndex). */
  sampleIndex: number | null;
  /** The format wraps every value in a one-element list (NeMo-RL). */
  unwrapLists?: boolean;
}

interface LocatedPiece {
  piece: CompletionPiece;
  map: JsonStringMap;
}

export class CompletionLocator {
  private constructor(private readonly pieces: LocatedPiece[]) {}

  /** Null when no piece of the completion can be found on the line (e.g. a rebuilt or re-tokenised field). */
  static locate(input: LocateInput): CompletionLocator | null {
    const pieces = completionPieces(input.completion);
    const located: LocatedPiece[] = [];
    const used = new Set<number>();
    for (const piece of pieces) {
      const text = pieceText(input.completion, piece);
      if (text.length === 0) continue;
      const span = byPath(input, piece, text) ?? byValue(input.line, text, used);
      if (!span) continue;
      used.add(span.start);
      located.push({ piece, map: new JsonStringMap(input.line, span) });
    }
    return located.length > 0 ? new CompletionLocator(located) : null;
  }

  /**
   * Raw line ranges covering the decoded completion span [start, end). Parts of the span that fall on text no
   * field holds (the '\n\n' between messages, synthetic think tags) are skipped, so a span may give 0..n ranges.
   */
  toRaw(start: number, end: number): RawStringSpan[] {
    const out: RawStringSpan[] = [];
    for (const { piece, map } of this.pieces) {
      if (start === end) {
        // An empty span (e.g. "truncated here" at the very end) is a point: map it in the piece that holds it.
        if (start >= piece.start && start <= piece.end) return [map.rangeToRaw(start - piece.start, start - piece.start)];
        continue;
      }
      const s = Math.max(start, piece.start);
      const e = Math.min(end, piece.end);
      if (e > s) out.push(map.rangeToRaw(s - piece.start, e - piece.start));
    }
    return out;
  }

  /** Raw content spans of every located piece (whole string literals). */
  get literals(): RawStringSpan[] {
    return this.pieces.map((p) => p.map.span);
  }
}

function pieceText(c: TextOrMessages, piece: CompletionPiece): string {
  if (typeof c === 'string') return c;
  const m = c[piece.message ?? 0];
  return piece.part === 'reasoning' ? m?.reasoning ?? '' : m?.content ?? '';
}

function candidatePaths(input: LocateInput, piece: CompletionPiece): (string | number)[][] {
  if (input.completionField === null || piece.part === 'reasoning') return [];
  const base = parseFieldPath(input.completionField);
  const heads: (string | number)[][] = [];
  const wrapped = input.unwrapLists ? [...base, 0] : base;
  if (input.sampleIndex !== null) heads.push([...wrapped, input.sampleIndex], [...base, input.sampleIndex]);
  heads.push(wrapped);
  if (input.unwrapLists) heads.push(base);
  if (piece.message === null) return heads;
  return heads.map((h) => [...h, piece.message ?? 0, 'content']);
}

function byPath(input: LocateInput, piece: CompletionPiece, text: string): RawStringSpan | null {
  for (const path of candidatePaths(input, piece)) {
    const span = findStringAtPath(input.line, path);
    if (!span) continue;
    const raw = input.line.slice(span.start, span.end);
    if ((raw.includes('\\') ? decodeRaw(raw) : raw) === text) return span;
  }
  return null;
}

function byValue(line: string, text: string, used: Set<number>): RawStringSpan | null {
  for (const lit of findStringsWithValue(line, text)) if (!used.has(lit.start)) return lit;
  return null;
}
