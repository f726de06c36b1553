// AnalyseInput.flagsOnly (RepetitionOptions.flagsOnly): the readers' workers keep only flags, so the repetition
// detector skips the compression ratio of tails that cannot be flagged compressible. The flags must be exactly the
// ones of the full analysis: every string of the real fixtures, and tails built to be compressible, both ways.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { analyseCompletion } from '../../../src/core/analyse';
import { detectRepetition } from '../../../src/core/detectors/repetition';
import { zlibCompressRatio } from '../../../src/node/zlib-ratio';
import { REAL, REAL2, jsonFilesUnder, needFixtures, stringsIn } from '../../support/fixtures';


/** Every string of 200+ characters in the fixture files (JSON or JSONL). */
function fixtureStrings(dirs: string[]): string[] {
  const out: string[] = [];
  for (const f of dirs.flatMap(jsonFilesUnder)) {
    const text = readFileSync(f, 'utf8');
    try {
      stringsIn(JSON.parse(text), 200, out);
    } catch {
      for (const line of text.split('\n')) {
        try {
          if (line.trim()) stringsIn(JSON.parse(line), 200, out);
        } catch {
          // not JSON: skip
        }
      }
    }
  }
  return out;
}

/** Tails that repeat with small variations (compressible, no exact tail loop), and some that barely repeat. */
function builtTails(): string[] {
  const out: string[] = [];
  const intro = 'We need to find the number of ways to arrange the letters so that no two vowels are adjacent.\n';
  for (let k = 0; k < 40; k++) {
    let s = intro;
    for (let i = 0; i < 60; i++) {
      s += k % 4 === 0 ? `Check case ${i}: the sum is ${i * 7 + k} and the product is ${i * 3}.\n` : `Step ${i}: ${['so', 'then', 'thus', 'hence'][(i * k) % 4]} the value ${i % (k + 2)} works ${i % 3 === 0 ? 'again' : 'here'}.\n`;
    }
    out.push(s);
  }
  return out;
}

test('flagsOnly: the same flags on every real fixture string, fewer compression ratios', { skip: needFixtures(REAL, REAL2) }, () => {
  const texts = [...fixtureStrings([REAL, REAL2]), ...builtTails()];
  assert.ok(texts.length > 500, `${texts.length} strings`);
  let skipped = 0;
  let compressible = 0;
  for (const t of texts) {
    const full = analyseCompletion({ completion: t, compressRatio: zlibCompressRatio });
    const lean = analyseCompletion({ completion: t, compressRatio: zlibCompressRatio, flagsOnly: true });
    assert.deepEqual(lean.flags, full.flags, t.slice(0, 80));
    if (full.repetition?.tailCompressRatio !== null && lean.repetition?.tailCompressRatio === null) skipped++;
    if (full.flags.some((f) => f.code === 'compressible')) compressible++;
    // Where a ratio is still computed it is the same one.
    if (lean.repetition?.tailCompressRatio !== null) assert.equal(lean.repetition?.tailCompressRatio, full.repetition?.tailCompressRatio);
  }
  assert.ok(skipped > 0, 'some ratios are skipped');
  assert.ok(compressible > 0, 'the corpus has compressible tails, so the flag itself is compared');
});

test('flagsOnly keeps the ratio exactly where the compressible flag can be raised', () => {
  for (const t of builtTails()) {
    const full = detectRepetition(t, { compressRatio: zlibCompressRatio });
    const lean = detectRepetition(t, { compressRatio: zlibCompressRatio, flagsOnly: true });
    assert.deepEqual(lean.flags, full.flags);
    // A custom gate above the flag's own seq-rep bound still decides, as without flagsOnly.
    const gated = detectRepetition(t, { compressRatio: zlibCompressRatio, flagsOnly: true, compressGate: 0.9 });
    assert.deepEqual(gated.flags, detectRepetition(t, { compressRatio: zlibCompressRatio, compressGate: 0.9 }).flags);
  }
});
