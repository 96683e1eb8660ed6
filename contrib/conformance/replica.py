"""A replica of the customers, written from Protocol/*.md and docs/CHANGE-FEED.md alone (spec27): what
the reporting service and the web front end's cache build. It takes SnapshotCustomers, then follows
WatchChanges from the snapshot's first `asOf`, keeps its cursor and its copy in a file (so it resumes
after its own restart with no new snapshot), resumes after the server's (SIGTERM: UNAVAILABLE naming
the sequence; SIGKILL: the connection drops), and takes a new snapshot when the feed answers
OUT_OF_RANGE `after: resync`.

Run as a test (one command), it starts customerd on a temporary socket and database, churns from
other connections (creates, updates, activations, hand-offs between account managers, merges,
erasures, imports, addresses, contacts, activities), restarts the replicas at random points from
their files and the server (SIGTERM and SIGKILL) at others, and at the end compares each replica
with a fresh full read by its own user: the Administrator's, and (run as root) an own-scope
Consultant's, which must hold exactly its own customers:

    sudo python3 contrib/conformance/replica.py --customerd .build/debug/customerd --seed 1

`--rounds N` (server restarts), `--ops N` (churn writes between them), `--keep`, `--patience N`.
The framing and field encoding are probe.py's (that client is written from the same documents).
What the documents did not say, and where the answer was found, is in docs/HARDENING.md's row
"a replica from the documents alone".
"""

import argparse
import json
import os
import random
import shutil
import signal
import struct
import sys
import tempfile
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import probe as P  # noqa: E402
from probe import (C, CANCEL, MESSAGE, STATUS, WINDOW_UPDATE, Closed, Conn, connect_as, f_bool, f_bytes, f_sint, f_str,  # noqa: E402
                   f_uint, frame, get_sint, get_str, get_uint, parse_msg, start_server)

CS = "customer.v1.CustomerService/"
FEED = "customer.v1.ChangeFeedService/"
CUSTOMER_KIND = 0  # HistoryEntry.Entity `customer`
STATUS_ALL = 2     # CustomerQuery.Status `all`

# The Customer message's fields a replica keeps: those the snapshot carries (CUSTOMER-API.md
# `Customer`) and the feed's customer events change by name (FieldChange.field). Version and the
# stamps are the snapshot's alone (no event carries them); `headOffice` the feed's alone (a
# `headOfficeSet` event names its address id; no listing, the snapshot included, carries it).
TEXT_FIELDS = {5: "description", 6: "vatNumber", 7: "country", 8: "industry", 9: "email", 10: "website",
               11: "phone", 19: "businessId", 20: "registryStatus"}
FIELDS = ("number", "name", "accountManager", "active") + tuple(TEXT_FIELDS.values())
# changes a customer event carries that are no field of the copy
NOT_COPIED = {"headOffice", "absorbed", "mergedInto"}


def customer_record(payload):
    """A Customer message as the replica keeps it: (id, fields, deleted)."""
    m = parse_msg(payload)
    rec = {"number": get_sint(m, 2), "name": get_str(m, 3), "active": bool(get_uint(m, 12))}
    rec["accountManager"] = get_str(parse_msg(m[4][-1][1]), 2) if 4 in m else None
    for number, name in TEXT_FIELDS.items():
        rec[name] = get_str(m, number)
    return get_sint(m, 1), rec, bool(get_uint(m, 22))


def field_value(name, text):
    """A FieldChange's newValue (text, absent: cleared) as the Customer message's field holds it."""
    if text is None:
        return None
    if name == "number":
        return int(text)
    if name == "active":
        return text == "true"
    return text


class Resync(Exception):
    """The feed no longer serves the cursor (OUT_OF_RANGE `after: resync`): take a new snapshot."""


class Ended(Exception):
    """The watch or snapshot ended (server restart, connection lost): resume from the saved cursor."""


