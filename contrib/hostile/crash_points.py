#!/usr/bin/env python3
"""SIGKILL at random moments under a mixed write workload, and what every restart must find.

    contrib/hostile/crash_points.py --customerd PATH [--rounds 5] [--seed 1] [--workers 4] [--keep]

Runs its own customerd on a fresh database in a temporary directory (removed at the end unless
`--keep`). Each round, `--workers` connections, each as one of three users (the administrator, and
two editors it acts for as a trusted service), write as fast as they are answered: creates,
updates, contacts, notes, addresses, projects, uploads of 4 chunks, merges (the absorbed customer
with a contact and a note), erasures (a customer with a contact and a note), imports of 30 rows
(all or nothing, and row by row), registry refreshes of website and address (from a fake Finnish
registry on a loopback port serving the Swift tests' Nokia record), users added and given another
profile, and backups; every write but the refreshes (which take none) under an idempotency key of
its own. A call answered otherwise than UNAVAILABLE or a deadline is a finding.
A watcher follows the change feed.
After a seeded random moment the server is killed (SIGKILL) and started again, and then:

- the database: `PRAGMA quick_check` and `foreign_key_check` clean (read-only, beside the server);
  every blob in `DATABASE.files` named by a `files` row (none of an upload half stored);
- every acknowledged write is there with its values; every write cut by the kill is there whole or
  not at all (a merge: the absorbed customer gone and its contact and note on the kept one, or
  neither; an erasure: the name, the contact and its name gone together; an import's 30 rows or
  none; an upload's row with its whole content or no row; a refresh's website and head office or
  neither);
- every keyed write sent again with its key: an acknowledged one answers as it did (same id and
  version), a cut one is then there exactly once;
- every live customer is found by a search for its name (the search text follows the row);
- the change feed: every event the watcher saw before the kill is served again under the same
  sequence (kind, action, record), a watch resumed after the last one seen gets exactly the later
  events, in order, none twice; `GetFeedBounds.last` is the newest; each acknowledged create,
  merge and erasure has its event.

After the last round the server is stopped and the database's and log's bytes searched for the
erased customers' names. Each broken check is printed `FINDING`; exit 1 with one.
"""

from __future__ import annotations

import argparse
import collections
import hashlib
import http.server
import os
import pathlib
import random
import shutil
import sqlite3
import sys
import threading
import time

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[2] / "Clients" / "python"))

from customercard import CustomerCardClient, RPCError, StatusCode  # noqa: E402
from stateful_races import FINDINGS, Server, check_integrity, finding, merged_into  # noqa: E402

SERVICE = "customer.v1."
EDITORS = ("crash-editor-a", "crash-editor-b")
IMPORT_ROWS = 30
UPLOAD_CHUNKS = 4
UPLOAD_CHUNK = 48 * 1024
# PRH's answer for Nokia Oyj, as the Swift tests' fake registry serves it: every refresh is of a
# customer with Nokia's VAT number.
NOKIA = pathlib.Path(__file__).resolve().parents[2] / "Tests" / "RegistryTestSupport" / "Fixtures" / \
    "fi-prh-ytj-v3-companies-0112038-9-nokia.json"


def call(client, method: str, request: dict, user: str | None, key: str | None = None, timeout: float = 30):
    metadata = [("acting-for", user)] if user else []
    return client.call(SERVICE + method, request, metadata=metadata, idempotency_key=key, timeout=timeout)


def search(client, text: str) -> list[dict]:
    return call(client, "CustomerService/ListCustomers",
                {"query": {"search": text, "status": "all"}, "limit": 1000}, None).get("customers", [])


def customer_or_error(client, customer: int):
    try:
        return call(client, "CustomerService/GetCustomer", {"id": customer}, None)
    except RPCError as error:
        return error


class Op:
    """One write: what was sent, under which key, and its answer (None: cut by the kill)."""

    def __init__(self, kind: str, user: str | None, method: str, request, key: str | None, **facts):
        self.kind, self.user, self.method, self.request, self.key = kind, user, method, request, key
        self.facts = facts
        self.answer: dict | None = None
        self.error: Exception | None = None

    def send(self, client, timeout: float = 30) -> dict:
        metadata = [("acting-for", self.user)] if self.user else []
        if self.kind in ("upload", "import"):
            return client.client_stream(SERVICE + self.method, self.request, metadata=metadata,
                                        idempotency_key=self.key, timeout=timeout)
        return client.call(SERVICE + self.method, self.request, metadata=metadata, idempotency_key=self.key,
                           timeout=timeout)


