// CPU seconds of the workers' per-range preparation (range-prepare.ts: split, parse, normalise, every detector on
// every sample), run on this one thread over a whole JSONL slice, so that a hot path can be measured and profiled
// without the worker pool or the main thread's merge in the figures. Also prints a digest of every sample's flags
// and columns: a speed-up must leave it unchanged (compare the digest before and after).
//   head -c 16000000 bench-data/rollouts-real-1024mb.jsonl > /tmp/real-16.jsonl
//   node scripts/build.mjs && node dist/bench-prepare.js /tmp/real-16.jsonl [--repeat 3] [--lang auto]
//   node --cpu-prof --cpu-prof-dir /tmp/prof dist/bench-prepare.js /tmp/real-16.jsonl   (a bundle, as the workers run: tsx
//   turns every import into a getter call, which distorts a profile)
import { createHash } from 'node:crypto';
import { closeSync, openSync, readSync, statSync } from 'node:fs';
import { detectFormat } from '../src/core/formats/detect';
import { conventionsOfRecords } from '../src/core/run/conventions';
import type { JsonValue } from '../src/core/types';
import { prepareRange } from '../src/node/range-prepare';
import type { RangeResult, RangeTask } from '../src/node/range-messages';

function firstRecords(path: string, want: number): JsonValue[] {
  const fd = openSync(path, 'r');
  try {
    const buf = Buffer.alloc(Math.min(statSync(path).size, 64 << 20));
    const n = readSync(fd, buf, 0, buf.length, 0);
    const out: JsonValue[] = [];
    let p = 0;
    while (out.length < want && p < n) {
      let nl = buf.indexOf(0x0a, p);
      if (nl < 0 || nl > n) nl = n;
      const line = buf.toString('utf8', p, nl).trim();
      if (line) out.push(JSON.parse(line) as JsonValue);
      p = nl + 1;
    }
    return out;
  } finally {
    closeSync(fd);
  }
}

/** Everything a range hands back that depends on the analysis: flags, bits, columns, strings, events. */
function digest(r: RangeResult): string {
  const h = createHash('sha256');
  h.update(JSON.stringify(r.flags));
  for (const a of [r.flagBits, r.reward, r.advantage, r.step, r.chars, r.line, r.record, r.groupKey, r.promptKey, r.turns, r.toolCalls, r.toolErrors, r.relogHash]) {
    if (a) h.update(new Uint8Array(a.buffer, a.byteOffset, a.byteLength));
  }
  h.update(JSON.stringify([r.strings, r.events, r.toolNames, r.malformedCalls, r.toolNameList, r.lines, r.records]));
  return h.digest('hex').slice(0, 16);
}

function main(): void {
  const args = process.argv.slice(2);
  const path = args.find((a) => !a.startsWith('--'));
  if (!path) throw new Error('usage: prepare-cpu.ts FILE.jsonl [--repeat N] [--lang auto]');
  const opt = (name: string, dflt: string): string => {
    const i = args.indexOf(`--${name}`);
    return i >= 0 && args[i + 1] !== undefined ? args[i + 1] : dflt;
  };
  const repeat = Number(opt('repeat', '1'));
  const values = firstRecords(path, 20);
  const detection = detectFormat(values, { fileName: path });
  if (detection === null) throw new Error(`${path}: format not recognised`);
  const task: RangeTask = {
    type: 'range', id: 0, path, start: 0, end: statSync(path).size, last: true, detection, stepFromName: null, split: null,
    analyse: true, keepFlags: true, keepOffsets: false, lang: opt('lang', 'auto'), conventions: conventionsOfRecords(values, detection, path),
  };
  const times: number[] = [];
  let d = '';
  let samples = 0;
  for (let i = 0; i < repeat; i++) {
    const c0 = process.cpuUsage();
    const r = prepareRange(task);
    const c = process.cpuUsage(c0);
    times.push((c.user + c.system) / 1e6);
    d = digest(r);
    samples = r.flagBits.length;
  }
  const best = Math.min(...times);
  console.log(`${path}: format ${detection.format}, ${samples} samples, CPU s ${times.map((t) => t.toFixed(2)).join(' ')} (best ${best.toFixed(2)}), digest ${d}`);
}

main();