class Replica:
    """The copy: customers by id, each with the feed position its row is as of, and the cursor (the
    sequence of the last event applied), saved to `path` after every event so a restart resumes."""

    def __init__(self, path, me=None, own_scope=False):
        self.path = path
        self.me = me
        self.own_scope = own_scope
        self.cursor = None
        self.customers = {}
        self.as_of = {}
        self.snapshots = 0
        self.events = 0
        self.fetched = 0  # customers read after a hand-off to this own-scope user
        self.unknown = []  # (sequence, action, change fields) the replica had no rule for
        if os.path.exists(path):
            with open(path) as f:
                state = json.load(f)
            self.cursor = state["cursor"]
            self.customers = {int(k): v for k, v in state["customers"].items()}
            self.as_of = {int(k): v for k, v in state["asOf"].items()}

    def save(self):
        tmp = self.path + ".tmp"
        with open(tmp, "w") as f:
            json.dump({"cursor": self.cursor, "customers": self.customers, "asOf": self.as_of}, f)
        os.replace(tmp, self.path)  # whole or not at all: a replica stopped at any point resumes from it

    # ------------------------------------------------------------ initial sync

    def snapshot(self, c):
        """CHANGE-FEED.md "Initial sync": every row with its asOf; the cursor is the first row's asOf.
        With no rows there is no asOf: the feed's `last` read before the snapshot (nothing after it
        can be missing from the feed)."""
        bounds = c.unary(FEED + "GetFeedBounds", b"")
        if bounds.code != 0:
            raise Ended("GetFeedBounds: %r" % bounds)
        before = get_sint(parse_msg(bounds.response), 2) or 0
        sid = c.start(FEED + "SnapshotCustomers", f_bytes(1, f_uint(1, STATUS_ALL)))
        c.send(frame(WINDOW_UPDATE, 0, sid, struct.pack(">I", 1 << 30)))
        customers, as_of, first = {}, {}, None
        while True:
            t, fl, s, pl = self.read(c)
            if s != sid:
                continue
            if t == STATUS:
                st = P.Status(fl, pl)
                if st.code != 0:
                    raise Ended("SnapshotCustomers: %r" % st)
                break
            if t == MESSAGE:
                m = parse_msg(pl)
                cid, rec, deleted = customer_record(m[1][-1][1])
                row_as_of = get_sint(m, 2) or 0
                first = row_as_of if first is None else first
                if not deleted:  # an erased customer's tombstone row: nothing to copy
                    customers[cid] = rec
                    as_of[cid] = row_as_of
        self.customers, self.as_of = customers, as_of
        self.cursor = first if first is not None else before
        self.snapshots += 1
        self.save()

    # ------------------------------------------------------------ following the feed

    @staticmethod
    def read(c, timeout=30.0):
        try:
            return c.read_frame(timeout)
        except (Closed, OSError) as e:
            raise Ended(repr(e)) from e

    def follow(self, c, stop, side):
        """Watch after the cursor and apply events until `stop(self)` says so (then CANCEL) or the
        watch ends. `side()` connects for the reads an event calls for: on the watch's connection
        an answer would have to be picked out from among the events."""
        self.side, self.side_conn = side, None
        try:
            if self.cursor is None:
                self.snapshot(c)
            sid = c.start(FEED + "WatchChanges", f_sint(1, self.cursor))
            c.send(frame(WINDOW_UPDATE, 0, sid, struct.pack(">I", 1 << 30)))
            while not stop(self):
                try:
                    t, fl, s, pl = c.read_frame(0.2, expect_nothing=True)
                except TimeoutError:
                    continue
                except (Closed, OSError) as e:
                    raise Ended(repr(e)) from e
                if s != sid:
                    continue
                if t == STATUS:
                    st = P.Status(fl, pl)
                    if st.code == C["OUT_OF_RANGE"] and ("after", "resync") in st.details:
                        raise Resync(st.message)
                    raise Ended("WatchChanges: %r" % st)
                if t == MESSAGE:
                    self.apply(parse_msg(pl))
            c.send(frame(CANCEL, 0, sid, b""))
        finally:
            if self.side_conn is not None:
                self.side_conn.close()

    def apply(self, ev):
        seq = get_sint(ev, 1)
        if seq <= self.cursor:
            raise AssertionError("event %d at or before the cursor %d: sent twice" % (seq, self.cursor))
        kind, action, cid = get_uint(ev, 2) or 0, get_str(ev, 3), get_sint(ev, 5)
        changes = {}
        for _, raw in ev.get(10, []):
            ch = parse_msg(raw)
            changes[get_str(ch, 1)] = get_str(ch, 3)
        self.events += 1
        if kind == CUSTOMER_KIND and seq > self.as_of.get(cid, 0):
            if get_uint(ev, 11) or action == "deleted" or "mergedInto" in changes:
                self.customers.pop(cid, None)  # the tombstone; the absorbed side of a merge
                self.as_of.pop(cid, None)
            elif action == "created":
                self.customers[cid] = self.blank()
                self.set_fields(cid, changes, seq, action)
            elif "absorbed" in changes:
                pass  # the kept side of a merge: the records it lists moved, no field of the customer changed
            elif cid in self.customers:
                self.set_fields(cid, changes, seq, action)
            else:
                self.fetch(cid)  # handed to this own-scope user: its rows were never sent
            rec = self.customers.get(cid)
            if rec is not None and self.own_scope and rec["accountManager"] != self.me:
                self.customers.pop(cid)  # handed away: nothing more of it comes
                self.as_of.pop(cid, None)
        self.cursor = seq
        self.save()

    @staticmethod
    def blank():
        rec = {name: None for name in FIELDS}
        rec["active"] = True
        return rec

    def set_fields(self, cid, changes, seq, action):
        rec = self.customers[cid]
        for name, value in changes.items():
            if name in rec:
                rec[name] = field_value(name, value)
            elif name not in NOT_COPIED:
                self.unknown.append((seq, action, name))

    def fetch(self, cid):
        if self.side_conn is None:
            self.side_conn = self.side()
        st = self.side_conn.unary(CS + "GetCustomer", f_sint(1, cid))
        if st.code == 0:
            _, rec, deleted = customer_record(st.response)
            if not deleted:
                self.customers[cid] = rec
                self.fetched += 1
        elif st.code not in (C["NOT_FOUND"], C["PERMISSION_DENIED"]):
            raise Ended("GetCustomer %d: %r" % (cid, st))


