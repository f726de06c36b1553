"""Rollout Lens: runs the user's Python reward function over JSON-lines batches on a channel of their own (fd 3).

Started by the extension or the CLI as `python python_driver.py <file> [<function>]`, in the folder of <file>.
Protocol, one JSON object per line, on fd 3 (a socket to the host), never on stdin/stdout: whatever the function
or its child processes write to stdout or stderr (print, os.system, C-level printf) goes to the host's log and can
neither corrupt nor forge a result. fd 3 is not inherited by child processes.
  driver -> host  {"ready": true, "function": name, "signature": "trl" | "verl"}   or  {"fatal": message}
  host -> driver  {"id": n, "items": [{"prompt", "completion", "gold", "data_source", "record"}, ...]}
  driver -> host  {"id": n, "results": [{"score": float | null} | {"error": message}, ...]}
Signatures:
  TRL   f(prompts, completions, **kwargs) -> list[float | None]   (kwargs: the records' columns, as TRL passes
        dataset columns; plus ground_truth when the records have no such column)
  verl  compute_score(data_source, solution_str, ground_truth, extra_info) -> float | dict with "score"
Values: exactly one number (int, float, bool) or None per completion; verl may return a dict with a numeric "score".
A string ("0.5"), a dict without "score", or a TRL list of the wrong length is an error showing what came back,
never a value. An exception on one sample marks that sample; the batch goes on. The host kills this process and
its children when a batch takes longer than its timeout.
"""
import importlib.util
import inspect
import json
import math
import os
import sys
import traceback

os.set_inheritable(3, False)  # children of the function must not reach the channel
CHANNEL_OUT = os.fdopen(3, "w", encoding="utf-8", closefd=False)
CHANNEL_IN = os.fdopen(os.dup(3), "r", encoding="utf-8")


def send(obj):
    CHANNEL_OUT.write(json.dumps(obj, allow_nan=False) + "\n")
    CHANNEL_OUT.flush()


def shown(v):
    try:
        t = repr(v)
    except Exception:  # noqa: BLE001
        t = "<%s>" % type(v).__name__
    return t if len(t) <= 200 else t[:200] + "…"


class BatchShapeError(Exception):
    """The whole batch came back in the wrong shape: one-at-a-time retries would hide it, so none are made."""


def load(path, name):
    folder = os.path.dirname(os.path.abspath(path))
    if folder not in sys.path:
        sys.path.insert(0, folder)
    spec = importlib.util.spec_from_file_location("rollout_lens_user_reward", path)
    if spec is None or spec.loader is None:
        raise RuntimeError("cannot load %s as a Python module" % path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    if name:
        fn = getattr(module, name, None)
        if not callable(fn):
            raise RuntimeError("%s has no function %r" % (path, name))
    elif callable(getattr(module, "compute_score", None)):
        name, fn = "compute_score", module.compute_score
    else:
        candidates = [
            n for n, f in vars(module).items()
            if inspect.isfunction(f) and f.__module__ == module.__name__ and not n.startswith("_")
            and "completions" in inspect.signature(f).parameters
        ]
        if len(candidates) != 1:
            raise RuntimeError(
                "%s: name the function to use (path:name); found %s" % (path, ", ".join(candidates) or "no reward function")
            )
        name = candidates[0]
        fn = getattr(module, name)
    params = list(inspect.signature(fn).parameters)
    verl = name == "compute_score" or "solution_str" in params
    return name, fn, ("verl" if verl else "trl")


def as_score(v):
    if isinstance(v, dict):
        if "score" not in v:
            return {"score": None, "error": "returned a dict without 'score': %s" % shown(v)}
        v = v["score"]
    if v is None:
        return {"score": None}
    if isinstance(v, bool):
        v = float(v)
    if not isinstance(v, (int, float)) or isinstance(v, complex):
        # "0.5" is not 0.5: a string where a number belongs is a bug in the function, shown as such.
        what = "the string" if isinstance(v, str) else type(v).__name__
        return {"score": None, "error": "returned %s %s, expected a number" % (what, shown(v))}
    f = float(v)
    if math.isnan(f) or math.isinf(f):
        return {"score": None, "error": "returned %r" % f}
    return {"score": f}


def error_text(e):
    tb = traceback.extract_tb(e.__traceback__)
    where = ""
    if tb:
        last = tb[-1]
        where = " (%s:%d)" % (os.path.basename(last.filename), last.lineno)
    return "%s: %s%s" % (type(e).__name__, e, where)


def extra_info_of(item):
    rec = item.get("record")
    if isinstance(rec, dict) and isinstance(rec.get("extra_info"), dict):
        return rec["extra_info"]
    return {}


def run_verl(fn, items):
    out = []
    for it in items:
        try:
            out.append(as_score(fn(it.get("data_source"), it["completion"], it.get("gold"), extra_info_of(it))))
        except Exception as e:  # one sample's failure must not sink the batch
            out.append({"score": None, "error": error_text(e)})
    return out


def trl_kwargs(items):
    keys = []
    for it in items:
        rec = it.get("record")
        if isinstance(rec, dict):
            for k in rec:
                if k not in keys and k not in ("prompts", "completions"):
                    keys.append(k)
    kwargs = {k: [(it.get("record") or {}).get(k) if isinstance(it.get("record"), dict) else None for it in items] for k in keys}
    if "ground_truth" not in kwargs:
        kwargs["ground_truth"] = [it.get("gold") for it in items]
    if "solution" not in kwargs:
        kwargs["solution"] = [it.get("gold") for it in items]
    return kwargs


def run_trl(fn, items):
    prompts = [it.get("prompt") for it in items]
    completions = [it["completion"] for it in items]
    try:
        values = fn(prompts=prompts, completions=completions, **trl_kwargs(items))
        if not isinstance(values, (list, tuple)) or len(values) != len(items):
            raise BatchShapeError("returned %s for %d completions, expected a list of %d numbers: %s" % (
                ("a list of %d" % len(values)) if isinstance(values, (list, tuple)) else type(values).__name__,
                len(items), len(items), shown(values)))
        return [as_score(v) for v in values]
    except BatchShapeError as e:
        return [{"score": None, "error": str(e)} for _ in items]
    except Exception:
        if len(items) == 1:
            raise
    # The batch failed: score one at a time so that only the failing samples are marked.
    out = []
    for it in items:
        try:
            out.extend(run_trl(fn, [it]))
        except Exception as e:
            out.append({"score": None, "error": error_text(e)})
    return out


def main():
    path = sys.argv[1]
    name = sys.argv[2] if len(sys.argv) > 2 and sys.argv[2] else None
    try:
        name, fn, signature = load(path, name)
    except BaseException as e:  # noqa: BLE001 - anything at import time is fatal, say what it was
        send({"fatal": error_text(e)})
        return 1
    send({"ready": True, "function": name, "signature": signature})
    for line in CHANNEL_IN:
        line = line.strip()
        if not line:
            continue
        req = json.loads(line)
        items = req["items"]
        try:
            results = run_verl(fn, items) if signature == "verl" else run_trl(fn, items)
        except BaseException as e:  # noqa: BLE001
            results = [{"score": None, "error": error_text(e)} for _ in items]
        send({"id": req["id"], "results": results})
    return 0


if __name__ == "__main__":
    sys.exit(main())
