// Messages between AnalysisPool and its worker threads.
import type { AnalyseInput } from '../core/analyse';
import type { Flag } from '../core/types';

export interface AnalysisRequest {
  id: number;
  inputs: AnalyseInput[];
  keepFlags: boolean;
  /** Use the core's compression estimate instead of zlib, so flags match an in-thread analyseCompletion call. */
  estimateCompression?: boolean;
}

export interface AnalysisResponse {
  id: number;
  /** One byte of flag bits per input (FLAG_BIT). */
  bits: Uint8Array;
  flags?: Flag[][];
}
