#!/usr/bin/env python3
"""Measures the memory one OS user can make customerd hold with frames it never finishes or answers it never reads.

Opens N connections (as this OS user), each handshakes and sends a CALL_START header announcing a
4 MiB payload and all but the last byte of it, then stalls; prints customerd's VmRSS (from
/proc/PID/status) before and 3 s after, and how many calls the server refused at once
(RESOURCE_EXHAUSTED: the per-user input budget, docs/HARDENING.md). Standard library only.

With --exports K, each connection instead grants a 4 GiB window with a 4 KiB receive buffer, starts
K ExportCustomers streams (no deadline) and reads nothing (the queued answer bytes the per-user
budget bounds); VmRSS and threads are printed every --hold / 3 seconds while held, and 3 s after
the connections closed. The OS user must be a CustomerCard user that may read customers.

With --unary K, each connection (the same small receive buffer) sends K ListCustomers calls of
1000 customers each and reads nothing: the answers the server cannot send; threads and VmRSS as for
--exports. With --probe S, nothing is held: for S seconds it calls GetCustomer (id 1) on one
connection of its own, one call after another, and prints how long they took (run it as another
OS user meanwhile: does that user still get served?).

With --watches K, each connection (the same small receive buffer) starts K WatchChanges from
sequence 0 and reads nothing: subscribers that never read. With --trickle, each connection
handshakes and then sends valid GetCustomer calls one byte a second, every connection in turn
(slowloris at the frame level); threads and VmRSS as for --exports.

    contrib/hostile/hold_memory.py --socket PATH --pid PID --connections 500
    setpriv --reuid 4301 --regid 4301 --clear-groups contrib/hostile/hold_memory.py \
        --socket PATH --pid PID --connections 500 --exports 4 --hold 30
    setpriv --reuid 4301 --regid 4301 --clear-groups contrib/hostile/hold_memory.py \
        --socket PATH --pid PID --connections 100 --unary 2000 --hold 30
    contrib/hostile/hold_memory.py --socket PATH --pid PID --probe 40
    contrib/hostile/hold_memory.py --socket PATH --pid PID --connections 100 --watches 100 --hold 30
    contrib/hostile/hold_memory.py --socket PATH --pid PID --connections 500 --trickle --hold 60

With --repeated K, each connection sends K MergeCustomers calls whose 4 MiB request is one
`doNotFill` of about 1.4 million one-letter names (the server allows 64), all connections at once,
and reads every STATUS: the memory (VmHWM, the peak, before and after) and CPU (utime + stime) the
server spends decoding requests it refuses by a cap checked after decoding (redteam18). --shape packed
sends SetCustomerSegments of ~4 million packed segment ids instead, --shape fields MergeCustomers
with ~1.4 million distinct unknown fields (caps19: the server's decoder refuses all three).
--shape nested sends ImportCustomers instead, each one MESSAGE of 65 000 rows of 2 occurrences (a
row holding an empty `fields`), as many as fit the 256 KiB stream window: nested messages the
decoder builds before any limit (hardening20's known gap; refused unread since import20, which
allows 1 000 rows a message: --rows 1000 sends that many, the most an import message may cost).

    contrib/hostile/hold_memory.py --socket PATH --pid PID --connections 16 --repeated 4 [--shape packed]

Keep N under the server's --max-connections-per-user (and this process's descriptor limit).
"""

from __future__ import annotations

import argparse
import os
import socket
import struct
import sys
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from replay import (CALL_START, END_STREAM, GOAWAY, HAS_MESSAGE, MAGIC, MESSAGE, STATUS, Connection, Reader,  # noqa: E402
                    call_start, client_hello, code_name, field_bytes, field_sint, field_varint, frame, string, varint,
                    zigzag)

FRAME = 4 * 1024 * 1024


def rss_kib(pid: int) -> int:
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    raise RuntimeError(f"no VmRSS for pid {pid}")


def threads(pid: int) -> int:
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith("Threads:"):
                return int(line.split()[1])
    return 0


