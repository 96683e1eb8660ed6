#!/usr/bin/env python3
"""One OS user's floods of what a stream costs the server (floods23): id files, window updates, tiny messages.

    floods.py --socket PATH seed --customers 5000
        As an administrator: imports N customers (one ImportCustomers of 1 000-row messages), so an
        ordered stream of them keeps its ids in a file beside the database (more than 4 096).
    setpriv --reuid 4301 --regid 4301 --clear-groups floods.py --socket PATH id-files --connections 4 --streams 64 --hold 20
        Opens C connections granting a window of one byte, starts K ExportCustomers on each (by name,
        no deadline), and waits for each one's first MESSAGE (it began: its id file is made, and it
        paused) or its STATUS (refused): prints how many began and were refused (with the first
        refusal), holds them S seconds, then closes them. Run `probe` as another user meanwhile.
        Several users at once (fds24: the server's bound on all users' id files): run it under
        uids 4301..4304 side by side, each `--connections 1 --streams 64`, then `probe`.
    floods.py --socket PATH probe [--pid PID]
        What another user still gets while the flood holds: N more connections (--connections N),
        GetCustomer, a dry-run ImportCustomers of one row (its spool is a file) and an ExportCustomers
        read to its end (its id file); with --pid, customerd's open descriptors and how many are
        streams' id files (needs root).
    floods.py --socket PATH windows --updates 10000
        One export with a one-byte window, then N WINDOW_UPDATEs of 2^32 - 1 on its stream and N on
        streams never opened, then reads it to its end and calls GetCustomer on the same connection.
    floods.py --socket PATH tiny --messages 200000 [--pid PID]
        A dry-run ImportCustomers of N empty messages (10-byte frames), then its answer, and
        customerd's CPU seconds spent meanwhile (--pid); another connection's GetCustomer after it.

    floods.py --socket PATH slow-watches --connections 50 --watches 5 --hold 30 [--pid PID]
        C connections with a 4 KiB receive buffer, each K WatchChanges from sequence 0, each
        connection read 4 KiB a second: bytes read, and customerd's threads and VmRSS (--pid).

Standard library only; the frames are built by replay.py's helpers.
"""

from __future__ import annotations

import argparse
import os
import socket
import struct
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from replay import (END_STREAM, HAS_MESSAGE, MAGIC, MESSAGE, STATUS, WINDOW_UPDATE, Connection, Reader,  # noqa: E402
                    call_start, client_hello, code_name, field_bytes, field_sint, field_varint, frame)

EXPORT = "customer.v1.CustomerService/ExportCustomers"
IMPORT = "customer.v1.CustomerService/ImportCustomers"
GET = "customer.v1.CustomerService/GetCustomer"
WATCH = "customer.v1.ChangeFeedService/WatchChanges"
EVERY_CUSTOMER = field_bytes(1, b"")  # StreamCustomersRequest.query: an empty CustomerQuery (by name)


def status_of(payload: bytes) -> tuple[str, str]:
    reader = Reader(payload)
    code = reader.take(1)[0]
    return code_name(code), reader.string()


def connect(path: str, window: int = 1 << 20, timeout: float = 60) -> Connection:
    conn = Connection(path, timeout, handshake=False)
    conn.send(MAGIC + client_hello(window=window))
    conn.expect_hello()
    return conn


def unary(conn: Connection, stream: int, method: str, message: bytes) -> tuple[str, str]:
    conn.send(call_start(stream, method, message, timeout_us=0))
    status = conn.status(stream)
    return (code_name(status.code), status.message) if status else ("no STATUS", "the connection ended")


def read_export(conn: Connection, stream: int) -> tuple[int, str, str]:
    """Reads stream `stream` (an export) to its STATUS: its records, the status's code and message."""
    messages = 0
    while True:
        got = conn.read_frame()
        if got is None:
            return messages, "no STATUS", "the connection ended"
        kind, _, on, payload = got
        if on == stream and kind == MESSAGE:
            messages += 1
        elif on == stream and kind == STATUS:
            return (messages, *status_of(payload))


