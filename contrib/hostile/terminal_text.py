#!/usr/bin/env python3
"""The administrator's tools as victims (redteam25): text a user stored, or a server sent, shown by
customerctl to a person at a terminal, and what a caller sends written into customerd's log.

    contrib/hostile/terminal_text.py --customerctl PATH [--customer-bench PATH] [--socket PATH [--log FILE]]

Without --socket only the hostile-server checks run: contrib/hostile/fake_server.py answers
customerctl with terminal controls inside an answer's fields (a detail's reason, a page token, an
import problem), and customer-bench, when given, with a failed call's message holding them
(redteam32). With --socket (a fresh test instance of the user running this script, its
administrator) it stores free text holding bidirectional controls and separators (allowed there)
and reads it back through every output of customerctl, then names people with terminal controls in
`acting-for` (it trusts itself as a service for that, and takes the trust back after); with --log
(customerd's standard error, at `--log-level notice` or lower) each log line is checked too.

What must hold: no output a person reads carries C0 (but the line feeds of its layout), DEL, C1
(U+009B is a terminal's CSI), U+2028/2029 or a bidirectional control (U+202A-202E, U+2066-2069)
as itself; JSON keeps the text whole in its escapes; every log line is one line. Exit status 0
when every check held, 1 otherwise.
"""

from __future__ import annotations

import argparse
import json
import os
import pathlib
import subprocess
import sys
import tempfile
import time

HERE = pathlib.Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[1] / "Clients" / "python"))

from customercard import CustomerCardClient, CustomerFields, RPCError  # noqa: E402

failures: list[str] = []
FORGED_LINE = "2026-12-06T20:00:00.000Z critical customerd: forged"


def check(what: str, held: bool, detail: str = "") -> None:
    print(("held   " if held else "FAILED ") + what + (f": {detail}" if detail else ""))
    if not held:
        failures.append(what)


def unsafe(scalar: str, layout: bool) -> bool:
    """What a terminal or a log viewer acts on; `layout`: the output's own line feeds are fine."""
    value = ord(scalar)
    if layout and scalar == "\n":
        return False
    return value < 0x20 or 0x7F <= value <= 0x9F or 0x2028 <= value <= 0x202E or 0x2066 <= value <= 0x2069


def raw_controls(text: str, layout: bool = True) -> list[str]:
    return sorted({f"U+{ord(c):04X}" for c in text if unsafe(c, layout)})


def run(customerctl: str, socket: str, *arguments: str) -> subprocess.CompletedProcess:
    # Bounded: a customerctl that hangs on a hostile answer is a finding, not a stuck run.
    return subprocess.run([customerctl, "--socket", socket, "--timeout", "10", *arguments], stdin=subprocess.DEVNULL,
                          capture_output=True, timeout=60)


def bench(customer_bench: str, socket: str, *arguments: str) -> subprocess.CompletedProcess:
    # Bounded as customerctl's runs: each call's deadline (redteam32b's --timeout).
    return subprocess.run([customer_bench, "run", "get", "--socket", socket, "--customers", "10", "--calls", "5",
                           "--no-floor", "--warmup", "0", "--timeout", "10", *arguments], stdin=subprocess.DEVNULL,
                          capture_output=True, timeout=60)


def hostile_server_checks(customerctl: str, customer_bench: str | None) -> None:
    """customerctl (and customer-bench) against fake_server.py: every field of an answer it prints
    is escaped."""
    cases = [
        ("details-escapes", "customerctl", ["customers", "import", "CSV"], "a detail's field and reason"),
        ("page-token-escapes", "customerctl", ["customers", "list", "--limit", "1"], "a next page token"),
        ("import-problems-escapes", "customerctl", ["customers", "import", "CSV"], "an import problem's reason"),
    ]
    if customer_bench is not None:  # redteam32: its error line printed the server's message raw
        cases.append(("status-control-chars", "customer-bench", [], "a failed call's message"))
    with tempfile.TemporaryDirectory(prefix="terminal-text-") as directory:
        csv = os.path.join(directory, "customers.csv")
        pathlib.Path(csv).write_text("name\nAcme Oy\n")
        for scenario, tool, arguments, what in cases:
            arguments = [csv if argument == "CSV" else argument for argument in arguments]
            socket = os.path.join(directory, scenario + ".sock")
            server = subprocess.Popen([sys.executable, str(HERE / "fake_server.py"), socket, scenario])
            try:
                for _ in range(500):  # up to 10 s for the fake server to listen
                    if os.path.exists(socket):
                        break
                    time.sleep(0.02)
                started = time.monotonic()
                if tool == "customerctl":
                    result = run(customerctl, socket, *arguments)
                else:
                    assert customer_bench is not None
                    result = bench(customer_bench, socket, *arguments)
                elapsed = time.monotonic() - started
                out, err = result.stdout.decode(errors="replace"), result.stderr.decode(errors="replace")
                found = raw_controls(out) + raw_controls(err)
                check(f"hostile server, {what} ({scenario}): {tool} prints it escaped",
                      not found and "pwned" in out + err,
                      f"exit {result.returncode} after {elapsed:.2f} s, raw {found or 'none'}: "
                      f"{(out + err).strip()[-160:]!r}")
            finally:
                server.kill()
                server.wait()


