// Accuracy against the shared answer-equivalence fixtures (docs/rewards.md §13.2, §13.3): zero false positives, and at
// least Python Math-Verify's agreement on the 33 judged answer pairs (30/33). The files are read, not copied.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { accuracyDetail, type RewardParams } from '../../../src/core/rewards/index';
import { PEER, needFixtures } from '../../support/fixtures';

interface Pair { id: number; gold: string; pred: string; exp: boolean | null; tag: string }
interface MvCase { test: string; gold: string; pred: string; exp: boolean; precision: number | null }

const skip = needFixtures(PEER);
const readPeer = <T>(f: string): T[] => (skip ? [] : (JSON.parse(readFileSync(join(PEER, f), 'utf8')) as T[]));
const pairs = readPeer<Pair>('answer-pairs.json');
const mv = readPeer<MvCase>('math-verify-cases.json');

/** Agreement of the reward's verdicts with the expected ones: false positives named, timings kept. */
class Agreement {
  agree = 0;
  judged = 0;
  readonly falsePositives: string[] = [];
  readonly misses: string[] = [];
  private readonly times: number[] = [];

  /** One verdict; true when it agrees. */
  add(got: boolean, expected: boolean, ms: number, what: string): boolean {
    this.times.push(ms);
    this.judged++;
    const ok = got === expected;
    if (ok) this.agree++;
    else this.misses.push(what);
    if (got && !expected) this.falsePositives.push(what);
    return ok;
  }

  timing(): string {
    const t = [...this.times].sort((a, b) => a - b);
    const mean = t.reduce((s, x) => s + x, 0) / Math.max(1, t.length);
    return `per comparison mean ${mean.toFixed(2)} ms, median ${t[t.length >> 1]?.toFixed(2)} ms, max ${t[t.length - 1]?.toFixed(1)} ms`;
  }
}

test('answer-pairs: 0 false positives, agreement ≥ Math-Verify ($-gold) 30/33', { skip }, () => {
  const n = new Agreement();
  for (const p of pairs) {
    // Inputs are bare (§13.3); the prediction goes through the reward's own extraction as a boxed answer.
    const d = accuracyDetail({ completion: `\\boxed{${p.pred}}`, gold: p.gold }, {});
    if (p.exp === null) {
      console.log(`  judgement pair ${p.id} (${p.tag}): ${d.score === 1} — ${d.reason}`);
      continue;
    }
    n.add(d.score === 1, p.exp, d.ms, `${p.id} ${p.tag}: ${d.reason}`);
  }
  console.log(`answer-pairs: ${n.agree}/${n.judged} agree, ${n.falsePositives.length} false positives; ${n.timing()} (first call includes CE start-up)`);
  for (const m of n.misses) console.log(`  miss ${m}`);
  assert.equal(n.falsePositives.length, 0);
  assert.ok(n.agree >= 30, `agreement ${n.agree}/33 below Math-Verify's 30/33`);
});

// Test-level settings of Math-Verify's tests/test_all.py (§13.2).
const PRECISION5 = new Set(['test_float_precision', 'test_sqrt_precision', 'test_symbols']);
const SET_REL_ALLOW = [true, false, true, false];

test('math-verify cases: 0 false positives', { skip }, () => {
  const n = new Agreement();
  let shortAgree = 0;
  let shortN = 0;
  let setRel = 0;
  for (const c of mv) {
    const params: RewardParams = { lenient: true, precision: c.precision ?? (PRECISION5.has(c.test) ? 5 : 6) };
    if (c.test === 'test_set_rel_assymetry') params['allowSetRelationComp'] = SET_REL_ALLOW[setRel++] ?? false;
    const d = accuracyDetail({ completion: c.pred, gold: c.gold }, params);
    const ok = n.add(d.score === 1, c.exp, d.ms, `${c.test}: ${d.reason}`);
    if (c.gold.length < 120 && c.pred.length < 120) { shortN++; if (ok) shortAgree++; }
  }
  console.log(`math-verify cases: ${n.agree}/${mv.length} agree (${shortAgree}/${shortN} on pairs < 120 chars), ${n.falsePositives.length} false positives; ${n.timing()}`);
  for (const f of n.falsePositives) console.log(`  FALSE POSITIVE ${f}`);
  assert.equal(n.falsePositives.length, 0);
  assert.ok(n.agree >= 160, `agreement ${n.agree}/${mv.length} regressed`);
});