def import_rows(conn: Connection, stream: int, messages: list[bytes], dry_run: bool) -> tuple[str, str]:
    """One ImportCustomers: the options first, then `messages` (each an ImportCustomersMessage), then END_STREAM."""
    options = field_bytes(1, field_varint(1, 1) if dry_run else b"")
    conn.send(call_start(stream, IMPORT, options, timeout_us=0, flags=HAS_MESSAGE))
    for at in range(0, len(messages), 1_000):
        conn.send(b"".join(frame(MESSAGE, stream, message, HAS_MESSAGE) for message in messages[at:at + 1_000]))
    conn.send(frame(MESSAGE, stream, b"", END_STREAM))
    status = conn.status(stream)
    return (code_name(status.code), status.message) if status else ("no STATUS", "the connection ended")


def row(index: int) -> bytes:
    # CustomerRecord: line (1), fields (2) { name (2) }.
    return field_sint(1, index + 2) + field_bytes(2, field_bytes(2, f"Flood customer {index:06d}"))


def seed(arguments: argparse.Namespace) -> int:
    conn = connect(arguments.socket)
    rows = [field_bytes(2, row(index)) for index in range(arguments.customers)]
    messages = [b"".join(rows[at:at + 1_000]) for at in range(0, len(rows), 1_000)]
    print("seed:", *import_rows(conn, 1, messages, dry_run=False))
    return 0


def id_files(arguments: argparse.Namespace) -> int:
    """Paused exports, each holding its id file: how many the server lets one user begin."""
    held, began, refused, first_refusal = [], 0, 0, None
    for _ in range(arguments.connections):
        conn = connect(arguments.socket, window=1)
        streams = list(range(1, 2 * arguments.streams, 2))
        conn.send(b"".join(call_start(stream, EXPORT, EVERY_CUSTOMER, timeout_us=0) for stream in streams))
        pending = set(streams)
        while pending:
            got = conn.read_frame()
            if got is None:
                print("the server closed a connection")
                break
            kind, _, stream, payload = got
            if stream not in pending:
                continue
            if kind == MESSAGE:
                began += 1
                pending.discard(stream)
            elif kind == STATUS:
                refused += 1
                pending.discard(stream)
                first_refusal = first_refusal or status_of(payload)
        held.append(conn)
    print(f"id-files: {arguments.connections} connections x {arguments.streams} exports: {began} began (paused, "
          f"each holding its id file), {refused} refused; first refusal: {first_refusal}")
    sys.stdout.flush()
    time.sleep(arguments.hold)
    for conn in held:
        conn.close()
    return 0


def descriptors(pid: int) -> tuple[int, int]:
    total = streams = 0
    for entry in os.listdir(f"/proc/{pid}/fd"):
        total += 1
        try:
            streams += ".customer-stream-" in os.readlink(f"/proc/{pid}/fd/{entry}")
        except OSError:
            pass
    return total, streams


def probe(arguments: argparse.Namespace) -> int:
    if arguments.pid:
        total, streams = descriptors(arguments.pid)
        print(f"probe: customerd holds {total} descriptors, {streams} of them streams' id files")
    extra, failed = [], []
    for _ in range(arguments.connections):
        try:
            extra.append(connect(arguments.socket, timeout=10))
        except (OSError, AssertionError) as error:
            failed.append(error)
            break
    if arguments.connections:
        print(f"probe: {len(extra)} of {arguments.connections} more connections handshaken"
              + (f", then {failed[0]!r}" if failed else ""))
    conn = connect(arguments.socket)
    print("probe: GetCustomer:", *unary(conn, 1, GET, field_sint(1, 1)))
    print("probe: ImportCustomers (dry run, 1 row):", *import_rows(conn, 3, [field_bytes(2, row(0))], dry_run=True))
    conn.send(call_start(5, EXPORT, EVERY_CUSTOMER, timeout_us=0))
    print("probe: ExportCustomers: %d records, then %s %s" % read_export(conn, 5))
    for other in extra:
        other.close()
    return 0


