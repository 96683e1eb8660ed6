#!/usr/bin/env python3
"""Whether a reader paused by its client holds the database's write-ahead log open (redteam27).

    contrib/hostile/wal_hold.py --socket PATH --database FILE [--creates 100000] [--connections 4]

Against a test instance with customers in it (`floods.py --socket PATH seed --customers 5000`).
A client that grants a window of one byte starts, on one connection, each server stream a
Read-only user may start (ExportCustomers, StreamCustomers by name, SnapshotCustomers,
StreamMailingList, WatchChanges from sequence 0), reads each one's first message and then reads
nothing: each handler is blocked in its send, in the middle of its listing. Meanwhile other
connections create N customers (each connection keeps 64 creates in flight), and the WAL
(FILE-wal) is measured every 1 000 creates. Were a paused stream to keep its read transaction (its
snapshot), no checkpoint could restart the log and it would grow with every create (~4 KiB a
create). What must hold: the WAL stays under --bound MiB (default 64: the server's own bulk
threshold is ~40 MB, ordinary writes keep it near 4 MB) and every create is acknowledged.
Exit status 0 when it held, 1 otherwise.
"""

from __future__ import annotations

import argparse
import os
import sys
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from floods import EVERY_CUSTOMER, connect  # noqa: E402
from replay import MESSAGE, STATUS, call_start, field_bytes, field_sint  # noqa: E402

STREAMS = [
    ("ExportCustomers", "customer.v1.CustomerService/ExportCustomers", EVERY_CUSTOMER),
    ("StreamCustomers", "customer.v1.CustomerService/StreamCustomers", EVERY_CUSTOMER),
    ("SnapshotCustomers", "customer.v1.ChangeFeedService/SnapshotCustomers", EVERY_CUSTOMER),
    ("StreamMailingList", "customer.v1.ContactService/StreamMailingList", b""),
    ("WatchChanges from 0", "customer.v1.ChangeFeedService/WatchChanges", field_sint(1, 0)),
]
CREATE = "customer.v1.CustomerService/CreateCustomer"


def create_request(index: int) -> bytes:
    return field_bytes(1, field_bytes(2, f"WAL hold {index:07d}"))


def creates(socket_path: str, first: int, count: int, done: list[int], failures: list[str], in_flight: int = 64) -> None:
    conn = connect(socket_path)
    sent = answered = 0
    stream = 1
    while answered < count:
        while sent < count and sent - answered < in_flight:
            conn.send(call_start(stream, CREATE, create_request(first + sent), timeout_us=0))
            stream += 2
            sent += 1
        got = conn.read_frame()
        if got is None:
            failures.append("a creating connection was closed")
            return
        kind, _, _, payload = got
        if kind == STATUS:
            if payload[:1] != b"\0":
                failures.append(f"a create failed: {payload[:200]!r}")
            answered += 1
            done[0] += 1
    conn.close()


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--socket", required=True)
    parser.add_argument("--database", required=True)
    parser.add_argument("--creates", type=int, default=100_000)
    parser.add_argument("--connections", type=int, default=4)
    parser.add_argument("--bound", type=float, default=64, help="MiB the WAL may reach")
    arguments = parser.parse_args(argv)
    wal = arguments.database + "-wal"

    paused = connect(arguments.socket, window=1)
    streams = {}
    for index, (name, method, request) in enumerate(STREAMS):
        streams[2 * index + 1] = name
        paused.send(call_start(2 * index + 1, method, request, timeout_us=0))
    pending = set(streams)
    while pending:
        got = paused.read_frame()
        if got is None:
            print("FAILED the server closed the paused connection")
            return 1
        kind, _, stream, payload = got
        if stream in pending and kind in (MESSAGE, STATUS):
            pending.discard(stream)
            print(f"{streams[stream]}: {'paused after its first message' if kind == MESSAGE else f'ended {payload[:80]!r}'}")
    sys.stdout.flush()

    done, failures = [0], []
    share = arguments.creates // arguments.connections
    workers = [threading.Thread(target=creates, args=(arguments.socket, n * share, share, done, failures), daemon=True)
               for n in range(arguments.connections)]
    started = time.monotonic()
    for worker in workers:
        worker.start()
    largest, next_report = 0, 0
    while any(worker.is_alive() for worker in workers):
        size = os.path.getsize(wal) if os.path.exists(wal) else 0
        largest = max(largest, size)
        if done[0] >= next_report:
            print(f"{done[0]:>7} creates: WAL {size / 2**20:6.1f} MiB (largest {largest / 2**20:.1f})")
            sys.stdout.flush()
            next_report += max(arguments.creates // 10, 1000)
        time.sleep(0.05)
    for worker in workers:
        worker.join(timeout=60)
    print(f"{done[0]} creates in {time.monotonic() - started:.0f} s; WAL at most {largest / 2**20:.1f} MiB, "
          f"now {os.path.getsize(wal) / 2**20:.1f} MiB")
    held = largest <= arguments.bound * 2**20 and not failures
    for failure in failures[:5]:
        print("FAILED", failure)
    print(("held  " if held else "FAILED") + f" the WAL stayed under {arguments.bound:.0f} MiB while 5 streams were paused")
    paused.close()
    return 0 if held else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