def full_read(c):
    """Every customer the caller may read, now (SnapshotCustomers with status all), as the replica
    keeps them: tombstone rows left out."""
    sid = c.start(FEED + "SnapshotCustomers", f_bytes(1, f_uint(1, STATUS_ALL)))
    c.send(frame(WINDOW_UPDATE, 0, sid, struct.pack(">I", 1 << 30)))
    out = {}
    while True:
        t, fl, s, pl = c.read_frame(30)
        if s != sid:
            continue
        if t == STATUS:
            st = P.Status(fl, pl)
            assert st.code == 0, st
            return out
        if t == MESSAGE:
            cid, rec, deleted = customer_record(parse_msg(pl)[1][-1][1])
            if not deleted:
                out[cid] = rec


# ---------------------------------------------------------------- the round: churn, restarts, comparison

USERS = "customer.v1.UserService/"
CONSULTANT_UID, SALES_UID = 4300, 4301


class Server:
    def __init__(self, binary, tmp):
        self.binary, self.tmp = binary, tmp
        self.path = os.path.join(tmp, "run", "customerd.sock")
        self.log = open(os.path.join(tmp, "customerd.log"), "a")
        self.proc = None

    def start(self, extra=()):
        if os.path.exists(self.path):
            os.unlink(self.path)  # left by a SIGKILL: wait for the new server's socket, not the old one's
        self.proc = start_server(self.binary, self.tmp, self.path, self.log, extra)

    def stop(self, sig):
        if self.proc is None or self.proc.poll() is not None:
            return
        self.proc.send_signal(sig)
        try:
            self.proc.wait(60 * P.PATIENCE[0])
        except Exception:  # noqa: BLE001: a server that does not leave on SIGTERM is killed
            self.proc.kill()
            self.proc.wait(30)


