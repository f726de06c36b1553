// Test cases for the code reward, read from a rollout record in the shapes code-RL frameworks log them:
// - open-r1 `verification_info`: {"language", "test_cases": [{"input", "output", "type": "stdin_stdout"}]};
// - APPS / TACO / verl prime_code `input_output` (often a JSON string): {"inputs": [...], "outputs": [...],
//   "fn_name"?} — with fn_name every input is the argument list of a call, without it a stdin text;
// - DeepCoder / LiveCodeBench `test_cases` / `tests`: [{"input", "output", "testtype": "stdin"|"functional",
//   "metadata": {"func_name"}}] (functional inputs are one JSON value per line);
// - MBPP `test_list` (+ `test_setup_code`, `test_imports`) and HumanEval `test` + `entry_point`: assert scripts;
// - any of these as verl's `reward_model.ground_truth` / `gts` (a JSON string or the value itself).
// Pure: the caller passes the record and the gold value the reader mapped.
import type { JsonObject, JsonValue } from '../types';

/** One test: stdin → expected stdout, a function call → expected return value, or an assert script. */
export type CodeTest =
  | { kind: 'stdio'; input: string; output: string }
  | { kind: 'call'; fnName: string; args: JsonValue[]; expected: JsonValue }
  | { kind: 'assert'; script: string };

export interface TestSuite {
  tests: CodeTest[];
  /** Where the tests came from, e.g. "verification_info (open-r1)". */
  source: string;
  /** Language stated by the record (open-r1 `verification_info.language`, a `language` column), else null. */
  language: string | null;
}

export type TestSuiteResult = TestSuite | { error: string };

function isObject(v: JsonValue | undefined): v is JsonObject {
  return v !== null && v !== undefined && typeof v === 'object' && !Array.isArray(v);
}

/** A value that may be logged as a JSON string (verl/prime store test cases that way). */
function decoded(v: JsonValue | undefined): JsonValue | undefined {
  if (typeof v !== 'string') return v;
  const t = v.trim();
  if (!(t.startsWith('{') || t.startsWith('['))) return v;
  try {
    return JSON.parse(t) as JsonValue;
  } catch {
    return v;
  }
}

function get(o: JsonValue | undefined, path: string): JsonValue | undefined {
  let cur: JsonValue | undefined = o;
  for (const k of path.split('.')) {
    cur = decoded(cur);
    if (!isObject(cur)) return undefined;
    cur = cur[k];
  }
  return decoded(cur);
}

/** stdin/stdout values are strings, or lists of lines in some dumps. */
function text(v: JsonValue | undefined): string | null {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (Array.isArray(v) && v.every((x) => typeof x === 'string' || typeof x === 'number')) return v.map(String).join('\n');
  return null;
}

function argsOf(input: JsonValue): JsonValue[] {
  return Array.isArray(input) ? input : [input];
}

/** LiveCodeBench functional input: one JSON value per line. */
function argsFromLines(input: string): JsonValue[] {
  return input.split('\n').filter((l) => l.trim() !== '').map((l) => {
    try {
      return JSON.parse(l) as JsonValue;
    } catch {
      return l;
    }
  });
}

function parseExpected(v: JsonValue): JsonValue {
  return typeof v === 'string' ? (decoded(v) ?? v) : v;
}

/** {"inputs": [...], "outputs": [...], "fn_name"?} (APPS, TACO, prime_code). */
function fromInputsOutputs(v: JsonObject): CodeTest[] | string {
  const inputs = v.inputs;
  const outputs = v.outputs;
  if (!Array.isArray(inputs) || !Array.isArray(outputs)) return 'inputs/outputs are not lists';
  if (inputs.length !== outputs.length) return `${inputs.length} inputs but ${outputs.length} outputs`;
  const fn = typeof v.fn_name === 'string' && v.fn_name !== '' ? v.fn_name : null;
  const tests: CodeTest[] = [];
  for (let i = 0; i < inputs.length; i++) {
    const input = inputs[i] ?? null;
    const output = outputs[i] ?? null;
    if (fn) {
      tests.push({ kind: 'call', fnName: fn, args: argsOf(input), expected: output });
      continue;
    }
    const inText = text(input);
    const outText = text(output);
    if (inText === null || outText === null) return `test ${i}: stdin/stdout are not text`;
    tests.push({ kind: 'stdio', input: inText, output: outText });
  }
  return tests;
}

