// The trajectory model of a multi-turn / agentic completion: who wrote which text (the model or the environment),
// the tool calls the model attempted and the results the environment returned. Offsets refer to the analysed
// completion string, completionText() of src/core/run/sample-text.ts, so that flags found per turn point at the
// same characters as every other flag.
import type { JsonValue } from '../types';

/** A [start, end) range of UTF-16 offsets in the analysed completion string. */
export interface TextSpan {
  start: number;
  end: number;
}

export interface ToolCall {
  /** The tool's name; null when the call could not be read far enough to name one. */
  name: string | null;
  /** Parsed arguments (an object as a rule); null when absent or when they did not parse. */
  arguments: JsonValue | null;
  /** The call as written: the text between the tags, or the stored JSON string / object serialised. */
  raw: string;
  /** Why the call is malformed (unclosed tag, not JSON, no name…); null for a well-formed call. */
  error: string | null;
  id: string | null;
  /** Where the call is written in the analysed string; null for calls stored in a message field (`tool_calls`). */
  span: TextSpan | null;
}

export type TurnRole = 'assistant' | 'tool' | 'user' | 'system';

export interface Turn {
  role: TurnRole;
  /** True for the model's own turns (assistant); the environment's turns (tool results, user replies) are false. */
  byModel: boolean;
  /** The turn's visible text, reasoning excluded when it is stored apart (messages) or tagged (`<think>…</think>`). */
  text: string;
  /** The reasoning of the turn, when there is one. */
  reasoning: string | null;
  /** The turn's whole text (reasoning included) in the analysed string; null when it is not part of it (tool messages). */
  span: TextSpan | null;
  /** Index of the message in a message-list completion; null for a text completion. */
  message: number | null;
  toolCalls: ToolCall[];
  /** Tool results: the call id and tool name when the writer stores them. */
  toolCallId?: string | null;
  toolName?: string | null;
  /** Tool results: why the result reads as an error (e.g. "starts with 'Invalid'"); null otherwise. */
  error?: string | null;
}

export type TrajectoryShape = 'single' | 'role-text' | 'chatml' | 'tagged' | 'messages';

export interface Trajectory {
  shape: TrajectoryShape;
  /** Why this shape was chosen, shown like a format's evidence ("3 `assistant` / 2 `user` role lines, <tool_response>"). */
  evidence: string;
  turns: Turn[];
}

/** Counts of one sample, the numbers of `score --json` and of the run's columns. */
export interface TrajectoryStats {
  /** Assistant turns. */
  turns: number;
  /** Calls the model attempted, malformed ones included. */
  toolCalls: number;
  malformed: number;
  /** Tool results that read as errors. */
  toolErrors: number;
  /** Calls per tool name (well-formed or not, when a name could be read). */
  byName: Record<string, number>;
}
