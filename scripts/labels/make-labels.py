#!/usr/bin/env python3
"""Writes test/labels/real-labels.json from the hand decisions below (docs/detection-quality.md, "Method").

Input: per-sample dumps made with `npx tsx scripts/labels/dump-flags.ts <file> > <dir>/<key>.<version>.jsonl` for the
detectors before (`before`) and after (`after`) this work. Every sample of every file gets a label for each kind when
the whole file was searched for that kind (foreign scripts and foreign function words for language-mix/stray-token,
every ending for truncation, the run's convention for format); for repetition, the candidates (flagged before or
after, any line written >= 3 times, a 25-character piece recurring >= 4 times in the last 1,500 characters) plus a
seeded random sample of the rest. The decisions (which of those are true) were made by reading the texts.

Output: {"scopes": [...], "labels": [...]}. A scope says that every sample of a file was labelled for a kind and
that samples not listed in "labels" are negatives, for the reason it gives; "labels" lists every positive, every
negative with a note of its own, and every repetition candidate.

usage: python3 scripts/labels/make-labels.py <dump dir> > test/labels/real-labels.json
"""
import collections
import json
import random
import re
import sys

DIR = sys.argv[1]
FILES = {
    'gsm8k': 'real/reward-kit/gsm8k_regenerated_think_traces.jsonl',
    'openr1': 'real/reward-kit/openr1_math_regenerated_think_traces.jsonl',
    'poem': 'real/rl-logging-board/eval_poem_task_data.jsonl',
    'wordle': 'real/verifiers/wordle_qwen3-30b-a3b-thinking_results.jsonl',
    'wiki': 'real2/verifiers-wiki-search/results.jsonl',
    'hecate': 'real2/verl-hecate/2.jsonl',
    'qwen': 'real2/qwen25-math-rm-maj/math_cot_100.jsonl',
}

# ---- decisions (sample indexes in run order, 0-based) --------------------------------------------------------------
REPETITION_TRUE = {
    'hecate': {
        47: 'a 4-line block (FirstChild = 80 … Difference = N) restated 4 times',
        112: '"FirstChild" written ~350 times to the end',
        312: 'a 4-line block of assignments written 12 times',
        313: '"FirstChild\'s Combined Dance Time:" and a junk line, 12 times in 900 characters',
        342: 'FirstChildFish assignments cycled to the end',
        447: '"FirstChild Argument: 65/25" alternating to the end',
        454: '"FirstChild = 4" ~170 times to the end',
        464: '"FirstChildDuration" ~330 times to the end',
        500: '"FirstChild" on 21 consecutive lines',
        580: '"FirstChildFisheriesCaught" lines ~70 times',
        673: '"precarious payload handling" ~220 times to the end',
        680: '"FirstChildTotalTime" ~150 times in the middle, then a restart',
        708: '"FirstChild, {tool-call json}" written 7 times over',
        869: '"FirstChild != n" counting loop to the end',
        873: '"FirstChildinlaw here." ~150 times',
        883: '"FirstChildTime" ~300 times to the end',
        926: 'one CJK character (飏) on ~215 lines after a tool call',
        950: 'a 9-line block written 3 times',
    },
}
LANGMIX_TRUE = {
    'hecate': {
        313: 'garbled Han text (穰稚勘父 4稚偲姥 3 曋) written into English reasoning, several times',
        346: 'Portuguese sentences in the middle of English reasoning (então Angus pescou …, Vamos verificar …)',
        419: 'the turn after a tool reply is written in Chinese',
        433: 'the turn after a tool reply is written in Chinese',
        800: 'Chinese reasoning in an English run',
        818: 'the turn after a tool reply is written in Chinese',
        926: '~215 lines of a CJK character in an English run',
    },
}
STRAY_TRUE = {
    'hecate': {i: 'one CJK character (穰) alone on a line before a tool call' for i in (320, 561, 782, 865, 993)},
    'qwen': {i: 'multilingual junk (CJK, Cyrillic, Arabic, Thai, control characters) after the boxed answer' for i in (201, 365, 387)},
}
TRUNC_TRUE = {
    'hecate': {
        112: 'loop cut mid-repetition (4,978 chars)', 121: 'stops at "- Number of" (3,365 chars)',
        223: 'stops at "The calculation of the number of"', 261: 'stops inside "</tool_response"',
        312: 'stops mid-identifier "JamesTotalD"', 342: 'loop cut at "FirstChildFish = "', 375: 'stops after a comma (3,479 chars)',
        409: 'stops inside "\\[ 3U - "', 410: 'stops at "K = U + 26 ="', 423: "stops inside a quote ('59)",
        447: 'loop runs to the end (3,529 chars)', 454: 'loop cut at "FirstChild ="', 464: 'loop runs to the end (6,390 chars)',
        522: 'stops mid-sentence (3,571 chars)', 580: 'stops inside "calc_gsm"', 646: 'ends with the role word "user" and no tool reply (3,374 chars)',
        666: 'stops inside "\\[ M_{"', 673: 'loop cut mid-phrase (7,008 chars)', 680: 'stops at "= 3 + 5 + 1 = "',
        708: 'stops inside a JSON string', 811: 'stops inside "\\[ 131 + 113"', 869: 'counting loop cut at "!= 7"',
        873: 'loop cut mid-line', 883: 'loop cut mid-line', 926: 'loop runs to the end', 1015: 'stops inside a call "str(Team"',
    },
    'qwen': {i: 'junk until the token limit: 8.7–10.4k characters, 2.5× any other sample, ends mid-token' for i in (201, 365, 387)},
}
# hecate samples that end oddly but were judged complete turns (the model stopped, not the limit): reasons.
TRUNC_FALSE_NOTES = {
    'hecate': {
        84: 'ends after "Let\'s calculate this correctly:" at 1,282 chars, far below the cut lengths (≥ 2.3k): the model ended its turn',
        211: 'ends after a colon at 1,225 chars: the model ended its turn', 518: 'ends after a colon at 1,023 chars: the model ended its turn',
        546: 'ends after a colon at 1,051 chars: the model ended its turn', 3: 'opens <tool_call> and stops at 1,264 chars: not at the limit',
        740: 'opens <tool_call> and stops at 1,253 chars: not at the limit', 916: 'opens <tool_call> after "#### 211": not at the limit',
        998: 'stops after a formula at 361 chars: the model ended its turn', 1006: 'empty last turn at 179 chars',
    },
    'wiki': {49: 'a complete numbered list ("5. United States")'},
}

