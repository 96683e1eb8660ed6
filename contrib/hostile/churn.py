#!/usr/bin/env python3
"""Floods and faults against a running customerd: connections opened and closed as fast as they
can be (closed at once, mid-handshake, after the handshake, reset with SO_LINGER 0) while an honest
client of another connection calls, and large server streams cut by a reset mid-write.

    contrib/hostile/churn.py --socket PATH [--seconds 60] [--churners 4] [--customers 3000]

Written from PROTOCOL.md; Clients/python is the honest client. Run it as the server's user against
a test instance: it creates --customers customers (named `churn N`) for the streams to carry.
A finding is an honest call failing with anything but RESOURCE_EXHAUSTED (the per-user connection
limit may refuse it while the churners hold their share), the server no longer answering, or an
export after the cuts that does not carry every customer. Exit status 0 without findings, 1 with.
"""

from __future__ import annotations

import argparse
import pathlib
import socket
import struct
import sys
import threading
import time

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[2] / "Clients" / "python"))

from customercard import RPCError  # noqa: E402
from customercard.channel import Channel  # noqa: E402
from customercard.frames import MAGIC, client_hello  # noqa: E402
from customercard.status import StatusCode  # noqa: E402

RESET = struct.pack("ii", 1, 0)  # SO_LINGER on, 0 s: close sends RST instead of FIN


def churn(path: str, stop: float, counts: list[int], index: int) -> None:
    """Opens and drops connections in four ways, round robin, until `stop`."""
    hello = MAGIC + client_hello(1 << 20, 4 << 20, "churn")
    way = 0
    while time.monotonic() < stop:
        way = (way + 1) % 4
        try:
            connection = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            connection.settimeout(5)
            connection.connect(path)
            if way == 1:
                connection.sendall(hello[:7])
            elif way >= 2:
                connection.sendall(hello)
                connection.recv(256)  # the server's HELLO
            if way == 3:
                connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, RESET)
            connection.close()
            counts[index] += 1
        except OSError:
            pass  # a refused connection (limits) is the server defending itself


def cut_streams(path: str, rounds: int) -> int:
    """Exports read a little of, then reset: the server is mid-write of a large stream."""
    cut = 0
    for _ in range(rounds):
        channel = Channel(path, timeout=60, initial_window=64 * 1024)
        stream = channel.server_stream("customer.v1.CustomerService/ExportCustomers", {"query": {"status": "all"}})
        try:
            next(stream)
            connection = channel._connection  # noqa: SLF001 - the socket is what this cuts
            if connection is not None:
                connection.sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, RESET)
                connection.sock.close()
                cut += 1
        except (RPCError, StopIteration, OSError, AttributeError):
            pass
        finally:
            try:
                channel.close()
            except OSError:
                pass
    return cut


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--socket", required=True)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--churners", type=int, default=4)
    parser.add_argument("--customers", type=int, default=3000)
    parser.add_argument("--cuts", type=int, default=50)
    arguments = parser.parse_args()
    findings: list[str] = []
    honest = Channel(arguments.socket, timeout=120)
    existing = sum(1 for _ in honest.server_stream("customer.v1.CustomerService/ExportCustomers",
                                                   {"query": {"status": "all"}}))
    for number in range(max(0, arguments.customers - existing)):
        honest.call("customer.v1.CustomerService/CreateCustomer", {"fields": {"name": f"churn {number}"}})
    total = sum(1 for _ in honest.server_stream("customer.v1.CustomerService/ExportCustomers",
                                                {"query": {"status": "all"}}))

    stop = time.monotonic() + arguments.seconds
    counts = [0] * arguments.churners
    threads = [threading.Thread(target=churn, args=(arguments.socket, stop, counts, i), daemon=True)
               for i in range(arguments.churners)]
    cutter_result: list[int] = []
    cutter = threading.Thread(target=lambda: cutter_result.append(cut_streams(arguments.socket, arguments.cuts)),
                              daemon=True)
    for thread in [*threads, cutter]:
        thread.start()
    calls, slowest, refused = 0, 0.0, 0
    while time.monotonic() < stop:
        started = time.monotonic()
        try:
            honest.call("customer.v1.UserService/WhoAmI", {})
            calls += 1
        except RPCError as error:
            if error.code == StatusCode.RESOURCE_EXHAUSTED:
                refused += 1
            else:
                findings.append(f"an honest WhoAmI during the churn: {error.code.name} {error.message}")
                honest.close()
        slowest = max(slowest, time.monotonic() - started)
    for thread in [*threads, cutter]:
        thread.join(timeout=300)
    after = Channel(arguments.socket, timeout=120)
    try:
        if after.call("rpc.health.v1.Health/Check", {})["status"] != "SERVING":
            findings.append("not SERVING after the churn")
        exported = sum(1 for _ in after.server_stream("customer.v1.CustomerService/ExportCustomers",
                                                      {"query": {"status": "all"}}))
        if exported != total:
            findings.append(f"an export after the cuts carried {exported} customers of {total}")
    except RPCError as error:
        findings.append(f"after the churn: {error.code.name} {error.message}")
    print(f"{sum(counts)} connections churned by {arguments.churners} threads in {arguments.seconds:.0f} s; "
          f"{cutter_result[0] if cutter_result else 0} exports of {total} customers cut by a reset; "
          f"{calls} honest calls answered (slowest {slowest:.2f} s), {refused} refused RESOURCE_EXHAUSTED")
    for finding in findings:
        print(f"FINDING {finding}")
    return 1 if findings else 0


if __name__ == "__main__":
    sys.exit(main())
