// FileTail / FolderTail on real temporary files: appends (only the new bytes, complete lines only), a partial
// line that waits, truncation, replacement by rename, deletion, a new step file joining a run folder, and the
// watcher path (no manual check) with its throttle.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { appendFileSync, mkdtempSync, renameSync, rmSync, truncateSync, unlinkSync, writeFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FileTail, FolderTail, lastLineEnd, type TailEvent } from '../../../src/node/file-tail';

const DEMO_STEP = join(__dirname, '..', '..', '..', 'demo', 'verl', '1.jsonl');
const demoLines = readFileSync(DEMO_STEP, 'utf8').split('\n').filter((l) => l.length > 0);

function tmp(): string {
  return mkdtempSync(join(tmpdir(), 'rl-tail-'));
}

function manualTail(path: string, from: 'start' | 'end' = 'end'): { tail: FileTail; events: TailEvent[] } {
  const events: TailEvent[] = [];
  const tail = new FileTail(path, { onEvent: (e) => events.push(e), pollMs: 0, watch: false, from });
  return { tail, events };
}

test('append: only the appended complete lines are reported, with their byte range', async () => {
  const dir = tmp();
  const f = join(dir, 'run.jsonl');
  writeFileSync(f, `${demoLines.slice(0, 4).join('\n')}\n`);
  const { tail, events } = manualTail(f);
  await tail.start();
  const start = tail.offset;
  assert.equal(start, Buffer.byteLength(`${demoLines.slice(0, 4).join('\n')}\n`));
  await tail.check();
  assert.equal(events.length, 0, 'nothing new, nothing reported');
  const more = `${demoLines.slice(4, 7).join('\n')}\n`;
  appendFileSync(f, more);
  await tail.check();
  assert.equal(events.length, 1);
  const e = events[0];
  assert.equal(e.kind, 'append');
  if (e.kind !== 'append') return;
  assert.equal(e.lines, 3);
  assert.equal(e.text, more);
  assert.equal(e.from, start);
  assert.equal(e.to, start + Buffer.byteLength(more));
  for (const l of e.text.trim().split('\n')) assert.equal((JSON.parse(l) as { step: number }).step, 1);
  tail.close();
  rmSync(dir, { recursive: true });
});

test('a trailing partial line waits for its newline', async () => {
  const dir = tmp();
  const f = join(dir, 'run.jsonl');
  writeFileSync(f, `${demoLines[0]}\n${demoLines[1].slice(0, 40)}`);
  const { tail, events } = manualTail(f);
  await tail.start();
  assert.equal(tail.offset, Buffer.byteLength(`${demoLines[0]}\n`), 'a partial last line is not counted as read');
  appendFileSync(f, demoLines[1].slice(40, 80));
  await tail.check();
  assert.equal(events.length, 0, 'still no newline');
  appendFileSync(f, `${demoLines[1].slice(80)}\n${demoLines[2].slice(0, 10)}`);
  await tail.check();
  assert.equal(events.length, 1);
  const e = events[0];
  assert.ok(e.kind === 'append');
  assert.equal(e.lines, 1);
  assert.deepEqual(JSON.parse(e.text), JSON.parse(demoLines[1]));
  tail.close();
  rmSync(dir, { recursive: true });
});

test('truncate: a file that shrank is reported for a re-read', async () => {
  const dir = tmp();
  const f = join(dir, 'run.jsonl');
  writeFileSync(f, `${demoLines.slice(0, 8).join('\n')}\n`);
  const { tail, events } = manualTail(f);
  await tail.start();
  truncateSync(f, 0);
  appendFileSync(f, `${demoLines[9]}\n`);
  await tail.check();
  assert.equal(events.length, 1);
  assert.deepEqual(events[0], { kind: 'reset', path: f, reason: 'truncated', size: Buffer.byteLength(`${demoLines[9]}\n`) });
  // Following goes on from the new content.
  appendFileSync(f, `${demoLines[10]}\n`);
  await tail.check();
  assert.equal(events.length, 2);
  assert.ok(events[1].kind === 'append' && events[1].lines === 1);
  tail.close();
  rmSync(dir, { recursive: true });
});

test('replace: a different file renamed over it is a reset; the same content renamed over it is an append', async () => {
  const dir = tmp();
  const f = join(dir, 'run.jsonl');
  writeFileSync(f, `${demoLines.slice(0, 4).join('\n')}\n`);
  const { tail, events } = manualTail(f);
  await tail.start();
  // An atomic rewrite that only appends (temp + rename, as some loggers do): same prefix, more lines.
  writeFileSync(join(dir, 'tmp1'), `${demoLines.slice(0, 6).join('\n')}\n`);
  renameSync(join(dir, 'tmp1'), f);
  await tail.check();
  assert.equal(events.length, 1);
  assert.ok(events[0].kind === 'append' && events[0].lines === 2);
  // A different run written over it, longer than what was read, so size alone would not tell.
  writeFileSync(join(dir, 'tmp2'), `${demoLines.slice(6, 16).join('\n')}\n`);
  renameSync(join(dir, 'tmp2'), f);
  await tail.check();
  assert.equal(events.length, 2);
  assert.ok(events[1].kind === 'reset' && events[1].reason === 'replaced');
  tail.close();
  rmSync(dir, { recursive: true });
});