def hold_exports(arguments: argparse.Namespace) -> int:
    """Connections that start exports (or unary listings) and never read: what the server holds for them."""
    every_customer = field_bytes(1, b"")  # StreamCustomersRequest.query: an empty CustomerQuery
    if arguments.watches > 0:
        # WatchChangesRequest: after 0 (field 1), every kind.
        calls = b"".join(call_start(stream, "customer.v1.ChangeFeedService/WatchChanges", field_sint(1, 0), timeout_us=0)
                         for stream in range(1, 2 * arguments.watches, 2))
        what = f"{arguments.watches} unread watches"
    elif arguments.unary > 0:
        # ListCustomersRequest: an empty query (field 1), limit 1000 (field 2); about 240 KiB an answer.
        listing = every_customer + field_sint(2, 1000)
        calls = b"".join(call_start(stream, "customer.v1.CustomerService/ListCustomers", listing, timeout_us=0)
                         for stream in range(1, 2 * arguments.unary, 2))
        what = f"{arguments.unary} unread listings"
    else:
        calls = b"".join(call_start(stream, "customer.v1.CustomerService/ExportCustomers", every_customer, timeout_us=0)
                         for stream in range(1, 2 * arguments.exports, 2))
        what = f"{arguments.exports} unread exports"
    held = []
    for _ in range(arguments.connections):
        conn = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        conn.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
        conn.connect(arguments.socket)
        conn.sendall(MAGIC + client_hello(window=(1 << 32) - 1))
        # The server may stop reading these calls (it should, once their answers are not read):
        # send what the socket takes without waiting, the rest is never sent.
        conn.setblocking(False)
        try:
            conn.send(calls)
        except BlockingIOError:
            pass
        held.append(conn)
    steps = 3
    for step in range(1, steps + 1):
        time.sleep(arguments.hold / steps)
        print(f"{arguments.connections} connections x {what}, "
              f"{step * arguments.hold / steps:.0f} s: VmRSS {rss_kib(arguments.pid) // 1024} MiB, "
              f"{threads(arguments.pid)} threads")
    for conn in held:
        conn.close()
    time.sleep(3)
    print(f"3 s after closing them: VmRSS {rss_kib(arguments.pid) // 1024} MiB, {threads(arguments.pid)} threads")
    return 0


def trickle(arguments: argparse.Namespace) -> int:
    """Connections that send valid calls one byte a second each: what the server holds for them."""
    calls = b"".join(call_start(stream, "customer.v1.CustomerService/GetCustomer", field_sint(1, 1), timeout_us=0)
                     for stream in range(1, 2000, 2))
    held = []
    for _ in range(arguments.connections):
        conn = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        conn.connect(arguments.socket)
        conn.sendall(MAGIC + client_hello())
        conn.setblocking(False)
        held.append(conn)
    closed, position, start = set(), 0, time.monotonic()
    next_report = start + arguments.hold / 3
    while time.monotonic() < start + arguments.hold:
        for index, conn in enumerate(held):
            if index in closed:
                continue
            try:
                conn.send(calls[position % len(calls):position % len(calls) + 1])
                conn.recv(1 << 16)
            except BlockingIOError:
                pass
            except OSError:
                closed.add(index)
        position += 1
        if time.monotonic() >= next_report:
            print(f"{arguments.connections} connections trickling a byte a second, {time.monotonic() - start:.0f} s: "
                  f"VmRSS {rss_kib(arguments.pid) // 1024} MiB, {threads(arguments.pid)} threads, "
                  f"{len(closed)} closed by the server")
            next_report += arguments.hold / 3
        time.sleep(1)
    for conn in held:
        conn.close()
    time.sleep(3)
    print(f"3 s after closing them: VmRSS {rss_kib(arguments.pid) // 1024} MiB, {threads(arguments.pid)} threads")
    return 0


def status_kib(pid: int, key: str) -> int:
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith(key + ":"):
                return int(line.split()[1])
    raise RuntimeError(f"no {key} for pid {pid}")


