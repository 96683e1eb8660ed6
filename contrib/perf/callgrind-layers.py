#!/usr/bin/env python3
"""Instructions per call by layer, the marginal of two callgrind runs of N and 2N calls.

    contrib/perf/callgrind-layers.py CALLS_A OUT_A CALLS_B OUT_B [--top K]

OUT_A and OUT_B are callgrind output files of one process (customerd, or customer-bench run
under valgrind) that served CALLS_A and CALLS_B calls of the same scenario; everything the two
runs share (start-up, seeding, exit) cancels in the difference. Each function's self cost is
put in one layer by the module its (demangled) name belongs to, so the layers add up to the
whole process; a standard-library generic specialized for one of our types counts in that
type's layer, the runtime's own functions (retain/release, allocation, metadata, task
switches, locks, syscall wrappers) in "runtime". Needs swift-demangle on PATH.
"""
import re
import subprocess
import sys
from collections import defaultdict

LAYERS = [
    ("SQLite (C library)", None),
    ("store: CustomerStore, SQLiteEngine", {"CustomerStore", "SQLiteEngine"}),
    ("handler: CustomerServer", {"CustomerServer"}),
    ("decoding: BinaryCoding, CustomerAPI", None),
    ("encoding: BinaryCoding, CustomerAPI, the server's writers", None),
    ("framing, dispatch: RPCTransport, RPCServing, RPCClient, RPCCore", {"RPCTransport", "RPCServing", "RPCClient", "RPCCore"}),
    ("the bench's own loop", {"customer_bench"}),
    ("idle spin: polling for the next message (waiting, not work)", None),
    ("runtime: retain/release", None),
    ("runtime: allocation, copies (malloc/free, memcpy)", None),
    ("runtime: clock reads (ContinuousClock, Duration, Int128)", None),
    ("runtime: tasks, executors, libdispatch, thread-local storage", None),
    ("runtime: locks, syscall wrappers, ThreadSync", None),
    ("runtime: the rest (metadata, conformances, stdlib, libc)", None),
]
RUNTIME = [
    (re.compile(r"retain|release|RefCount|swift_bridgeObject"), 8),
    (re.compile(r"malloc|free|_int_|tcm_|calloc|realloc|swift_allocObject|swift_deallocObject|swift_slowAlloc|swift_slowDealloc|memcpy|memmove|memset|__memcmp|cfree|arena|tcache"), 9),
    (re.compile(r"Clock|Duration|_Int128|swift_get_time|clock_gettime|Instant"), 10),
    (re.compile(r"swift_task|swift_job|swift_continuation|Task|Executor|executor|dispatch|__tls_get_addr|swift_asyncLet|StackAllocator"), 11),
    (re.compile(r"pthread|futex|lll_|ThreadSync|sendto|recv|send\b|__libc_read|__libc_write|poll|__GI___|syscall|sem_|Mutex|Atomic|atomic"), 12),
]
PROJECT = {"CustomerStore", "SQLiteEngine", "CustomerServer", "BinaryCoding", "CustomerAPI", "RPCTransport",
           "RPCServing", "RPCClient", "RPCCore", "customer_bench", "customerd", "ThreadSync",
           "CustomerClient", "ServiceLog"}
MODULE = re.compile(r"\b(" + "|".join(sorted(PROJECT)) + r")\.")
DECODE = re.compile(r"decod|Decod|Reader|\.read|parse", re.I)
ENCODE = re.compile(r"encod|Encod|Writer|\.write[A-Z(]|\.append", re.I)


