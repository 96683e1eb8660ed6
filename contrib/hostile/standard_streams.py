#!/usr/bin/env python3
"""customerd started with odd standard descriptors (redteam29): what its log lines reach, and
whether a reader of its standard error can stop the server.

    python3 contrib/hostile/standard_streams.py --customerd .build/debug/customerd

Four cases, each a fresh customerd in a temporary directory, each wait bounded:

- closed: started with descriptors 0, 1 and 2 closed (`customerd <&- >&- 2>&-`, as a wrapper or a
  supervisor that passes nothing may start it). Six connections call while refusals are logged
  (a trusted service acting for people who do not exist; connections past the per-user limit).
  Must hold: every answer decodes (no log text inside a connection's frames), descriptors 0-2
  are /dev/null, the server stops with 0 on SIGTERM, and a restart serves the customers made.
- stderr-closed: started with descriptor 2 alone closed (`customerd 2>&-`). Refusals are logged,
  then a second customerd is started on the same database: it must be refused naming the first
  one's pid (the lock file holds the pid alone: log lines went into it before, overwriting it).
- stuck: standard error a pipe (shrunk to one page) that nobody reads, as a pager left open, a
  log shipper that hung or a terminal stopped by Ctrl-S. Refusals of 1 000-byte names fill it, then
  connections past the per-user limit are refused. Must hold: each refusal and a new connection's
  health check and create are answered; once the pipe is read again, every refusal's line comes
  (lines are dropped, and counted, only past 1 MiB waiting: RPCTests/StandardErrorWriterTests);
  SIGTERM stops the server with 0.
- stuck-stop: the same pipe full, then SIGTERM: the server exits (0) though nobody reads.

Prints one line per check and exits 1 when any failed. Standard library and Clients/python only;
runs as any user (it calls as the administrator of the instance it starts).
"""

from __future__ import annotations

import argparse
import fcntl
import os
import pathlib
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time

HERE = pathlib.Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[1] / "Clients" / "python"))

from customercard import CustomerCardClient, RPCError  # noqa: E402
from customercard.messages import CustomerFields  # noqa: E402

START_LIMIT = 300  # seconds: a debug customerd beside busy cores
CALL_TIMEOUT = 60  # seconds: each call's deadline; a server that stopped answering fails the check
STOP_LIMIT = 120  # seconds: the shutdown's grace period (10 s) and the last log lines' wait (5 s), loaded
PAGE = 4096
CONNECTION_LIMIT = 4
F_SETPIPE_SZ = getattr(fcntl, "F_SETPIPE_SZ", 1031)

failures: list[str] = []


def check(what: str, held: bool, detail: str = "") -> None:
    print(("held  " if held else "FAILED"), what, "" if held else detail)
    if not held:
        failures.append(what)


