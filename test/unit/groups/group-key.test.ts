import { test } from 'node:test';
import assert from 'node:assert/strict';
import { digest128, groupMapKey, GroupKeys, KEEP_KEY_CHARS } from '../../../src/core/groups/group-key';
import { GroupBuilder, type GroupInput } from '../../../src/core/groups/group-builder';

const SYSTEM = 'system\nYou are a math expert. Call the `calc_gsm8k_reward` tool before you answer.\n# Tools\n<tools>{"type": "function"}</tools>\nuser\n';

test('short keys are kept as they are, long ones as their length and digest', () => {
  assert.equal(groupMapKey('p', 'What is 2 + 2?'), 'pWhat is 2 + 2?');
  assert.equal(groupMapKey('e', 'x'.repeat(KEEP_KEY_CHARS)), `e${'x'.repeat(KEEP_KEY_CHARS)}`);
  const long = `${SYSTEM}What is 2 + 2?`;
  const k = groupMapKey('p', long);
  assert.ok(k.startsWith(`P${long.length.toString(36)}:`), k);
  assert.ok(k.length < 40, `a digested key is short (${k.length} chars)`);
  // Deterministic: the same text, another string object, the same key.
  assert.equal(groupMapKey('p', [...long].join('')), k);
});

test('a digested key can never equal a kept one, nor a key of another kind', () => {
  const long = `${SYSTEM}q`;
  const d = groupMapKey('p', long);
  // A short prompt whose text is exactly the digested key's tail still gets a lower-case kind.
  assert.notEqual(groupMapKey('p', d.slice(1)), d);
  assert.notEqual(groupMapKey('e', long), d);
  assert.notEqual(groupMapKey('r', long), d);
});

test('digest128: a known value, and texts that differ by one code unit anywhere differ', () => {
  // Pinned: a changed digest would regroup nothing, but it must stay one function of the text across releases.
  assert.equal(digest128('abc'), 'jj568v.dqf5so.1tk5ztr.qng1l5');
  assert.equal(digest128(''), 'ortbi.1lngaw1.nqst8t.kvp7y4');
  const base = `${SYSTEM}Natalia sold clips to 48 of her friends in April, and then she sold half as many clips in May.`;
  const seen = new Set<string>([digest128(base)]);
  for (let i = 0; i < base.length; i++) {
    const c = base.charCodeAt(i);
    seen.add(digest128(base.slice(0, i) + String.fromCharCode(c ^ 1) + base.slice(i + 1)));
  }
  assert.equal(seen.size, base.length + 1, 'every one-unit change gives a new digest');
  // Surrogate pairs and lone surrogates are code units like any other.
  assert.notEqual(digest128('a\u{1F600}b'), digest128('a\uD83Db'));
});

test('GroupKeys remembers the last key and follows a change of kind or text', () => {
  const keys = new GroupKeys();
  const long = `${SYSTEM}q1`;
  assert.equal(keys.key('p', long), groupMapKey('p', long));
  assert.equal(keys.key('p', long), groupMapKey('p', long));
  assert.equal(keys.key('e', long), groupMapKey('e', long));
  assert.equal(keys.key('e', `${SYSTEM}q2`), groupMapKey('e', `${SYSTEM}q2`));
  assert.equal(keys.key('e', 'short'), 'eshort');
});

test('long prompts group exactly as the same prompts made short: interleaved, across steps, k·n runs', () => {
  // 3 prompts, 2 steps, shuffled members, one prompt repeated twice in a step (a k·n group split in runs of 4).
  const order = [0, 1, 0, 2, 1, 0, 2, 1, 0, 2, 1, 2, 3, 3, 3, 3, 3, 3, 3, 3];
  const steps = [1, 1, 1, 1, 1, 1, 1, 1, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2];
  const build = (text: (p: number) => string): ReturnType<GroupBuilder['finish']> => {
    const b = new GroupBuilder({ expectedSize: 4 });
    order.forEach((p, i) => b.add({ step: steps[i], split: null, groupKey: null, groupKeySource: 'none', promptKey: text(p) } satisfies GroupInput));
    return b.finish();
  };
  const short = build((p) => `q${p}`);
  const long = build((p) => `${SYSTEM}${'Solve it step by step. '.repeat(40)}q${p}`);
  assert.deepEqual([...long.groupOf], [...short.groupOf]);
  assert.deepEqual([...long.groupSource], [...short.groupSource]);
  assert.deepEqual(long.warnings, short.warnings);
  assert.equal(long.count, short.count);
  assert.ok(short.count >= 6, `groups formed (${short.count})`);
});
