#!/usr/bin/env python3
"""Every `customer-bench run` scenario in one sitting, printed as docs/PERFORMANCE.md's full table.

    contrib/perf/full-table.py [--bench DIR] [--customers N] [--duration S] [--big N] [--import-rows N]

DIR holds a release `customer-bench` next to its `customerd` (default .build/release). Each group
below is one `customer-bench run` (its own seeded database and server), so ratios are taken
within a group, against the floor that group measured. The load average is printed before and
after each group: a row measured beside other work says so.
"""
import argparse
import json
import os
import subprocess
import sys

# (label of the callers column, arguments of one run)
GROUPS = [
    ("1", ["run"]),  # ping get card list create update mixed
    ("1", ["run", "create-keyed", "update-keyed", "get-sync", "get-inline", "--no-floor"]),
    ("1", ["run", "create", "--durability", "full"]),
    ("16 connections", ["run", "get", "--connections", "16"]),  # then get-inline, get-sync
    ("16 on 1 connection", ["run", "get", "--in-flight", "16"]),
    ("64 on 1 connection", ["run", "get", "--in-flight", "64"]),
    ("64 connections", ["run", "create", "--connections", "64"]),
    ("64 connections", ["run", "create", "--connections", "64", "--durability", "full"]),
]


def load():
    with open("/proc/loadavg") as f:
        return " ".join(f.read().split()[:3])


def fmt(x, digits=1):
    if x is None:
        return ""
    if isinstance(x, float) and digits:
        return f"{x:,.{digits}f}".replace(",", " ")
    return f"{int(x):,}".replace(",", " ")


def run(bench, args, log):
    cmd = [bench] + args + ["--output", "json"]
    before = load()
    proc = subprocess.run(cmd, capture_output=True, text=True)
    after = load()
    log.append(f"$ {' '.join(cmd[1:])}   (load {before} -> {after})")
    rows = []
    for line in proc.stdout.splitlines() + proc.stderr.splitlines():
        line = line.strip()
        if line.startswith("{"):
            rows.append(json.loads(line))
        elif line:
            log.append("  " + line)
    if proc.returncode != 0:
        log.append(f"  exit {proc.returncode}")
    return rows


def table_row(r, callers):
    fl = r.get("floor") or {}
    name = r["scenario"]
    if r["scenario"] in ("create", "update", "mixed", "create-keyed", "update-keyed"):
        name += f" ({r['durability'].upper()})"
    floor = ""
    if fl.get("barePingPongP50Microseconds") is not None and r["connections"] == 1 and r["inFlight"] == 1:
        floor = fmt(fl["barePingPongP50Microseconds"])
        if fl.get("storageP50Microseconds") is not None:
            floor += " + " + fmt(fl["storageP50Microseconds"])
    ratio = f"{fl['p50Ratio']:.2f}×" if floor and fl.get("p50Ratio") is not None else ""
    bare = fmt(fl.get("barePingPongCallsPerSecond"), 0) if fl else ""
    tput = f"{fl['throughputRatio']:.2f}" if fl.get("throughputRatio") is not None else ""
    return (f"| {name} | {callers} | {fmt(r['callsPerSecond'], 0)} | {fmt(r['p50Microseconds'])} | "
            f"{fmt(r['p99Microseconds'])} | {fmt(r['clientCPUMicrosecondsPerCall'])} / "
            f"{fmt(r['serverCPUMicrosecondsPerCall'])} | {floor} | {ratio} | {bare} | {tput} | "
            f"{r['serverRSSBytes'] / 1048576:.1f} |")


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--bench", default=".build/release")
    p.add_argument("--customers", default="20000")
    p.add_argument("--duration", default="2")
    p.add_argument("--big", default="1000000", help="customers of the listing-depth, start-up and RSS runs")
    p.add_argument("--import-rows", default="1000000", help="0 skips the import")
    a = p.parse_args()
    bench = os.path.join(a.bench, "customer-bench")
    common = ["--customers", a.customers, "--duration", a.duration]
    log, lines = [], []
    for callers, args in GROUPS:
        for r in run(bench, args + common, log):
            lines.append(table_row(r, callers))
    for r in run(bench, ["run", "list-first", "list-deep", "get", "--customers", a.big,
                         "--duration", a.duration], log):
        lines.append(table_row(r, f"1, {fmt(int(a.big), 0)} customers"))
    for r in run(bench, ["run", "ping", "--customers", a.big, "--connections", "256",
                         "--duration", "0.5", "--no-floor"], log):
        lines.append(table_row(r, f"256 connections, {fmt(int(a.big), 0)} customers"))
    for r in run(bench, ["run", "ping", "--customers", a.customers, "--connections", "1",
                         "--duration", "0.5", "--no-floor"], log):
        lines.append(table_row(r, f"1 connection, {fmt(int(a.customers), 0)} customers"))
    for r in run(bench, ["run", "ping", "--customers", a.customers, "--connections", "256",
                         "--duration", "0.5", "--no-floor"], log):
        lines.append(table_row(r, f"256 connections, {fmt(int(a.customers), 0)} customers"))
    print("| scenario | callers | calls/s | p50 µs | p99 µs | client / server CPU µs | "
          "floor p50 µs (bare + storage) | p50 ÷ floor | bare calls/s | calls/s ÷ bare | server RSS MiB |")
    print("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    print("\n".join(lines))
    if a.import_rows != "0":
        before = load()
        proc = subprocess.run([bench, "import", "--rows", a.import_rows], capture_output=True, text=True)
        log.append(f"$ import --rows {a.import_rows}   (load {before} -> {load()})")
        log.extend("  " + l for l in (proc.stdout + proc.stderr).splitlines() if l.strip())
    print()
    print("```")
    print("\n".join(log))
    print("```")
    return 0


if __name__ == "__main__":
    sys.exit(main())
