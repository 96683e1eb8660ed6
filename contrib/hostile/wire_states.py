#!/usr/bin/env python3
"""The wire's state machine from outside (redteam25): frames in stream states they do not belong
to, answered as PROTOCOL.md section 10.1 says, and nothing left behind: the server's threads and
descriptors (from /proc, the database's connections apart) back where they were, and the per-user
stream budget given back.

    contrib/hostile/wire_states.py --socket PATH --pid PID [--rounds N] [--streams N]

Cases, each on a fresh connection, `--rounds` times (default 3): a MESSAGE after a client stream's
END_STREAM; a second CALL_START on a live stream id (a WatchChanges left open) and an id going
backwards; WINDOW_UPDATE and CANCEL on ids never opened and long closed, then a call; HELLO twice;
the client's GOAWAY and then more calls; `--streams` (default 100) client streams (dry-run imports)
opened at once with their frames interleaved, half ended, a quarter CANCELled, a quarter left open
at the close; as many server streams (WatchChanges) opened and the connection reset under them.
Run it against a test instance of the user running it (the server's administrator). Exit 0 when
every case held, else 1.
"""

from __future__ import annotations

import argparse
import os
import pathlib
import socket
import sys
import time

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[2] / "Clients" / "python"))

from customercard import CustomerCardClient, frames  # noqa: E402

IMPORT = "customer.v1.CustomerService/ImportCustomers"
WATCH = "customer.v1.ChangeFeedService/WatchChanges"
WHO = "customer.v1.UserService/WhoAmI"
failures: list[str] = []


def check(what: str, held: bool, detail: str = "") -> None:
    print(("held   " if held else "FAILED ") + what + (f": {detail}" if detail else ""))
    if not held:
        failures.append(what)


class Connection:
    def __init__(self, path: str) -> None:
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.sock.settimeout(10)
        self.sock.connect(path)
        self.buffer = b""
        self.send(frames.MAGIC + frames.client_hello(1 << 20, 1 << 20, "wire-states"))
        kind, _, _, _ = self.frame(10)
        assert kind == frames.HELLO, kind

    def send(self, data: bytes) -> None:
        self.sock.sendall(data)

    def frame(self, wait: float) -> tuple[int, int, int, bytes] | None:
        """The next frame within `wait` seconds, None at a timeout or the connection's end."""
        deadline = time.monotonic() + wait
        while True:
            if len(self.buffer) >= frames.HEADER_SIZE:
                length, kind, flags, stream = frames.HEADER.unpack(self.buffer[:frames.HEADER_SIZE])
                if len(self.buffer) >= frames.HEADER_SIZE + length:
                    payload = self.buffer[frames.HEADER_SIZE:frames.HEADER_SIZE + length]
                    self.buffer = self.buffer[frames.HEADER_SIZE + length:]
                    return kind, flags, stream, payload
            left = deadline - time.monotonic()
            if left <= 0:
                return None
            self.sock.settimeout(left)
            try:
                chunk = self.sock.recv(65536)
            except (socket.timeout, ConnectionResetError):
                return None
            if not chunk:
                return None
            self.buffer += chunk

    def statuses(self, count: int, wait: float = 10) -> dict[int, int]:
        """Stream id to status code for the next `count` STATUS frames (other frames skipped)."""
        found: dict[int, int] = {}
        deadline = time.monotonic() + wait
        while len(found) < count and time.monotonic() < deadline:
            got = self.frame(deadline - time.monotonic())
            if got is None:
                break
            kind, flags, stream, payload = got
            if kind == frames.STATUS:
                found[stream] = frames.parse_status(payload, flags).code
            elif kind == frames.GOAWAY:
                found[-1] = frames.parse_goaway(payload)[0]
                break
        return found

    def goaway(self, wait: float = 10) -> tuple[int, str] | None:
        deadline = time.monotonic() + wait
        while time.monotonic() < deadline:
            got = self.frame(deadline - time.monotonic())
            if got is None:
                return None
            if got[0] == frames.GOAWAY:
                code, message, _ = frames.parse_goaway(got[3])
                return code, message
        return None

    def close(self) -> None:
        self.sock.close()


