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

    contrib/hostile/hold_memory.py --socket PATH --pid PID --connections 500
    setpriv --reuid 4301 --regid 4301 --clear-groups contrib/hostile/hold_memory.py \
        --socket PATH --pid PID --connections 500 --exports 4 --hold 30

Keep N under the server's --max-connections-per-user (and this process's descriptor limit).
"""

from __future__ import annotations

import argparse
import os
import socket
import struct
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from replay import (CALL_START, END_STREAM, HAS_MESSAGE, MAGIC, STATUS, call_start, client_hello,  # noqa: E402
                    field_bytes, string, varint)

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
    """Connections that start exports and never read: what the server holds for them."""
    every_customer = field_bytes(1, b"")  # StreamCustomersRequest.query: an empty CustomerQuery
    export = b"".join(call_start(stream, "customer.v1.CustomerService/ExportCustomers", every_customer, timeout_us=0)
                      for stream in range(1, 2 * arguments.exports, 2))
    held = []
    for _ in range(arguments.connections):
        conn = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        conn.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
        conn.settimeout(60)
        conn.connect(arguments.socket)
        conn.sendall(MAGIC + client_hello(window=(1 << 32) - 1) + export)
        held.append(conn)
    steps = 3
    for step in range(1, steps + 1):
        time.sleep(arguments.hold / steps)
        print(f"{arguments.connections} connections x {arguments.exports} unread exports, "
              f"{step * arguments.hold / steps:.0f} s: VmRSS {rss_kib(arguments.pid) // 1024} MiB, "
              f"{threads(arguments.pid)} threads")
    for conn in held:
        conn.close()
    time.sleep(3)
    print(f"3 s after closing them: VmRSS {rss_kib(arguments.pid) // 1024} MiB, {threads(arguments.pid)} threads")
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--socket", required=True)
    parser.add_argument("--pid", type=int, required=True, help="customerd's process id")
    parser.add_argument("--connections", type=int, default=200)
    parser.add_argument("--exports", type=int, default=0, help="unread exports per connection (0: stalled frames)")
    parser.add_argument("--hold", type=float, default=30, help="seconds the exports are held")
    arguments = parser.parse_args()

    print(f"idle: VmRSS {rss_kib(arguments.pid) // 1024} MiB")
    if arguments.exports > 0:
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