/** [{"input", "output", "type"|"testtype"?, "metadata"?}] (open-r1, DeepCoder, LiveCodeBench). */
function fromCaseList(list: JsonValue[], fnFallback: string | null): CodeTest[] | string {
  const tests: CodeTest[] = [];
  for (let i = 0; i < list.length; i++) {
    const c = list[i];
    if (typeof c === 'string' && /^\s*assert\b/.test(c)) {
      tests.push({ kind: 'assert', script: c });
      continue;
    }
    if (!isObject(c)) return `test ${i} is not an object`;
    const type = typeof c.testtype === 'string' ? c.testtype : typeof c.type === 'string' ? c.type : 'stdin';
    const input = c.input ?? c.stdin ?? null;
    const output = c.output ?? c.expected_output ?? c.stdout ?? null;
    if (type === 'functional' || type === 'function_call') {
      const fn = get(c, 'metadata.func_name') ?? c.fn_name ?? fnFallback;
      if (typeof fn !== 'string') return `test ${i}: functional test without a function name`;
      const args = typeof input === 'string' ? argsFromLines(input) : argsOf(input);
      tests.push({ kind: 'call', fnName: fn, args, expected: parseExpected(output) });
      continue;
    }
    const inText = text(input) ?? '';
    const outText = text(output);
    if (outText === null) return `test ${i} has no output`;
    tests.push({ kind: 'stdio', input: inText, output: outText });
  }
  return tests;
}

/** A value holding tests in any of the shapes above (used for the named fields and for the gold). */
function fromValue(v: JsonValue | undefined, fnFallback: string | null): CodeTest[] | string | null {
  const d = decoded(v);
  if (d === undefined || d === null) return null;
  if (isObject(d)) {
    if (Array.isArray(d.inputs) && Array.isArray(d.outputs)) return fromInputsOutputs(d);
    for (const k of ['test_cases', 'tests', 'input_output']) {
      const inner = decoded(d[k]);
      if (inner !== undefined && inner !== null) return fromValue(inner, typeof d.fn_name === 'string' ? d.fn_name : fnFallback);
    }
    return null;
  }
  if (Array.isArray(d)) return d.length === 0 ? 'empty test list' : fromCaseList(d, fnFallback);
  return null;
}

function languageOf(record: JsonValue): string | null {
  const l = get(record, 'verification_info.language') ?? get(record, 'language') ?? get(record, 'extra_info.language');
  return typeof l === 'string' && l !== '' ? l.toLowerCase() : null;
}

/** Named places, in order of how specific they are to code tests. */
const FIELDS: ReadonlyArray<readonly [string, string]> = [
  ['verification_info', 'verification_info (open-r1)'],
  ['input_output', 'input_output (APPS/TACO/prime)'],
  ['test_cases', 'test_cases'],
  ['tests', 'tests'],
  ['reward_model.ground_truth', 'reward_model.ground_truth (verl)'],
  ['extra_info.test_cases', 'extra_info.test_cases (verl)'],
  ['gts', 'gts (verl dump)'],
  ['ground_truth', 'ground_truth'],
];

/**
 * Finds the test cases of one record. Returns null when the record holds none (the code reward does not apply),
 * an error when it holds something test-shaped that cannot be read (say why), else the suite.
 */
export function findTestCases(record: JsonValue, gold?: JsonValue): TestSuiteResult | null {
  const language = languageOf(record);
  const fn = get(record, 'fn_name') ?? get(record, 'entry_point');
  const fnName = typeof fn === 'string' ? fn : null;
  for (const [path, source] of FIELDS) {
    const r = fromValue(get(record, path), fnName);
    if (r === null) continue;
    if (typeof r === 'string') return { error: `${source}: ${r}` };
    return { tests: r, source, language };
  }
  const fromGold = fromValue(gold, fnName);
  if (typeof fromGold === 'string') return { error: `gold: ${fromGold}` };
  if (fromGold !== null) return { tests: fromGold, source: 'gold', language };

  const mbpp = get(record, 'test_list');
  if (Array.isArray(mbpp) && mbpp.length > 0 && mbpp.every((t) => typeof t === 'string')) {
    const setup = [get(record, 'test_imports'), get(record, 'test_setup_code')]
      .flatMap((s) => (Array.isArray(s) ? s : [s])).filter((s): s is string => typeof s === 'string' && s !== '').join('\n');
    const tests = mbpp.map((t): CodeTest => ({ kind: 'assert', script: setup ? `${setup}\n${t as string}` : (t as string) }));
    return { tests, source: 'test_list (MBPP asserts)', language };
  }
  const humaneval = get(record, 'test');
  if (typeof humaneval === 'string' && fnName && /\bdef check\s*\(/.test(humaneval)) {
    return { tests: [{ kind: 'assert', script: `${humaneval}\ncheck(${fnName})` }], source: 'test + entry_point (HumanEval)', language };
  }
  return null;
}