def windows(arguments: argparse.Namespace) -> int:
    conn = connect(arguments.socket, window=1)
    conn.send(call_start(1, EXPORT, EVERY_CUSTOMER, timeout_us=0))
    credit = struct.pack(">I", 0xFFFF_FFFF)
    updates = b"".join(frame(WINDOW_UPDATE, 1, credit) for _ in range(arguments.updates))
    strangers = b"".join(frame(WINDOW_UPDATE, 1_000_001 + 2 * index, credit) for index in range(arguments.updates))
    conn.send(updates + strangers)
    messages, code, message = read_export(conn, 1)
    print(f"windows: {arguments.updates} WINDOW_UPDATEs of 2^32 - 1 on the export, as many on unopened streams: "
          f"{messages} records, then", code, message)
    print("windows: GetCustomer on the same connection:", *unary(conn, 3, GET, field_sint(1, 1)))
    return 0


def slow_watches(arguments: argparse.Namespace) -> int:
    """Watches read slowly (4 KiB a second per connection): what the server holds for them meanwhile."""
    # WatchChangesRequest: after 0 (field 1), every kind; no deadline.
    calls = b"".join(call_start(stream, WATCH, field_sint(1, 0), timeout_us=0)
                     for stream in range(1, 2 * arguments.watches, 2))
    held = []
    for _ in range(arguments.connections):
        conn = connect(arguments.socket)
        conn.sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
        conn.send(calls)
        conn.sock.setblocking(False)
        held.append(conn)
    read, closed, start = 0, 0, time.monotonic()
    for second in range(1, int(arguments.hold) + 1):
        for conn in held:
            try:
                read += len(conn.sock.recv(4096))
            except BlockingIOError:
                pass
            except OSError:
                closed += 1
        time.sleep(max(0.0, start + second - time.monotonic()))
        if second % max(1, int(arguments.hold) // 3) == 0:
            print(f"slow-watches: {arguments.connections} connections x {arguments.watches} watches, {second} s: "
                  f"{read} bytes read, {closed} reads failed"
                  + (f", customerd {threads_and_rss(arguments.pid)}" if arguments.pid else ""))
    for conn in held:
        conn.close()
    return 0


def threads_and_rss(pid: int) -> str:
    with open(f"/proc/{pid}/status") as status:
        fields = dict(line.split(":", 1) for line in status if ":" in line)
    return f"{fields['Threads'].strip()} threads, VmRSS {int(fields['VmRSS'].split()[0]) // 1024} MiB"


def cpu_seconds(pid: int) -> float:
    with open(f"/proc/{pid}/stat") as stat:
        fields = stat.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def tiny(arguments: argparse.Namespace) -> int:
    conn = connect(arguments.socket)
    before = cpu_seconds(arguments.pid) if arguments.pid else None
    start = time.monotonic()
    result = import_rows(conn, 1, [b""] * arguments.messages, dry_run=True)
    spent = f" in {time.monotonic() - start:.1f} s"
    if before is not None:
        spent += f", customerd spent {cpu_seconds(arguments.pid) - before:.2f} s of CPU"

    print(f"tiny: a dry-run import of {arguments.messages} empty messages:", *result, spent)
    other = connect(arguments.socket)
    print("tiny: GetCustomer on another connection after it:", *unary(other, 1, GET, field_sint(1, 1)))
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--socket", required=True)
    commands = parser.add_subparsers(dest="command", required=True)
    command = commands.add_parser("seed")
    command.add_argument("--customers", type=int, default=5_000)
    command = commands.add_parser("id-files")
    command.add_argument("--connections", type=int, default=4)
    command.add_argument("--streams", type=int, default=64)
    command.add_argument("--hold", type=float, default=20)
    command = commands.add_parser("probe")
    command.add_argument("--pid", type=int)
    command.add_argument("--connections", type=int, default=0, help="more connections held open while it calls")
    command = commands.add_parser("windows")
    command.add_argument("--updates", type=int, default=10_000)
    command = commands.add_parser("tiny")
    command.add_argument("--messages", type=int, default=200_000)
    command.add_argument("--pid", type=int)
    command = commands.add_parser("slow-watches")
    command.add_argument("--connections", type=int, default=50)
    command.add_argument("--watches", type=int, default=5)
    command.add_argument("--hold", type=float, default=30)
    command.add_argument("--pid", type=int)
    arguments = parser.parse_args()
    return {"seed": seed, "id-files": id_files, "probe": probe, "windows": windows, "tiny": tiny,
            "slow-watches": slow_watches}[arguments.command](arguments)


if __name__ == "__main__":
    sys.exit(main())