def cpu_seconds(pid: int) -> float:
    with open(f"/proc/{pid}/stat") as stat:
        fields = stat.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def repeated_request(shape: str, rows: int = 65_000) -> tuple[str, bytes, int]:
    """The method, the 4 MiB request, and how many repeated entries it holds."""
    if shape == "nested":
        # ImportCustomers: `rows` CustomerRecords of an empty CustomerFields, 4 bytes each.
        return "customer.v1.CustomerService/ImportCustomers", field_bytes(2, field_bytes(2, b"")) * rows, rows
    if shape == "packed":
        # SetCustomerSegments: one packed run of ~4 million 1-byte segment ids (the server allows 1000).
        method = "customer.v1.SettingsService/SetCustomerSegments"
        message = field_sint(1, 1)
        head = varint(0) + string(method) + varint(0)
        count = FRAME - len(head) - len(message) - 2 - 4
        return method, message + varint(2 << 3 | 2) + varint(count) + zigzag(1) * count, count
    method = "customer.v1.CustomerService/MergeCustomers"
    message = field_sint(1, 1) + field_sint(2, 2)
    room = FRAME - len(varint(0) + string(method) + varint(0)) - len(message)
    if shape == "fields":
        # MergeCustomers with fields 16, 17, ... each once, none of which it knows.
        body = bytearray()
        count = 0
        while len(body) + 5 <= room:
            body += field_varint(16 + count, 1)
            count += 1
        return method, message + bytes(body), count
    entry = field_bytes(4, "a")
    count = room // len(entry)
    return method, message + entry * count, count


def repeated(arguments: argparse.Namespace) -> int:
    """Requests of ~1.4 million tiny repeated entries, refused by a cap of 64: what decoding them costs."""
    method, message, count = repeated_request(arguments.shape, arguments.rows)
    if arguments.shape == "nested":
        # Client streaming: the rows travel in a MESSAGE that ends the stream.
        calls = [call_start(stream, method, None, timeout_us=0) + frame(MESSAGE, stream, message, HAS_MESSAGE | END_STREAM)
                 for stream in range(1, 2 * arguments.repeated, 2)]
    else:
        calls = [call_start(stream, method, message, timeout_us=0)
                 for stream in range(1, 2 * arguments.repeated, 2)]
    conns = [Connection(arguments.socket, timeout=600) for _ in range(arguments.connections)]
    for conn in conns:
        conn.expect_hello()
    before_hwm, before_cpu, start = status_kib(arguments.pid, "VmHWM"), cpu_seconds(arguments.pid), time.monotonic()
    senders = [threading.Thread(target=conn.send, args=(b"".join(calls),)) for conn in conns]
    for sender in senders:
        sender.start()
    codes: dict[str, int] = {}
    for conn in conns:
        # The calls end in any order: each STATUS is counted for its stream as it comes (waiting
        # for stream 1's first dropped the others' read meanwhile, which then counted as none).
        pending = set(range(1, 2 * arguments.repeated, 2))
        while pending:
            got = conn.read_until({STATUS, GOAWAY})
            if got is None or got[0] != STATUS:
                break
            if got[2] in pending:
                pending.discard(got[2])
                reader = Reader(got[3])
                code = reader.take(1)[0]
                name = f"{code_name(code)} {reader.string()[:100]}"
                codes[name] = codes.get(name, 0) + 1
        if pending:
            codes["none"] = codes.get("none", 0) + len(pending)
    for sender in senders:
        sender.join()
    took = time.monotonic() - start
    print(f"{arguments.connections} connections x {arguments.repeated} {method.rsplit('/', 1)[1]} of {count} entries "
          f"({len(message)} bytes) in {took:.1f} s: server CPU {cpu_seconds(arguments.pid) - before_cpu:.2f} s, "
          f"VmHWM {before_hwm // 1024} -> {status_kib(arguments.pid, 'VmHWM') // 1024} MiB, "
          f"VmRSS now {rss_kib(arguments.pid) // 1024} MiB")
    for name, count in sorted(codes.items()):
        print(f"  {count} x {name}")
    for conn in conns:
        conn.close()
    return 0


