#!/usr/bin/env python3
"""System calls (`strace -f -c -o FILE`) or `perf stat -o FILE` counters per call: the marginal
of two runs of N_A and N_B calls of one scenario, so start-up and shut-down cancel.

    contrib/perf/counts-per-call.py N_A FILE_A N_B FILE_B

Prints one line, "name count" pairs per call, largest first (syscalls under 0.01 a call left out).
"""
import re
import sys


def counts(path):
    out = {}
    with open(path) as f:
        for line in f:
            parts = line.split()
            # strace -c: "% time  seconds  usecs/call  calls  [errors]  syscall"
            if len(parts) >= 5 and re.match(r"^[\d.]+$", parts[0]) and parts[3].isdigit():
                out[parts[-1]] = int(parts[3])
            # perf stat: "  1,234   context-switches  ..." or "  12.5 msec task-clock"
            m = re.match(r"^\s*([\d,.]+)\s+(msec\s+)?([a-z][\w-]*)", line)
            if m and not parts[0].startswith("%") and len(parts) >= 2 and not re.match(r"^[\d.]+$", parts[1] if len(parts) > 1 else ""):
                value = float(m.group(1).replace(",", ""))
                name = m.group(3) + (" µs" if m.group(2) else "")
                out[name] = value * (1000 if m.group(2) else 1)
    return out


def main():
    n_a, a, n_b, b = int(sys.argv[1]), counts(sys.argv[2]), int(sys.argv[3]), counts(sys.argv[4])
    per = {k: (b.get(k, 0) - a.get(k, 0)) / (n_b - n_a) for k in set(a) | set(b)}
    items = sorted(((k, v) for k, v in per.items() if abs(v) >= 0.01 and k not in ("total",)), key=lambda kv: -kv[1])
    print(" · ".join(f"{k} {v:.2f}" for k, v in items))


if __name__ == "__main__":
    main()
