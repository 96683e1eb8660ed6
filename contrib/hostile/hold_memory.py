#!/usr/bin/env python3
"""Measures the memory one OS user can make customerd hold with frames it never finishes.

Opens N connections (as this OS user), each handshakes and sends a CALL_START header announcing a
4 MiB payload and all but the last byte of it, then stalls; prints customerd's VmRSS (from
/proc/PID/status) before and 3 s after, and how many calls the server refused at once
(RESOURCE_EXHAUSTED: the per-user input budget, docs/HARDENING.md). Standard library only.

    contrib/hostile/hold_memory.py --socket PATH --pid PID --connections 500

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
from replay import CALL_START, END_STREAM, HAS_MESSAGE, MAGIC, STATUS, client_hello, string, varint  # noqa: E402

FRAME = 4 * 1024 * 1024


def rss_kib(pid: int) -> int:
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    raise RuntimeError(f"no VmRSS for pid {pid}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--socket", required=True)
    parser.add_argument("--pid", type=int, required=True, help="customerd's process id")
    parser.add_argument("--connections", type=int, default=200)
    arguments = parser.parse_args()

    print(f"idle: VmRSS {rss_kib(arguments.pid) // 1024} MiB")
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
