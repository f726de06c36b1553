// `score --json` lines carry the code reward's per-test results as a top-level `tests` array (issue #10), beside
// `scores.code`; the rest of the detail (score counts, where the tests came from) stays in `details.code`.
import type { JsonValue } from '../types';

export function withCodeTests<T extends { details?: Record<string, JsonValue> }>(line: T): T | (T & { tests: JsonValue }) {
  const d = line.details?.code;
  if (d === undefined || d === null || typeof d !== 'object' || Array.isArray(d) || !Array.isArray(d.tests)) return line;
  const { tests, ...rest } = d;
  return { ...line, details: { ...line.details, code: rest }, tests };
}
