#!/usr/bin/env python3
"""Floods customerd's readers with one OS user's honest but expensive reads, or times another user's gets meanwhile.

With --flood N (run it as the attacking OS user, a CustomerCard user that may read customers) it
opens N connections and on each keeps --in-flight K ListCustomers calls sent (no deadline) whose
search no customer matches, too short for the trigram index (a full scan of the customers), for --seconds; it prints how many were
answered.
With --probe S (run it as another OS user) it calls GetCustomer (id 1) for S seconds on a
connection of its own, one call after another, and prints p50, p90 and max: what the flood costs
another user's reads (docs/HARDENING.md, "readers shared out by OS user"). Standard library only.

    setpriv --reuid 4301 --regid 4301 --clear-groups contrib/hostile/reader_flood.py \
        --socket PATH --flood 8 --in-flight 4 --seconds 40 &
    setpriv --reuid 4302 --regid 4302 --clear-groups contrib/hostile/reader_flood.py \
        --socket PATH --probe 30
"""

from __future__ import annotations

import argparse
import os
import sys
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from hold_memory import probe  # noqa: E402  (another user's view: GetCustomer after GetCustomer, timed)
from replay import GOAWAY, STATUS, Connection, call_start, field_bytes  # noqa: E402

# Two characters: a term of three or more is answered from the trigram index (migration 29) without
# a scan when it matches few; one of two still reads every customer.
NO_MATCH = "~~"


def flood(arguments: argparse.Namespace) -> int:
    """N connections, each looping a search that scans every customer."""
    request = field_bytes(1, field_bytes(2, NO_MATCH))
    sent = [0] * arguments.flood
    end = time.monotonic() + arguments.seconds

    def loop(index: int) -> None:
        conn = Connection(arguments.socket, timeout=600)
        conn.expect_hello()
        stream, open_calls = 1, 0
        while True:
            while open_calls < arguments.in_flight and time.monotonic() < end:
                conn.send(call_start(stream, "customer.v1.CustomerService/ListCustomers", request, timeout_us=0))
                stream += 2
                open_calls += 1
            if open_calls == 0:
                break
            if conn.read_until({STATUS, GOAWAY}) is None:
                return
            open_calls -= 1
            sent[index] += 1
        conn.close()

    threads = [threading.Thread(target=loop, args=(index,)) for index in range(arguments.flood)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    print(f"flood: {sum(sent)} searches answered on {arguments.flood} connections "
          f"({arguments.in_flight} in flight on each) in {arguments.seconds:.0f} s")
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--socket", required=True)
    parser.add_argument("--flood", type=int, default=0, help="connections looping a search that matches nothing")
    parser.add_argument("--in-flight", type=int, default=1, help="searches each flood connection keeps sent and unanswered")
    parser.add_argument("--seconds", type=float, default=40, help="how long the flood runs")
    parser.add_argument("--probe", type=float, default=0, help="seconds of GetCustomer calls, one after another")
    arguments = parser.parse_args()
    if arguments.flood > 0:
        return flood(arguments)
    if arguments.probe > 0:
        return probe(arguments)
    parser.error("give --flood N or --probe S")
    return 2


if __name__ == "__main__":
    sys.exit(main())