def self_costs(path):
    """{(object, function): self Ir} from a callgrind output file (name compression handled)."""
    names = {"ob": {}, "fn": {}}
    costs = defaultdict(int)
    ob = fn = None
    skip_next = False
    with open(path, errors="replace") as f:
        for line in f:
            if not line or line[0] in "#\n":
                continue
            if line[0].isdigit() or line[0] in "+-*":
                if skip_next:
                    skip_next = False
                    continue
                parts = line.split()
                if len(parts) >= 2 and fn is not None:
                    costs[(ob, fn)] += int(parts[1])
                continue
            key, _, value = line.rstrip("\n").partition("=")
            kind = {"ob": "ob", "cob": "ob", "fn": "fn", "cfn": "fn"}.get(key)
            if kind:
                m = re.match(r"\((\d+)\)(?: (.*))?$", value)
                if m:
                    if m.group(2) is not None:
                        names[kind][m.group(1)] = m.group(2)
                    value = names[kind].get(m.group(1), value)
                if key == "ob":
                    ob = value
                elif key == "fn":
                    fn = (value, ob)
            elif key == "calls":
                skip_next = True
    out = defaultdict(int)
    for (o, (name, fob)), c in costs.items():
        out[(fob, name)] += c
    return out


def demangle(names):
    swift = [n for n in names if n.startswith("$s")]
    if not swift:
        return {}
    proc = subprocess.run(["swift-demangle"], input="\n".join(swift), capture_output=True, text=True)
    return dict(zip(swift, proc.stdout.splitlines()))


def layer(ob, name, pretty):
    if ob and "libsqlite3" in ob:
        return LAYERS[0][0]
    text = pretty.get(name, name)
    ext = re.match(r"\(extension in (\w+)\):", text)
    if ext:  # the code lives in the extending module: its module leads
        text = ext.group(1) + "." + text[ext.end():]
    spec = re.match(r".*?specialization <(.*?)> of (Swift|Foundation)\.", text)
    modules = MODULE.findall(spec.group(1) if spec else text) if (spec or name.startswith("$s")) else []
    if re.search(r"spin|Spin", text):
        return LAYERS[7][0]
    if not modules or modules[0] == "ThreadSync":
        for pattern, index in RUNTIME:
            if pattern.search(text):
                return LAYERS[index][0]
        return LAYERS[-1][0]
    mod = modules[0]
    if mod in ("BinaryCoding", "CustomerAPI") or (mod == "CustomerServer" and ENCODE.search(text)):
        if mod == "CustomerServer" or (ENCODE.search(text) and not DECODE.search(text)):
            return LAYERS[4][0]
        return LAYERS[3][0]
    for label, mods in LAYERS:
        if mods and mod in mods:
            return label
    return LAYERS[-1][0]


def num(v):
    return f"{v:,.0f}".replace(",", " ")


def main():
    args = sys.argv[1:]
    top = 0
    if "--top" in args:
        i = args.index("--top")
        top = int(args[i + 1])
        del args[i:i + 2]
    n_a, path_a, n_b, path_b = int(args[0]), args[1], int(args[2]), args[3]
    a, b = self_costs(path_a), self_costs(path_b)
    pretty = demangle({n for (_, n) in list(a) + list(b)})
    per_layer = defaultdict(float)
    per_fn = defaultdict(float)
    for k in set(a) | set(b):
        d = (b.get(k, 0) - a.get(k, 0)) / (n_b - n_a)
        per_layer[layer(k[0], k[1], pretty)] += d
        per_fn[(layer(k[0], k[1], pretty), pretty.get(k[1], k[1]))] += d
    total = sum(per_layer.values())
    print(f"| layer | instructions per call | share |")
    print(f"| --- | ---: | ---: |")
    for label, _ in LAYERS:
        v = per_layer.get(label, 0)
        if abs(v) >= 0.5:
            print(f"| {label} | {num(v)} | {100 * v / total:.0f} % |")
    print(f"| **whole process** | **{num(total)}** | |")
    if top:
        print()
        for (lab, fn), v in sorted(per_fn.items(), key=lambda kv: -kv[1])[:top]:
            print(f"{v:10,.0f}  {lab.split(':')[0]:10.10}  {fn[:150]}")


if __name__ == "__main__":
    main()
