// TRL re-logged batches (docs/formats.md §3.4, §4): the completion deques are not cleared after logging, so the
// same generation batch can be written again under later step numbers. We compare whole batches (the ordered
// rows of one step), never single rows: identical short completions inside a group are legitimate.
// Streaming: each row contributes a 53-bit hash to its step's running batch hash; only hashes are kept.

export interface RelogResult {
  /** 1 for samples of a batch that repeats an earlier step's batch (to be dropped). */
  drop: Uint8Array;
  dropped: number;
  /** Each re-logged step and the first step that logged the same batch. */
  relogged: { step: number; sameAs: number }[];
}

/** cyrb53: a fast 53-bit string hash; collisions over whole ordered batches are negligible. */
export function hash53(str: string, seed = 0): number {
  startHash(seed);
  feedHash(str);
  return finishHash();
}

/** The row identity used for batch comparison: prompt, completion, reward columns and advantage. */
export function relogFingerprint(prompt: string, completion: string, rewards: ArrayLike<number | null>, advantage: number | null): string {
  let s = `${prompt}\u0000${completion}\u0000`;
  for (let i = 0; i < rewards.length; i++) s += `${rewards[i]}\u0001`;
  return `${s}\u0000${advantage}`;
}

/**
 * hash53(relogFingerprint(prompt, completion, rewards, advantage)), the same number, without building the string:
 * the hash is fed part by part. It runs on every TRL row (the completion is most of the file's text), and reading
 * the characters of the concatenated fingerprint (a rope of parts V8 must flatten into a copy first) cost several
 * times as much as hashing the parts where they lie.
 */
export function relogRowHash(prompt: string, completion: string, rewards: ArrayLike<number | null>, advantage: number | null): number {
  startHash(0);
  feedHash(prompt);
  feedHash('\u0000');
  feedHash(completion);
  feedHash('\u0000');
  for (let i = 0; i < rewards.length; i++) {
    feedHash(String(rewards[i]));
    feedHash('\u0001');
  }
  feedHash('\u0000');
  feedHash(String(advantage));
  return finishHash();
}

/** cyrb53's two lanes after the parts fed so far: hash53 feeds one string, relogRowHash several. */
let lane1 = 0;
let lane2 = 0;

function startHash(seed: number): void {
  lane1 = 0xdeadbeef ^ seed;
  lane2 = 0x41c6ce57 ^ seed;
}

function feedHash(str: string): void {
  // Locals inside the loop: module variables would be read and written on every character.
  let h1 = lane1;
  let h2 = lane2;
  for (let i = 0; i < str.length; i++) {
    const ch = str.charCodeAt(i);
    h1 = Math.imul(h1 ^ ch, 2654435761);
    h2 = Math.imul(h2 ^ ch, 1597334677);
  }
  lane1 = h1;
  lane2 = h2;
}

function finishHash(): number {
  let h1 = lane1;
  let h2 = lane2;
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return 4294967296 * (2097151 & h2) + (h1 >>> 0);
}

interface Batch {
  step: number;
  start: number;
  end: number;
  hash: number;
}

export class RelogDetector {
  private readonly batches: Batch[] = [];
  private current: Batch | null = null;
  private count = 0;

  /** Adds the next sample in file order. Samples without a step never count as re-logs. */
  add(step: number | null, fingerprint: string): void {
    this.addRowHash(step, step === null ? 0 : hash53(fingerprint));
  }

  /**
   * add() with the row's hash53(fingerprint) computed elsewhere: the parallel reader's workers hash their rows and
   * this thread combines the hashes in file order, so batches that span two byte ranges hash as in one pass.
   */
  addRowHash(step: number | null, row: number): void {
    const i = this.count++;
    if (step === null) {
      this.close();
      return;
    }
    if (!this.current || this.current.step !== step) {
      this.close();
      this.current = { step, start: i, end: i, hash: 0 };
    }
    // Order-sensitive combination: the same rows in another order are a different batch.
    this.current.hash = hash53(`${this.current.hash}:${row}`);
    this.current.end = i + 1;
  }

  private close(): void {
    if (this.current) this.batches.push(this.current);
    this.current = null;
  }

  finish(): RelogResult {
    this.close();
    const drop = new Uint8Array(this.count);
    const firstByHash = new Map<string, Batch>();
    const relogged: { step: number; sameAs: number }[] = [];
    let dropped = 0;
    for (const b of this.batches) {
      const key = `${b.hash}:${b.end - b.start}`;
      const first = firstByHash.get(key);
      if (first && first.step !== b.step && b.step > first.step) {
        drop.fill(1, b.start, b.end);
        dropped += b.end - b.start;
        relogged.push({ step: b.step, sameAs: first.step });
      } else if (!first) firstByHash.set(key, b);
    }
    return { drop, dropped, relogged };
  }
}