def stored_text_checks(customerctl: str, socket: str) -> None:
    """Free text keeps bidirectional controls and separators; every output shows them as escapes."""
    client = CustomerCardClient(socket, timeout=10)
    description = "Pay \u202egnp.exe\u202c now\u2029IBAN \u2067FI00\u2069\u2028end\ttab"
    customer = client.customers.create(CustomerFields(name="Terminal Text Oy", description=description))
    check("free text keeps its bidirectional controls and separators", customer.description == description,
          ascii(customer.description))
    client.call("customer.v1.ActivityService/AddNote", {"customerId": customer.id, "text": description})
    refused = []
    for name in ("Acme \u202eyO", "Acme\u2028Oy", "Acme\x9b2J", "Acme\x7f", "Acme\x1b[2J"):
        try:
            client.customers.create(CustomerFields(name=name))
            refused.append(f"{name!a} taken")
        except RPCError as error:
            if error.code.name != "INVALID_ARGUMENT" or raw_controls(error.message, layout=False):
                refused.append(f"{name!a}: {error.code.name} {error.message!a}")
    check("a one-line name with a control, separator or bidi control is refused without echoing it", not refused,
          "; ".join(refused))
    ident = str(customer.id)
    outputs = [
        ("customers get (field list)", ["customers", "get", ident]),
        ("customers get --output json", ["customers", "get", ident, "--output", "json"]),
        ("customers list --output json", ["customers", "list", "--output", "json"]),
        ("customers export (JSON Lines)", ["customers", "export"]),
        ("activities list", ["activities", "list", ident]),
        ("activities list --output json", ["activities", "list", ident, "--output", "json"]),
        ("customers show (every tab)", ["customers", "show", ident]),
        ("customers dossier (JSON)", ["customers", "dossier", ident]),
        ("history customer", ["history", "customer", ident]),
        ("history customer --output json", ["history", "customer", ident, "--output", "json"]),
    ]
    for what, arguments in outputs:
        result = run(customerctl, socket, *arguments)
        out = result.stdout.decode(errors="replace") + result.stderr.decode(errors="replace")
        found = raw_controls(out)
        check(f"{what}: no raw control", result.returncode == 0 and not found,
              f"exit {result.returncode}, raw {found or 'none'}: {out.strip()[:100]!a}")
    result = run(customerctl, socket, "customers", "get", ident, "--output", "json")
    try:
        whole = json.loads(result.stdout).get("description") == description
    except ValueError:
        whole = False
    check("JSON keeps the description whole (the same value in JSON's escapes)", whole)
    client.close()


def acting_for_checks(customerctl: str, socket: str, log: pathlib.Path | None) -> None:
    """A trusted service naming people with terminal controls: refused, and logged on one line."""
    client = CustomerCardClient(socket, timeout=10)
    me = client.call("customer.v1.UserService/WhoAmI", {})["name"]
    client.call("customer.v1.UserService/SetTrustedService", {"user": me, "trusted": True})
    names = {
        "line separator": f"nobody\u2028{FORGED_LINE} by U+2028",
        "paragraph separator": f"nobody\u2029{FORGED_LINE} by U+2029",
        "C1 CSI": "nobody\x9b2J\x9b31m",
        "DEL": "nobody\x7f\x7f",
        "right-to-left override": "nobody \u202etxet desrever",
        "isolate": "nobody \u2067x",
        "escape and line feed": f"nobody\x1b[2J\n{FORGED_LINE} by LF",
    }
    try:
        for what, name in names.items():
            try:
                client.call("customer.v1.UserService/WhoAmI", {}, metadata=[("acting-for", name)])
                check(f"acting-for with {what} is refused", False, "answered OK")
            except RPCError as error:
                check(f"acting-for with {what} is refused UNAUTHENTICATED", error.code.name == "UNAUTHENTICATED",
                      error.code.name)
    finally:
        client.call("customer.v1.UserService/SetTrustedService", {"user": me, "trusted": False})
        client.close()
    if log is None:
        print("skipped: the log's lines (no --log)")
        return
    time.sleep(0.5)  # the refusals' lines are written before each answer; this is only for a slow file system
    text = log.read_bytes().decode(errors="replace")
    lines = text.split("\n")
    forged = [line for line in lines if line.startswith("2026-12-06T20:00:00.000Z")]
    check("no log line starts with the forged timestamp", not forged, f"{forged[:1]!a}")
    found = raw_controls(text)
    check("no log line holds a raw control, separator or bidi control", not found, f"raw {found or 'none'}")
    denied = [line for line in lines if "permission denied" in line and "nobody" in line]
    check("each name was logged, escaped, on its one line", len(denied) >= len(names),
          f"{len(denied)} lines, first {denied[:1]!a}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--customerctl", required=True)
    parser.add_argument("--socket")
    parser.add_argument("--log", type=pathlib.Path)
    parser.add_argument("--customer-bench", help="customer-bench too, against the hostile servers")
    arguments = parser.parse_args()
    hostile_server_checks(arguments.customerctl, arguments.customer_bench)
    if arguments.socket:
        stored_text_checks(arguments.customerctl, arguments.socket)
        acting_for_checks(arguments.customerctl, arguments.socket, arguments.log)
    print(f"{len(failures)} failed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