def connect_retrying(make, deadline):
    """A connection, tried again while the server restarts (bounded by `deadline`)."""
    while True:
        try:
            return make()
        except (OSError, Closed, TimeoutError):
            if time.monotonic() > deadline:
                raise
            time.sleep(0.05)


class Churn(threading.Thread):
    """Writes from other connections, as the Administrator, chosen by a seeded generator: what the
    replicas must follow."""

    def __init__(self, path, rng, managers, deadline):
        super().__init__(daemon=True)
        self.path, self.rng, self.managers, self.deadline = path, rng, managers, deadline
        self.live, self.addresses, self.contacts = [], {}, []
        self.done = 0
        self.codes = {}
        self.stop = threading.Event()
        self.c = None

    def call(self, method, request):
        for _ in range(2):
            if self.c is None:
                self.c = connect_retrying(lambda: Conn(self.path), self.deadline)
            try:
                st = self.c.unary(method, request, timeout=30)
                self.codes[st.name] = self.codes.get(st.name, 0) + 1
                if st.code == C["INVALID_ARGUMENT"]:
                    print("  churn: %s %r" % (method, st), flush=True)
                if st.code == C["UNAVAILABLE"]:
                    self.c.close()
                    self.c = None
                    continue
                return st
            except (OSError, Closed, TimeoutError):
                self.c.close()
                self.c = None
        return None

    def fields(self, n):
        r = self.rng
        out = f_str(2, "Replica %d-%d Oy" % (n, r.randrange(1000))) + f_str(3, r.choice(self.managers))
        if r.random() < 0.5:
            out += f_str(4, r.choice(["reseller", "key account", "Åbo office"]))
        if r.random() < 0.5:
            out += f_str(8, "info%d@example.fi" % n)
        if r.random() < 0.3:
            out += f_str(10, "+35840%07d" % r.randrange(10 ** 7))
        if r.random() < 0.3:
            out += f_str(6, r.choice(["FI", "SE", "NO"]))
        return out

    def created(self, st):
        cid = get_sint(parse_msg(st.response), 1) if st is not None and st.code == 0 else None
        if cid is not None:
            self.live.append(cid)
        return cid

    def one(self, n):
        r = self.rng
        op = r.choice(["create", "create", "update", "update", "handoff", "handoff", "active", "merge", "erase",
                       "import", "contact", "activity", "address", "headoffice"])
        if op == "create" or len(self.live) < 4:
            self.created(self.call(CS + "CreateCustomer", f_bytes(1, self.fields(n))))
            return
        cid = r.choice(self.live)
        if op == "update":
            choice = r.choice([f_str(2, "Renamed %d Oy" % n), f_str(4, ""), f_str(4, "updated %d" % n),
                               f_str(8, "new%d@example.fi" % n), f_str(9, "https://r%d.example.fi" % n), f_str(10, "")])
            self.call(CS + "UpdateCustomer", f_sint(1, cid) + f_bytes(3, choice))
        elif op == "handoff":
            self.call(CS + "UpdateCustomer", f_sint(1, cid) + f_bytes(3, f_str(3, r.choice(self.managers))))
        elif op == "active":
            self.call(CS + r.choice(["DeactivateCustomer", "ActivateCustomer"]), f_sint(1, cid))
        elif op == "merge":
            other = r.choice(self.live)
            st = self.call(CS + "MergeCustomers", f_sint(1, cid) + f_sint(2, other)
                           + b"".join(f_str(4, f) for f in ("vatNumber", "country", "phone")))
            if st is not None and st.code == 0:
                self.live.remove(other)
        elif op == "erase":
            if r.random() < 0.5:  # an activity keeps the erased customer's row as a tombstone
                self.call("customer.v1.ActivityService/AddTask", f_sint(1, cid) + f_str(2, "before erasure"))
            st = self.call(CS + "DeleteCustomer", f_sint(1, cid) + f_bool(2, True))
            if st is not None and st.code in (0, C["NOT_FOUND"]):
                self.live.remove(cid)
        elif op == "import":
            rows = b"".join(f_bytes(2, f_sint(1, i + 1) + f_bytes(2, self.fields(n * 10 + i))
                                    + f_bytes(3, f_str(1, "Import Street %d" % i) + f_str(5, "Turku") + f_str(7, "FI")))
                            for i in range(r.randint(1, 3)))
            self.call(CS + "ImportCustomers", f_bytes(1, f_bool(2, True)) + rows)
        elif op == "contact":
            if self.contacts and r.random() < 0.5:
                self.call("customer.v1.ContactService/UpdateContact",
                          f_sint(1, r.choice(self.contacts)) + f_bytes(3, f_str(3, "title %d" % n)))
            else:
                st = self.call("customer.v1.ContactService/CreateContact",
                               f_sint(1, cid) + f_bytes(2, f_str(1, "Eve") + f_str(2, "Contact%d" % n)))
                if st is not None and st.code == 0:
                    self.contacts.append(get_sint(parse_msg(st.response), 1))
        elif op == "activity":
            self.call("customer.v1.ActivityService/AddNote", f_sint(1, cid) + f_str(2, "note %d" % n))
        elif op == "address":
            st = self.call("customer.v1.AddressService/AddAddress",
                           f_sint(1, cid) + f_bytes(2, f_str(1, "Street %d" % n) + f_str(5, "Oulu") + f_str(7, "FI")))
            if st is not None and st.code == 0:
                self.addresses.setdefault(cid, []).append(get_sint(parse_msg(st.response), 1))
        elif op == "headoffice" and self.addresses.get(cid):
            method = r.choice(["SetHeadOffice", "RemoveAddress"])
            aid = r.choice(self.addresses[cid])
            st = self.call("customer.v1.AddressService/" + method, f_sint(1, aid))
            if method == "RemoveAddress" and st is not None and st.code == 0:
                self.addresses[cid].remove(aid)

    def run(self):
        n = 0
        while not self.stop.is_set() and time.monotonic() < self.deadline:
            self.one(n)
            n += 1
            self.done = n


