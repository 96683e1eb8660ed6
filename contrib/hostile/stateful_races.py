#!/usr/bin/env python3
"""Valid calls racing each other: sequences and moments the tests do not make, round after round.

    sudo contrib/hostile/stateful_races.py --customerd PATH [--rounds 20] [--only CASE ...] [--uid 4611]

Runs its own customerd (as root, its administrator; `--socket-mode 0666` so a child switched to
`--uid` reaches it) on a fresh database in /tmp, which it removes. Cases (`--only` picks some):

- snapshot: SnapshotCustomers read slowly while customers are renamed from the end of the name
  order to its start, then the feed after its first asOf; every customer whole at the consumer.
- streams: StreamCustomers (by name and by number), ExportCustomers and StreamMailingList read
  slowly while customers move across the stream's position both ways and one ahead is erased;
  every other customer of the start delivered exactly once.
- keys: a keyed CreateCustomer sent on two connections at once with the same key and body, and a
  third with the same key and another body; one customer, both first answers the same.
- imports: the same with keyed ImportCustomers of 150 rows; the rows written once.
- restart: keyed creates from 8 connections, the server SIGKILLed under them and started again,
  every key sent again; each acknowledged answer given again, each name made once.
- merges: A into B, B into C and A into C at once, and A into B beside B into A; every absorbed id
  answers NOT_FOUND naming where it went, the chain ends at a live customer, no cycle, each
  customer's contact is found on a live customer.
- adds: contacts, notes, addresses, projects and links added to A from 4 connections while A is
  merged into B; every acknowledged record is found, on B; refusals say where A went.
- upload: a file of 768 KiB uploaded in chunks to A while A is erased; a refused upload leaves no
  blob and no row; an acknowledged one has its row, kept with the tombstone (ERASURE.md).
- pages: ListCustomers pages of 7 (by name and by number) while customers whose names sort among
  them are created and erased; every customer that existed throughout is seen once.
- cancel: StreamCustomers read to its last message and CANCELled at once (crossing its STATUS),
  from 4 threads on one connection, then WhoAmI on it; answered every time.
- users: a Sales user (OS uid `--uid`, a child process) creating customers from 8 threads while
  the administrator deactivates it, then demotes it to Read only; no create by it commits after
  the deactivation or demotion was acknowledged (the feed's `last` read right after).
- backup: an import of 3 000 rows and a Backup at once; then `--restore` of that backup while the
  server runs (refused), and into a fresh database after it stopped: all or none of the import.

After all of them the server is stopped and its database checked (`PRAGMA quick_check`,
`foreign_key_check`, no row of any table naming an absorbed customer, no blob without a row, no
erased customer's name in the files' bytes). Each finding is printed `FINDING`; exit 1 with one.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import pathlib
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[2] / "Clients" / "python"))

from customercard import CustomerCardClient, RPCError, StatusCode  # noqa: E402

CUSTOMERS = "customer.v1.CustomerService/"
FINDINGS: list[str] = []
ERASED_NAMES: list[str] = []
ABSORBED: set[int] = set()


def finding(text: str) -> None:
    FINDINGS.append(text)
    print("FINDING:", text, flush=True)


def jitter() -> None:
    time.sleep(random.random() * 0.004)


def together(*actions):
    """Runs each action on its own thread, released at once; their results or RPCErrors, in order."""
    results: list = [None] * len(actions)
    barrier = threading.Barrier(len(actions))

    def run(index, action):
        barrier.wait()
        jitter()
        try:
            results[index] = action()
        except RPCError as error:
            results[index] = error

    threads = [threading.Thread(target=run, args=(i, a)) for i, a in enumerate(actions)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    return results


class Server:
    def __init__(self, customerd: str, arguments: tuple[str, ...] = ()):
        self.customerd = customerd
        self.arguments = list(arguments)  # after the socket, database, mode and log level
        self.dir = tempfile.mkdtemp(prefix="cc-races-")
        os.chmod(self.dir, 0o755)
        self.socket = os.path.join(self.dir, "s.sock")
        self.database = os.path.join(self.dir, "c.sqlite")
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        if os.path.exists(self.socket):
            os.unlink(self.socket)  # a killed server's, so the wait below is for the new one
        self.log = open(os.path.join(self.dir, "log"), "ab")
        self.process = subprocess.Popen([self.customerd, "--socket", self.socket, "--database", self.database,
                                         "--socket-mode", "0666", "--log-level", "warning", *self.arguments],
                                        stdout=self.log, stderr=self.log)
        for _ in range(300):
            if os.path.exists(self.socket):
                return
            time.sleep(0.1)
        raise SystemExit("customerd did not start")

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            self.process.wait(60)
        self.log.close()

    def client(self) -> CustomerCardClient:
        return CustomerCardClient(self.socket, timeout=60)


def create(client, name: str, **fields) -> int:
    return int(client.call(CUSTOMERS + "CreateCustomer", {"fields": {"name": name, **fields}})["id"])


def merged_into(error) -> int | None:
    if isinstance(error, RPCError) and error.code == StatusCode.NOT_FOUND:
        for detail in error.details:
            if detail.field == "mergedInto":
                return int(detail.reason)
    return None


def where(client, customer: int) -> int | None:
    """The live customer `customer` is, or went to through merges; None when erased or a cycle."""
    seen = set()
    while customer not in seen:
        seen.add(customer)
        try:
            client.call(CUSTOMERS + "GetCustomer", {"id": customer})
            return customer
        except RPCError as error:
            target = merged_into(error)
            if target is None:
                return None
            customer = target
    finding(f"merge chain through {sorted(seen)} is a cycle")
    return None


# -- cases ---------------------------------------------------------------------------------------


def case_keys(server: Server, rounds: int) -> None:
    clients = [server.client() for _ in range(3)]
    same = other = 0
    for r in range(rounds):
        key = f"race21-key-{r}-{random.randrange(1 << 30)}"
        body = {"fields": {"name": f"Key K{r} Oy"}}
        answers = together(*[lambda c=c: c.call(CUSTOMERS + "CreateCustomer", body, idempotency_key=key)
                             for c in clients[:2]],
                           lambda: clients[2].call(CUSTOMERS + "CreateCustomer",
                                                   {"fields": {"name": f"Key K{r} Other"}}, idempotency_key=key))
        ok = [a for a in answers if isinstance(a, dict)]
        ids = {int(a["id"]) for a in ok}
        if len(ids) != 1:
            finding(f"keys round {r}: keyed creates under one key answered ids {sorted(ids)}: {answers}")
        for index, answer in enumerate(answers):
            if isinstance(answer, RPCError) and answer.code != StatusCode.FAILED_PRECONDITION:
                finding(f"keys round {r}: call {index} {answer.code.name} {answer.message}")
        if isinstance(answers[0], dict) and isinstance(answers[1], dict):
            same += answers[0] == answers[1]
            if answers[0] != answers[1]:
                finding(f"keys round {r}: the same keyed request answered differently: {answers[0]} / {answers[1]}")
        other += isinstance(answers[2], dict)
        found = clients[0].call(CUSTOMERS + "ListCustomers", {"query": {"search": f"Key K{r} "}, "limit": 10})
        count = len(found.get("customers", []))
        if count != 1:
            finding(f"keys round {r}: {count} customers made under one key")
    print(f"keys: {rounds} rounds, same answers twice in {same}, the other body won in {other}")


def case_imports(server: Server, rounds: int) -> None:
    """Keyed imports racing their retry: two of the same rows under one key at once, a third of
    other rows under it; the rows are written once, the other rows never."""
    clients = [server.client() for _ in range(3)]
    outcomes: dict[str, int] = {}
    for r in range(rounds):
        key = f"race21-import-{r}-{random.randrange(1 << 30)}"

        def rows(tag):
            return [{"rows": [{"fields": {"name": f"Keyed J{r}{tag} {i:03d} Oy"}} for i in range(150)]}]

        answers = together(lambda: clients[0].client_stream(CUSTOMERS + "ImportCustomers", rows("s"), idempotency_key=key),
                           lambda: clients[1].client_stream(CUSTOMERS + "ImportCustomers", rows("s"), idempotency_key=key),
                           lambda: clients[2].client_stream(CUSTOMERS + "ImportCustomers", rows("o"), idempotency_key=key))
        label = " ".join("ok" if isinstance(a, dict) else a.code.name for a in answers)
        outcomes[label] = outcomes.get(label, 0) + 1
        same = len(clients[0].call(CUSTOMERS + "ListCustomers", {"query": {"search": f"Keyed J{r}s "}, "limit": 1000})
                   .get("customers", []))
        other = len(clients[0].call(CUSTOMERS + "ListCustomers", {"query": {"search": f"Keyed J{r}o "}, "limit": 1000})
                    .get("customers", []))
        if (same, other) not in ((150, 0), (0, 150)) or same + other != 150:
            finding(f"imports round {r}: {same} rows of the keyed import and {other} of the other body ({label})")
        if isinstance(answers[0], dict) and isinstance(answers[1], dict) and answers[0] != answers[1]:
            finding(f"imports round {r}: the same keyed import answered differently")
        for answer in answers:
            if isinstance(answer, RPCError) and answer.code != StatusCode.FAILED_PRECONDITION:
                finding(f"imports round {r}: {answer.code.name} {answer.message}")
    print(f"imports: {rounds} rounds, outcomes {outcomes}")


def case_restart(server: Server, rounds: int) -> None:
    """Keyed creates from 8 threads, the server killed (SIGKILL) under them and started again, then
    every key sent again: each answer acknowledged before is given again, each name made once."""
    sent: dict[str, tuple[str, dict | None]] = {}
    lock = threading.Lock()
    lost = 0
    for r in range(max(1, rounds // 4)):
        stop = threading.Event()

        def loop(t):
            client = server.client()
            i = 0
            while not stop.is_set():
                i += 1
                name, key = f"Restart R{r}-{t}-{i} Oy", f"race21-restart-{r}-{t}-{i}"
                with lock:
                    sent[key] = (name, None)
                try:
                    answer = client.call(CUSTOMERS + "CreateCustomer", {"fields": {"name": name}}, idempotency_key=key,
                                         timeout=5)
                    with lock:
                        sent[key] = (name, answer)
                except RPCError:
                    return

        threads = [threading.Thread(target=loop, args=(t,)) for t in range(8)]
        for thread in threads:
            thread.start()
        time.sleep(0.3 + random.random() * 0.5)
        server.process.kill()
        server.process.wait(30)
        stop.set()
        for thread in threads:
            thread.join(60)
        server.log.close()
        server.start()
        client = server.client()
        for key, (name, answer) in list(sent.items()):
            again = client.call(CUSTOMERS + "CreateCustomer", {"fields": {"name": name}}, idempotency_key=key)
            if answer is not None and again != answer:
                lost += 1
                finding(f"restart: key {key} acknowledged {answer.get('id')} before the kill, {again.get('id')} after")
            count = len(client.call(CUSTOMERS + "ListCustomers", {"query": {"search": name}, "limit": 10})
                        .get("customers", []))
            if count != 1:
                finding(f"restart: {count} customers named {name!r}")
    acknowledged = sum(1 for _, answer in sent.values() if answer is not None)
    print(f"restart: {max(1, rounds // 4)} kills, {len(sent)} keyed creates sent ({acknowledged} acknowledged before "
          f"the kill), each retried after it: {lost} answered otherwise")


def case_merges(server: Server, rounds: int) -> None:
    admin = server.client()
    clients = [server.client() for _ in range(3)]
    outcomes: dict[str, int] = {}
    for r in range(rounds):
        a, b, c = (create(admin, f"Merge M{r}{x} Oy") for x in "ABC")
        contacts = {x: int(admin.call("customer.v1.ContactService/CreateContact",
                                      {"customerId": x, "fields": {"lastName": f"Person{r}-{x}"}})["id"])
                    for x in (a, b, c)}
        if r % 2 == 0:
            plan = [(b, a), (c, b), (c, a)]
        else:
            plan = [(b, a), (a, b), (c, c if r % 4 == 1 else a)]
        answers = together(*[lambda i=i, k=k, x=x: clients[i].call(CUSTOMERS + "MergeCustomers",
                                                                   {"keepId": k, "absorbId": x})
                             for i, (k, x) in enumerate(plan)])
        key = " ".join("ok" if isinstance(x, dict) else x.code.name for x in answers)
        outcomes[key] = outcomes.get(key, 0) + 1
        for (keep, absorb), answer in zip(plan, answers):
            if isinstance(answer, RPCError) and answer.code not in (StatusCode.NOT_FOUND, StatusCode.INVALID_ARGUMENT,
                                                                    StatusCode.ABORTED):
                finding(f"merges round {r}: merge {keep}<-{absorb} {answer.code.name} {answer.message}")
            if isinstance(answer, dict):
                ABSORBED.add(absorb)
        live = {x: where(admin, x) for x in (a, b, c)}
        if None in live.values():
            finding(f"merges round {r}: {live}")
        for owner, contact in contacts.items():
            got = int(admin.call("customer.v1.ContactService/GetContact", {"id": contact})["customerId"])
            if got != live.get(owner):
                finding(f"merges round {r}: contact {contact} of {owner} is on {got}, expected {live.get(owner)}")
    print(f"merges: {rounds} rounds, outcomes {outcomes}")


def case_adds(server: Server, rounds: int) -> None:
    admin = server.client()
    workers = [server.client() for _ in range(4)]
    acknowledged = refused = 0
    for r in range(rounds):
        a = create(admin, f"Adds A{r} Oy")
        b = create(admin, f"Adds B{r} Oy")
        done = threading.Event()
        records: list[tuple[str, int]] = []
        lock = threading.Lock()

        def add(client, n):
            kinds = [
                ("contact", "customer.v1.ContactService/CreateContact", {"customerId": a, "fields": {"lastName": f"L{n}"}},
                 "customer.v1.ContactService/GetContact"),
                ("note", "customer.v1.ActivityService/AddNote", {"customerId": a, "text": f"note {n}"}, None),
                ("address", "customer.v1.AddressService/AddAddress",
                 {"customerId": a, "fields": {"city": f"City{n}", "country": "FI"}}, None),
                ("project", "customer.v1.ProjectService/CreateProject",
                 {"customerId": a, "kind": "project", "fields": {"name": f"P{n}"}}, "customer.v1.ProjectService/GetProject"),
                ("link", "customer.v1.FileService/AddLink",
                 {"customerId": a, "url": f"https://example.com/{n}", "title": f"T{n}"}, None),
            ]
            i = 0
            while not done.is_set():
                kind, method, request, _ = kinds[i % len(kinds)]
                i += 1
                try:
                    answer = client.call(method, request)
                    with lock:
                        records.append((kind, int(answer.get("id", 0)), answer))
                except RPCError as error:
                    nonlocal refused
                    refused += 1
                    if merged_into(error) != b:
                        finding(f"adds round {r}: {kind} on A {a} refused {error.code.name} {error.message}")
                    return

        threads = [threading.Thread(target=add, args=(w, f"{r}-{i}")) for i, w in enumerate(workers)]
        for thread in threads:
            thread.start()
        time.sleep(0.01 + random.random() * 0.05)
        try:
            admin.call(CUSTOMERS + "MergeCustomers", {"keepId": b, "absorbId": a})
            ABSORBED.add(a)
        except RPCError as error:
            finding(f"adds round {r}: merge {error.code.name} {error.message}")
        time.sleep(0.05)
        done.set()
        for thread in threads:
            thread.join(60)
        acknowledged += len(records)
        card = admin.call("customer.v1.CardService/GetCustomerCard", {"customerId": b})
        text = repr(card)
        projects = admin.call("customer.v1.ProjectService/ListProjects", {"customerId": b})
        for kind, ident, answer in records:
            if kind == "contact":
                owner = int(admin.call("customer.v1.ContactService/GetContact", {"id": ident})["customerId"])
                if owner != b:
                    finding(f"adds round {r}: acknowledged contact {ident} is on {owner}, not on the survivor {b}")
            elif kind == "project":
                if ident not in {int(p["id"]) for p in projects.get("projects", [])}:
                    finding(f"adds round {r}: acknowledged project {ident} not on the survivor {b}")
            else:
                marker = {"note": answer.get("text"), "address": answer.get("city"), "link": answer.get("url")}[kind]
                if marker and marker not in text:
                    finding(f"adds round {r}: acknowledged {kind} {ident} ({marker}) not on the survivor's card")
    print(f"adds: {rounds} rounds, {acknowledged} records acknowledged (each found on the survivor), "
          f"{refused} refused naming it")


def case_upload(server: Server, rounds: int) -> None:
    admin = server.client()
    uploader = server.client()
    outcomes: dict[str, int] = {}
    for r in range(rounds):
        name = f"Upload U{r} Oy"
        a = create(admin, name, email=f"upload{r}@example.com")
        data = os.urandom(768 * 1024)
        answers = together(lambda: uploader.files.upload(a, f"f{r}.bin", data),
                           lambda: (time.sleep(random.random() * 0.03),
                                    admin.call(CUSTOMERS + "DeleteCustomer", {"id": a, "confirm": True}))[1])
        key = " ".join("ok" if not isinstance(x, RPCError) else x.code.name for x in answers)
        outcomes[key] = outcomes.get(key, 0) + 1
        if isinstance(answers[1], dict):
            ERASED_NAMES.append(name)
        UPLOADS.append((r, hashlib.sha256(data).hexdigest(), not isinstance(answers[0], RPCError), a))
        for answer in answers:
            if isinstance(answer, RPCError) and answer.code not in (StatusCode.FAILED_PRECONDITION, StatusCode.NOT_FOUND):
                finding(f"upload round {r}: {answer.code.name} {answer.message}")
    print(f"upload: {rounds} rounds, outcomes (upload, erasure) {outcomes}")


UPLOADS: list[tuple[int, str, bool, int]] = []


def case_pages(server: Server, rounds: int) -> None:
    admin = server.client()
    stable = {create(admin, f"Page P{i:03d}b Oy") for i in range(60)}
    done = threading.Event()
    churned = [0]

    def churn(seed):
        client = server.client()
        rng = random.Random(seed)
        while not done.is_set():
            ident = create(client, f"Page P{rng.randrange(60):03d}{rng.choice('ac')} Oy")
            churned[0] += 1
            time.sleep(rng.random() * 0.003)
            client.call(CUSTOMERS + "DeleteCustomer", {"id": ident, "confirm": True})

    threads = [threading.Thread(target=churn, args=(s,)) for s in range(3)]
    for thread in threads:
        thread.start()
    try:
        for r in range(rounds):
            for order in ("name", "number"):
                seen: list[int] = []
                token = None
                while True:
                    request = {"query": {"search": "Page P", "order": order}, "limit": 7}
                    if token:
                        request["pageToken"] = token
                    page = admin.call(CUSTOMERS + "ListCustomers", request)
                    seen += [int(c["id"]) for c in page.get("customers", [])]
                    token = page.get("nextPageToken")
                    if not token:
                        break
                    time.sleep(random.random() * 0.002)
                twice = {x for x in seen if seen.count(x) > 1}
                missing = stable - set(seen)
                if twice or missing:
                    finding(f"pages round {r} by {order}: seen twice {sorted(twice)}, missing {sorted(missing)}")
    finally:
        done.set()
        for thread in threads:
            thread.join(60)
    print(f"pages: {rounds} rounds by name and by number, {churned[0]} customers made and erased meanwhile")


def case_snapshot(server: Server, rounds: int) -> None:
    """The initial sync of CHANGE-FEED.md: SnapshotCustomers read slowly while customers are renamed
    from the end of the name order to its start, then the feed watched after the first row's asOf;
    every customer that existed throughout must end up whole at the consumer."""
    admin = server.client()
    reader = CustomerCardClient(server.socket, timeout=60, initial_window=4096)  # the server pauses in batch 2
    lost_rounds = 0
    for r in range(rounds):
        ids = [create(admin, f"Snap S{r} Z{i:03d} Oy", email=f"z{i}@snap{r}.example") for i in range(200)]
        query = {"query": {"search": f"Snap S{r} "}}
        rows: dict[int, dict] = {}
        first_as_of = None
        renamed = 0
        with reader.server_stream("customer.v1.ChangeFeedService/SnapshotCustomers", query) as stream:
            for n, message in enumerate(stream):
                customer = message["customer"]
                as_of = int(message.get("asOf", 0))
                first_as_of = as_of if first_as_of is None else first_as_of
                rows[int(customer["id"])] = {"row": customer, "asOf": as_of}
                if n == 0:
                    # Batches of 16, 32, 64 ...: while the first are delivered, later rows move before the cursor.
                    for i in random.sample(range(100, 200), 12):
                        admin.call(CUSTOMERS + "UpdateCustomer", {"id": ids[i], "fields": {"name": f"Snap S{r} A{i:03d} Oy"}})
                        renamed += 1
        events = []
        with admin.server_stream("customer.v1.ChangeFeedService/WatchChanges", {"after": first_as_of, "kinds": ["customer"]},
                                 timeout=1) as watch:
            try:
                for event in watch:
                    events.append(event)
            except RPCError:
                pass  # its deadline
        missing = [x for x in ids if x not in rows]
        emails_lost = []
        for x in missing:
            # The consumer has only what the events after asOf carry: the rename, not the email.
            changes = [c for e in events if int(e.get("entityId", 0)) == x for c in e.get("changes", [])]
            if not any(c.get("field") == "email" for c in changes):
                emails_lost.append(x)
        if missing:
            lost_rounds += 1
            finding(f"snapshot round {r}: {len(missing)} of 200 customers that existed throughout were not in the "
                    f"snapshot ({renamed} renamed during it); the feed after its first asOf gives {len(emails_lost)} "
                    f"of them without their other fields (email)")
    print(f"snapshot: {rounds} rounds, rounds losing customers: {lost_rounds}")


def case_streams(server: Server, rounds: int) -> None:
    """The ordered streams (StreamCustomers by name and by number, ExportCustomers, StreamMailingList)
    read slowly while customers move in their order: 12 of 200 from its end to its start, 4 from its
    start (already read) to its end, and one ahead of what the server read erased; every other customer of the start comes
    exactly once. Each stream has its own 200 customers."""
    admin = server.client()
    reader = CustomerCardClient(server.socket, timeout=60, initial_window=4096)  # the server pauses in batch 2
    bad_streams = 0
    kinds = [("StreamCustomers by name", CUSTOMERS + "StreamCustomers", "name"),
             ("StreamCustomers by number", CUSTOMERS + "StreamCustomers", "number"),
             ("ExportCustomers", CUSTOMERS + "ExportCustomers", "name"),
             ("StreamMailingList", "customer.v1.ContactService/StreamMailingList", "name")]
    for r in range(rounds):
        for s_index, (label, method, moves) in enumerate(kinds):
            prefix = f"Strm R{r} S{s_index} "
            base = 10_000_000 + (r * len(kinds) + s_index) * 1_000  # numbers base+500+i, moved to base+300+i, base+900+i
            ids = [create(admin, f"{prefix}M{i:03d} Oy", number=base + 500 + i) for i in range(200)]
            keyword = f"strm-{r}-{s_index}"
            if method.endswith("StreamMailingList"):
                admin.call("customer.v1.LabelService/CreateLabel", {"kind": "keyword", "name": keyword})
                for x in ids:
                    admin.call("customer.v1.ContactService/CreateContact",
                               {"customerId": x, "fields": {"lastName": f"L{x}"}, "keywords": [keyword]})
                request, key = {"keyword": keyword}, (lambda m: int(m["customerId"]))
            elif method.endswith("ExportCustomers"):  # records carry numbers, not ids
                request, key = {"query": {"search": prefix}}, (lambda m: ids[int(m["fields"]["number"]) - base - 500])
            else:
                request, key = {"query": {"search": prefix, "order": moves}}, (lambda m: int(m["id"]))
            # Ahead of anything the server may have read: batches 1-3 end at row 111, and a mailing
            # list's small messages let it send ~80 into the 4 KiB window and read the third.
            ahead = random.sample(range(112, 200), 13)
            erased = ahead.pop()
            behind = random.sample(range(0, 16), 4)
            seen: list[int] = []
            with reader.server_stream(method, request) as stream:
                for n, message in enumerate(stream):
                    seen.append(key(message))
                    if n == 0:
                        # Batches of 16, 32, 64 ...: the first is read; rows move across the position.
                        for i in ahead + behind:
                            front = i in ahead
                            if moves == "name":
                                fields = {"name": f"{prefix}{'A' if front else 'Z'}{i:03d} Oy"}
                            else:
                                fields = {"number": base + (300 if front else 900) + i}
                            admin.call(CUSTOMERS + "UpdateCustomer", {"id": ids[i], "fields": fields})
                        admin.call(CUSTOMERS + "DeleteCustomer", {"id": ids[erased], "confirm": True})
            twice = sorted({x for x in seen if seen.count(x) > 1})
            missing = sorted(set(ids) - set(seen) - {ids[erased]})
            if twice or missing or ids[erased] in seen:
                bad_streams += 1
                finding(f"streams round {r} {label}: seen twice {twice}, missing {missing}, "
                        f"the erased one seen: {ids[erased] in seen}")
    print(f"streams: {rounds} rounds of {len(kinds)} streams, streams with a customer missing or twice: {bad_streams}")


def case_cancel(server: Server, rounds: int) -> None:
    client = server.client()
    for i in range(3):
        create(client, f"Cancel C{i} Oy")
    failures = [0]

    def loop(n):
        for _ in range(rounds * 25):
            stream = client.server_stream(CUSTOMERS + "StreamCustomers", {"query": {"search": "Cancel C"}})
            got = [next(stream) for _ in range(3)]
            stream.cancel()  # the STATUS is on its way or already read by the connection
            if len(got) != 3:
                failures[0] += 1
            try:
                client.call("customer.v1.UserService/WhoAmI", {}, timeout=10)
            except RPCError as error:
                failures[0] += 1
                finding(f"cancel: the call after a cancel at the stream's end {error.code.name} {error.message}")
                return

    threads = [threading.Thread(target=loop, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(300)
    print(f"cancel: {rounds * 100} streams cancelled at their end, {failures[0]} failures")


def create_flood(client, prefix: str, manager: str, metadata=()) -> None:
    """Creates customers named PREFIX{thread}-{n} Oy, managed by `manager`, from 8 threads, until
    the process is killed (a child's work while the parent changes its rights)."""
    def loop(t):
        i = 0
        while True:
            i += 1
            try:
                client.call(CUSTOMERS + "CreateCustomer", {"fields": {"name": f"{prefix}{t}-{i} Oy", "accountManager": manager}},
                            metadata=metadata)
            except RPCError:
                time.sleep(0.001)

    for t in range(8):
        threading.Thread(target=loop, args=(t,), daemon=True).start()
    time.sleep(3600)


def case_users(server: Server, rounds: int, uid: int) -> None:
    admin = server.client()
    name = "race-sales"
    try:
        admin.call("customer.v1.UserService/AddUser", {"uid": uid, "name": name, "profile": "Sales"})
    except RPCError as error:
        if error.code != StatusCode.ALREADY_EXISTS:
            raise
    late = {"deactivate": 0, "demote": 0}
    made = 0
    for r in range(rounds):
        for change in ("deactivate", "demote"):
            child = os.fork()
            if child == 0:
                try:
                    os.setgid(uid)
                    os.setuid(uid)
                    create_flood(CustomerCardClient(server.socket, timeout=30), f"User U{r}{change[0]}-", name)
                finally:
                    os._exit(0)
            try:
                time.sleep(0.3 + random.random() * 0.1)
                if change == "deactivate":
                    admin.call("customer.v1.UserService/DeactivateUser", {"user": name})
                else:
                    admin.call("customer.v1.UserService/SetUserProfile", {"user": name, "profile": "Read only"})
                last = int(admin.call("customer.v1.ChangeFeedService/GetFeedBounds", {}).get("last", 0))
                time.sleep(0.2)
            finally:
                os.kill(child, signal.SIGKILL)
                os.waitpid(child, 0)
            events = events_after(admin, last)
            after = [e for e in events if (e.get("by") or {}).get("name") == name]
            if after:
                late[change] += 1
                finding(f"users round {r}: {len(after)} write(s) of {name} committed after it was "
                        f"{'deactivated' if change == 'deactivate' else 'demoted to Read only'} "
                        f"(feed last {last}, first {after[0].get('sequence')})")
            made += len(admin.call(CUSTOMERS + "ListCustomers",
                                   {"query": {"search": f"User U{r}{change[0]}-"}, "limit": 1000}).get("customers", []))
            if change == "deactivate":
                admin.call("customer.v1.UserService/ActivateUser", {"user": name})
            else:
                admin.call("customer.v1.UserService/SetUserProfile", {"user": name, "profile": "Sales"})
    print(f"users: {rounds * 2} changes, {made} creates by the user before them, rounds with a write after the change: {late}")


def events_after(admin, last: int) -> list[dict]:
    """The change feed's events after sequence `last`, as a watch delivers them within a second."""
    events = []
    with admin.server_stream("customer.v1.ChangeFeedService/WatchChanges", {"after": last}, timeout=1) as watch:
        try:
            for event in watch:
                events.append(event)
        except RPCError:
            pass  # its deadline
    return events


def case_backup(server: Server, rounds: int) -> None:
    admin = server.client()
    importer = server.client()
    outcomes = {"whole": 0, "none": 0}
    for r in range(rounds):
        prefix = f"Import I{r}x"
        rows = [{"fields": {"name": f"{prefix} {i:04d} Oy"}} for i in range(3000)]
        messages = [{"rows": rows[i:i + 1000]} for i in range(0, 3000, 1000)]
        target = os.path.join(server.dir, f"backup-{r}")
        answers = together(lambda: importer.client_stream(CUSTOMERS + "ImportCustomers", messages),
                           lambda: (time.sleep(random.random() * 0.4),
                                    admin.call("customer.v1.MaintenanceService/Backup", {"to": target}))[1])
        for answer in answers:
            if isinstance(answer, RPCError):
                finding(f"backup round {r}: {answer.code.name} {answer.message}")
        if r == 0:
            running = subprocess.run([server.customerd, "--database", server.database, "--restore", target, "--force"],
                                     capture_output=True, text=True, timeout=60)
            if running.returncode == 0:
                finding("backup: --restore while the server runs on the database succeeded")
            else:
                print(f"backup: --restore while serving: exit {running.returncode}: {running.stderr.strip()[:200]}")
        restored = os.path.join(server.dir, f"restored-{r}", "c.sqlite")
        os.makedirs(os.path.dirname(restored), mode=0o700)
        done = subprocess.run([server.customerd, "--database", restored, "--restore", target],
                              capture_output=True, text=True, timeout=120)
        if done.returncode != 0:
            finding(f"backup round {r}: restore failed {done.returncode}: {done.stderr.strip()[:300]}")
            continue
        with sqlite3.connect(restored) as db:
            count = db.execute("SELECT count(*) FROM customers WHERE name LIKE ?", (prefix + " %",)).fetchone()[0]
            check = db.execute("PRAGMA quick_check").fetchone()[0]
        if check != "ok":
            finding(f"backup round {r}: restored quick_check {check}")
        if count == 3000:
            outcomes["whole"] += 1
        elif count == 0:
            outcomes["none"] += 1
        else:
            finding(f"backup round {r}: the backup holds {count} of the import's 3000 rows")
        shutil.rmtree(os.path.dirname(restored))
        shutil.rmtree(target, ignore_errors=True)
    print(f"backup: {rounds} rounds, the import in the backup {outcomes}")


# -- the database after -----------------------------------------------------------------------


def check_integrity(db: sqlite3.Connection) -> None:
    """`PRAGMA quick_check` and `foreign_key_check`, each problem a finding."""
    quick = db.execute("PRAGMA quick_check").fetchall()
    if quick != [("ok",)]:
        finding(f"quick_check: {quick[:5]}")
    foreign = db.execute("PRAGMA foreign_key_check").fetchall()
    if foreign:
        finding(f"foreign_key_check: {foreign[:5]}")


def check_database(server: Server) -> None:
    with sqlite3.connect(server.database) as db:
        check_integrity(db)
        tables = [row[0] for row in db.execute(
            "SELECT m.name FROM sqlite_master m JOIN pragma_foreign_key_list(m.name) p "
            "WHERE m.type = 'table' AND p.\"table\" = 'customers' AND p.\"from\" = 'customer_id'")]
        for absorbed in sorted(ABSORBED):
            if db.execute("SELECT count(*) FROM customers WHERE id = ?", (absorbed,)).fetchone()[0]:
                finding(f"absorbed customer {absorbed} still has its row")
            for table in tables:
                n = db.execute(f"SELECT count(*) FROM {table} WHERE customer_id = ?", (absorbed,)).fetchone()[0]
                if n:
                    finding(f"{n} row(s) of {table} still name the absorbed customer {absorbed}")
        shas = {row[0] for row in db.execute("SELECT sha256 FROM files")}
        for r, sha, acknowledged, customer in UPLOADS:
            row = db.execute("SELECT customer_id FROM files WHERE sha256 = ?", (sha,)).fetchone()
            if acknowledged and row is None:
                finding(f"upload round {r}: the acknowledged file has no row")
            if not acknowledged and row is not None:
                finding(f"upload round {r}: a refused upload has a row")
    blobs = pathlib.Path(server.database + ".files")
    if blobs.exists():
        for path in blobs.rglob("*"):
            if path.is_file() and path.name not in shas:
                finding(f"a file with no row is left in the blob store: {path.relative_to(blobs)}")
    content = b""
    for suffix in ("", "-wal", "-shm"):
        try:
            content += pathlib.Path(server.database + suffix).read_bytes()
        except FileNotFoundError:
            pass
    for name in ERASED_NAMES:
        if name.encode() in content:
            finding(f"the erased name {name!r} is still in the database's bytes")


CASES = ("snapshot", "streams", "keys", "imports", "restart", "merges", "adds", "upload", "pages", "cancel", "users", "backup")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--customerd", required=True)
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument("--only", nargs="*", choices=CASES, default=list(CASES))
    parser.add_argument("--uid", type=int, default=4611, help="OS uid of the Sales user of the users case")
    parser.add_argument("--keep", action="store_true", help="keep the temporary directory")
    args = parser.parse_args()
    server = Server(os.path.abspath(args.customerd))
    server.start()
    try:
        for case in args.only:
            started = time.monotonic()
            if case == "users":
                if os.getuid() != 0:
                    print("users: skipped (needs root to switch uid)")
                    continue
                case_users(server, args.rounds, args.uid)
            else:
                globals()["case_" + case](server, args.rounds)
            server.client().call("customer.v1.UserService/WhoAmI", {})
            print(f"  ({case}: {time.monotonic() - started:.1f} s, the server serves on)", flush=True)
    finally:
        server.stop()
    return finish(server, args.keep)


def finish(server: Server, keep: bool) -> int:
    """After the stopped server: its exit status and database checked, its directory removed unless
    kept; the exit status of the run (1 with a finding)."""
    if server.process.returncode not in (0, None):
        finding(f"customerd exited {server.process.returncode}")
    check_database(server)
    print(f"{len(FINDINGS)} finding(s); directory {server.dir}{' kept' if keep else ''}")
    if not keep:
        shutil.rmtree(server.dir, ignore_errors=True)
    return 1 if FINDINGS else 0


if __name__ == "__main__":
    sys.exit(main())
