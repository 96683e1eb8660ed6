#!/usr/bin/env python3
"""Rights taken away while a connection, a stream or a waiting call lives: what the caller still gets.

    sudo contrib/hostile/standing_races.py --customerd PATH [--rounds 20] [--only CASE ...]
                                           [--uid 4611] [--service-uid 4612]

As root (each case switches a child process to `--uid`, a Sales user, or `--service-uid`, a trusted
service acting for it), against a customerd of its own on a fresh database in /tmp, which it removes
(the server and its checks come from stateful_races.py). A demanding administrator expects nothing
after a change is acknowledged: no write committed, no customer read outside the new scope, a stream
in progress ended (PERMISSION_DENIED or UNAUTHENTICATED) at its next message. Cases:

- service: the trusted service creates customers for the Sales user (`acting-for`) from 8 threads
  while the administrator deactivates the service, then takes its trust away; a finding is a create
  through it that committed after the change was acknowledged (the feed's `last` read right after).
- reads: on one connection opened before the change, the next `GetCustomer` after the user is
  deactivated, or moved to Consultant (own scope) or Read only; and `ListCustomers` continued with a
  page token from before a move to own scope. A finding is a customer the new rights do not show.
- streams: `StreamCustomers`, `ExportCustomers`, `SnapshotCustomers` (window 4 KiB, so the server
  pauses) and `WatchChanges`, each started as the Sales user, the first message read, then the user
  deactivated or moved to Consultant, then the rest read. A finding is a stream that went on to
  its end (OK) or, for the watch, delivered an event of a customer no longer in scope.
- keys: a keyed create by the Sales user, then the user moved to Read only (or deactivated), then
  the same key and body again: the stored answer (it made that write) or a refusal, never a new
  customer.
- download: `DownloadFile` of a 4 MiB file (window 4 KiB) by the Sales user, the first message read,
  then the user deactivated or moved to Consultant (the file's customer is not its own), then the
  rest read. A finding is a download that went on to its end (OK).
- upload: `UploadFile` of 1 MiB by the Sales user to its own customer, the header and first chunk
  sent, then the user deactivated or moved to Read only, then the rest sent. A finding is an
  upload that answered OK, or a file of it listed afterwards.

Each finding is printed `FINDING`; exit 1 with one.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import pathlib
import random
import signal
import sys
import time

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[2] / "Clients" / "python"))

from customercard import CustomerCardClient, RPCError, StatusCode  # noqa: E402
from stateful_races import Server, create, create_flood, events_after, finding, finish  # noqa: E402

CUSTOMERS = "customer.v1.CustomerService/"
USERS = "customer.v1.UserService/"
FEED = "customer.v1.ChangeFeedService/"
FILES = "customer.v1.FileService/"
SALES = "standing-sales"
SERVICE = "standing-web"


def add_user(admin, uid: int, name: str, profile: str) -> None:
    try:
        admin.call(USERS + "AddUser", {"uid": uid, "name": name, "profile": profile})
    except RPCError as error:
        if error.code != StatusCode.ALREADY_EXISTS:
            raise


def restore(admin) -> None:
    """The Sales user and the service as each case starts them."""
    for name in (SALES, SERVICE):
        admin.call(USERS + "ActivateUser", {"user": name})
    admin.call(USERS + "SetUserProfile", {"user": SALES, "profile": "Sales"})
    admin.call(USERS + "SetTrustedService", {"user": SERVICE, "trusted": True})


def change(admin, what: str) -> None:
    if what == "deactivate":
        admin.call(USERS + "DeactivateUser", {"user": SALES})
    elif what in ("Consultant", "Read only"):
        admin.call(USERS + "SetUserProfile", {"user": SALES, "profile": what})
    elif what == "deactivate-service":
        admin.call(USERS + "DeactivateUser", {"user": SERVICE})
    elif what == "untrust-service":
        admin.call(USERS + "SetTrustedService", {"user": SERVICE, "trusted": False})
    else:
        raise ValueError(what)


class Child:
    """A child process switched to `uid`, running `body(child)`; it and the parent step together
    through a pair of pipes (`tell`/`wait`), and the child's result comes back as JSON."""

    def __init__(self, uid: int, body):
        to_child_r, self._to_child = os.pipe()
        self._from_child, from_child_w = os.pipe()
        self.pid = os.fork()
        if self.pid == 0:
            os.close(self._to_child)
            os.close(self._from_child)
            self._to_child, self._from_child = from_child_w, to_child_r  # the child's ends
            code = 0
            try:
                os.setgid(uid)
                os.setuid(uid)
                result = body(self)
                self.tell(json.dumps(result))
            except BaseException as error:  # noqa: BLE001 (reported to the parent)
                self.tell(json.dumps({"crash": repr(error)}))
                code = 1
            finally:
                os._exit(code)
        os.close(to_child_r)
        os.close(from_child_w)

    def tell(self, line: str = "go") -> None:
        os.write(self._to_child, (line + "\n").encode())

    def wait(self, timeout: float = 120) -> str:
        deadline = time.monotonic() + timeout
        data = b""
        while not data.endswith(b"\n"):
            import select
            left = deadline - time.monotonic()
            if left <= 0 or not select.select([self._from_child], [], [], left)[0]:
                raise TimeoutError("the other process did not answer in time")
            chunk = os.read(self._from_child, 65536)
            if not chunk:
                raise EOFError("the other process ended")
            data += chunk
        return data.decode().strip()

    def result(self) -> dict:
        line = self.wait()
        os.waitpid(self.pid, 0)
        return json.loads(line)

    def kill(self) -> None:
        try:
            os.kill(self.pid, signal.SIGKILL)
            os.waitpid(self.pid, 0)
        except (ProcessLookupError, ChildProcessError):
            pass