class Follower(threading.Thread):
    """A replica process: follows the feed, and at random points is restarted (a new Replica from
    its file); `paused` holds it (its cursor falls behind)."""

    def __init__(self, name, path, connect, me, own_scope, rng, deadline):
        super().__init__(daemon=True)
        self.name_, self.file, self.connect, self.me, self.own_scope = name, path, connect, me, own_scope
        self.rng, self.deadline = rng, deadline
        self.stop = threading.Event()
        self.paused = threading.Event()
        self.restarts = self.resyncs = self.ends = 0
        self.snapshots = self.events = self.fetched = 0
        self.unknown = []
        self.error = None

    def replica(self):
        return Replica(self.file, self.me, self.own_scope)

    def session(self, stop, deadline):
        """A restart of the replica (all it knows is its file), following the feed until `stop`
        says so or the watch ends: the replica, its counts added to the follower's."""
        rep = self.replica()
        self.restarts += 1
        try:
            c = connect_retrying(self.connect, deadline)
            try:
                rep.follow(c, stop, self.connect)
            finally:
                c.close()
        except Resync:
            self.resyncs += 1
            os.unlink(self.file)
        except (Ended, Closed, OSError, TimeoutError):
            self.ends += 1  # the server restarted: resume from the file
        self.snapshots += rep.snapshots
        self.events += rep.events
        self.fetched += rep.fetched
        self.unknown += rep.unknown
        return rep

    def run(self):
        try:
            while not self.stop.is_set() and time.monotonic() < self.deadline:
                if self.paused.is_set():
                    time.sleep(0.05)
                    continue
                budget = self.rng.randint(3, 40)
                self.session(lambda r: self.stop.is_set() or self.paused.is_set() or r.events >= budget, self.deadline)
        except Exception as e:  # noqa: BLE001: reported by the round
            self.error = "%s: %r" % (self.name_, e)

    def catch_up(self, marker, deadline):
        """Follow until the marker customer is in the copy (every earlier event applied): bounded."""
        while time.monotonic() < deadline:
            rep = self.session(lambda r: marker in r.customers or time.monotonic() > deadline, deadline)
            if marker in rep.customers:
                return rep
        return None


