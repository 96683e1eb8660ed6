#!/usr/bin/env python3
"""Latency and throughput of the Python client against a running customerd, one caller.

    python3 Clients/python/bench.py --socket /tmp/cc/customerd.sock --customers 1000 --duration 2

Scenarios: `ping` (the health check) and `get` (`customers.get` of a random customer, decoded to
the `Customer` dataclass). Creates customers until the server has `--customers` of them. Compare
with `customer-bench run ping get` from the same machine (Clients/python/README.md).
"""

from __future__ import annotations

import argparse
import pathlib
import random
import resource
import sys
import time

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))

from customercard import CustomerCardClient, CustomerFields, CustomerQuery  # noqa: E402


def cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def measure(name: str, call, warmup: float, duration: float) -> None:
    end = time.perf_counter() + warmup
    while time.perf_counter() < end:
        call()
    samples = []
    cpu = cpu_seconds()
    start = time.perf_counter()
    end = start + duration
    while True:
        before = time.perf_counter_ns()
        call()
        after = time.perf_counter_ns()
        samples.append(after - before)
        if after / 1e9 >= end:
            break
    elapsed = time.perf_counter() - start
    cpu = cpu_seconds() - cpu
    samples.sort()
    p50 = samples[len(samples) // 2] / 1000
    p99 = samples[min(len(samples) - 1, len(samples) * 99 // 100)] / 1000
    print(f"| {name} | {len(samples) / elapsed:,.0f} | {p50:,.1f} | {p99:,.1f} | {cpu / len(samples) * 1e6:,.1f} |"
          .replace(",", " "))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--socket", help="customerd's socket (default: the same rule customerd uses)")
    parser.add_argument("--customers", type=int, default=1000, help="customers to read from (default 1000)")
    parser.add_argument("--duration", type=float, default=2.0, help="seconds measured per scenario (default 2)")
    parser.add_argument("--warmup", type=float, default=0.5, help="seconds before measuring (default 0.5)")
    parser.add_argument("scenarios", nargs="*", metavar="SCENARIO", help="ping and/or get (default: both)")
    options = parser.parse_args()
    unknown = set(options.scenarios) - {"ping", "get"}
    if unknown:
        parser.error(f"unknown scenario {sorted(unknown)[0]!r} (ping or get)")

    client = CustomerCardClient(options.socket, timeout=60)
    ids = [customer.id for customer in client.customers.export(CustomerQuery(status="all"))]
    for number in range(len(ids), options.customers):
        ids.append(client.customers.create(CustomerFields(name=f"Bench {number} Oy", country="FI")).id)
    ids = ids[:options.customers]
    print(f"python {sys.version.split()[0]}, {len(ids)} customers, {options.duration} s per scenario, 1 caller")
    print("| scenario | calls/s | p50 µs | p99 µs | client CPU µs per call |")
    print("| --- | ---: | ---: | ---: | ---: |")
    for scenario in options.scenarios or ["ping", "get"]:
        if scenario == "ping":
            measure("ping", client.health, options.warmup, options.duration)
        else:
            measure("get", lambda: client.customers.get(random.choice(ids)), options.warmup, options.duration)
    client.close()


if __name__ == "__main__":
    main()