def across(uid: int, body, admin, what: str, then=None) -> dict:
    """Runs `body` in a child as `uid` until it says it is ready, makes the change `what` (then
    `then`), lets the child go on, and returns what it reports."""
    child = Child(uid, body)
    try:
        child.wait()
        change(admin, what)
        if then:
            then()
        child.tell()
        return child.result()
    finally:
        child.kill()


def case_service(server: Server, rounds: int, uid: int, service_uid: int) -> None:
    admin = server.client()
    late = {"deactivate-service": 0, "untrust-service": 0}
    made = 0
    for r in range(rounds):
        for what in late:
            restore(admin)
            tag = f"Via V{r}{what[0]}-"

            def body(child):
                create_flood(CustomerCardClient(server.socket, timeout=30), tag, SALES, metadata=[("acting-for", SALES)])

            child = Child(service_uid, body)
            try:
                time.sleep(0.3 + random.random() * 0.1)
                change(admin, what)
                last = int(admin.call(FEED + "GetFeedBounds", {}).get("last", 0))
                time.sleep(0.2)
            finally:
                child.kill()
            events = events_after(admin, last)
            after = [e for e in events if (e.get("via") or {}).get("name") == SERVICE]
            if after:
                late[what] += 1
                finding(f"service round {r}: {len(after)} create(s) through {SERVICE} committed after {what} "
                        f"was acknowledged (feed last {last}, first {after[0].get('sequence')})")
            made += len(admin.call(CUSTOMERS + "ListCustomers", {"query": {"search": tag}, "limit": 1000}).get("customers", []))
    restore(admin)
    print(f"service: {rounds * 2} changes, {made} creates through the service before them, "
          f"rounds with a create after the change: {late}")


def case_reads(server: Server, rounds: int, uid: int) -> None:
    admin = server.client()
    restore(admin)
    others = [create(admin, f"Reads Other {i:02d} Oy") for i in range(12)]
    counts: dict[str, dict[str, int]] = {}
    for r in range(rounds):
        for what in ("deactivate", "Consultant", "Read only"):
            restore(admin)

            def body(child):
                client = CustomerCardClient(server.socket, timeout=30)
                client.call(CUSTOMERS + "GetCustomer", {"id": others[0]})  # the connection is open and served
                page = client.call(CUSTOMERS + "ListCustomers", {"query": {"search": "Reads Other"}, "limit": 5})
                child.tell("ready")
                child.wait()
                outcome = {}
                try:
                    client.call(CUSTOMERS + "GetCustomer", {"id": others[1]})
                    outcome["get"] = "OK"
                except RPCError as error:
                    outcome["get"] = error.code.name
                try:
                    rest = client.call(CUSTOMERS + "ListCustomers", {"query": {"search": "Reads Other"}, "limit": 5,
                                                                   "pageToken": page.get("nextPageToken", "")})
                    outcome["page"] = f"OK {len(rest.get('customers', []))}"
                except RPCError as error:
                    outcome["page"] = error.code.name
                return outcome

            outcome = across(uid, body, admin, what)
            for call, answer in outcome.items():
                counts.setdefault(f"{what} {call}", {}).setdefault(answer, 0)
                counts[f"{what} {call}"][answer] += 1
                allowed = {"deactivate": ("UNAUTHENTICATED",), "Consultant": ("PERMISSION_DENIED", "INVALID_ARGUMENT", "OK 0"),
                           "Read only": ("OK", "OK 5")}[what]
                if not any(answer == a for a in allowed) and not (what == "Read only" and answer.startswith("OK")):
                    finding(f"reads round {r}: after {what} was acknowledged, {call} on the connection opened before "
                            f"answered {answer}")
    restore(admin)
    print(f"reads: {counts}")


