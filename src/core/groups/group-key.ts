// The GroupBuilder's map keys. A prompt key is the whole prompt text, and the builder keeps one key per group until
// the load ends: on agentic dumps, whose prompts carry a system prompt and the tool schemas (1.5 KB and more), those
// keys were the viewer scan's largest live heap (26 MB on a 1 GB verl multi-turn dump, ~2.5 KB per group). A long
// key is therefore kept as its length and a 128-bit digest (about 30 characters) instead of its text. (The viewer
// scan keeps no Flag objects: flags are one bit per kind per sample, see RunModel.columns.flagBits.)

/** Keys up to this many characters are kept as they are (a digest would not be shorter). */
export const KEEP_KEY_CHARS = 48;

/** Key kinds: explicit group id, row key, prompt text. */
export type GroupKeyKind = 'e' | 'r' | 'p';

/**
 * The map key of `text` for its kind: `kind + text` when short; else the kind in upper case (so a digested key can
 * never equal a kept one), the length and the digest. Two different texts share a digested key only on a 128-bit
 * hash collision (and the same length).
 */
export function groupMapKey(kind: GroupKeyKind, text: string): string {
  if (text.length <= KEEP_KEY_CHARS) return kind + text;
  return `${kind.toUpperCase()}${text.length.toString(36)}:${digest128(text)}`;
}

/**
 * groupMapKey with the last answer kept: a group's samples usually come one after another, so most samples cost a
 * string comparison (pointer equality for the parallel reader, whose ranges share one string per prompt) and only
 * the first of a group pays for the digest.
 */
export class GroupKeys {
  private lastKind: GroupKeyKind | null = null;
  private lastText = '';
  private lastKey = '';

  key(kind: GroupKeyKind, text: string): string {
    if (kind !== this.lastKind || text !== this.lastText) {
      this.lastKind = kind;
      this.lastText = text;
      this.lastKey = groupMapKey(kind, text);
    }
    return this.lastKey;
  }
}

/**
 * cyrb128 (bryc, public domain): four 32-bit multiply-xor lanes over the UTF-16 code units, one pass. Not
 * cryptographic: prompts come from the run's dataset, and a collision would only merge two groups of one step.
 */
export function digest128(s: string): string {
  let h1 = 1779033703;
  let h2 = 3144134277;
  let h3 = 1013904242;
  let h4 = 2773480762;
  for (let i = 0; i < s.length; i++) {
    const k = s.charCodeAt(i);
    h1 = h2 ^ Math.imul(h1 ^ k, 597399067);
    h2 = h3 ^ Math.imul(h2 ^ k, 2869860233);
    h3 = h4 ^ Math.imul(h3 ^ k, 951274213);
    h4 = h1 ^ Math.imul(h4 ^ k, 2716044179);
  }
  h1 = Math.imul(h3 ^ (h1 >>> 18), 597399067);
  h2 = Math.imul(h4 ^ (h2 >>> 22), 2869860233);
  h3 = Math.imul(h1 ^ (h3 >>> 17), 951274213);
  h4 = Math.imul(h2 ^ (h4 >>> 19), 2716044179);
  h1 ^= h2 ^ h3 ^ h4;
  h2 ^= h1;
  h3 ^= h1;
  h4 ^= h1;
  return `${(h1 >>> 0).toString(36)}.${(h2 >>> 0).toString(36)}.${(h3 >>> 0).toString(36)}.${(h4 >>> 0).toString(36)}`;
}
