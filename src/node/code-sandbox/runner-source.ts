// The Python preamble that runs one test of a completion's program (written next to the job, outside the program's
// working directory). Before the program runs it sets resource limits (address space, CPU seconds, file size, no
// core dumps) and installs an audit hook (PEP 578) that refuses network calls, process creation, ctypes, and
// writing, deleting or renaming anything outside the working directory. Audit hooks are not a security boundary
// (native extension code can bypass them); on Linux the network is also cut at the OS level with a network
// namespace when one can be created (sandbox.ts). Every refusal is reported on fd 3 as {"blocked": "..."}, so
// a program that catches the PermissionError still shows up as having tried.
// Job (JSON file, argv[1]): {"mode": "script"|"call", "program", "fn"?, "args"?, "memoryMb", "cpuSeconds", "fileMb"}.
// Call mode reports {"call": {"ok": true, "value"}} or {"call": {"ok": false, "error"}} on fd 3.
export const RUNNER_SOURCE = String.raw`
import sys, os, json

def _report(obj):
    try:
        os.write(3, (json.dumps(obj) + "\n").encode("utf-8"))
    except OSError:
        pass

with open(sys.argv[1], "r", encoding="utf-8") as _f:
    _job = json.load(_f)

try:
    import resource
    _mb = 1024 * 1024
    for _name, _value in (("RLIMIT_AS", _job["memoryMb"] * _mb), ("RLIMIT_CPU", _job["cpuSeconds"]),
                          ("RLIMIT_FSIZE", _job["fileMb"] * _mb), ("RLIMIT_CORE", 0)):
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

_program = _job["program"]
_code = compile(_program, "<solution>", "exec")
if _job["mode"] == "script":
    _globals = {"__name__": "__main__", "__builtins__": __builtins__}
    del _job
    _install_hook(_report)
    exec(_code, _globals)
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