STREAMS = {
    "StreamCustomers": (CUSTOMERS + "StreamCustomers", {"query": {"search": "Stream Row"}}),
    "ExportCustomers": (CUSTOMERS + "ExportCustomers", {"query": {"search": "Stream Row"}}),
    "SnapshotCustomers": (FEED + "SnapshotCustomers", {"query": {"search": "Stream Row"}}),
}


def case_streams(server: Server, rounds: int, uid: int) -> None:
    admin = server.client()
    restore(admin)
    rows = [{"fields": {"name": f"Stream Row {i:04d} Oy"}} for i in range(600)]
    admin.client_stream(CUSTOMERS + "ImportCustomers", [{"rows": rows}])
    ends: dict[str, dict[str, int]] = {}
    seen: dict[str, list[int]] = {}  # messages received in all, the one before the change included
    for r in range(rounds):
        for what in ("deactivate", "Consultant"):
            for name, (method, request) in list(STREAMS.items()) + [("WatchChanges", (None, None))]:
                restore(admin)
                # The watch's first event: a customer of the Sales user's, so the watch is known to run
                # (answered, not refused at its start) before the change.
                create(admin, f"Own W{r}{what[0]} Oy", accountManager=SALES)
                start = int(admin.call(FEED + "GetFeedBounds", {}).get("last", 0)) - 1

                def body(child):
                    client = CustomerCardClient(server.socket, timeout=30, initial_window=4096)
                    if name == "WatchChanges":
                        stream = client.server_stream(FEED + "WatchChanges", {"after": start, "kinds": ["customer"]}, timeout=20)
                    else:
                        stream = client.server_stream(method, request, timeout=60)
                    with stream:
                        next(stream)
                        seen = 1
                        child.tell("ready")
                        child.wait()
                        after = []
                        try:
                            for message in stream:
                                seen += 1
                                if name == "WatchChanges":
                                    after.append(message.get("customerId") or message.get("id"))
                                    if len(after) >= 3:
                                        return {"end": "OK(still delivering)", "seen": seen, "events": len(after)}
                            return {"end": "OK", "seen": seen}
                        except RPCError as error:
                            return {"end": error.code.name, "seen": seen, "message": error.message[:160]}

                # For the watch: customers the Sales user no longer may see, created after the change.
                outcome = across(uid, body, admin, what, then=None if name != "WatchChanges" else lambda: [
                    admin.call(CUSTOMERS + "CreateCustomer", {"fields": {"name": f"Watched W{r}{i} Oy"}}) for i in range(3)])
                key = f"{name} after {what}"
                ends.setdefault(key, {}).setdefault(outcome.get("end", "crash"), 0)
                ends[key][outcome.get("end", "crash")] += 1
                seen.setdefault(key, []).append(outcome.get("seen", 0))
                if outcome.get("end", "").startswith("OK") or "crash" in outcome:
                    finding(f"streams round {r}: {name} started before {what} was acknowledged went on: {outcome}")
    restore(admin)
    print(f"streams: {ends}")
    print("streams: messages received, fewest to most: " + ", ".join(f"{k} {min(v)}-{max(v)}" for k, v in seen.items()))


def case_keys(server: Server, rounds: int, uid: int) -> None:
    admin = server.client()
    answers: dict[str, dict[str, int]] = {}
    for r in range(rounds):
        for what in ("Read only", "deactivate"):
            restore(admin)
            key = f"standing-{r}-{what[0]}"
            name = f"Keyed K{r}{what[0]} Oy"

            def body(child):
                client = CustomerCardClient(server.socket, timeout=30)
                request = {"fields": {"name": name, "accountManager": SALES}}
                first = client.call(CUSTOMERS + "CreateCustomer", request, idempotency_key=key)
                child.tell("ready")
                child.wait()
                try:
                    again = client.call(CUSTOMERS + "CreateCustomer", request, idempotency_key=key)
                    return {"again": "same" if again["id"] == first["id"] else "new"}
                except RPCError as error:
                    return {"again": error.code.name}

            outcome = across(uid, body, admin, what)
            answers.setdefault(what, {}).setdefault(outcome.get("again", "crash"), 0)
            answers[what][outcome.get("again", "crash")] += 1
            found = admin.call(CUSTOMERS + "ListCustomers", {"query": {"search": name}, "limit": 10}).get("customers", [])
            if outcome.get("again") not in ("same", "UNAUTHENTICATED", "PERMISSION_DENIED") or len(found) != 1:
                finding(f"keys round {r}: the key replayed after {what}: {outcome}, {len(found)} customer(s) named {name}")
    restore(admin)
    print(f"keys: replays {answers}")