def start(stream: int, method: str, request: bytes | None, end: bool) -> bytes:
    return frames.call_start(stream, 0, method, b"\0", request, end)


def message(stream: int, body: bytes, end: bool = False) -> bytes:
    return frames.frame(frames.MESSAGE, frames.HAS_MESSAGE | (frames.END_STREAM if end else 0), stream, body)


OPTIONS = b"\x0a\x02\x08\x01"            # ImportCustomersMessage.options = {dryRun: true}
EMPTY_ROWS = b""                          # a message with no rows: valid, changes nothing
WATCH_REQUEST = b""                       # every field optional: from the start


def case_message_after_end(path: str) -> None:
    c = Connection(path)
    c.send(start(1, IMPORT, None, False) + message(1, OPTIONS) + frames.frame(frames.MESSAGE, frames.END_STREAM, 1)
           + message(1, OPTIONS))
    codes = c.statuses(1)
    c.send(start(3, WHO, b"", True))
    after = c.statuses(1)
    check("a MESSAGE after a client stream's END_STREAM: that call ends, the connection goes on",
          1 in codes and after.get(3) == 0, f"{codes} then {after}")
    c.close()


def case_reused_and_backwards_ids(path: str) -> None:
    c = Connection(path)
    c.send(start(5, WATCH, WATCH_REQUEST, True))
    time.sleep(0.2)
    c.send(start(5, WHO, b"", True))
    gone = c.goaway()
    check("a second CALL_START on a live stream id: connection error", gone is not None and gone[0] == 13, f"{gone}")
    c.close()
    c = Connection(path)
    c.send(start(9, WHO, b"", True))
    first = c.statuses(1)
    c.send(start(7, WHO, b"", True))
    gone = c.goaway()
    check("a CALL_START whose id goes backwards: connection error", first.get(9) == 0 and gone is not None
          and gone[0] == 13, f"{first} then {gone}")
    c.close()


def case_frames_on_unopened_and_closed(path: str) -> None:
    c = Connection(path)
    c.send(start(1, WHO, b"", True))
    c.statuses(1)
    noise = b""
    for stream in (1, 2, 1001, 2**31, 2**32 - 1):
        noise += frames.frame(frames.WINDOW_UPDATE, 0, stream, (2**31).to_bytes(4, "big"))
        noise += frames.frame(frames.CANCEL, 0, stream)
        noise += frames.frame(frames.MESSAGE, frames.HAS_MESSAGE, stream, b"junk")
    c.send(noise + start(3, WHO, b"", True))
    after = c.statuses(1)
    check("WINDOW_UPDATE, CANCEL and MESSAGE on ids never opened or closed are ignored", after == {3: 0}, f"{after}")
    c.close()


def case_hello_twice(path: str) -> None:
    c = Connection(path)
    c.send(frames.client_hello(1 << 20, 1 << 20, "again"))
    gone = c.goaway()
    check("HELLO twice: connection error", gone is not None and gone[0] == 13, f"{gone}")
    c.close()


def case_client_goaway(path: str) -> None:
    c = Connection(path)
    c.send(frames.goaway(0, "client leaving") + start(1, WHO, b"", True) + start(3, WHO, b"", True))
    codes = c.statuses(2)
    check("the client's GOAWAY is ignored: the calls after it answered", codes == {1: 0, 3: 0}, f"{codes}")
    c.close()


STREAMS = 100