def probe(arguments: argparse.Namespace) -> int:
    """Another user's view: GetCustomer after GetCustomer on a connection of its own, timed."""
    conn = Connection(arguments.socket, timeout=120)
    conn.expect_hello()
    took, failed, stream = [], 0, 1
    end = time.monotonic() + arguments.probe
    while time.monotonic() < end:
        start = time.monotonic()
        conn.send(call_start(stream, "customer.v1.CustomerService/GetCustomer", field_sint(1, 1)))
        status = conn.status(stream)
        took.append(time.monotonic() - start)
        if status is None or status.code != 0:
            failed += 1
        stream += 2
        time.sleep(0.05)
    took.sort()
    print(f"probe: {len(took)} GetCustomer calls, {failed} failed; p50 {took[len(took) // 2] * 1000:.1f} ms, "
          f"p90 {took[len(took) * 9 // 10] * 1000:.1f} ms, max {took[-1] * 1000:.1f} ms")
    return 0 if failed == 0 else 1


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--socket", required=True)
    parser.add_argument("--pid", type=int, required=True, help="customerd's process id")
    parser.add_argument("--connections", type=int, default=200)
    parser.add_argument("--exports", type=int, default=0, help="unread exports per connection (0: stalled frames)")
    parser.add_argument("--unary", type=int, default=0, help="unread ListCustomers calls per connection")
    parser.add_argument("--watches", type=int, default=0, help="unread WatchChanges per connection")
    parser.add_argument("--trickle", action="store_true", help="send valid calls one byte a second per connection")
    parser.add_argument("--repeated", type=int, default=0, help="4 MiB MergeCustomers of tiny doNotFill names per connection")
    parser.add_argument("--shape", choices=["strings", "packed", "fields", "nested"], default="strings",
                        help="--repeated's requests: one-letter doNotFill names, packed segment ids, distinct unknown "
                             "fields, import rows")
    parser.add_argument("--rows", type=int, default=65_000,
                        help="--shape nested: rows a message (the server takes 1000 at most, import20)")
    parser.add_argument("--hold", type=float, default=30, help="seconds the exports are held")
    parser.add_argument("--probe", type=float, default=0, help="seconds of GetCustomer calls, one after another")
    arguments = parser.parse_args()

    if arguments.probe > 0:
        return probe(arguments)
    print(f"idle: VmRSS {rss_kib(arguments.pid) // 1024} MiB")
    if arguments.trickle:
        return trickle(arguments)
    if arguments.repeated > 0:
        return repeated(arguments)
    if arguments.exports > 0 or arguments.unary > 0 or arguments.watches > 0:
        return hold_exports(arguments)
    head = varint(0) + string("customer.v1.CustomerService/GetCustomer") + varint(0)
    header = struct.pack(">IBBI", FRAME, CALL_START, HAS_MESSAGE | END_STREAM, 1)
    filler = b"\0" * (FRAME - 1 - len(head))
    held = []
    for _ in range(arguments.connections):
        conn = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        conn.settimeout(60)
        conn.connect(arguments.socket)
        conn.sendall(MAGIC + client_hello() + header + head + filler)
        held.append(conn)
    time.sleep(3)
    print(f"{arguments.connections} connections, each 1 byte short of a 4 MiB frame: "
          f"VmRSS {rss_kib(arguments.pid) // 1024} MiB")
    refused = 0
    for conn in held:
        conn.settimeout(0.2)
        data = b""
        try:
            while len(data) < 1 << 16:
                chunk = conn.recv(1 << 16)
                if not chunk:
                    break
                data += chunk
        except OSError:
            pass
        # The server's HELLO, then a STATUS on stream 1 when the budget refused the call.
        while len(data) >= 10:
            length, kind, _, stream = struct.unpack(">IBBI", data[:10])
            if kind == STATUS and stream == 1:
                refused += 1
            data = data[10 + length:]
    print(f"calls answered before their frame was complete (refused): {refused}")
    for conn in held:
        conn.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