def case_download(server: Server, rounds: int, uid: int) -> None:
    admin = server.client()
    restore(admin)
    customer = create(admin, "Download Target Oy")
    content = os.urandom(4 * 1024 * 1024)
    file_id = admin.files.upload(customer, "big.bin", content).id
    ends: dict[str, dict[str, int]] = {}
    got: dict[str, list[int]] = {}  # bytes received in all
    for r in range(rounds):
        for what in ("deactivate", "Consultant"):
            restore(admin)

            def body(child):
                client = CustomerCardClient(server.socket, timeout=30, initial_window=4096)
                with client.server_stream(FILES + "DownloadFile", {"id": file_id}, timeout=60) as stream:
                    next(stream)  # the size and SHA-256, no data
                    child.tell("ready")
                    child.wait()
                    received = 0
                    try:
                        for chunk in stream:
                            received += len(chunk.get("data", b""))
                        return {"end": "OK", "bytes": received}
                    except RPCError as error:
                        return {"end": error.code.name, "bytes": received, "message": error.message[:160]}

            outcome = across(uid, body, admin, what)
            key = f"DownloadFile after {what}"
            ends.setdefault(key, {}).setdefault(outcome.get("end", "crash"), 0)
            ends[key][outcome.get("end", "crash")] += 1
            got.setdefault(key, []).append(outcome.get("bytes", 0))
            if outcome.get("end") == "OK" or "crash" in outcome:
                finding(f"download round {r}: DownloadFile started before {what} was acknowledged went on: {outcome}")
    restore(admin)
    print(f"download: {ends}")
    print("download: bytes received after the change, fewest to most: "
          + ", ".join(f"{k} {min(v)}-{max(v)} of {len(content)}" for k, v in got.items()))


def case_upload(server: Server, rounds: int, uid: int) -> None:
    admin = server.client()
    restore(admin)
    customer = create(admin, "Upload Target Oy", accountManager=SALES)
    content = os.urandom(1024 * 1024)
    chunk = 64 * 1024
    header = {"customerId": customer, "name": "late.bin", "size": len(content),
              "sha256": hashlib.sha256(content).hexdigest()}
    ends: dict[str, dict[str, int]] = {}
    for r in range(rounds):
        for what in ("deactivate", "Read only"):
            restore(admin)
            header["name"] = f"late-{r}-{what[0]}.bin"

            def body(child):
                client = CustomerCardClient(server.socket, timeout=30)

                def messages():
                    yield {"header": header}
                    yield {"data": content[:chunk]}
                    child.tell("ready")
                    child.wait()
                    for offset in range(chunk, len(content), chunk):
                        yield {"data": content[offset:offset + chunk]}

                try:
                    client.client_stream(FILES + "UploadFile", messages(), timeout=60)
                    return {"end": "OK"}
                except RPCError as error:
                    return {"end": error.code.name, "message": error.message[:160]}

            outcome = across(uid, body, admin, what)
            key = f"UploadFile after {what}"
            ends.setdefault(key, {}).setdefault(outcome.get("end", "crash"), 0)
            ends[key][outcome.get("end", "crash")] += 1
            kept = [f for f in admin.call(FILES + "ListFiles", {"customerId": customer}).get("files", [])
                    if f.get("name") == header["name"]]
            if outcome.get("end") == "OK" or "crash" in outcome or kept:
                finding(f"upload round {r}: UploadFile started before {what} was acknowledged: {outcome}, "
                        f"{len(kept)} file(s) named {header['name']} kept")
    restore(admin)
    print(f"upload: {ends}")


CASES = ("service", "reads", "streams", "keys", "download", "upload")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--customerd", required=True)
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument("--only", nargs="*", choices=CASES, default=list(CASES))
    parser.add_argument("--uid", type=int, default=4611, help="OS uid of the Sales user")
    parser.add_argument("--service-uid", type=int, default=4612, help="OS uid of the trusted service")
    parser.add_argument("--keep", action="store_true", help="keep the temporary directory")
    args = parser.parse_args()
    if os.getuid() != 0:
        raise SystemExit("run as root: each case switches a child to another uid")
    server = Server(os.path.abspath(args.customerd))
    server.start()
    try:
        admin = server.client()
        add_user(admin, args.uid, SALES, "Sales")
        add_user(admin, args.service_uid, SERVICE, "Read only")
        for case in args.only:
            started = time.monotonic()
            if case == "service":
                case_service(server, args.rounds, args.uid, args.service_uid)
            else:
                globals()["case_" + case](server, args.rounds, args.uid)
            server.client().call(USERS + "WhoAmI", {})
            print(f"  ({case}: {time.monotonic() - started:.1f} s, the server serves on)", flush=True)
    finally:
        server.stop()
    return finish(server, args.keep)


if __name__ == "__main__":
    sys.exit(main())