class Instance:
    """One customerd in its own directory, its standard descriptors as the case sets them."""

    def __init__(self, customerd: str, name: str) -> None:
        self.customerd = customerd
        self.directory = pathlib.Path(tempfile.mkdtemp(prefix=f"cc-standard-streams-{name}-"))
        self.socket = str(self.directory / "customerd.sock")
        self.database = str(self.directory / "customers.sqlite")
        self.process: subprocess.Popen | None = None

    def command(self) -> list[str]:
        return [self.customerd, "--socket", self.socket, "--database", self.database,
                "--max-connections-per-user", str(CONNECTION_LIMIT)]

    def start_closed(self, redirections: str = "<&- >&- 2>&-") -> None:
        # The shell closes what `redirections` say and execs customerd in its place (the same pid).
        self.process = subprocess.Popen(["/bin/sh", "-c", f'exec "$@" {redirections}', "sh", *self.command()],
                                        stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                        stderr=subprocess.DEVNULL)
        self.wait_serving()

    def start_piped(self) -> int:
        """Standard error into a pipe of one page; its read end, for the caller to read or not."""
        read_end, write_end = os.pipe()
        fcntl.fcntl(write_end, F_SETPIPE_SZ, PAGE)
        self.process = subprocess.Popen(self.command(), stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                        stderr=write_end)
        os.close(write_end)
        self.wait_serving()
        return read_end

    def wait_serving(self) -> None:
        give_up = time.monotonic() + START_LIMIT
        while time.monotonic() < give_up:
            if self.process.poll() is not None:
                raise RuntimeError(f"customerd exited with {self.process.returncode} before serving")
            try:
                with CustomerCardClient(self.socket, timeout=10) as probe:
                    if probe.health() == "SERVING":
                        return
            except (RPCError, OSError):
                pass
            time.sleep(0.05)
        raise RuntimeError("customerd did not serve")

    def stop(self) -> int | None:
        """SIGTERM; the exit code, or None when it still ran after STOP_LIMIT (then killed)."""
        self.process.send_signal(signal.SIGTERM)
        try:
            return self.process.wait(timeout=STOP_LIMIT)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
            return None

    def remove(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait()
        shutil.rmtree(self.directory, ignore_errors=True)


def trust_myself(client: CustomerCardClient) -> None:
    """The administrator trusted as a service, so it can name people who do not exist (each call
    a refusal the server logs, with the name)."""
    me = client.call("customer.v1.UserService/WhoAmI", {})["name"]
    client.call("customer.v1.UserService/SetTrustedService", {"user": me, "trusted": True})


def refusals(client: CustomerCardClient, count: int, name_length: int) -> dict[str, int]:
    """`count` calls refused UNAUTHENTICATED (acting for nobody); their codes. Stops at the first
    other answer (a call the server did not answer within its deadline)."""
    codes: dict[str, int] = {}
    for index in range(count):
        try:
            client.call("customer.v1.UserService/WhoAmI", {},
                        metadata=[("acting-for", f"nobody{index}-" + "n" * name_length)])
            code = "OK"
        except RPCError as error:
            code = error.code.name
        codes[code] = codes.get(code, 0) + 1
        if code != "UNAUTHENTICATED":
            break
    return codes


def over_the_connection_limit(path: str) -> int:
    """Opens twice the per-user limit of raw connections (the server refuses those past it and logs
    a line); closes them. How many it opened."""
    opened = []
    try:
        for _ in range(2 * CONNECTION_LIMIT):
            connection = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            connection.settimeout(CALL_TIMEOUT)
            connection.connect(path)
            opened.append(connection)
        time.sleep(0.5)  # the server reads each connection's credentials and refuses the last ones
        return len(opened)
    finally:
        for connection in opened:
            connection.close()


def honest_calls(path: str, what: str) -> None:
    """A new connection's health check and a create, each within its deadline. Refused for the
    connection limit, it tries again (bounded): the connections just closed may still be counted
    until the server's readers see them end."""
    label = f"{what}: a new connection's health check and create are answered"
    give_up = time.monotonic() + CALL_TIMEOUT
    while True:
        try:
            with CustomerCardClient(path, timeout=CALL_TIMEOUT) as client:
                health = client.health()
                created = client.customers.create(CustomerFields(name=f"Honest {what} Oy"))
            check(label, health == "SERVING" and created.id > 0, f"health {health}")
            return
        except RPCError as error:
            if error.code.name == "RESOURCE_EXHAUSTED" and time.monotonic() < give_up:
                time.sleep(0.1)
                continue
            check(label, False, repr(error))
            return
        except OSError as error:
            check(label, False, repr(error))
            return


def case_closed(customerd: str) -> None:
    instance = Instance(customerd, "closed")
    try:
        instance.start_closed()
        pid = instance.process.pid
        made: list[int] = []
        errors: list[str] = []
        clients = [CustomerCardClient(instance.socket, timeout=CALL_TIMEOUT) for _ in range(CONNECTION_LIMIT - 1)]
        try:
            trust_myself(clients[0])
            for round_ in range(5):
                over_the_connection_limit(instance.socket)
                for index, client in enumerate(clients):
                    try:
                        codes = refusals(client, 3, 200)
                        if codes != {"UNAUTHENTICATED": 3}:
                            errors.append(f"refusals answered {codes}")
                        made.append(client.customers.create(CustomerFields(name=f"Closed {round_}-{index} Oy")).id)
                        client.call("customer.v1.UserService/WhoAmI", {})
                    except (RPCError, OSError) as error:
                        errors.append(repr(error))
        finally:
            for client in clients:
                client.close()
        check("closed: every call on every connection answered as sent (no log text in the frames)",
              not errors, "; ".join(errors[:3]))
        targets = []
        for descriptor in range(3):
            try:
                targets.append(os.readlink(f"/proc/{pid}/fd/{descriptor}"))
            except OSError as error:
                targets.append(f"({error.strerror})")
        readable = not any(target.startswith("(Permission") for target in targets)
        check("closed: customerd's descriptors 0, 1 and 2 are /dev/null",
              not readable or targets == ["/dev/null"] * 3, f"they are {targets}")
        code = instance.stop()
        check("closed: SIGTERM stops it with 0", code == 0, f"exit {code}")
        read_end = instance.start_piped()
        try:
            with CustomerCardClient(instance.socket, timeout=CALL_TIMEOUT) as client:
                names = [client.customers.get(id).name for id in made]
            check("closed: restarted on the same database, every customer made is there",
                  len(names) == len(made) and len(made) == 5 * (CONNECTION_LIMIT - 1), f"{len(names)} of {len(made)}")
        except (RPCError, OSError) as error:
            check("closed: restarted on the same database, every customer made is there", False, repr(error))
        finally:
            code = instance.stop()
            os.close(read_end)
    finally:
        instance.remove()


def case_stderr_closed(customerd: str) -> None:
    instance = Instance(customerd, "stderr-closed")
    try:
        instance.start_closed("2>&-")
        with CustomerCardClient(instance.socket, timeout=CALL_TIMEOUT) as client:
            trust_myself(client)
            codes = refusals(client, 5, 100)
        check("stderr-closed: refusals answered UNAUTHENTICATED", codes == {"UNAUTHENTICATED": 5}, f"codes {codes}")
        second = subprocess.run([customerd, "--socket", str(instance.directory / "second.sock"),
                                 "--database", instance.database], capture_output=True, text=True, timeout=START_LIMIT)
        pid = instance.process.pid
        check("stderr-closed: a second customerd on the database is refused naming the first one's pid",
              second.returncode == 2 and f"(pid {pid})" in second.stderr,
              f"exit {second.returncode}: {second.stderr.strip()[-300:]!r}")
        lock = pathlib.Path(instance.database + ".lock").read_bytes()
        check("stderr-closed: the database's lock file holds the pid alone", lock.strip() == str(pid).encode(),
              f"it holds {lock[:200]!r}")
        code = instance.stop()
        check("stderr-closed: SIGTERM stops it with 0", code == 0, f"exit {code}")
    finally:
        instance.remove()


def fill(instance: Instance) -> dict[str, int]:
    """Refusals with names of 1 000 bytes until far more than the pipe holds was logged; each call
    bounded by its deadline. Their codes (a server blocked on its log answers none past the first few)."""
    codes: dict[str, int] = {}
    with CustomerCardClient(instance.socket, timeout=CALL_TIMEOUT) as client:
        trust_myself(client)
        for code, count in refusals(client, 40, 1000).items():
            codes[code] = codes.get(code, 0) + count
    return codes


def case_stuck(customerd: str) -> None:
    instance = Instance(customerd, "stuck")
    read_end = None
    try:
        read_end = instance.start_piped()
        codes = fill(instance)
        check("stuck: 40 refusals of 1 000-byte names into an unread pipe are each answered UNAUTHENTICATED",
              codes == {"UNAUTHENTICATED": 40}, f"codes {codes}")
        over_the_connection_limit(instance.socket)
        honest_calls(instance.socket, "stuck")
        # Read the pipe again: the lines queued meanwhile come, then the stop's.
        log = bytearray()

        def drain() -> None:
            while chunk := os.read(read_end, 65536):
                log.extend(chunk)

        reader = threading.Thread(target=drain, daemon=True)
        reader.start()
        code = instance.stop()
        reader.join(STOP_LIMIT)
        check("stuck: SIGTERM, once the pipe is read again, stops it with 0", code == 0, f"exit {code}")
        text = log.decode(errors="replace")
        check("stuck: the log, read again, holds every refusal logged while nobody read it",
              text.count("permission denied") == 40, f"{text.count('permission denied')} of 40: {text[-300:]!r}")
        check("stuck: the log still ends with the stop", "stopped" in text.splitlines()[-1] if text else False,
              text[-400:])
    finally:
        if read_end is not None:
            os.close(read_end)
        instance.remove()


def case_stuck_stop(customerd: str) -> None:
    instance = Instance(customerd, "stuck-stop")
    read_end = None
    try:
        read_end = instance.start_piped()
        fill(instance)
        code = instance.stop()
        check("stuck-stop: SIGTERM with nobody reading stops it with 0", code == 0,
              f"exit {code} (None: still running {STOP_LIMIT} s after SIGTERM, killed)")
    finally:
        if read_end is not None:
            os.close(read_end)
        instance.remove()


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--customerd", required=True)
    parser.add_argument("--case", choices=["closed", "stderr-closed", "stuck", "stuck-stop"], action="append",
                        help="run only these cases (repeatable); all by default")
    arguments = parser.parse_args(argv)
    cases = {"closed": case_closed, "stderr-closed": case_stderr_closed, "stuck": case_stuck,
             "stuck-stop": case_stuck_stop}
    for name in arguments.case or list(cases):
        cases[name](arguments.customerd)
    print(f"{len(failures)} failed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
