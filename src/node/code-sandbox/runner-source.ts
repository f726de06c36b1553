// The Python harness that runs one test of a completion's program (bound read-only into the sandbox, or written
// next to the scratch folder in weak mode). It reads its job from fd 3 (a socket to the host) as one JSON line, sets
// resource limits (address space, CPU seconds, file size, process count under bwrap, no core dumps), installs an
// audit hook (PEP 578) that refuses network calls, process creation, ctypes, and writing, deleting or renaming
// outside the working directory, then runs the program. Audit hooks are not a security boundary (a program can
// get around them); bubblewrap is (isolation.ts): the hook is kept under bwrap to report what a program tried.
// Every message to the host carries the job's nonce: lines a program writes on fd 3 itself are not taken.
// Modes: script (the program as __main__: stdin/stdout tests), call (the program, then fn(*args): the return value
// is reported), assert (the program, then the test script in its namespace; the verdict is the harness's own, so
// sys.exit(0) or os._exit(0) before the asserts does not pass). The expected values of stdin/stdout and call tests
// never enter the sandbox; assert scripts do (they run here), so a program that digs through the interpreter's
// memory could read them: see docs/sandbox.md.
export const RUNNER_SOURCE = String.raw`
import sys, os, json

def _read_job():
    buf = b""
    while not buf.endswith(b"\n"):
        chunk = os.read(3, 1 << 20)
        if not chunk:
            break
        buf += chunk
    return json.loads(buf.decode("utf-8"))

_job = _read_job()

def _make_report(nonce, write=os.write, dumps=json.dumps):
    def report(obj):
        obj = dict(obj)
        obj["n"] = nonce
        try:
            write(3, (dumps(obj) + "\n").encode("utf-8"))
        except OSError:
            pass
    return report

_report = _make_report(_job.pop("nonce"))
os.environ.pop("PWD", None)

def _watch_host(read=os.read, _exit=os._exit):
    # The host holds the other end of fd 3. If it dies (even by SIGKILL, when no cleanup of ours can run), the
    # socket closes: the harness exits, and under bwrap its PID namespace, with everything the program started,
    # dies with it. Nothing is ever sent after the job, so any read result means the host is gone.
    try:
        read(3, 1)
    except OSError:
        pass
    _exit(137)

import threading as _threading
_threading.Thread(target=_watch_host, daemon=True).start()
del _threading  # bwrap's --chdir sets it; the program's environment is only what the host passed

try:
    import resource
    _mb = 1024 * 1024
    _limits = [("RLIMIT_AS", _job["memoryMb"] * _mb), ("RLIMIT_CPU", _job["cpuSeconds"]),
               ("RLIMIT_FSIZE", _job["fileMb"] * _mb), ("RLIMIT_CORE", 0)]
    if _job.get("nproc"):
        _limits.append(("RLIMIT_NPROC", _job["nproc"]))
    for _name, _value in _limits:
        _res = getattr(resource, _name, None)
        if _res is None:
            continue
        try:
            resource.setrlimit(_res, (_value, _value))
        except (ValueError, OSError) as _e:
            _report({"limit": _name + " not applied: " + str(_e)})
except ImportError:
    _report({"limit": "resource module missing: no memory or CPU limit"})

def _install_hook(report):
    # Everything the hook uses lives in this closure, not in __main__'s globals, so the program cannot switch it
    # off by assigning a module attribute (audit hooks cannot be removed once added).
    work = os.path.realpath(os.getcwd())
    allowed = {"/dev/null"}
    realpath, join, fsdecode, sep = os.path.realpath, os.path.join, os.fsdecode, os.sep
    write_flags = os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_TRUNC | os.O_APPEND
    network = frozenset(("socket.connect", "socket.bind", "socket.sendto", "socket.sendmsg", "socket.getaddrinfo",
                         "socket.gethostbyname", "socket.gethostbyaddr", "socket.gethostbyname_ex"))
    process = frozenset(("subprocess.Popen", "os.system", "os.exec", "os.posix_spawn", "os.spawn", "os.fork",
                         "os.forkpty", "os.kill", "os.killpg", "pty.spawn"))
    native = frozenset(("ctypes.dlopen", "ctypes.dlsym", "ctypes.cdata", "ctypes.call_function"))
    path_events = frozenset(("os.remove", "os.rmdir", "os.rename", "os.replace", "os.mkdir", "os.chmod", "os.chown",
                             "os.link", "os.symlink", "os.truncate", "os.utime", "shutil.rmtree", "os.setxattr",
                             "os.removexattr"))
    path_types = (str, bytes, os.PathLike)

    def inside(path):
        try:
            if isinstance(path, int):
                return True
            full = realpath(join(work, fsdecode(path)))
        except Exception:
            return False
        return full == work or full.startswith(work + sep) or full in allowed

    def deny(what):
        report({"blocked": what})
        raise PermissionError("Rollout Lens sandbox: " + what + " is not allowed")

    def hook(event, args):
        if event == "open":
            path, mode, flags = (list(args) + [None, None, None])[:3]
            writing = (isinstance(mode, str) and any(c in mode for c in "wax+")) or (isinstance(flags, int) and flags & write_flags)
            if writing and path is not None and not inside(path):
                deny("writing " + repr(fsdecode(path) if not isinstance(path, int) else path) + " outside the working directory")
        elif event in network:
            deny("network (" + event + ")")
        elif event in process:
            deny("starting processes (" + event + ")")
        elif event in native:
            deny("native code through ctypes (" + event + ")")
        elif event in path_events:
            for a in args[:2]:
                if isinstance(a, path_types) and not inside(a):
                    deny(event + " " + repr(fsdecode(a)) + " outside the working directory")

    sys.addaudithook(hook)

def _jsonable(v, depth=0):
    if depth > 50:
        return repr(v)
    if v is None or isinstance(v, (bool, int, str)):
        return v
    if isinstance(v, float):
        return v if v == v and v not in (float("inf"), float("-inf")) else repr(v)
    if isinstance(v, (list, tuple)):
        return [_jsonable(x, depth + 1) for x in v]
    if isinstance(v, (set, frozenset)):
        items = [_jsonable(x, depth + 1) for x in v]
        try:
            return sorted(items)
        except TypeError:
            return items
    if isinstance(v, dict):
        return {str(k): _jsonable(x, depth + 1) for k, x in v.items()}
    return repr(v)

def _describe(e):
    if isinstance(e, SystemExit):
        return "the program called sys.exit(" + repr(e.code) + ") before the tests ran"
    return type(e).__name__ + ": " + str(e)

_code = compile(_job["program"], "<solution>", "exec")
_mode = _job["mode"]
if _mode == "script":
    _globals = {"__name__": "__main__", "__builtins__": __builtins__}
    del _job
    _install_hook(_report)
    exec(_code, _globals)
elif _mode == "assert":
    _tests = compile(_job["tests"], "<tests>", "exec")
    _globals = {"__name__": "__main__", "__builtins__": __builtins__}
    del _job
    _install_hook(_report)
    try:
        exec(_code, _globals)
    except BaseException as _e:
        _report({"asserted": {"ok": False, "error": _describe(_e)}})
        raise
    try:
        exec(_tests, _globals)
    except BaseException as _e:
        _report({"asserted": {"ok": False, "error": ("the tests called sys.exit(" + repr(_e.code) + ")") if isinstance(_e, SystemExit) else type(_e).__name__ + ": " + str(_e)}})
        raise
    _report({"asserted": {"ok": True}})
else:
    _globals = {"__name__": "solution", "__builtins__": __builtins__}
    _fn_name, _args = _job["fn"], _job["args"]
    del _job
    _install_hook(_report)
    exec(_code, _globals)
    _fn = _globals.get(_fn_name)
    if _fn is None and "Solution" in _globals:
        _fn = getattr(_globals["Solution"](), _fn_name, None)
    if _fn is None:
        _report({"call": {"ok": False, "error": "no function named " + _fn_name}})
        sys.exit(1)
    try:
        _value = _fn(*_args)
    except BaseException as _e:
        _report({"call": {"ok": False, "error": type(_e).__name__ + ": " + str(_e)}})
        raise
    _report({"call": {"ok": True, "value": _jsonable(_value)}})
sys.stdout.flush()
`;