class Model:
    """What the checks expect: each worker's customers and their last acknowledged phone."""

    def __init__(self):
        self.lock = threading.Lock()
        self.customers: dict[int, dict] = {}  # id -> {"owner", "name", "phone"}
        self.erased: list[str] = []
        self.serial = 0

    def next(self) -> int:
        with self.lock:
            self.serial += 1
            return self.serial


def not_cut(error: Exception, what: str) -> None:
    """A call that failed otherwise than by the kill (an answer other than UNAVAILABLE or a deadline:
    the harness's request or the server is wrong) is a finding."""
    if isinstance(error, RPCError) and error.code not in (StatusCode.UNAVAILABLE, StatusCode.DEADLINE_EXCEEDED):
        finding(f"{what} refused, not cut by the kill: {error.code.name} {error.message}")


class Worker(threading.Thread):
    def __init__(self, index: int, server: Server, model: Model, rng: random.Random, stop: threading.Event,
                 round_: int, backups: pathlib.Path):
        super().__init__(daemon=True)
        self.index, self.server, self.model, self.rng, self.stop = index, server, model, rng, stop
        self.round, self.backups = round_, backups
        self.user = (None, *EDITORS)[index % 3]
        self.ops: list[Op] = []

    def mine(self) -> list[int]:
        with self.model.lock:
            return [c for c, state in self.model.customers.items() if state["owner"] == self.index]

    def run(self) -> None:
        client = CustomerCardClient(self.server.socket, timeout=30)
        self.setup = CustomerCardClient(self.server.socket, timeout=30)  # for the writes a write needs first
        try:
            while not self.stop.is_set():
                if not self.step(client):
                    return
        finally:
            client.close()
            self.setup.close()

    def tag(self) -> str:
        return f"R{self.round}W{self.index}N{self.model.next()}"

    def plan(self) -> Op | None:
        """The next write, its setup (acknowledged writes of their own) done; None when it failed."""
        rng, tag, user = self.rng, self.tag(), self.user
        mine = self.mine()
        kinds = ["create"] * 3 + ["update", "contact", "note", "address", "project", "upload", "merge", "erase",
                                  "import", "refresh"]
        if self.user is None:
            kinds.append("user")
        if self.index == 0:
            kinds.append("backup")  # one worker only: a backup outlasts the others' writes many times
        kind = rng.choice(kinds) if mine else "create"
        key = f"crash27-{tag}"
        target = rng.choice(mine) if mine else 0
        if kind == "create":
            return Op(kind, user, "CustomerService/CreateCustomer", {"fields": {"name": f"Crash {tag} Oy"}}, key,
                      name=f"Crash {tag} Oy")
        if kind == "update":
            phone = str(rng.randrange(10**8, 10**9))
            with self.model.lock:
                before = self.model.customers[target]["phone"]
            return Op(kind, user, "CustomerService/UpdateCustomer", {"id": target, "fields": {"phone": phone}}, key,
                      customer=target, phone=phone, before=before)
        if kind == "contact":
            return Op(kind, user, "ContactService/CreateContact", {"customerId": target,
                                                                   "fields": {"lastName": f"Person{tag}"}},
                      key, customer=target, text=f"Person{tag}")
        if kind == "note":
            return Op(kind, user, "ActivityService/AddNote", {"customerId": target, "text": f"Note {tag}"}, key,
                      customer=target, text=f"Note {tag}")
        if kind == "address":
            return Op(kind, user, "AddressService/AddAddress",
                      {"customerId": target, "fields": {"street1": f"Street {tag}", "city": "Espoo", "country": "FI"}},
                      key, customer=target, text=f"Street {tag}")
        if kind == "project":
            return Op(kind, user, "ProjectService/CreateProject",
                      {"customerId": target, "kind": "project", "fields": {"name": f"Project {tag}"}}, key,
                      customer=target, text=f"Project {tag}")
        if kind == "upload":
            data = rng.randbytes(UPLOAD_CHUNKS * UPLOAD_CHUNK)
            sha = hashlib.sha256(data).hexdigest()
            header = {"customerId": target, "name": f"file-{tag}.bin", "size": len(data), "sha256": sha}
            messages = [{"header": header}] + [{"data": data[i:i + UPLOAD_CHUNK]}
                                               for i in range(0, len(data), UPLOAD_CHUNK)]
            return Op(kind, user, "FileService/UploadFile", messages, key, customer=target, text=f"file-{tag}.bin",
                      sha=sha, size=len(data))
        if kind == "import":
            all_or_nothing = rng.random() < 0.5
            rows = [{"fields": {"name": f"Import {tag} {i:02d} Oy"}} for i in range(IMPORT_ROWS)]
            messages = [{"options": {"continueOnError": not all_or_nothing}, "rows": rows[:IMPORT_ROWS // 2]},
                        {"rows": rows[IMPORT_ROWS // 2:]}]
            return Op(kind, user, "CustomerService/ImportCustomers", messages, key, text=f"Import {tag} ")
        if kind == "user":
            name = f"crash-user-{tag.lower()}"
            uid = 60000 + self.model.next()
            if self.rng.random() < 0.5:
                return Op(kind, user, "UserService/AddUser", {"uid": uid, "name": name, "profile": "Sales"}, key,
                          user_name=name, profile="Sales")
            try:  # added first (acknowledged), then the keyed profile change is the write under test
                call(self.setup, "UserService/AddUser", {"uid": uid, "name": name, "profile": "Sales"}, None)
            except Exception as error:
                not_cut(error, "the setup of a " + kind)
                return None
            return Op(kind, user, "UserService/SetUserProfile", {"user": name, "profile": "Read only"}, key,
                      user_name=name, profile="Read only")
        if kind == "backup":
            target_dir = self.backups / tag
            return Op(kind, user, "MaintenanceService/Backup", {"to": str(target_dir)}, key, path=str(target_dir))
        client = self.setup
        if kind == "refresh":  # a customer of its own with Nokia's VAT number, made first; no key taken
            try:
                fresh = int(call(client, "CustomerService/CreateCustomer", {
                    "fields": {"name": f"Crash {tag} registry Oy", "vatNumber": "FI01120389", "country": "FI"},
                    "allowDuplicateVat": True}, user)["id"])
            except Exception as error:
                not_cut(error, "the setup of a " + kind)
                return None
            return Op(kind, user, "CustomerService/RefreshFromRegistry",
                      {"customerId": fresh, "fields": ["website", "address"], "dryRun": False}, None, customer=fresh)
        # merge and erase: a customer of their own with a contact and a note, made first
        try:
            victim_name = f"Crash {tag} {kind} Oy"
            victim = int(call(client, "CustomerService/CreateCustomer", {"fields": {"name": victim_name}}, user)["id"])
            person = f"Person{tag}x"
            contact = int(call(client, "ContactService/CreateContact",
                               {"customerId": victim, "fields": {"lastName": person}}, user)["id"])
            call(client, "ActivityService/AddNote", {"customerId": victim, "text": f"Note {tag}x"}, user)
        except Exception as error:
            not_cut(error, "the setup of a " + kind)
            return None
        if kind == "merge":
            return Op(kind, user, "CustomerService/MergeCustomers", {"keepId": target, "absorbId": victim}, key,
                      keep=target, absorb=victim, contact=contact, text=f"Note {tag}x")
        return Op(kind, user, "CustomerService/DeleteCustomer",
                  {"id": victim, "confirm": True}, key, customer=victim, name=victim_name, contact=contact,
                  person=person)

    def step(self, client) -> bool:
        op = self.plan()
        if op is None:
            return not self.stop.is_set()
        self.ops.append(op)
        try:
            op.answer = op.send(client)
        except Exception as error:  # cut by the kill: checked after the restart
            op.error = error
            not_cut(error, f"{op.kind} {op.method}")
            return False
        self.acknowledged(op)
        return True

    def acknowledged(self, op: Op) -> None:
        with self.model.lock:
            if op.kind == "create":
                self.model.customers[int(op.answer["id"])] = {"owner": self.index, "name": op.facts["name"],
                                                               "phone": None}
            elif op.kind == "update":
                self.model.customers[op.facts["customer"]]["phone"] = op.facts["phone"]


class FakeRegistry(http.server.ThreadingHTTPServer):
    """The Finnish registry on a loopback port: Nokia's record for every company asked for."""

    daemon_threads = True

    def __init__(self):
        body = NOKIA.read_bytes()

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self):
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *arguments):
                pass

        super().__init__(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.serve_forever, daemon=True).start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"


# -- checks after a restart ----------------------------------------------------------------------


def check_database_copy(server: Server) -> set[str]:
    """`quick_check` and `foreign_key_check` of a copy of the database and its log as the kill left
    them (the server holds the database locked while it runs, and a SQLite program opening the
    files themselves would checkpoint the log into them: not what the next start finds); the
    SHA-256 of every file row."""
    scratch = pathlib.Path(server.dir) / "check"
    shutil.rmtree(scratch, ignore_errors=True)
    scratch.mkdir()
    for suffix in ("", "-wal"):
        if os.path.exists(server.database + suffix):
            shutil.copyfile(server.database + suffix, scratch / ("c.sqlite" + suffix))
    db = sqlite3.connect(scratch / "c.sqlite")
    try:
        check_integrity(db)
        return {row[0] for row in db.execute("SELECT sha256 FROM files")}
    finally:
        db.close()
        shutil.rmtree(scratch, ignore_errors=True)


def check_blobs(server: Server, shas: set[str], reported: set[str]) -> None:
    """Every blob in the store is a file row's: none of an upload the kill cut, none of a removed file
    (each told once: one left stays for the restarts after)."""
    blobs = pathlib.Path(server.database + ".files")
    if blobs.exists():
        for path in blobs.rglob("*"):
            if path.is_file() and path.name not in shas and path.name not in reported:
                reported.add(path.name)
                finding(f"a blob no file row names is left in the blob store: {path.relative_to(blobs)}")


def with_value(items: list[dict], field: str, text: str) -> list[dict]:
    return [item for item in items if item.get(field) == text]


def present(client, op: Op) -> int | None:
    """How many of the write's records are there now (None: the write is there half)."""
    kind, facts = op.kind, op.facts
    if kind == "create":
        return len([c for c in search(client, facts["name"]) if c["name"] == facts["name"]])
    if kind == "update":
        phone = customer_or_error(client, facts["customer"])
        phone = phone.get("phone") if isinstance(phone, dict) else None
        if phone == facts["phone"]:
            return 1
        return 0 if phone == facts["before"] else None
    if kind == "contact":
        contacts = call(client, "ContactService/ListContacts", {"customerId": facts["customer"]}, None)
        return len(with_value(contacts.get("contacts", []), "lastName", facts["text"]))
    if kind == "note":
        activities = call(client, "ActivityService/ListActivities", {"customerId": facts["customer"]}, None)
        return len(with_value(activities.get("done", []) + activities.get("planned", []), "subject", facts["text"]))
    if kind == "address":
        addresses = call(client, "AddressService/ListAddresses", {"customerId": facts["customer"]}, None)
        return len([a for a in addresses.get("addresses", []) if facts["text"] in a.get("street", [])])
    if kind == "project":
        projects = call(client, "ProjectService/ListProjects", {"customerId": facts["customer"]}, None)
        return len(with_value(projects.get("projects", []), "name", facts["text"]))
    if kind == "upload":
        files = with_value(call(client, "FileService/ListFiles", {"customerId": facts["customer"]}, None).get("files", []),
                            "name", facts["text"])
        for file in files:
            if file.get("sha256") != facts["sha"] or file.get("size") != facts["size"]:
                return None
            content = client.files.download(int(file["id"]))
            if hashlib.sha256(content).hexdigest() != facts["sha"]:
                return None
        return len(files)
    if kind == "import":
        # A search matches words by their start: "Import R0W3N40 " finds N400's rows too.
        found = len([c for c in search(client, facts["text"]) if c["name"].startswith(facts["text"])])
        return found // IMPORT_ROWS if found in (0, IMPORT_ROWS) else None
    if kind == "user":
        users = call(client, "UserService/ListUsers", {}, None).get("users", [])
        named = [u for u in users if u["name"] == facts["user_name"]]
        if op.method.endswith("AddUser"):
            return len(named)
        return int(bool(named) and named[0].get("profile") == facts["profile"])
    if kind == "backup":
        path = pathlib.Path(facts["path"])
        if not path.exists():
            return 0
        return 1 if (path / "MANIFEST").exists() else None
    if kind == "refresh":  # the website and the head office taken in one transaction, or neither
        website = bool(call(client, "CustomerService/GetCustomer", {"id": facts["customer"]}, None).get("website"))
        address = bool(call(client, "AddressService/ListAddresses", {"customerId": facts["customer"]}, None)
                       .get("addresses"))
        return int(website) if website == address else None
    if kind == "merge":
        absorbed = customer_or_error(client, facts["absorb"])
        contact = call(client, "ContactService/GetContact", {"id": facts["contact"]}, None)
        activities = call(client, "ActivityService/ListActivities", {"customerId": facts["keep"]}, None)
        note_moved = bool(with_value(activities.get("done", []), "subject", facts["text"]))
        gone = merged_into(absorbed) == facts["keep"]
        moved = int(contact["customerId"]) == facts["keep"]
        if gone and moved and note_moved:
            return 1
        if isinstance(absorbed, dict) and not moved and not note_moved:
            return 0
        return None
    if kind == "erase":
        customer = customer_or_error(client, facts["customer"])
        erased = isinstance(customer, RPCError) and customer.code == StatusCode.NOT_FOUND or \
            isinstance(customer, dict) and customer.get("deleted")
        try:
            contact = call(client, "ContactService/GetContact", {"id": facts["contact"]}, None)
            person = contact.get("lastName") == facts["person"]
        except RPCError:
            person = False
        named = isinstance(customer, dict) and customer.get("name") == facts["name"]
        if erased and not person and not named:
            return 1
        if not erased and person and named:
            return 0
        return None
    raise AssertionError(kind)


def same_answer(first: dict, again: dict) -> bool:
    """The replay of an acknowledged keyed write: the same record, the same version."""
    return all(first.get(field) == again.get(field) for field in ("id", "version", "imported", "rows"))


def check_ops(client, ops: list[Op], model: Model, counts: dict) -> None:
    last_update = {op.facts["customer"]: op for op in ops if op.kind == "update"}
    for op in ops:
        if op.kind == "update" and last_update[op.facts["customer"]] is not op:
            continue  # a later update of the same customer (same worker) replaced its phone
        label = f"{op.kind} {op.method} {op.request if op.kind not in ('upload', 'import') else op.facts.get('text')}"
        try:
            found = present(client, op)
        except RPCError as error:
            finding(f"{label}: checking it failed {error.code.name} {error.message}")
            continue
        acknowledged = op.answer is not None
        counts["acknowledged" if acknowledged else "cut"] += 1
        if found is None:
            finding(f"{label}: there half ({'acknowledged' if acknowledged else 'cut by the kill'})")
            continue
        if acknowledged and found != 1:
            finding(f"{label}: acknowledged, {found} found after the restart")
        if not acknowledged:
            counts[f"cut {op.kind}: {'there' if found else 'absent'}"] += 1
            if found > 1:
                finding(f"{label}: cut by the kill, {found} found")
        if op.key is None:
            continue
        try:
            again = op.send(client)
        except RPCError as error:
            if op.kind == "erase" and not acknowledged and error.code == StatusCode.NOT_FOUND and found:
                continue  # erased, its row gone with nothing left: the replay's answer is stored only by a key
            finding(f"{label}: sent again with its key after the restart: {error.code.name} {error.message}")
            continue
        if acknowledged and not same_answer(op.answer, again):
            finding(f"{label}: acknowledged {op.answer} before the kill, {again} when sent again with its key")
        after = present(client, op)
        if after != 1:
            finding(f"{label}: sent again with its key: {after} found")
        if not acknowledged:
            op.answer = again
            if op.kind == "create":
                model.customers[int(again["id"])] = {"owner": -1, "name": op.facts["name"], "phone": None}
            elif op.kind == "update":
                model.customers[op.facts["customer"]]["phone"] = op.facts["phone"]
        if op.kind == "merge":
            model.customers.pop(op.facts["absorb"], None)
        if op.kind == "erase":
            model.erased.append(op.facts["name"])


def check_customers(client, model: Model) -> None:
    for customer, state in list(model.customers.items()):
        answer = customer_or_error(client, customer)
        if not isinstance(answer, dict):
            finding(f"customer {customer} {state['name']!r}: {answer.code.name} {answer.message}")
            continue
        if answer["name"] != state["name"] or answer.get("phone") != state["phone"]:
            finding(f"customer {customer}: {answer['name']!r} phone {answer.get('phone')}, expected {state}")
        if customer not in {int(c["id"]) for c in search(client, state["name"])}:
            finding(f"customer {customer} {state['name']!r} is not found by a search for its name")


class Watcher(threading.Thread):
    """Follows the change feed from `after` until the connection ends."""

    def __init__(self, socket: str, after: int):
        super().__init__(daemon=True)
        self.socket, self.after = socket, after
        self.events: list[tuple] = []
        self.ended: Exception | None = None

    def run(self) -> None:
        client = CustomerCardClient(self.socket, timeout=None)
        try:
            for event in client.changes.watch(self.after):
                self.events.append(event_key(event))
        except Exception as error:
            self.ended = error
        finally:
            client.close()


def event_key(event: dict) -> tuple:
    return int(event["sequence"]), event.get("kind"), event.get("action"), int(event.get("entityId", 0))


def read_feed(socket: str, after: int, last: int) -> list[tuple]:
    """The feed's events after `after` through `last`, read by a watch bounded to 120 s."""
    events = []
    if last <= after:
        return events
    client = CustomerCardClient(socket, timeout=120)
    try:
        for event in client.changes.watch(after):
            events.append(event_key(event))
            if events[-1][0] >= last:
                break
    finally:
        client.close()
    return events


def check_feed(server: Server, seen: dict[int, tuple], resume_after: int, ops: list[Op]) -> list[tuple]:
    client = server.client()
    try:
        bounds = client.changes.bounds()
    finally:
        client.close()
    last = int(bounds.get("last", 0))
    everything = read_feed(server.socket, 0, last)
    sequences = [event[0] for event in everything]
    if sequences != sorted(set(sequences)):
        finding("the feed from 0 is not strictly increasing")
    if sequences and sequences[-1] != last:
        finding(f"GetFeedBounds.last is {last}, the feed's newest event {sequences[-1]}")
    by_sequence = {event[0]: event for event in everything}
    for sequence, event in seen.items():
        if by_sequence.get(sequence) != event:
            finding(f"sequence {sequence}: {event} before the kill, {by_sequence.get(sequence)} after it")
    resumed = read_feed(server.socket, resume_after, last)
    expected = [event for event in everything if event[0] > resume_after]
    if resumed != expected:
        finding(f"the watch resumed after {resume_after} got {len(resumed)} events, not the {len(expected)} "
                f"after it in the feed from 0 (first difference: "
                f"{next((a, b) for a, b in zip(resumed + [None] * len(expected), expected) if a != b)})")
    keys = {(kind, action, entity) for _, kind, action, entity in everything}
    for op in ops:
        if op.answer is None:
            continue
        wanted = None
        if op.kind == "create":
            wanted = ("customer", "created", int(op.answer["id"]))
        elif op.kind == "merge":
            wanted = ("customer", "merged", op.facts["absorb"])
        elif op.kind == "erase":
            wanted = ("customer", "deleted", op.facts["customer"])
        if wanted and wanted not in keys:
            finding(f"{op.kind} acknowledged as {op.answer.get('id')}: no {wanted} event in the feed")
    return everything


# -- the run ------------------------------------------------------------------------------------


def wait_serving(server: Server) -> None:
    client = server.client()
    try:
        for _ in range(3000):  # 20 ms apart: a debug build on a loaded machine starts when it can
            if server.process.poll() is not None:
                raise SystemExit(f"customerd exited with {server.process.returncode}")
            try:
                if client.health() == "SERVING":
                    return
            except (RPCError, OSError):
                pass
            time.sleep(0.02)
        raise SystemExit("customerd did not start serving")
    finally:
        client.close()


def prepare_users(server: Server) -> None:
    client = server.client()
    try:
        me = call(client, "UserService/WhoAmI", {}, None)["name"]
        call(client, "ProfileService/CreateProfile", {"name": "Crash editor", "rights": {
            "readCustomers": "all", "editCustomers": "all", "financialFigures": True, "deleteCustomers": True,
            "manageContacts": True, "administration": False}}, None)
        for index, name in enumerate(EDITORS):
            call(client, "UserService/AddUser", {"uid": 50000 + index, "name": name, "profile": "Crash editor"}, None)
        call(client, "UserService/SetTrustedService", {"user": me, "trusted": True}, None)
    finally:
        client.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--customerd", required=True)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--kill-within", type=float, default=2.0,
                        help="the kill comes at a random moment up to this many seconds into a round")
    parser.add_argument("--keep", action="store_true", help="keep the temporary directory")
    args = parser.parse_args()
    rng = random.Random(args.seed)
    registry = FakeRegistry()
    server = Server(os.path.abspath(args.customerd), ("--registry-url", f"fi={registry.url}"))
    backups = pathlib.Path(server.dir) / "backups"
    backups.mkdir()
    model = Model()
    seen: dict[int, tuple] = {}
    orphans: set[str] = set()
    counts: collections.Counter = collections.Counter()
    server.start()
    try:
        wait_serving(server)
        prepare_users(server)
        cursor = 0
        for round_ in range(args.rounds):
            watcher = Watcher(server.socket, cursor)
            watcher.start()
            stop = threading.Event()
            workers = [Worker(i, server, model, random.Random(rng.random()), stop, round_, backups)
                       for i in range(args.workers)]
            for worker in workers:
                worker.start()
            time.sleep(0.2 + rng.random() * args.kill_within)
            server.process.kill()
            server.process.wait(60)
            stop.set()
            for thread in (*workers, watcher):
                thread.join(120)
                if thread.is_alive():
                    finding(f"round {round_}: a client thread still runs 120 s after the kill")
            for event in watcher.events:
                seen[event[0]] = event
            if watcher.events:
                cursor = watcher.events[-1][0]
            shas = check_database_copy(server)
            server.log.close()
            server.start()
            wait_serving(server)
            check_blobs(server, shas, orphans)
            ops = [op for worker in workers for op in worker.ops]
            cut = [op.kind for op in ops if op.answer is None]
            client = server.client()
            try:
                check_ops(client, ops, model, counts)
                check_customers(client, model)
            finally:
                client.close()
            everything = check_feed(server, seen, cursor, ops)
            print(f"round {round_}: {len(ops)} writes, {len(ops) - len(cut)} acknowledged, cut by the kill: "
                  f"{sorted(cut)}; feed at {everything[-1][0] if everything else 0}, watcher saw through {cursor}",
                  flush=True)
        server.stop()
        check_blobs(server, check_database_copy(server), orphans)
        content = b"".join(pathlib.Path(server.database + suffix).read_bytes()
                           for suffix in ("", "-wal") if os.path.exists(server.database + suffix))
        for name in model.erased:
            if name.encode() in content:
                finding(f"the erased name {name!r} is still in the database's bytes")
    finally:
        if server.process and server.process.poll() is None:
            server.process.kill()
            server.process.wait(60)
        registry.shutdown()
        if args.keep:
            print("kept", server.dir)
        else:
            shutil.rmtree(server.dir, ignore_errors=True)
    print(f"{args.rounds} kills (seed {args.seed}): {counts['acknowledged']} acknowledged writes and "
          f"{counts['cut']} cut by a kill checked; "
          + ", ".join(f"{key} {value}" for key, value in sorted(counts.items()) if key.startswith("cut ")))
    print(f"{len(FINDINGS)} findings")
    return 1 if FINDINGS else 0


if __name__ == "__main__":
    sys.exit(main())
