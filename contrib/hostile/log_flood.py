#!/usr/bin/env python3
"""What a caller's cheap calls cost customerd's log (redteam27): log bytes and lines per call of
each kind a signed-in user can send as fast as it likes.

    contrib/hostile/log_flood.py --socket PATH --log FILE [--calls 2000]

Against a fresh test instance of the user running this script (its administrator), whose standard
error is FILE, at customerd's default `--log-level info` or `notice` (where refusals are logged).
The script trusts itself as a service and adds a Read-only user (`flood-reader`, uid 4999) to act
for, so one OS user can send what a Read-only user and a trusted service would:

- `WhoAmI` acting for a person who does not exist (UNAUTHENTICATED, a refusal),
- the same naming a person of 1 000 bytes (the metadata limit: the name is logged),
- `CreateCustomer` acting for the Read-only user (PERMISSION_DENIED, a refusal),
- `GetCustomer` of an id nobody has (NOT_FOUND), an empty name (INVALID_ARGUMENT),
  an unknown method (UNIMPLEMENTED), each as the administrator.

Each kind is sent N times on one connection, and the log's growth measured after it. What must
hold: no kind writes more than the refusal log's limit lets through (docs/HARDENING.md, Limits:
100 lines of one OS user's refusals a minute, counted on the next line), whatever N. Exit status 0
when every kind held, 1 otherwise. Standard library and Clients/python only.
"""

from __future__ import annotations

import argparse
import pathlib
import sys
import time

HERE = pathlib.Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[1] / "Clients" / "python"))

from customercard import CustomerCardClient, RPCError  # noqa: E402

READER = "flood-reader"
READER_UID = 4999
LINES_PER_WINDOW = 100  # the refusal log's limit per OS user, and its window
WINDOW_SECONDS = 60


def allowed_lines(elapsed: float) -> int:
    """The refusal lines one OS user may write in `elapsed` seconds: each window's lines, and the
    line of a new window that counts what the last one held back."""
    windows = int(elapsed // WINDOW_SECONDS) + 1
    return LINES_PER_WINDOW * windows + windows


def flood(client: CustomerCardClient, method: str, request: dict, metadata, calls: int) -> dict[str, int]:
    codes: dict[str, int] = {}
    for _ in range(calls):
        try:
            client.call(method, request, metadata=metadata)
            codes["OK"] = codes.get("OK", 0) + 1
        except RPCError as error:
            codes[error.code.name] = codes.get(error.code.name, 0) + 1
    return codes


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--socket", required=True)
    parser.add_argument("--log", required=True, type=pathlib.Path, help="customerd's standard error")
    parser.add_argument("--calls", type=int, default=2000, help="calls of each kind")
    arguments = parser.parse_args(argv)

    failures: list[str] = []
    with CustomerCardClient(arguments.socket, timeout=60) as client:
        me = client.call("customer.v1.UserService/WhoAmI", {})["name"]
        try:
            client.call("customer.v1.UserService/AddUser", {"uid": READER_UID, "name": READER, "profile": "Read only"})
        except RPCError as error:
            if error.code.name != "ALREADY_EXISTS":
                raise
        client.call("customer.v1.UserService/SetTrustedService", {"user": me, "trusted": True})
        kinds = [
            ("WhoAmI acting for nobody", "customer.v1.UserService/WhoAmI", {}, [("acting-for", "nobody")]),
            ("WhoAmI acting for a 1000-byte name", "customer.v1.UserService/WhoAmI", {}, [("acting-for", "n" * 1000)]),
            ("CreateCustomer acting for a Read-only user", "customer.v1.CustomerService/CreateCustomer",
             {"fields": {"name": "Flood Oy"}}, [("acting-for", READER)]),
            ("GetCustomer of an id nobody has", "customer.v1.CustomerService/GetCustomer", {"id": 1 << 62}, []),
            ("CreateCustomer with an empty name", "customer.v1.CustomerService/CreateCustomer",
             {"fields": {"name": ""}}, []),
        ]
        run_started, run_lines_before = time.monotonic(), arguments.log.read_bytes().count(b"\n")
        try:
            for what, method, request, metadata in kinds:
                before = arguments.log.stat().st_size
                lines_before = arguments.log.read_bytes().count(b"\n")
                started = time.monotonic()
                codes = flood(client, method, request, metadata, arguments.calls)
                elapsed = time.monotonic() - started
                time.sleep(0.2)  # the log is written by customerd's threads: let the last lines land
                grown = arguments.log.stat().st_size - before
                lines = arguments.log.read_bytes().count(b"\n") - lines_before
                allowed = allowed_lines(elapsed)
                held = lines <= allowed
                print(f"{'held  ' if held else 'FAILED'} {what}: {arguments.calls} calls {codes} in {elapsed:.1f} s, "
                      f"{lines} log lines, {grown} log bytes ({grown / arguments.calls:.1f} a call; at most {allowed} lines)")
                if not held:
                    failures.append(what)
            # The kinds share one OS user's lines: together they get no more than one kind would.
            elapsed = time.monotonic() - run_started
            lines = arguments.log.read_bytes().count(b"\n") - run_lines_before
            held = lines <= allowed_lines(elapsed)
            print(f"{'held  ' if held else 'FAILED'} all kinds together: {lines} log lines in {elapsed:.1f} s "
                  f"(at most {allowed_lines(elapsed)})")
            if not held:
                failures.append("all kinds together")
        finally:
            client.call("customer.v1.UserService/SetTrustedService", {"user": me, "trusted": False})
    print(f"{len(failures)} failed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
