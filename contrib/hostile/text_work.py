#!/usr/bin/env python3
"""What the longest text a frame allows costs customerd before its length is refused (redteam27).

    contrib/hostile/text_work.py --socket PATH --pid PID [--size 4000000] [--only TEXT] [--inputs TEXT]

Against a test instance of the user running this script (its administrator; the creates it sends
are refused, so it writes nothing). Each text field a caller may fill is sent once with each worst
input of about --size bytes (the frame limit is 4 MiB): combining marks whose canonical classes
alternate (230, 220: canonical reordering must move every other one, quadratic if done by
insertion), one repeated letter, `%` and `_` and `\\` (LIKE's wildcards and escape), mixed scripts
(Latin, Cyrillic, Arabic, Han, emoji with ZWJ), and a name of one letter and the marks (one grapheme
cluster). For each it prints the STATUS and customerd's CPU time (utime + stime from
/proc/PID/stat) spent on the call; a row is a FINDING when the call took more than --budget seconds
of server CPU (default 1: a linear pass over 4 MB is milliseconds) or did not answer with a refusal
within --timeout. Exit status 0 without a finding. Standard library only.
"""

from __future__ import annotations

import argparse
import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from floods import connect  # noqa: E402
from replay import call_start, code_name, field_bytes, field_sint, field_varint  # noqa: E402

CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def cpu_seconds(pid: int) -> float:
    with open(f"/proc/{pid}/stat") as stat:
        fields = stat.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / CLOCK_TICKS


def inputs(size: int) -> dict[str, str]:
    marks = "\u0301\u0316"  # acute (class 230) then grave below (220): every pair out of order
    mixed = "Acme Ωμέγα Дом مرحبا 漢字 👩\u200d💻 "
    return {
        "alternating combining marks": "a" + marks * (size // 4),
        "one repeated letter": "a" * size,
        "LIKE wildcards and escape": "%_\\" * (size // 3),
        "mixed scripts": mixed * (size // len(mixed.encode())),
        "one grapheme of 1 M marks": "e" + "\u0301" * (size // 2),
    }


# (method, field, request builder): each puts `text` into the one field.
def customer_fields(number: int):
    return lambda text: field_bytes(1, field_bytes(2, "Text work Oy") + field_bytes(number, text)
                                    if number != 2 else field_bytes(2, text))


FIELDS = [
    ("CreateCustomer", "name", "customer.v1.CustomerService/CreateCustomer", customer_fields(2)),
    ("CreateCustomer", "description", "customer.v1.CustomerService/CreateCustomer", customer_fields(4)),
    ("CreateCustomer", "vatNumber", "customer.v1.CustomerService/CreateCustomer", customer_fields(5)),
    ("CreateCustomer", "industry", "customer.v1.CustomerService/CreateCustomer", customer_fields(7)),
    ("CreateCustomer", "email", "customer.v1.CustomerService/CreateCustomer", customer_fields(8)),
    ("CreateCustomer", "website", "customer.v1.CustomerService/CreateCustomer", customer_fields(9)),
    ("CreateCustomer", "phone", "customer.v1.CustomerService/CreateCustomer", customer_fields(10)),
    ("ListCustomers", "query.search", "customer.v1.CustomerService/ListCustomers",
     lambda text: field_bytes(1, field_bytes(2, text))),
    ("AddNote", "text (customer 1)", "customer.v1.ActivityService/AddNote",
     lambda text: field_sint(1, 1) + field_bytes(2, text)),
    ("CreateLabel", "name", "customer.v1.LabelService/CreateLabel",
     lambda text: field_varint(1, 0) + field_bytes(2, text)),
]


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--socket", required=True)
    parser.add_argument("--pid", required=True, type=int)
    parser.add_argument("--size", type=int, default=4_000_000)
    parser.add_argument("--only", default="", help="only the fields whose method or name contains this")
    parser.add_argument("--inputs", default="", help="only the inputs whose description contains this")
    parser.add_argument("--budget", type=float, default=1.0, help="server CPU seconds a call may take")
    parser.add_argument("--timeout", type=float, default=120)
    arguments = parser.parse_args(argv)

    findings = []
    print(f"| method | field | input | status | server CPU s |")
    print("| --- | --- | --- | --- | --- |")
    texts = inputs(arguments.size)
    stream = 1
    conn = connect(arguments.socket, timeout=arguments.timeout)
    for method_name, field, method, build in FIELDS:
        if arguments.only and arguments.only not in method_name and arguments.only not in field:
            continue
        for what, text in texts.items():
            if arguments.inputs not in what:
                continue
            request = build(text)
            before = cpu_seconds(arguments.pid)
            started = time.monotonic()
            try:
                conn.send(call_start(stream, method, request, timeout_us=0))
                status = conn.status(stream)
            except OSError as error:
                status = None
                conn = connect(arguments.socket, timeout=arguments.timeout)
                print(f"(connection: {error})")
            elapsed = time.monotonic() - started
            spent = cpu_seconds(arguments.pid) - before
            stream += 2
            code = code_name(status.code) if status else "no STATUS"
            message = (status.message[:70] if status else "").replace("|", "/")
            finding = spent > arguments.budget or status is None
            print(f"| {method_name} | {field} | {what} ({len(request)} bytes) | {code}: {message} | "
                  f"{spent:.2f}{' FINDING' if finding else ''} |")
            sys.stdout.flush()
            if finding:
                findings.append(f"{method_name} {field} {what}: {spent:.2f} s CPU, {elapsed:.1f} s, {code}")
    for finding in findings:
        print("FINDING", finding)
    print(f"{len(findings)} findings")
    return 1 if findings else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
