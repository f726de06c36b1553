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

test('answer-pairs: 0 false positives, agreement ≥ Math-Verify ($-gold) 30/33', { skip }, () => {
  let agree = 0;
  let judged = 0;
  let fp = 0;
  const misses: string[] = [];
  const times: number[] = [];
  for (const p of pairs) {
    // Inputs are bare (§13.3); the prediction goes through the reward's own extraction as a boxed answer.
    const d = accuracyDetail({ completion: `\\boxed{${p.pred}}`, gold: p.gold }, {});
    times.push(d.ms);
    const got = d.score === 1;
    if (p.exp === null) {
      console.log(`  judgement pair ${p.id} (${p.tag}): ${got} — ${d.reason}`);
      continue;
    }
    judged++;
    if (got === p.exp) agree++;
    else misses.push(`${p.id} ${p.tag}: ${d.reason}`);
    if (got && !p.exp) fp++;
  }
  times.sort((a, b) => a - b);
  console.log(`answer-pairs: ${agree}/${judged} agree, ${fp} false positives; median ${times[times.length >> 1]?.toFixed(2)} ms, max ${times[times.length - 1]?.toFixed(1)} ms (first call includes CE start-up)`);
  for (const m of misses) console.log(`  miss ${m}`);
  assert.equal(fp, 0);
  assert.ok(agree >= 30, `agreement ${agree}/33 below Math-Verify's 30/33`);
});

// Test-level settings of Math-Verify's tests/test_all.py (§13.2).
const PRECISION5 = new Set(['test_float_precision', 'test_sqrt_precision', 'test_symbols']);
const SET_REL_ALLOW = [true, false, true, false];

test('math-verify cases: 0 false positives', { skip }, () => {
  let agree = 0;
  let fp = 0;
  let shortAgree = 0;
  let shortN = 0;
  let setRel = 0;
  const fps: string[] = [];
  const times: number[] = [];
  for (const c of mv) {
    const params: RewardParams = { lenient: true, precision: c.precision ?? (PRECISION5.has(c.test) ? 5 : 6) };
    if (c.test === 'test_set_rel_assymetry') params['allowSetRelationComp'] = SET_REL_ALLOW[setRel++] ?? false;
    const d = accuracyDetail({ completion: c.pred, gold: c.gold }, params);
    times.push(d.ms);
    const got = d.score === 1;
    const ok = got === c.exp;
    if (ok) agree++;
    if (got && !c.exp) { fp++; fps.push(`${c.test}: ${d.reason}`); }
    if (c.gold.length < 120 && c.pred.length < 120) { shortN++; if (ok) shortAgree++; }
  }
  times.sort((a, b) => a - b);
  const mean = times.reduce((s, t) => s + t, 0) / times.length;
  console.log(`math-verify cases: ${agree}/${mv.length} agree (${shortAgree}/${shortN} on pairs < 120 chars), ${fp} false positives; per comparison mean ${mean.toFixed(2)} ms, median ${times[times.length >> 1]?.toFixed(2)} ms, max ${times[times.length - 1]?.toFixed(1)} ms`);
  for (const f of fps) console.log(`  FALSE POSITIVE ${f}`);
  assert.equal(fp, 0);
  assert.ok(agree >= 160, `agreement ${agree}/${mv.length} regressed`);
});
