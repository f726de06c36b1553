// rolloutLens.severity (one object) with the deprecated rolloutLens.severity.<kind> keys as a fallback: which
// value wins, level by level, so that settings written for the old keys keep working.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { resolveSeverities, type SeverityLayer } from '../../../src/extension/severity-setting';
import { DEFAULT_SEVERITY } from '../../../src/extension/manifest/settings';

const none: SeverityLayer = { object: undefined, legacy: {} };

test('nothing set: the defaults', () => {
  assert.deepEqual(resolveSeverities([none, none, none]), DEFAULT_SEVERITY);
  assert.deepEqual(resolveSeverities([]), DEFAULT_SEVERITY);
});

test('the object sets some kinds; the others keep their defaults', () => {
  const r = resolveSeverities([none, none, { object: { 'language-mix': 'error', truncated: 'off' }, legacy: {} }]);
  assert.deepEqual(r, { ...DEFAULT_SEVERITY, 'language-mix': 'error', truncated: 'off' });
});

test('an old key still set by the user is read', () => {
  const r = resolveSeverities([none, none, { object: undefined, legacy: { repetition: 'hint', malformed: 'off' } }]);
  assert.equal(r.repetition, 'hint');
  assert.equal(r.malformed, 'off');
  assert.equal(r.format, DEFAULT_SEVERITY.format);
});

test('in one level the object wins over the old key; a more specific level wins whichever form it uses', () => {
  const user: SeverityLayer = { object: { tool: 'information' }, legacy: { tool: 'error', format: 'hint' } };
  assert.equal(resolveSeverities([none, none, user]).tool, 'information');
  assert.equal(resolveSeverities([none, none, user]).format, 'hint');
  const workspace: SeverityLayer = { object: undefined, legacy: { tool: 'off' } };
  assert.equal(resolveSeverities([none, workspace, user]).tool, 'off', 'an old workspace key overrides the user object');
  const folder: SeverityLayer = { object: { tool: 'warning' }, legacy: {} };
  assert.equal(resolveSeverities([folder, workspace, user]).tool, 'warning');
});

test('hand-edited nonsense is skipped, never thrown on: unknown levels, wrong types, an array', () => {
  const bad: SeverityLayer = { object: { 'language-mix': 'loud', repetition: 3, nope: 'error' }, legacy: { 'language-mix': 'critical' } };
  assert.deepEqual(resolveSeverities([bad]), DEFAULT_SEVERITY);
  assert.deepEqual(resolveSeverities([{ object: ['error'], legacy: {} }, { object: 'error', legacy: {} }]), DEFAULT_SEVERITY);
  // A bad value in the specific level falls through to a good one below it.
  assert.equal(resolveSeverities([bad, { object: { 'language-mix': 'hint' }, legacy: {} }])['language-mix'], 'hint');
});