CJK_END = re.compile(r'[\u3400-\u9fff\U00020000-\U0003ffff]$')


def load(key, version):
    with open(f'{DIR}/{key}.{version}.jsonl', encoding='utf8') as f:
        return [json.loads(line) for line in f]


def codes(d, kind):
    return [f.split(':', 1)[1] for f in d['flags'] if f.startswith(kind + ':')]


def poem_truncated(t):
    s = t.rstrip()
    if s.endswith('\ufffd'):
        return True, 'ends inside a character (U+FFFD): cut by the token limit'
    if len(s) >= 24 and not re.search(r'[。！？.!?；;”」』）)]$', s):
        return True, f'{len(s)} characters with no sentence end: ran past the requested line and was cut'
    return False, 'a complete line (or a short line without a final mark)'


DEFAULT_REASON = {}
scopes = {}


def main():
    out = []
    for key in FILES:
        DEFAULT_REASON[(key, 'language-mix')] = 'Chinese poem line for a Chinese prompt' if key == 'poem' else 'English throughout (searched: foreign scripts, foreign function words)'
        DEFAULT_REASON[(key, 'stray-token')] = 'no junk or stray token' if key == 'poem' else 'no isolated foreign-script token or junk'
        DEFAULT_REASON[(key, 'truncated')] = ('a complete line (or a short line without a final mark)' if key == 'poem'
                                              else 'reasoning closed, answer follows' if key in ('gsm8k', 'openr1')
                                              else 'ends with a final answer or a finished sentence')
        DEFAULT_REASON[(key, 'format')] = ("the run's convention has no reasoning tags (and no <answer> tags): nothing to deviate from"
                                           if key in ('poem', 'wordle', 'wiki', 'hecate', 'qwen') else 'tags as the run uses them; answer after the reasoning')
    rnd = random.Random(16)
    for key, path in FILES.items():
        before = load(key, 'before')
        after = load(key, 'after')
        n = len(after)
        conv_no_tags = key in ('poem', 'wordle', 'wiki', 'hecate', 'qwen')
        rep_cands = set()
        for b, a in zip(before, after):
            t = a['text']
            lines = collections.Counter(x.strip() for x in t.split('\n') if len(x.strip()) >= 8)
            w = t[-1500:]
            loopish = len(w) > 100 and any(w.count(w[i:i + 25]) >= 4 for i in range(0, len(w) - 25, 50))
            if codes(b, 'repetition') or codes(a, 'repetition') or any(c >= 3 for c in lines.values()) or loopish:
                rep_cands.add(a['sample'])
        rest = [i for i in range(n) if i not in rep_cands]
        rep_cands |= set(rnd.sample(rest, min(len(rest), 40)))
        for a in after:
            i = a['sample']
            t = a['text']
            rec = a['record']

            flagged_any = {k for k in ('repetition', 'truncated', 'format') if codes(before[i], k) or codes(a, k)}
            lm_codes = codes(before[i], 'language-mix') + codes(a, 'language-mix')
            if any(c != 'stray-token' for c in lm_codes):
                flagged_any.add('language-mix')
            if 'stray-token' in lm_codes:
                flagged_any.add('stray-token')

            def add(kind, label, reason):
                scope = scopes.setdefault((path, kind), None)
                default = DEFAULT_REASON.get((key, kind))
                # Negatives of a fully labelled kind are implied by its scope unless they have a note of their own.
                if kind != 'repetition' and not label and reason == default:
                    return
                out.append({'file': path, 'sample': i, 'record': rec, 'kind': kind, 'label': label, 'reason': reason})

            # repetition
            if i in rep_cands:
                r = REPETITION_TRUE.get(key, {}).get(i)
                add('repetition', r is not None, r or 'no loop: structured or restated text (derivation, case list, tool transcript, re-checking)')
            # language-mix and stray-token: the whole file was searched (scripts, U+FFFD, foreign function words)
            lm = LANGMIX_TRUE.get(key, {}).get(i)
            if lm:
                add('language-mix', True, lm)
            elif key == 'poem':
                add('language-mix', False, 'Chinese poem line for a Chinese prompt')
            else:
                add('language-mix', False, 'English throughout (searched: foreign scripts, foreign function words)' if i not in STRAY_TRUE.get(key, {}) else 'isolated token or junk, not a switch of language')
            st = STRAY_TRUE.get(key, {}).get(i)
            if key == 'poem':
                bad = '\ufffd' in t
                add('stray-token', bad, 'undecodable bytes (U+FFFD) in the line' if bad else 'no junk or stray token')
            elif st:
                add('stray-token', True, st)
            else:
                add('stray-token', False, 'no isolated foreign-script token or junk' if i not in LANGMIX_TRUE.get(key, {}) else 'a run of foreign text (language-mix), not a stray token')
            # truncation: every ending was read (gsm8k/openr1: reasoning closed or not)
            if key == 'poem':
                lab, why = poem_truncated(t)
                add('truncated', lab, why)
            elif key in ('gsm8k', 'openr1'):
                cut = '</think>' not in t
                add('truncated', cut, 'the reasoning stops mid-thought, never closed (10–17k chars)' if cut else 'reasoning closed, answer follows')
            else:
                tt = TRUNC_TRUE.get(key, {}).get(i)
                add('truncated', tt is not None, tt or TRUNC_FALSE_NOTES.get(key, {}).get(i, 'ends with a final answer or a finished sentence'))
            # format: deviations from the run's own convention
            if conv_no_tags:
                add('format', False, "the run's convention has no reasoning tags (and no <answer> tags): nothing to deviate from")
            else:
                f = codes(a, 'format')
                if 'answer-in-think-only' in f:
                    add('format', True, 'reasoning never closed; the only answer is inside it')
                else:
                    add('format', False, 'tags as the run uses them; answer after the reasoning' if 'unterminated-think' not in codes(a, 'truncated') else 'cut inside the reasoning before any answer: a truncation, not a format deviation')
    scope_list = [{'file': f, 'kind': k, 'label': False, 'reason': DEFAULT_REASON[(key, k)]}
                  for key, f in FILES.items() for k in ('language-mix', 'stray-token', 'truncated', 'format')]
    sys.stdout.write('{"scopes": [\n' + ',\n'.join(json.dumps(x, ensure_ascii=False) for x in scope_list) + '\n],\n')
    sys.stdout.write('"labels": [\n' + ',\n'.join(json.dumps(x, ensure_ascii=False) for x in out) + '\n]}\n')


main()