test('delete: reported once, and the tail stops', async () => {
  const dir = tmp();
  const f = join(dir, 'run.jsonl');
  writeFileSync(f, `${demoLines[0]}\n`);
  const { tail, events } = manualTail(f);
  await tail.start();
  unlinkSync(f);
  await tail.check();
  await tail.check();
  assert.deepEqual(events, [{ kind: 'deleted', path: f }]);
  assert.equal(tail.isClosed, true);
  rmSync(dir, { recursive: true });
});

test('watch + poll: appends arrive without manual checks, at most one check per interval', async () => {
  const dir = tmp();
  const f = join(dir, 'run.jsonl');
  writeFileSync(f, `${demoLines[0]}\n`);
  const events: TailEvent[] = [];
  const lines = (): number => events.reduce((n, e) => n + (e.kind === 'append' ? e.lines : 0), 0);
  // Resolved by the tail's own events once the sixth line has arrived. The tail's timers and watcher do not keep the
  // process alive, so a deadline timer does (and fails the wait if the lines never come); it is no sleep: the wait
  // ends at the event.
  let allArrived!: () => void;
  let deadline: NodeJS.Timeout | undefined;
  const arrived = new Promise<void>((done, fail) => {
    allArrived = done;
    deadline = setTimeout(() => fail(new Error(`only ${lines()} of 6 appended lines arrived in 10 s`)), 10_000);
  }).finally(() => clearTimeout(deadline));
  const tail = new FileTail(f, { onEvent: (e) => { events.push(e); if (lines() >= 6) allArrived(); }, pollMs: 100, minIntervalMs: 300 });
  await tail.start();
  const t0 = Date.now();
  // The appends are spread over ~360 ms on purpose: the throttle is what this test measures.
  for (let i = 1; i <= 6; i++) {
    appendFileSync(f, `${demoLines[i]}\n`);
    await new Promise((r) => setTimeout(r, 60));
  }
  await arrived;
  assert.equal(lines(), 6, 'every appended line arrives');
  const elapsed = Date.now() - t0;
  // 6 appends over ~360 ms with a 300 ms throttle: at most elapsed/300 + 1 checks delivered anything.
  assert.ok(events.length <= Math.floor(elapsed / 300) + 1, `${events.length} events in ${elapsed} ms`);
  tail.close();
  rmSync(dir, { recursive: true });
});

test('run folder: a new step file joins, a deleted one is reported', async () => {
  const dir = tmp();
  writeFileSync(join(dir, '1.jsonl'), `${demoLines.slice(0, 4).join('\n')}\n`);
  const events: TailEvent[] = [];
  const ft = new FolderTail(dir, { onEvent: (e) => events.push(e), pollMs: 0, watch: false });
  await ft.start();
  assert.deepEqual(ft.files, [join(dir, '1.jsonl')]);
  writeFileSync(join(dir, '2.jsonl'), `${demoLines.slice(4, 8).join('\n')}\n`);
  writeFileSync(join(dir, 'notes.txt'), 'not a step file');
  appendFileSync(join(dir, '1.jsonl'), `${demoLines[8]}\n`);
  await ft.check();
  assert.deepEqual(events.map((e) => e.kind).sort(), ['added', 'append']);
  assert.ok(events.some((e) => e.kind === 'added' && e.path === join(dir, '2.jsonl')));
  assert.deepEqual(ft.files.sort(), [join(dir, '1.jsonl'), join(dir, '2.jsonl')]);
  unlinkSync(join(dir, '1.jsonl'));
  await ft.check();
  assert.ok(events.some((e) => e.kind === 'deleted' && e.path === join(dir, '1.jsonl')));
  assert.deepEqual(ft.files, [join(dir, '2.jsonl')]);
  ft.close();
  rmSync(dir, { recursive: true });
});

test('lastLineEnd: end of the last complete line', async () => {
  const dir = tmp();
  const f = join(dir, 'x.jsonl');
  writeFileSync(f, 'a\nbb\nccc');
  assert.equal(await lastLineEnd(f, 8), 5);
  writeFileSync(f, 'no newline');
  assert.equal(await lastLineEnd(f, 10), 0);
  rmSync(dir, { recursive: true });
});
