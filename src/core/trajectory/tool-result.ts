// Whether a tool's reply reads as an error. Environments seldom mark errors structurally in logs, so this reads the
// start of the reply: the words environments put there ("Error: …", "Invalid section_id format…", a Python
// traceback) and JSON replies with an `error` key. Conservative: a reply that merely mentions an error later on is
// not one.
const LEADING = /^\s*(?:<tool_response>\s*)?(error|exception|traceback|invalid|failed|failure|unknown tool|tool not found|no such tool|timeout|timed out)\b/i;
const TRACEBACK = 'Traceback (most recent call last)';
const JSON_ERROR = /^\s*(?:<tool_response>\s*)?\{\s*"(error|exception)"\s*:\s*(?!null|false|""|\{\})/;

/** The reason a reply reads as an error, or null. */
export function toolResultError(content: string): string | null {
  const head = content.length > 400 ? content.slice(0, 400) : content;
  const m = LEADING.exec(head);
  if (m) return `the reply starts with “${m[1]}”`;
  if (JSON_ERROR.test(head)) return 'the reply is a JSON object with an error';
  if (head.includes(TRACEBACK) || (content.length > 400 && content.includes(TRACEBACK))) return 'the reply holds a Python traceback';
  return null;
}