def case_interleaved_client_streams(path: str) -> None:
    c = Connection(path)
    ids = list(range(1, 2 * STREAMS, 2))
    c.send(b"".join(start(stream, IMPORT, None, False) for stream in ids))
    for round_ in range(3):
        c.send(b"".join(message(stream, OPTIONS if round_ == 0 else EMPTY_ROWS) for stream in ids))
    ended, cancelled = ids[:STREAMS // 2], ids[STREAMS // 2:STREAMS * 3 // 4]
    c.send(b"".join(frames.frame(frames.MESSAGE, frames.END_STREAM, stream) for stream in ended)
           + b"".join(frames.frame(frames.CANCEL, 0, stream) for stream in cancelled))
    # A bound, not a measure: imports take the writer one at a time (a debug build on a loaded
    # machine takes most of a second each; a release build 0.1 s for all 50).
    codes = c.statuses(len(ended), wait=180)
    check(f"{STREAMS} interleaved client streams: each one ended is answered", sorted(codes) == ended
          and set(codes.values()) <= {0, 3}, f"{len(codes)} answered, codes {sorted(set(codes.values()))}")
    c.close()  # a quarter still open


def case_streams_closed_under(path: str) -> None:
    c = Connection(path)
    c.send(b"".join(start(stream, WATCH, WATCH_REQUEST, True) for stream in range(1, 2 * STREAMS, 2)))
    time.sleep(0.5)
    c.sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\1\0\0\0\0\0\0\0")
    c.close()
    check(f"{STREAMS} watches on a connection reset under them", True)


def census(pid: int) -> tuple[int, int]:
    """Threads, and descriptors other than the database's connections: the store opens those
    lazily, up to its 4 readers and the writer (`database_connections`), never more."""
    others = 0
    for fd in os.listdir(f"/proc/{pid}/fd"):
        try:
            target = os.readlink(f"/proc/{pid}/fd/{fd}")
        except FileNotFoundError:
            continue
        if not (target.endswith(".sqlite") or target.endswith(".sqlite-wal")):
            others += 1
    return len(os.listdir(f"/proc/{pid}/task")), others


def database_connections(pid: int) -> int:
    return sum(1 for fd in os.listdir(f"/proc/{pid}/fd") if os.readlink(f"/proc/{pid}/fd/{fd}").endswith(".sqlite"))


def budgets_given_back(path: str) -> None:
    """Every round left watches and imports open at its close: once the server has seen those
    connections end, their places are back, so 200 watches start (the user's limit is 256 server
    streams) and WhoAmI is answered. Tried again each second, for at most 120 s, while the server
    may still be ending them."""
    deadline = time.monotonic() + 120
    while True:
        connections = [Connection(path) for _ in range(2)]
        for c in connections:
            c.send(b"".join(start(stream, WATCH, WATCH_REQUEST, True) for stream in range(1, 200, 2)))
        refused = {}
        for c in connections:
            refused.update({k: v for k, v in c.statuses(100, wait=2).items() if v != 0})
        for c in connections:
            c.close()
        if not refused or time.monotonic() > deadline:
            break
        time.sleep(1)
    probe = CustomerCardClient(path, timeout=10)
    who = probe.call(WHO, {}).get("name")
    probe.close()
    check("the stream and call budgets were given back: 200 watches start, WhoAmI answered",
          not refused and who is not None, f"refused {refused}, WhoAmI {who!r}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--socket", required=True)
    parser.add_argument("--pid", type=int, required=True)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--streams", type=int, default=100, help="streams a connection opens at once (at most 100)")
    arguments = parser.parse_args()
    global STREAMS
    STREAMS = min(max(arguments.streams, 4), 100)
    path = arguments.socket
    cases = [case_message_after_end, case_reused_and_backwards_ids, case_frames_on_unopened_and_closed,
             case_hello_twice, case_client_goaway, case_interleaved_client_streams, case_streams_closed_under]
    before = census(arguments.pid)
    print(f"threads and descriptors but the database's at the start: {before}")
    for round_ in range(arguments.rounds):
        print(f"round {round_ + 1}")
        for case in cases:
            case(path)
    budgets_given_back(path)
    # Threads end and descriptors close once the server has seen the closes: bounded wait.
    deadline = time.monotonic() + 120
    after = census(arguments.pid)
    while time.monotonic() < deadline and (after[0] > before[0] or after[1] > before[1]):
        time.sleep(0.2)
        after = census(arguments.pid)
    connections = database_connections(arguments.pid)
    check("the database's connections stay within the store's 4 readers and its writer", connections <= 5,
          f"{connections}")
    held = after[0] <= before[0] and after[1] <= before[1]
    files = "" if held else ", descriptors now " + ", ".join(sorted(
        os.readlink(f"/proc/{arguments.pid}/fd/{fd}") for fd in os.listdir(f"/proc/{arguments.pid}/fd")))
    check("threads and descriptors (but the database's) back where they were", held, f"before {before}, after {after} (threads, descriptors){files}")
    print(f"{len(failures)} failed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