def differences(copy, server):
    out = []
    for cid in sorted(set(copy) | set(server)):
        a, b = copy.get(cid), server.get(cid)
        if a is None or b is None:
            out.append((cid, "only in the %s" % ("server's read" if a is None else "replica"), a or b))
            continue
        for k in FIELDS:
            if a.get(k) != b.get(k):
                out.append((cid, k, a.get(k), b.get(k)))
    return out


def run_round(args, tmp):
    rng = random.Random(args.seed)
    server = Server(args.customerd, tmp)
    server.start()
    deadline = time.monotonic() + args.budget * P.PATIENCE[0]
    fails = []
    try:
        admin = Conn(server.path)
        me = get_str(parse_msg(admin.unary(USERS + "WhoAmI", b"").response), 3)
        as_root = os.geteuid() == 0
        managers = [me]
        followers = [Follower("administrator", os.path.join(tmp, "admin.json"), lambda: Conn(server.path), me, False,
                              random.Random(rng.random()), deadline)]
        if as_root:
            admin.unary(USERS + "AddUser", f_uint(1, CONSULTANT_UID) + f_str(2, "connie") + f_str(4, "Consultant"))
            admin.unary(USERS + "AddUser", f_uint(1, SALES_UID) + f_str(2, "sam") + f_str(4, "Sales"))
            managers += ["connie", "sam"]
            followers.append(Follower("consultant", os.path.join(tmp, "consultant.json"),
                                      lambda: Conn(server.path, sock=connect_as(server.path, CONSULTANT_UID)),
                                      "connie", True, random.Random(rng.random()), deadline))
        admin.close()
        churn = Churn(server.path, random.Random(rng.random()), managers, deadline)
        churn.start()
        # some history before the replicas start: their snapshot has rows of different asOf
        wait_for(lambda: churn.done >= args.ops // 2, deadline)
        for f in followers:
            f.start()
        for r in range(args.rounds):
            wait_for(lambda: churn.done >= args.ops // 2 + (r + 1) * args.ops, deadline)
            sig = signal.SIGKILL if rng.random() < 0.5 else signal.SIGTERM
            server.stop(sig)
            print("round %d: %d writes, server %s" % (r + 1, churn.done, "SIGKILL" if sig == signal.SIGKILL else "SIGTERM"),
                  flush=True)
            server.start()
        wait_for(lambda: churn.done >= args.ops // 2 + (args.rounds + 1) * args.ops, deadline)
        churn.stop.set()
        churn.join(60 * P.PATIENCE[0])
        for f in followers:
            f.stop.set()
            f.join(60 * P.PATIENCE[0])
            if f.error:
                fails.append(f.error)
        print("churn: %d writes, answers %s" % (churn.done, sorted(churn.codes.items())), flush=True)
        bad = {k: v for k, v in churn.codes.items() if k in ("INTERNAL", "UNKNOWN", "DATA_LOSS")}
        if bad:
            fails.append("churn answered %s" % bad)
        marker_manager = "connie" if as_root else me
        compare(server.path, followers, marker_manager, "after the feed", fails)
        # then writes while the replicas are stopped, and a server that serves only the last 5
        # sequence numbers: each replica's cursor is behind it (OUT_OF_RANGE after: resync)
        for n in range(churn.done, churn.done + 20):
            churn.one(n)
        if churn.c is not None:
            churn.c.close()
        server.stop(signal.SIGTERM)
        server.start(("--feed-retention-count", "5"))
        compare(server.path, followers, marker_manager, "after a resync", fails)
        for f in followers:
            if f.resyncs == 0:
                fails.append("%s replica: a cursor behind the retention was never answered OUT_OF_RANGE resync" % f.name_)
    finally:
        server.stop(signal.SIGTERM)
    return fails


def compare(path, followers, manager, label, fails):
    """A last write every replica sees (a customer of `manager`): once it is in a copy, every earlier
    event is. Then each copy against a fresh read by the replica's own user."""
    admin = Conn(path)
    marker = get_sint(parse_msg(admin.unary(CS + "CreateCustomer", f_bytes(1, f_str(2, "Marker %s Oy" % label)
                                                                                + f_str(3, manager))).response), 1)
    server_all = full_read(admin)
    admin.close()
    for f in followers:
        rep = f.catch_up(marker, time.monotonic() + 60 * P.PATIENCE[0])
        if rep is None:
            fails.append("%s replica %s: did not reach the marker customer %d" % (f.name_, label, marker))
            continue
        c = f.connect()
        server_view = full_read(c)
        c.close()
        diff = differences(rep.customers, server_view)
        print("%s replica %s: %d customers, %d events, %d snapshots, %d read after a hand-off, %d restarts, %d watches ended, "
              "%d resyncs; %d differences" % (f.name_, label, len(rep.customers), f.events, f.snapshots, f.fetched, f.restarts,
                                              f.ends, f.resyncs, len(diff)), flush=True)
        for d in diff[:20]:
            print("  DIFF", d)
        if diff:
            fails.append("%s replica %s differs from a fresh read in %d places" % (f.name_, label, len(diff)))
        if f.unknown:
            print("  changes the replica had no rule for:", sorted(set((a, k) for _, a, k in f.unknown)))
            fails.append("%s replica: changes it had no rule for" % f.name_)
            f.unknown = []
        if f.own_scope:
            own = {cid for cid, v in server_all.items() if v["accountManager"] == f.me}
            if set(rep.customers) != own:
                fails.append("%s replica %s holds %s, its own customers are %s" % (f.name_, label, sorted(rep.customers), sorted(own)))


def wait_for(cond, deadline):
    while not cond():
        if time.monotonic() > deadline:
            raise SystemExit("the round took longer than --budget")
        time.sleep(0.05)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--customerd", default=os.environ.get("CUSTOMERD"), help="server binary to start")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--rounds", type=int, default=3, help="server restarts during the churn (SIGTERM or SIGKILL; then one "
                    "more with a feed retention of 5 behind the replicas' cursors)")
    ap.add_argument("--ops", type=int, default=60, help="churn writes between restarts")
    ap.add_argument("--budget", type=float, default=120.0, help="seconds the round may take (times --patience)")
    ap.add_argument("--patience", type=float, default=1.0)
    ap.add_argument("--keep", action="store_true")
    args = ap.parse_args()
    P.PATIENCE[0] = args.patience
    if not args.customerd:
        raise SystemExit("give --customerd PATH (or CUSTOMERD)")
    tmp = tempfile.mkdtemp(prefix="ccreplica-")
    os.chmod(tmp, 0o755)
    started = time.monotonic()
    try:
        fails = run_round(args, tmp)
    finally:
        if args.keep:
            print("kept", tmp)
        else:
            shutil.rmtree(tmp, ignore_errors=True)
    print("seed %d: %.1f s, %d failed" % (args.seed, time.monotonic() - started, len(fails)))
    for f in fails:
        print("  FAIL", f)
    return 1 if fails else 0


if __name__ == "__main__":
    sys.exit(main())
