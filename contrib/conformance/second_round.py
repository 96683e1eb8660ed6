"""The second outside round of probe.py: written, like it, from Protocol/*.md, docs/PERMISSIONS.md,
docs/CHANGE-FEED.md and docs/CSV.md alone. Sections for what the first round left out: calls
interleaved on one connection, the change feed at its edges, client streams cut at every point,
the permission table profile by profile, idempotency keys, and a restart with keys and streams.

probe.py imports this module and runs its sections; it is not run on its own.
"""

import hashlib
import socket
import struct
import time

import probe as P
from probe import (C, CANCEL, CS, END_STREAM, GOAWAY, HAS_MESSAGE, HEALTH, MESSAGE, PING, PONG, STATUS,
                   WINDOW_UPDATE, Closed, Conn, Goaway, Status, f_bool, f_bytes, f_sint, f_str, f_uint,
                   frame, get_sint, get_str, get_uint, parse_msg)

FEED = "customer.v1.ChangeFeedService/"
FILES = "customer.v1.FileService/"
USERS = "customer.v1.UserService/"
LABELS = "customer.v1.LabelService/"


def collect(c, sids, timeout=10.0):
    """Read frames until every stream in `sids` has its STATUS: {sid: (Status, [messages])}."""
    out = {s: [None, []] for s in sids}
    while any(v[0] is None for v in out.values()):
        t, fl, s, pl = c.read_frame(timeout)
        if t == GOAWAY:
            raise Closed(repr(Goaway(pl)))
        if s in out and t == STATUS:
            out[s][0] = Status(fl, pl)
        elif s in out and t == MESSAGE:
            out[s][1].append(pl)
    return out


def nothing_for(c, sid, seconds):
    """The frames of `sid` that arrive within `seconds` (none expected): a list of (type, payload)."""
    got = []
    end = time.monotonic() + seconds
    while True:
        left = end - time.monotonic()
        if left <= 0:
            return got
        try:
            t, fl, s, pl = c.read_frame(left, expect_nothing=True)
        except TimeoutError:
            return got
        if s == sid:
            got.append((t, pl))


def customer_id(st):
    return get_sint(parse_msg(st.response), 1) if st is not None and st.code == 0 and st.response is not None else None


def names_found(c, search):
    st = c.unary(CS + "ListCustomers", f_bytes(1, f_uint(1, 2) + f_str(2, search)) + f_sint(2, 1000))
    return sorted(get_str(parse_msg(v), 3) for _, v in parse_msg(st.response).get(1, [])) if st.code == 0 else st


def import_row(name, line=1):
    return f_bytes(2, f_sint(1, line) + f_bytes(2, f_str(2, name)))


def import_options(dry_run=False):
    return f_bytes(1, f_bool(1, dry_run))


# ---------------------------------------------------------------- calls interleaved on one connection

def multiplex_checks(p, ids):
    p.section = "multiplex"
    c = Conn(p.path)
    # a client stream, a server stream and unary calls with their frames between each other's
    imp = c.start(CS + "ImportCustomers", flags=0)
    exp = c.start(CS + "StreamCustomers", f_bytes(1, f_uint(1, 2)))
    h1 = c.start(HEALTH, f_str(1, ""))
    c.send(frame(MESSAGE, HAS_MESSAGE, imp, import_options(dry_run=True)))
    g1 = c.start(CS + "GetCustomer", f_sint(1, ids["customer"]))
    c.send(frame(MESSAGE, HAS_MESSAGE, imp, import_row("Interleaved Oy")))
    c.send(frame(PING, 0, 0, b"between!"))
    c.send(frame(MESSAGE, END_STREAM | HAS_MESSAGE, imp, import_row("Interleaved Two Oy", 2)))
    got = collect(c, [imp, exp, h1, g1])
    r = parse_msg(got[imp][0].response) if got[imp][0].code == 0 else {}
    p.check("a client stream, a server stream and two unary calls interleaved on one connection: all OK",
            all(v[0].code == 0 for v in got.values()) and get_sint(r, 1) == 2 and get_uint(r, 5) == 1 and len(got[exp][1]) >= 2,
            {s: (v[0], len(v[1])) for s, v in got.items()})

    # ids with gaps, even ids, and the largest id below a used one
    statuses = []
    for sid in (c.next_stream + 1, c.next_stream + 100, c.next_stream + 101):
        statuses.append(c.wait_status(c.start(HEALTH, f_str(1, ""), stream=sid)))
    p.check("stream ids with gaps (even ones too): served", all(s.code == 0 for s in statuses), statuses)
    c.close()
    p.expect_goaway("CALL_START reusing a stream id after its STATUS: GOAWAY INTERNAL",
                    frame(P.CALL_START, 3, 1, P.varint(0) + P.pstr(HEALTH) + P.metadata_block([]) + f_str(1, ""))
                    + frame(P.CALL_START, 3, 1, P.varint(0) + P.pstr(HEALTH) + P.metadata_block([]) + f_str(1, "")),
                    C["INTERNAL"])

    # the calls-in-flight limit exactly: n in flight are served, and a CANCEL frees a place
    c = Conn(p.path)
    n = c.max_calls
    watches = [c.start(FEED + "WatchChanges", b"") for _ in range(n - 1)]
    p.expect_status("the %d-th call in flight (the HELLO's limit exactly): served" % n, c.unary(HEALTH, f_str(1, ""), timeout=30), 0)
    watches.append(c.start(FEED + "WatchChanges", b""))
    c.send(frame(CANCEL, 0, watches.pop(0), b""))
    p.expect_status("with %d in flight, one cancelled: the next call is served" % n, c.unary(HEALTH, f_str(1, ""), timeout=30), 0)
    for s in watches:
        c.send(frame(CANCEL, 0, s, b""))
    p.still_open(c, "after cancelling %d watches" % n)
    c.close()

    # a client stream cut at each point writes nothing (CANCEL, a closed socket, end of input)
    for point in ("after CALL_START", "after its options", "after its rows", "after its rows, with the first in CALL_START"):
        c = Conn(p.path)
        name = "Cut %s Oy" % point.replace(",", "")
        if point.endswith("CALL_START"):
            sid = c.start(CS + "ImportCustomers", import_options() + import_row(name), flags=HAS_MESSAGE)
        else:
            sid = c.start(CS + "ImportCustomers", flags=0)
            if point != "after CALL_START":
                c.send(frame(MESSAGE, HAS_MESSAGE, sid, import_options()))
            if point == "after its rows":
                c.send(frame(MESSAGE, HAS_MESSAGE, sid, import_row(name)))
        c.send(frame(CANCEL, 0, sid, b""))
        late = nothing_for(c, sid, 0.3)
        p.check("ImportCustomers cancelled %s: no STATUS" % point, not any(t == STATUS for t, _ in late), late)
        p.still_open(c, "cancelled import %s" % point)
        c.close()
        q = Conn(p.path)
        p.check("ImportCustomers cancelled %s: nothing imported" % point, names_found(q, name) == [], names_found(q, name))
        q.close()
    name = "Goaway Then Close Oy"
    c = Conn(p.path)
    sid = c.start(CS + "ImportCustomers", flags=0)
    c.send(frame(MESSAGE, HAS_MESSAGE, sid, import_options()) + frame(MESSAGE, HAS_MESSAGE, sid, import_row(name)))
    c.send(frame(GOAWAY, 0, 0, b"\x00" + P.pstr("bye") + struct.pack(">I", 0)))
    time.sleep(0.2)
    c.close()
    q = Conn(p.path)
    time.sleep(0.3)
    p.check("an import without END_STREAM, then the client's GOAWAY and close: nothing imported", names_found(q, name) == [], names_found(q, name))
    # half-close with shutdown(SHUT_WR): unary answers come, the unended client stream is cancelled
    name = "Half Closed Oy"
    c = Conn(p.path)
    sid = c.start(CS + "ImportCustomers", flags=0)
    c.send(frame(MESSAGE, HAS_MESSAGE, sid, import_options()) + frame(MESSAGE, HAS_MESSAGE, sid, import_row(name)))
    g = c.start(CS + "GetCustomer", f_sint(1, ids["customer"]))
    c.sock.shutdown(socket.SHUT_WR)
    frames = []
    try:
        while True:
            t, fl, s, pl = c.read_frame(10)
            frames.append((t, s, Status(fl, pl).name if t == STATUS else ""))
    except (Closed, TimeoutError) as e:
        frames.append(repr(e))
    p.check("shutdown(SHUT_WR) with a unary call and an unended client stream: the unary's STATUS, none for the stream, then the close",
            (STATUS, g, "OK") in frames and not any(isinstance(f, tuple) and f[1] == sid for f in frames) and "closed" in frames[-1],
            frames)
    c.close()
    p.check("... and the unended import wrote nothing", names_found(q, name) == [], names_found(q, name))
    # CANCEL right after END_STREAM: either no STATUS and nothing written, or its answer and the rows
    name = "Cancel After End Oy"
    c = Conn(p.path)
    sid = c.start(CS + "ImportCustomers", flags=0)
    c.send(frame(MESSAGE, HAS_MESSAGE, sid, import_options()) + frame(MESSAGE, END_STREAM | HAS_MESSAGE, sid, import_row(name))
           + frame(CANCEL, 0, sid, b""))
    late = nothing_for(c, sid, 0.5)
    c.close()
    found = names_found(q, name)
    ok_status = [pl for t, pl in late if t == STATUS and pl[0] == 0]
    p.check("CANCEL right after END_STREAM: no STATUS and nothing imported, or OK and imported",
            (not late and found == []) or (ok_status and found == [name]), (late, found))
    print("  note: CANCEL right after END_STREAM ->", "answered" if late else "no STATUS", found)
    q.close()

    # CALL_START flags other than the kind's
    for label, method, req, flags, code, field in (
            ("a unary call with HAS_MESSAGE but no END_STREAM", HEALTH, f_str(1, ""), HAS_MESSAGE, C["INTERNAL"], None),
            ("a unary call with END_STREAM but no message", HEALTH, b"", END_STREAM, C["INTERNAL"], None),
            ("a client stream ended in its CALL_START without a message", CS + "ImportCustomers", b"", END_STREAM, C["INVALID_ARGUMENT"], "options"),
            ("a client stream whose only message is in its CALL_START (a dry run)", CS + "ImportCustomers",
             import_options(dry_run=True) + import_row("Only Message Oy"), END_STREAM | HAS_MESSAGE, 0, None)):
        c = Conn(p.path)
        st = c.wait_status(c.start(method, req, flags=flags))
        p.expect_status("%s: %s" % (label, P.CODES[code]), st, code, field=field)
        p.still_open(c, label)
        c.close()
    # a client stream's deadline while it waits for the client: DEADLINE_EXCEEDED, nothing written
    c = Conn(p.path)
    sid = c.start(CS + "ImportCustomers", flags=0, timeout_us=300_000)
    c.send(frame(MESSAGE, HAS_MESSAGE, sid, import_options()) + frame(MESSAGE, HAS_MESSAGE, sid, import_row("Past Its Deadline Oy")))
    st = c.wait_status(sid)
    p.expect_status("an import left unended past its 300 ms deadline: DEADLINE_EXCEEDED", st, C["DEADLINE_EXCEEDED"])
    c.send(frame(MESSAGE, END_STREAM, sid, b""))
    p.still_open(c, "END_STREAM after the deadline's STATUS ignored")
    p.check("... and it wrote nothing", names_found(c, "Past Its Deadline Oy") == [], names_found(c, "Past Its Deadline Oy"))
    c.close()
    # a server stream's deadline while it waits for credit: DEADLINE_EXCEEDED at once all the same
    c = Conn(p.path, window=1)
    sid = c.start(CS + "StreamCustomers", f_bytes(1, f_uint(1, 2)), timeout_us=500_000)
    first = c.read_frame()
    st = c.wait_status(sid, 10)
    p.expect_status("StreamCustomers stalled at window 1 past its 500 ms deadline: DEADLINE_EXCEEDED", st, C["DEADLINE_EXCEEDED"])
    p.still_open(c, "a stalled stream's deadline")
    c.close()
    # messages merged: rows in one message or one per message are the same import
    c = Conn(p.path)
    rows = [import_row("Merged %d Oy" % i, i + 1) for i in range(5)]
    sid = c.start(CS + "ImportCustomers", flags=0)
    c.send(frame(MESSAGE, HAS_MESSAGE | END_STREAM, sid, import_options(dry_run=True) + b"".join(rows)))
    one = c.wait_status(sid)
    sid = c.start(CS + "ImportCustomers", flags=0)
    c.send(frame(MESSAGE, HAS_MESSAGE, sid, import_options(dry_run=True)))
    for r in rows:
        c.send(frame(MESSAGE, HAS_MESSAGE, sid, r))
    c.send(frame(MESSAGE, END_STREAM, sid, b""))
    many = c.wait_status(sid)
    p.check("options and 5 rows in one message, or one per message: the same dry run (5 rows)",
            one.code == 0 and many.code == 0 and get_sint(parse_msg(one.response), 1) == 5 and one.response == many.response,
            (one, many))
    c.close()
    p.alive("multiplex")


def edge_checks(p, ids):
    """Not in --quick (seconds of waiting for nothing): the server-streams-per-user limit exactly,
    every server stream at window 1 and cancelled, an upload cut at every point."""
    p.section = "edges"
    # server streams per OS user: the limit exactly, over 3 connections
    c = Conn(p.path)
    st = c.unary("rpc.info.v1.ServerInfo/GetServerInfo", b"")
    limit = get_uint(parse_msg(st.response), 21)
    c.close()
    if 0 < limit <= 1000:
        conns, open_ = [], []
        while len(open_) < limit:
            k = Conn(p.path)
            conns.append(k)
            for _ in range(min(k.max_calls - 1, limit - len(open_))):
                open_.append((k, k.start(FEED + "WatchChanges", b"", timeout_us=0)))
        # a call answered on each connection after its watches: the server has read their CALL_STARTs
        served = [k.unary(HEALTH, f_str(1, ""), timeout=30) for k in conns]
        k = Conn(p.path)
        conns.append(k)
        p.check("%d server streams open for this user: served" % limit, all(x.code == 0 for x in served), served)
        st = k.wait_status(k.start(FEED + "WatchChanges", b"", timeout_us=0), 30)
        p.expect_status("server stream %d of this user: RESOURCE_EXHAUSTED, 'too many server streams open'" % (limit + 1), st,
                        C["RESOURCE_EXHAUSTED"], contains="too many server streams open")
        first, sid = open_.pop(0)
        first.send(frame(CANCEL, 0, sid, b""))
        first.unary(HEALTH, f_str(1, ""), timeout=30)  # the CANCEL has been read once a later call is answered
        sid = k.start(FEED + "WatchChanges", b"", timeout_us=0)
        late = nothing_for(k, sid, 0.5)
        p.check("after one is cancelled, a new server stream is served", not any(t == STATUS for t, _ in late), late)
        for k in conns:
            k.close()
    # every server stream at window 1: one message, then nothing without credit; CANCEL there or
    # in the same write as its CALL_START ends it without a STATUS
    everything = f_bytes(1, f_uint(1, 2))
    for method, req in ((CS + "StreamCustomers", everything), (CS + "ExportCustomers", everything),
                        (FEED + "SnapshotCustomers", everything),
                        (FEED + "WatchChanges", f_sint(1, 0))):
        c = Conn(p.path, window=1)
        sid = c.start(method, req, timeout_us=0)
        t, fl, s, pl = c.read_frame()
        more = nothing_for(c, sid, 0.3)
        c.send(frame(CANCEL, 0, sid, b""))
        late = nothing_for(c, sid, 0.3)
        p.check("%s at window 1: one MESSAGE, nothing more without credit, no STATUS after CANCEL" % method.split("/")[1],
                (t, s) == (MESSAGE, sid) and not more and not late, ((t, s), more, late))
        sid = c.new_stream()
        c.send(frame(P.CALL_START, 3, sid, P.varint(0) + P.pstr(method) + P.metadata_block([]) + req) + frame(CANCEL, 0, sid, b""))
        late = nothing_for(c, sid, 0.3)
        p.check("%s cancelled in the write of its CALL_START: at most what was in flight, no STATUS" % method.split("/")[1],
                not any(t == STATUS for t, _ in late) and len(late) <= 1, late)
        p.still_open(c, "%s cancelled" % method)
        c.close()
    # an upload cut at each point stores nothing
    data = b"cut upload " * 100
    head = f_bytes(1, f_sint(1, ids["customer2"]) + f_str(3, "cut.bin") + f_sint(4, len(data)) + f_str(5, hashlib.sha256(data).hexdigest()))
    q = Conn(p.path)
    files = lambda: sorted(get_str(parse_msg(v), 5) for _, v in parse_msg(q.unary(FILES + "ListFiles", f_sint(1, ids["customer2"])).response).get(1, []))
    before = files()
    for point, messages in (("after its header", [head]), ("after half its data", [head, f_bytes(2, data[:500])]),
                            ("after all its data, without END_STREAM", [head, f_bytes(2, data)])):
        for how in ("CANCEL", "close"):
            c = Conn(p.path)
            sid = c.start(FILES + "UploadFile", flags=0)
            for m in messages:
                c.send(frame(MESSAGE, HAS_MESSAGE, sid, m))
            if how == "CANCEL":
                c.send(frame(CANCEL, 0, sid, b""))
                late = nothing_for(c, sid, 0.3)
                p.check("UploadFile cancelled %s: no STATUS" % point, not late, late)
            c.close()
            time.sleep(0.1)
            p.check("UploadFile cut by %s %s: nothing stored" % (how, point), files() == before, (before, files()))
    q.close()
    p.alive("edges")


def window_checks(p, ids):
    """Flow control at its edges on uploads and downloads: a message of the max frame size, credit
    kept to, a window of 2^32-1 and credit past it, a window of 1."""
    p.section = "windows"
    c = Conn(p.path)
    # one MESSAGE of exactly the server's max frame size, sent on a positive credit far below it
    head = f_sint(1, ids["customer"]) + f_str(3, "max-frame.bin")
    overhead = len(f_bytes(2, b""))
    n = c.max_frame - overhead - 3
    data = bytes(range(256)) * (n // 256) + b"x" * (n % 256)
    msg = f_bytes(2, data)
    p.check("the data message is the max frame size", len(msg) == c.max_frame, len(msg))
    sid = c.start(FILES + "UploadFile", flags=0)
    c.send(frame(MESSAGE, HAS_MESSAGE, sid, f_bytes(1, head + f_sint(4, len(data)) + f_str(5, hashlib.sha256(data).hexdigest()))))
    c.send(frame(MESSAGE, HAS_MESSAGE, sid, msg))
    c.send(frame(MESSAGE, END_STREAM, sid, b""))
    st = c.wait_status(sid, 60)
    p.expect_status("UploadFile: a message of exactly the max frame size on a credit of one window: OK", st, 0)
    fid = customer_id(st)
    c.close()
    # an upload of 1 MiB (4 windows) that keeps to its credit: the server returns credit as it reads
    c = Conn(p.path)
    big = bytes(range(256)) * 4096
    sid = c.start(FILES + "UploadFile", flags=0)
    credit = c.window
    returned = 0
    header = frame(MESSAGE, HAS_MESSAGE, sid, f_bytes(1, f_sint(1, ids["customer"]) + f_str(3, "credit.bin") + f_sint(4, len(big))
                                                      + f_str(5, hashlib.sha256(big).hexdigest())))
    c.send(header)
    credit -= len(header)
    stuck = None
    for i in range(0, len(big), 16384):
        chunk = frame(MESSAGE, HAS_MESSAGE, sid, f_bytes(2, big[i:i + 16384]))
        while credit <= 0:
            try:
                t, fl, s, pl = c.read_frame()
            except (Closed, TimeoutError) as e:
                stuck = e
                break
            if t == WINDOW_UPDATE and s == sid:
                credit += struct.unpack(">I", pl)[0]
                returned += struct.unpack(">I", pl)[0]
            elif s == sid and t == STATUS:
                stuck = Status(fl, pl)
                break
        if stuck is not None:
            break
        c.send(chunk)
        credit -= len(chunk)
    if stuck is None:
        c.send(frame(MESSAGE, END_STREAM, sid, b""))
        st = c.wait_status(sid, 60)
    p.check("UploadFile of 1 MiB keeping to its credit (window %d): WINDOW_UPDATEs come, OK" % c.window,
            stuck is None and st.code == 0 and returned >= len(big) - c.window, (stuck, returned))
    c.close()
    if fid is None:
        return
    # download with the largest window (2^32-1) and then credit beyond it
    c = Conn(p.path, window=0xFFFFFFFF)
    sid = c.start(FILES + "DownloadFile", f_sint(1, fid))
    c.send(frame(WINDOW_UPDATE, 0, sid, struct.pack(">I", 0xFFFFFFFF)))
    c.send(frame(WINDOW_UPDATE, 0, sid, struct.pack(">I", 0xFFFFFFFF)))
    msgs = []
    st = c.wait_status(sid, 60, msgs)
    body = b"".join(get_bytes(parse_msg(m), 1) for m in msgs)
    first = parse_msg(msgs[0]) if msgs else {}
    p.check("DownloadFile with window 2^32-1 and two more WINDOW_UPDATEs of 2^32-1: OK, the first message announces size and sha256, the data matches",
            st.code == 0 and get_sint(first, 2) == len(data) and get_str(first, 3) == hashlib.sha256(data).hexdigest() and body == data,
            (st, len(msgs), len(body)))
    p.still_open(c, "credit past 2^32")
    c.close()
    # window 1: one message per WINDOW_UPDATE of 1, CANCEL in the middle
    c = Conn(p.path, window=1)
    sid = c.start(FILES + "DownloadFile", f_sint(1, fid))
    seen = []
    for _ in range(3):
        t, fl, s, pl = c.read_frame()
        seen.append((t, s))
        # the credit went negative by the frame less one byte: returning the frame's bytes makes it 1 again
        c.send(frame(WINDOW_UPDATE, 0, sid, struct.pack(">I", 10 + len(pl))))
    c.send(frame(CANCEL, 0, sid, b""))
    late = nothing_for(c, sid, 0.5)
    p.check("DownloadFile at window 1: a MESSAGE per WINDOW_UPDATE of its bytes, none after CANCEL but what was in flight, no STATUS",
            all(x == (MESSAGE, sid) for x in seen) and len(late) <= 1 and not any(t == STATUS for t, _ in late), (seen, late))
    p.still_open(c, "download cancelled at window 1")
    c.close()
    p.alive("windows")


def get_bytes(m, num):
    v = m.get(num)
    return v[-1][1] if v else b""


# ---------------------------------------------------------------- the change feed at its edges

def feed_checks(p, ids, users):
    p.section = "feed"
    c = Conn(p.path)
    st = c.unary(FEED + "GetFeedBounds", b"")
    b = parse_msg(st.response) if st.code == 0 else {}
    pruned, last = get_sint(b, 1), get_sint(b, 2)
    p.check("GetFeedBounds: OK, prunedThrough <= last, last > 0", st.code == 0 and 0 <= pruned <= last and last > 0, (st, pruned, last))
    # everything kept, in order, exactly up to last
    sid = c.start(FEED + "WatchChanges", f_sint(1, 0))
    c.send(frame(WINDOW_UPDATE, 0, sid, struct.pack(">I", 1 << 30)))
    seqs = []
    while not seqs or seqs[-1] < last:
        t, fl, s, pl = c.read_frame()
        if s == sid and t == MESSAGE:
            seqs.append(get_sint(parse_msg(pl), 1))
        elif s == sid:
            break
    c.send(frame(CANCEL, 0, sid, b""))
    p.check("WatchChanges after 0: every kept event in strictly increasing order, through last",
            seqs and seqs[0] > pruned and seqs[-1] >= last and all(a < b for a, b in zip(seqs, seqs[1:])), seqs[:5] + ["…"] + seqs[-5:])
    # resumed from the middle: exactly the events after the cursor
    if len(seqs) > 4:
        k = seqs[len(seqs) // 2]
        sid = c.start(FEED + "WatchChanges", f_sint(1, k))
        t, fl, s, pl = c.read_frame()
        while s != sid:
            t, fl, s, pl = c.read_frame()
        p.check("WatchChanges after %d: the first event is the next one kept (%d)" % (k, seqs[len(seqs) // 2 + 1]),
                t == MESSAGE and get_sint(parse_msg(pl), 1) == seqs[len(seqs) // 2 + 1], (t, pl[:40]))
        c.send(frame(CANCEL, 0, sid, b""))
    # from the end: nothing, then a live event
    c2 = Conn(p.path)
    st = c2.unary(FEED + "GetFeedBounds", b"")
    last = get_sint(parse_msg(st.response), 2)
    for label, req in (("after = last", f_sint(1, last)), ("no after (from now on)", b"")):
        sid = c2.start(FEED + "WatchChanges", req)
        quiet = nothing_for(c2, sid, 0.4)
        made = customer_id(c.unary(CS + "CreateCustomer", f_bytes(1, f_str(2, "Live %s Oy" % label[:8]))))
        t, fl, s, pl = c2.read_frame()
        while s != sid:
            t, fl, s, pl = c2.read_frame()
        ev = parse_msg(pl) if t == MESSAGE else {}
        p.check("WatchChanges %s: nothing until a write, then its event (kind customer, created, customerId)" % label,
                not quiet and t == MESSAGE and get_sint(ev, 1) > last and get_uint(ev, 2) == 0 and get_str(ev, 3) == "created" and get_sint(ev, 5) == made,
                (quiet, t, ev))
        last = get_sint(ev, 1) or last
        c2.send(frame(CANCEL, 0, sid, b""))
    p.still_open(c2, "cancelled live watches")
    c2.close()
    # a created event lists the values the record was created with
    st = c.unary(FEED + "GetFeedBounds", b"")
    start = get_sint(parse_msg(st.response), 2)
    cid = customer_id(c.unary(CS + "CreateCustomer", f_bytes(1, f_str(2, "Created Values Oy") + f_str(6, "FI"))))
    made = {
        "customer": cid,
        "address": customer_id(c.unary("customer.v1.AddressService/AddAddress", f_sint(1, cid) + f_bytes(2, f_str(1, "Street 1") + f_str(5, "Town") + f_str(7, "FI")))),
        "contact": customer_id(c.unary("customer.v1.ContactService/CreateContact", f_sint(1, cid) + f_bytes(2, f_str(1, "Eve") + f_str(2, "Created")))),
        "project": customer_id(c.unary("customer.v1.ProjectService/CreateProject", f_sint(1, cid) + f_uint(2, 0) + f_bytes(3, f_str(1, "Created case")))),
        "activity": customer_id(c.unary("customer.v1.ActivityService/AddTask", f_sint(1, cid) + f_str(2, "created task"))),
    }
    sid = c.start(FEED + "WatchChanges", f_sint(1, start))
    c.send(frame(WINDOW_UPDATE, 0, sid, struct.pack(">I", 1 << 30)))
    events = [parse_msg(pl) for t, pl in nothing_for(c, sid, 0.8) if t == MESSAGE]
    c.send(frame(CANCEL, 0, sid, b""))
    for kind, number in (("customer", 0), ("address", 1), ("contact", 2), ("project", 3), ("activity", 7)):
        ev = [e for e in events if get_uint(e, 2) == number and get_sint(e, 4) == made[kind] and get_str(e, 3) == "created"]
        fields = sorted(get_str(parse_msg(ch), 1) for e in ev for _, ch in e.get(10, []))
        p.check("the %s's created event lists the values it was created with (CHANGE-FEED.md)" % kind, len(ev) == 1 and fields,
                (made[kind], len(ev), fields, [(get_uint(e, 2), get_sint(e, 4), get_str(e, 3)) for e in events]))
    # cursors outside what is served
    last = get_sint(parse_msg(c.unary(FEED + "GetFeedBounds", b"").response), 2)
    for label, after in (("last + 1", last + 1), ("2^63-1", (1 << 63) - 1), ("-1", -1), ("-2^63", -(1 << 63))):
        st = c.wait_status(c.start(FEED + "WatchChanges", f_sint(1, after)), 10)
        if after > last:
            p.expect_status("WatchChanges after %s (newer than the newest): OUT_OF_RANGE after: resync" % label, st, C["OUT_OF_RANGE"], field="after")
            p.check("... the detail's reason is resync", ("after", "resync") in st.details, st.details)
        else:
            p.check("WatchChanges after %s: OUT_OF_RANGE resync or INVALID_ARGUMENT on after, never INTERNAL" % label,
                    st.code in (C["OUT_OF_RANGE"], C["INVALID_ARGUMENT"]) and any(f == "after" for f, _ in st.details), st)
            print("  note: WatchChanges after %s ->" % label, st)
    # kinds
    sid = c.start(FEED + "WatchChanges", f_sint(1, 0) + f_bytes(2, P.varint(2)))
    c.send(frame(WINDOW_UPDATE, 0, sid, struct.pack(">I", 1 << 30)))
    kinds = [get_uint(parse_msg(pl), 2) for t, pl in nothing_for(c, sid, 0.8) if t == MESSAGE]
    c.send(frame(CANCEL, 0, sid, b""))
    p.check("WatchChanges kinds [contact]: only contact events", all(k == 2 for k in kinds), kinds)
    st = c.wait_status(c.start(FEED + "WatchChanges", f_sint(1, 0) + f_bytes(2, P.varint(99))), 10)
    p.expect_status("WatchChanges kinds [99] (no such kind): INVALID_ARGUMENT", st, C["INVALID_ARGUMENT"])
    c.close()
    # window 1: one event, then nothing until credit; CANCEL there
    c = Conn(p.path, window=1)
    sid = c.start(FEED + "WatchChanges", f_sint(1, 0))
    t, fl, s, pl = c.read_frame()
    more = nothing_for(c, sid, 0.5)
    c.send(frame(CANCEL, 0, sid, b""))
    late = nothing_for(c, sid, 0.3)
    p.check("WatchChanges at window 1: one event, nothing more without credit, nothing after CANCEL",
            t == MESSAGE and s == sid and not more and not late, (t, s, more, late))
    p.still_open(c, "watch cancelled at window 1")
    c.close()
    # a watcher deactivated while it waits for live events ends UNAUTHENTICATED (what a new call
    # would get) naming the cursor
    if len(users) > 1:
        admin = Conn(p.path)
        st = admin.unary(USERS + "AddUser", f_uint(1, 4260) + f_str(2, "watcher") + f_str(4, "Read only"))
        w = p.conn(4260)
        st = w.unary(FEED + "GetFeedBounds", b"")
        last = get_sint(parse_msg(st.response), 2)
        sid = w.start(FEED + "WatchChanges", f_sint(1, last))
        time.sleep(0.2)
        admin.unary(USERS + "DeactivateUser", f_str(1, "watcher"))
        admin.unary(CS + "CreateCustomer", f_bytes(1, f_str(2, "After Deactivation Oy")))
        st = w.wait_status(sid, 20)
        p.expect_status("a watch whose user is deactivated: UNAUTHENTICATED, 'the watch ended after sequence N'",
                        st, C["UNAUTHENTICATED"], contains="the watch ended after sequence")
        st = w.unary(FEED + "GetFeedBounds", b"")
        p.expect_status("... and the deactivated user's next call: UNAUTHENTICATED", st, C["UNAUTHENTICATED"])
        w.close()
        # Financial figures withdrawn while a Sales user watches: the watch ends before the next page
        admin.unary(USERS + "AddUser", f_uint(1, 4261) + f_str(2, "seller") + f_str(4, "Sales"))
        w = p.conn(4261)
        last = get_sint(parse_msg(w.unary(FEED + "GetFeedBounds", b"").response), 2)
        sid = w.start(FEED + "WatchChanges", f_sint(1, last))
        time.sleep(0.2)
        st = admin.unary(USERS + "SetUserProfile", f_str(1, "seller") + f_str(2, "Read only"))
        admin.unary(CS + "CreateCustomer", f_bytes(1, f_str(2, "After Narrowing Oy")))
        st = w.wait_status(sid, 20)
        p.expect_status("a Sales user's watch after its profile became Read only: PERMISSION_DENIED, 'the watch ended after sequence N'",
                        st, C["PERMISSION_DENIED"], contains="the watch ended after sequence")
        w.close()
        admin.close()
    p.alive("feed")


# ---------------------------------------------------------------- the permission table, profile by profile

def rights_checks(p, ids, users):
    p.section = "rights"
    if len(users) < 2:
        print("  note: not root: the profiles' checks are left out")
        return
    a = Conn(p.path)
    for uid, name, profile in ((4271, "sales", "Sales"), (4272, "cons", "Consultant")):
        st = a.unary(USERS + "AddUser", f_uint(1, uid) + f_str(2, name) + f_str(4, profile))
        p.check("AddUser %s with profile %s: OK" % (name, profile), st.code in (0, C["ALREADY_EXISTS"]), st)
    own = customer_id(a.unary(CS + "CreateCustomer", f_bytes(1, f_str(2, "Consultant's Own Oy") + f_str(3, "cons"))))
    other = customer_id(a.unary(CS + "CreateCustomer", f_bytes(1, f_str(2, "Someone Else's Oy"))))
    sales_own = customer_id(a.unary(CS + "CreateCustomer", f_bytes(1, f_str(2, "Sales Own Oy") + f_str(3, "sales"))))
    proj = customer_id(a.unary("customer.v1.ProjectService/CreateProject", f_sint(1, own) + f_uint(2, 0)
                                + f_bytes(3, f_str(1, "Money project") + f_str(4, "1234.50") + f_str(5, "EUR"))))
    p.check("setup: customers and a sales case with an expected value", None not in (own, other, sales_own, proj), (own, other, sales_own, proj))
    version = lambda cid: get_sint(parse_msg(a.unary(CS + "GetCustomer", f_sint(1, cid)).response), 13)
    callers = {"readonly": p.conn(4242), "sales": p.conn(4271), "cons": p.conn(4272), "admin": a}
    GET = lambda cid: (CS + "GetCustomer", f_sint(1, cid))
    # (method, request, {caller: expected right or None for allowed})
    table = [
        ("GetCustomer own", GET(own), {"readonly": None, "sales": None, "cons": None}),
        ("GetCustomer someone else's", GET(other), {"readonly": None, "sales": None, "cons": "readCustomers"}),
        ("UpdateCustomer someone else's", (CS + "UpdateCustomer", f_sint(1, other) + f_bytes(3, f_str(4, "x"))),
         {"readonly": "editCustomers", "sales": "editCustomers", "cons": "editCustomers"}),
        ("UpdateCustomer own", (CS + "UpdateCustomer", f_sint(1, own) + f_bytes(3, f_str(4, "by its manager"))),
         {"readonly": "editCustomers", "sales": "editCustomers", "cons": None}),
        ("CreateContact on own", ("customer.v1.ContactService/CreateContact", f_sint(1, own) + f_bytes(2, f_str(1, "Anna"))),
         {"readonly": "manageContacts", "sales": None, "cons": "manageContacts"}),
        ("DeleteCustomer own", (CS + "DeleteCustomer", f_sint(1, sales_own) + f_bool(2, True)),
         {"readonly": "deleteCustomers", "sales": "deleteCustomers", "cons": "deleteCustomers"}),
        ("GetFinancialSummary own", ("customer.v1.FinancialService/GetFinancialSummary", f_sint(1, own)),
         {"readonly": "financialFigures", "sales": None, "cons": "financialFigures"}),
        ("ListForecasts of own project", ("customer.v1.FinancialService/ListForecasts", f_sint(1, proj)),
         {"readonly": "financialFigures", "sales": None, "cons": "financialFigures"}),
        ("CreateLabel", (LABELS + "CreateLabel", f_uint(1, 0) + f_str(2, "not-admin")),
         {"readonly": "administration", "sales": "administration", "cons": "administration"}),
        ("ListUsers", (USERS + "ListUsers", b""), {"readonly": "administration", "sales": "administration", "cons": "administration"}),
        ("ListLabels", (LABELS + "ListLabels", b""), {"readonly": None, "sales": None, "cons": None}),
        ("GetStoreStatus", ("customer.v1.ServerStatusService/GetStoreStatus", b""), {"readonly": None, "sales": None, "cons": None}),
        ("FindDuplicates", (CS + "FindDuplicates", b""), {"readonly": None, "sales": None, "cons": "readCustomers"}),
        ("Backup", ("customer.v1.MaintenanceService/Backup", f_str(1, "/nonexistent/x")),
         {"readonly": "administration", "sales": "administration", "cons": "administration"}),
    ]
    for label, (method, req), expect in table:
        for who, right in expect.items():
            before = version(own), version(other), version(sales_own)
            st = callers[who].unary(method, req)
            if right is None:
                p.check("%s as %s: allowed" % (label, who), st.code != C["PERMISSION_DENIED"] and st.code != C["UNAUTHENTICATED"], st)
            else:
                p.expect_status("%s as %s: PERMISSION_DENIED right %s" % (label, who, right), st, C["PERMISSION_DENIED"])
                p.check("... its detail names right %s, and nothing changed" % right,
                        ("right", right) in st.details and (version(own), version(other), version(sales_own)) == before, (st.details, before))
    # with scope own, a customer that does not exist is refused in the same words as someone else's
    cons = callers["cons"]
    st_other = cons.unary(CS + "GetCustomer", f_sint(1, other))
    st_none = cons.unary(CS + "GetCustomer", f_sint(1, 987654321))
    p.check("scope own: GetCustomer of a missing customer refused as someone else's (same status, same words but the id)",
            st_other.code == st_none.code and st_other.message.replace(str(other), "N") == st_none.message.replace("987654321", "N"),
            (st_other, st_none))
    st = cons.unary(CS + "ListCustomers", f_bytes(1, f_uint(1, 2)) + f_sint(2, 1000))
    listed = [parse_msg(v) for _, v in parse_msg(st.response).get(1, [])] if st.code == 0 else None
    p.check("scope own: ListCustomers lists only the consultant's customers",
            listed is not None and listed and all(get_str(parse_msg(get_bytes(m, 4)), 2) == "cons" for m in listed),
            [(get_str(m, 3), get_str(parse_msg(get_bytes(m, 4)), 2)) for m in listed or []])
    st = cons.unary(CS + "CreateCustomer", f_bytes(1, f_str(2, "Unmanaged By Cons Oy")))
    p.expect_status("scope own: CreateCustomer without naming yourself: PERMISSION_DENIED", st, C["PERMISSION_DENIED"])
    st = cons.unary(CS + "CreateCustomer", f_bytes(1, f_str(2, "Managed By Cons Oy") + f_str(3, "cons")))
    p.expect_status("scope own: CreateCustomer naming yourself: OK", st, 0)
    st = cons.unary(CS + "UpdateCustomer", f_sint(1, own) + f_bytes(3, f_str(3, "sales")))
    p.expect_status("scope own: UpdateCustomer giving your customer to someone else: PERMISSION_DENIED", st, C["PERMISSION_DENIED"])
    # the card's financial tab, and a project's money, for each caller
    for who in ("admin", "sales", "readonly", "cons"):
        st = callers[who].unary("customer.v1.CardService/GetCustomerCard", f_sint(1, own) + f_bytes(2, P.varint(1) + P.varint(3)))
        card = parse_msg(st.response) if st.code == 0 else {}
        projects = [parse_msg(v) for _, v in parse_msg(get_bytes(card, 3)).get(1, [])]
        money = [pr for pr in projects if get_sint(pr, 1) == proj]
        if who in ("admin", "sales"):
            p.check("the card as %s: financial tab present, not marked hidden; the project's expectedValue 1234.50" % who,
                    st.code == 0 and 5 in card and not get_uint(card, 8) and money and get_str(money[0], 7) in ("1234.50", "1234.5"),
                    (st, sorted(card), money))
        else:
            p.check("the card as %s: financial tab absent and financialHidden; the project has no expectedValue and moneyHidden" % who,
                    st.code == 0 and 5 not in card and get_uint(card, 8) == 1 and money and 7 not in money[0] and get_uint(money[0], 23) == 1,
                    (st, sorted(card), [sorted(m) for m in money]))
    st = callers["readonly"].unary("customer.v1.CardService/GetCustomerCard", f_sint(1, own))
    card = parse_msg(st.response) if st.code == 0 else {}
    p.check("the card as readonly without tabs: no financial tab, financialHidden", st.code == 0 and 5 not in card and get_uint(card, 8) == 1, (st, sorted(card)))
    # money in the history, the feed and the dossier without Financial figures (a change of the expected value)
    st = a.unary("customer.v1.ProjectService/UpdateProject", f_sint(1, proj) + f_bytes(3, f_str(4, "2000")))
    p.expect_status("UpdateProject of the sales case's expected value: OK", st, 0)
    for who in ("admin", "readonly", "cons"):
        st = callers[who].unary("customer.v1.HistoryService/ListHistory", f_uint(1, 3) + f_sint(2, proj))
        fields = {get_str(parse_msg(ch), 1) for _, e in (parse_msg(st.response).get(1, []) if st.code == 0 else [])
                  for _, ch in parse_msg(e).get(8, [])}
        hidden = who != "admin"
        p.check("ListHistory of the sales case as %s: OK, expectedValue %s" % (who, "left out" if hidden else "there"),
                st.code == 0 and 1 in parse_msg(st.response) and (("expectedValue" in fields) != hidden), (st, fields))
        w = callers[who]
        sid = w.start(FEED + "WatchChanges", f_sint(1, 0) + f_bytes(2, P.varint(3)))
        w.send(frame(WINDOW_UPDATE, 0, sid, struct.pack(">I", 1 << 30)))
        events = [parse_msg(pl) for t, pl in nothing_for(w, sid, 0.8) if t == MESSAGE]
        w.send(frame(CANCEL, 0, sid, b""))
        mine = [e for e in events if get_sint(e, 4) == proj]
        fields = {get_str(parse_msg(ch), 1) for e in mine for _, ch in e.get(10, [])}
        p.check("WatchChanges of projects as %s: the sales case's event, expectedValue %s" % (who, "left out" if hidden else "there"),
                mine and (("expectedValue" in fields) != hidden), (len(events), fields))
        if who == "cons":
            p.check("WatchChanges as a consultant (scope own): only its customers' events",
                    all(get_sint(e, 5) == own for e in events), sorted({get_sint(e, 5) for e in events}))
    # a project's forecast months in its history and the feed
    built = customer_id(a.unary("customer.v1.ProjectService/CreateProject", f_sint(1, own) + f_uint(2, 1)
                                 + f_bytes(3, f_str(1, "Forecast project") + f_str(12, "EUR"))))
    st = a.unary("customer.v1.FinancialService/SetForecast", f_sint(1, built or 0) + f_str(2, "2027-03") + f_str(3, "1000")
                 + f_str(4, "400") + f_str(5, "900") + f_str(6, "12.5"))
    p.expect_status("SetForecast on a project: OK", st, 0)
    for who in ("admin", "sales", "readonly", "cons"):
        st = callers[who].unary("customer.v1.HistoryService/ListHistory", f_uint(1, 3) + f_sint(2, built or 0))
        fields = [get_str(parse_msg(ch), 1) for _, e in (parse_msg(st.response).get(1, []) if st.code == 0 else [])
                  for _, ch in parse_msg(e).get(8, [])]
        forecast = [f for f in fields if f.startswith("forecast.")]
        hidden = who in ("readonly", "cons")
        p.check("ListHistory of a project with a forecast as %s: the forecast's values %s (ListForecasts %s)"
                % (who, "left out" if hidden else "there", "refused" if hidden else "allowed"),
                st.code == 0 and bool(forecast) != hidden, (st, fields))
    st = callers["readonly"].unary("customer.v1.DossierService/GetCustomerDossier", f_sint(1, own))
    d = parse_msg(st.response) if st.code == 0 else {}
    card = parse_msg(get_bytes(d, 1))
    kinds = {get_uint(parse_msg(e), 2) for _, e in d.get(4, [])}
    p.check("the dossier as readonly: the card's financialHidden, no financial tab, no history of projects or invoices",
            st.code == 0 and get_uint(card, 8) == 1 and 5 not in card and not kinds & {3, 6}, (st, sorted(card), kinds))
    for who, conn in callers.items():
        if who != "admin":
            conn.close()
    p.alive("rights")


# ---------------------------------------------------------------- idempotency keys

def key_checks(p, ids, users):
    p.section = "keys"
    c = Conn(p.path)
    K = lambda k: [("idempotency-key", k)]
    label = f_uint(1, 0) + f_str(2, "keyed-label-17")
    first = c.unary(LABELS + "CreateLabel", label, metadata=K("k17-method"))
    st = c.unary("customer.v1.SettingsService/CreateIndustry", f_str(1, "keyed-label-17"), metadata=K("k17-method"))
    p.expect_status("the same key with another method: FAILED_PRECONDITION on idempotency-key", st, C["FAILED_PRECONDITION"], field="idempotency-key")
    st = c.unary("customer.v1.SettingsService/ListIndustries", b"")
    p.check("... and nothing ran (no industry keyed-label-17)", st.code == 0 and b"keyed-label-17" not in st.response, st)
    # a failed first call leaves the key free
    st = c.unary(LABELS + "CreateLabel", f_uint(1, 0) + f_str(2, ""), metadata=K("k17-free"))
    p.expect_status("a keyed call refused for its input: INVALID_ARGUMENT", st, C["INVALID_ARGUMENT"])
    st = c.unary(LABELS + "CreateLabel", f_uint(1, 0) + f_str(2, "corrected-17"), metadata=K("k17-free"))
    p.expect_status("the corrected request under the same key: OK", st, 0)
    # the first of two keys counts
    req = f_bytes(1, f_str(2, "Two Keys Oy"))
    one = c.unary(CS + "CreateCustomer", req, metadata=K("k17-first") + K("k17-second"))
    again = c.unary(CS + "CreateCustomer", req, metadata=K("k17-first"))
    other = c.unary(CS + "CreateCustomer", req, metadata=K("k17-second"))
    p.check("two keys: the first counts (a retry under it is the same answer; the second is a new write)",
            one.code == 0 and again.response == one.response and other.code == 0 and customer_id(other) != customer_id(one), (one, again, other))
    # a retry pipelined behind the first call on one connection: one write, the same bytes
    req = f_bytes(1, f_str(2, "Pipelined Oy"))
    s1 = c.start(CS + "CreateCustomer", req, metadata=K("k17-pipe"))
    s2 = c.start(CS + "CreateCustomer", req, metadata=K("k17-pipe"))
    got = collect(c, [s1, s2])
    p.check("the same keyed create twice back to back on one connection: the same answer, one customer",
            got[s1][0].code == 0 and got[s1][0].response == got[s2][0].response and names_found(c, "Pipelined Oy") == ["Pipelined Oy"],
            (got[s1][0], got[s2][0], names_found(c, "Pipelined Oy")))
    # a key on a method that takes none
    st = c.unary(CS + "GetCustomer", f_sint(1, ids["customer"]), metadata=K("k17-read"))
    st2 = c.unary(CS + "GetCustomer", f_sint(1, ids["customer2"]), metadata=K("k17-read"))
    p.check("a key on GetCustomer (takes none): ignored, each call answers its own request",
            st.code == 0 and st2.code == 0 and customer_id(st) == ids["customer"] and customer_id(st2) == ids["customer2"], (st, st2))
    st = c.unary(CS + "GetCustomer", f_sint(1, ids["customer"]), metadata=K("not a key!"))
    print("  note: a malformed key on GetCustomer ->", st)
    p.check("a malformed key on a method that takes none: ignored or INVALID_ARGUMENT, as documented",
            st.code in (0, C["INVALID_ARGUMENT"]), st)
    data = b"uploaded twice"
    up = f_bytes(1, f_sint(1, ids["customer2"]) + f_str(3, "twice.txt") + f_sint(4, len(data)) + f_str(5, hashlib.sha256(data).hexdigest()))
    answers = []
    for split in (1, 5):
        sid = c.start(FILES + "UploadFile", flags=0, metadata=K("k17-upload"))
        parts = [data[:split], data[split:]]
        c.send(frame(MESSAGE, HAS_MESSAGE, sid, up) + frame(MESSAGE, HAS_MESSAGE, sid, f_bytes(2, parts[0]))
               + frame(MESSAGE, HAS_MESSAGE | END_STREAM, sid, f_bytes(2, parts[1])))
        answers.append(c.wait_status(sid, 30))
    p.check("UploadFile sent twice under one key, its content split otherwise: the same answer, stored once",
            all(a.code == 0 for a in answers) and answers[0].response == answers[1].response, answers)
    # keyed imports: the same bytes replay, other bytes or another split are refused, a dry run ignores the key
    def imp(messages, key):
        sid = c.start(CS + "ImportCustomers", flags=0, metadata=K(key))
        for i, m in enumerate(messages):
            c.send(frame(MESSAGE, HAS_MESSAGE | (END_STREAM if i == len(messages) - 1 else 0), sid, m))
        return c.wait_status(sid, 30)
    msgs = [import_options(), import_row("Keyed Import A Oy", 1), import_row("Keyed Import B Oy", 2)]
    a1 = imp(msgs, "k17-import")
    a2 = imp(msgs, "k17-import")
    p.check("a keyed import sent again with the same bytes: the same answer, imported once",
            a1.code == 0 and a2.response == a1.response and names_found(c, "Keyed Import") == ["Keyed Import A Oy", "Keyed Import B Oy"],
            (a1, a2, names_found(c, "Keyed Import")))
    a3 = imp([msgs[0] + msgs[1], msgs[2]], "k17-import")
    p.check("the same bytes split into other messages under the key: the first answer (the bytes count, not their split)",
            a3.code == 0 and a3.response == a1.response, a3)
    a4 = imp([msgs[0], import_row("Keyed Import C Oy")], "k17-import")
    p.expect_status("other rows under the key: FAILED_PRECONDITION", a4, C["FAILED_PRECONDITION"], field="idempotency-key")
    p.check("... and neither wrote a row", names_found(c, "Keyed Import") == ["Keyed Import A Oy", "Keyed Import B Oy"], names_found(c, "Keyed Import"))
    d1 = imp([import_options(dry_run=True), import_row("Keyed Dry Oy")], "k17-dry")
    d2 = imp([import_options(), import_row("Keyed Dry Oy")], "k17-dry")
    p.check("a dry run ignores its key: the real import under it runs", d1.code == 0 and d2.code == 0 and names_found(c, "Keyed Dry Oy") == ["Keyed Dry Oy"],
            (d1, d2, names_found(c, "Keyed Dry Oy")))
    # RemoveFile under one key: the first file removed, the second call (another request) refused
    made = []
    for i in range(2):
        d = b"remove %d" % i
        sid = c.start(FILES + "UploadFile", flags=0)
        c.send(frame(MESSAGE, HAS_MESSAGE, sid, f_bytes(1, f_sint(1, ids["customer2"]) + f_str(3, "rm%d.txt" % i)
                                                         + f_sint(4, len(d)) + f_str(5, hashlib.sha256(d).hexdigest())))
               + frame(MESSAGE, HAS_MESSAGE | END_STREAM, sid, f_bytes(2, d)))
        made.append(customer_id(c.wait_status(sid, 30)))
    r = [c.unary(FILES + "RemoveFile", f_sint(1, fid), metadata=K("k17-remove")) for fid in made]
    left = {get_sint(parse_msg(v), 1) for _, v in parse_msg(c.unary(FILES + "ListFiles", f_sint(1, ids["customer2"])).response).get(1, [])}
    again = c.unary(FILES + "RemoveFile", f_sint(1, made[0]), metadata=K("k17-remove"))
    p.check("RemoveFile of two files under one key: the first removed, the second FAILED_PRECONDITION and kept; "
            "the first sent again: its first answer",
            r[0].code == 0 and r[1].code == C["FAILED_PRECONDITION"] and made[0] not in left and made[1] in left
            and again.code == 0 and again.response == r[0].response, (r, made, left, again))
    # per user: another user's same key and request is its own write
    if len(users) > 1:
        q = Conn(p.path)
        q.unary(USERS + "AddUser", f_uint(1, 4281) + f_str(2, "keysales") + f_str(4, "Sales"))
        q.close()
        s = p.conn(4281)
        req = f_sint(1, ids["customer"]) + f_bytes(2, f_str(1, "Same Key Person"))
        mine = c.unary("customer.v1.ContactService/CreateContact", req, metadata=K("k17-user"))
        theirs = s.unary("customer.v1.ContactService/CreateContact", req, metadata=K("k17-user"))
        p.check("the same key and request from two users: two writes", mine.code == 0 and theirs.code == 0 and customer_id(mine) != customer_id(theirs), (mine, theirs))
        s.close()
        # a trusted service's key covers the person it acts for: another person under it is another request
        q = Conn(p.path)
        q.unary(USERS + "AddUser", f_uint(1, 4282) + f_str(2, "keysvc") + f_str(4, "Read only"))
        q.unary(USERS + "SetTrustedService", f_str(1, "keysvc") + f_bool(2, True))
        q.close()
        s = p.conn(4282)
        req = f_bytes(1, f_str(2, "Acting Keyed Oy") + f_str(3, "keysales"))
        admin = get_str(parse_msg(c.unary(USERS + "WhoAmI", b"").response), 3)
        one = s.unary(CS + "CreateCustomer", req, metadata=K("k17-acting") + [("acting-for", "keysales")])
        two = s.unary(CS + "CreateCustomer", req, metadata=K("k17-acting") + [("acting-for", "keysales")])
        three = s.unary(CS + "CreateCustomer", req, metadata=K("k17-acting") + [("acting-for", admin)])
        p.check("a trusted service's keyed create for one person, sent again: the same answer",
                one.code == 0 and two.response == one.response, (one, two))
        p.expect_status("... the same key and request acting for another person (%s): FAILED_PRECONDITION on idempotency-key" % admin,
                        three, C["FAILED_PRECONDITION"], field="idempotency-key")
        s.close()
    c.close()
    p.alive("keys")


# ---------------------------------------------------------------- a graceful shutdown with streams open, and a restart

def exited_and_restarted(p, restart, name):
    """Waits for the server sent SIGTERM to exit, then starts it again on the same database."""
    try:
        p.proc.wait(30 * P.PATIENCE[0])
    except P.subprocess.TimeoutExpired:
        p.check(name, False, "still running")
        return False
    restart()
    return True


def restart_checks(p, ids, restart):
    """SIGTERM with an upload half sent and a download stalled at window 1: both run to completion in
    the grace period; then the server restarts on the same database and a keyed write replays."""
    p.section = "restart"
    c = Conn(p.path)
    keyed = c.unary(CS + "CreateCustomer", f_bytes(1, f_str(2, "Before Restart Oy")), metadata=[("idempotency-key", "k17-restart")])
    data = bytes(range(256)) * 64
    sid_up = c.start(FILES + "UploadFile", flags=0)
    c.send(frame(MESSAGE, HAS_MESSAGE, sid_up, f_bytes(1, f_sint(1, ids["customer"]) + f_str(3, "during-shutdown.bin")
                                                          + f_sint(4, len(data)) + f_str(5, hashlib.sha256(data).hexdigest()))))
    c.send(frame(MESSAGE, HAS_MESSAGE, sid_up, f_bytes(2, data[:1000])))
    d = Conn(p.path, window=1)
    sid = d.start(FILES + "UploadFile", flags=0)
    d.send(frame(MESSAGE, HAS_MESSAGE, sid, f_bytes(1, f_sint(1, ids["customer"]) + f_str(3, "to-download.bin")
                                                       + f_sint(4, len(data)) + f_str(5, hashlib.sha256(data).hexdigest())))
           + frame(MESSAGE, HAS_MESSAGE | END_STREAM, sid, f_bytes(2, data)))
    fid = customer_id(d.wait_status(sid, 30))
    sid_down = d.start(FILES + "DownloadFile", f_sint(1, fid or 0))
    t, fl, s, pl = d.read_frame()
    time.sleep(0.2)
    p.proc.send_signal(P.signal.SIGTERM)
    gc, gd = P.next_goaway(c, 15), P.next_goaway(d, 15)
    p.check("SIGTERM with an upload and a download open: GOAWAY OK on both connections naming them",
            isinstance(gc, Goaway) and gc.code == 0 and gc.last_stream == sid_up and isinstance(gd, Goaway) and gd.code == 0 and gd.last_stream == sid_down,
            (gc, gd))
    c.send(frame(MESSAGE, HAS_MESSAGE | END_STREAM, sid_up, f_bytes(2, data[1000:])))
    st = c.wait_status(sid_up, 15)
    p.expect_status("the upload finished after the GOAWAY, within the grace period: OK", st, 0)
    d.send(frame(WINDOW_UPDATE, 0, sid_down, struct.pack(">I", 1 << 30)))
    msgs = []
    try:
        st = d.wait_status(sid_down, 15, msgs)
    except (Closed, TimeoutError) as e:
        st = e
    p.expect_status("the stalled download, given credit after the GOAWAY: ends OK", st, 0)
    c.close()
    d.close()
    if not exited_and_restarted(p, restart, "server exits after SIGTERM once its streams ended"):
        return
    c = Conn(p.path)
    again = c.unary(CS + "CreateCustomer", f_bytes(1, f_str(2, "Before Restart Oy")), metadata=[("idempotency-key", "k17-restart")])
    p.check("after a restart, the keyed create sent again: the first answer byte for byte, one customer",
            keyed.code == 0 and again.response == keyed.response and names_found(c, "Before Restart Oy") == ["Before Restart Oy"],
            (keyed, again, names_found(c, "Before Restart Oy")))
    st = c.unary(FILES + "ListFiles", f_sint(1, ids["customer"]))
    files = [get_str(parse_msg(v), 5) for _, v in parse_msg(st.response).get(1, [])] if st.code == 0 else st
    p.check("after a restart, the upload finished during the shutdown is there", "during-shutdown.bin" in files, files)
    c.close()
    p.alive("restart")


def grace_checks(p, ids, restart):
    """Not in --quick (the 10 s grace period): a shutdown with a client stream the client never ends
    and a server stream it never reads: both answered UNAVAILABLE at the end of the grace period,
    and the import wrote nothing."""
    p.section = "grace"
    c = Conn(p.path)
    name = "Never Ended Import Oy"
    imp = c.start(CS + "ImportCustomers", flags=0, timeout_us=0)
    c.send(frame(MESSAGE, HAS_MESSAGE, imp, import_options()) + frame(MESSAGE, HAS_MESSAGE, imp, import_row(name)))
    d = Conn(p.path, window=1)
    down = d.start(CS + "StreamCustomers", f_bytes(1, f_uint(1, 2)), timeout_us=0)
    d.read_frame()
    p.check("setup: the import and the stalled stream are open", c.unary(HEALTH, f_str(1, "")).code == 0, "")
    t0 = time.monotonic()
    p.proc.send_signal(P.signal.SIGTERM)
    try:
        st = c.wait_status(imp, 60)
    except Closed:
        st = c.wait_status(imp, 60)  # the GOAWAY comes first: read on
    except TimeoutError as e:
        st = e
    waited = time.monotonic() - t0
    p.expect_status("an import never ended at shutdown: UNAVAILABLE at the end of the grace period", st, C["UNAVAILABLE"],
                    contains="grace period")
    p.check("... not before the grace period (10 s)", waited >= 9, waited)
    frames = []
    try:
        while True:
            t, fl, s, pl = d.read_frame(30)
            frames.append((t, s, Status(fl, pl) if t == STATUS else Goaway(pl) if t == GOAWAY else None))
    except (Closed, TimeoutError) as e:
        frames.append(repr(e))
    p.check("a server stream whose client never read: GOAWAY OK, then STATUS UNAVAILABLE at the end of the grace period, then the close",
            any(f[0] == STATUS and f[1] == down and f[2].code == C["UNAVAILABLE"] for f in frames if isinstance(f, tuple)), frames)
    c.close()
    d.close()
    if not exited_and_restarted(p, restart, "server exits at the end of the grace period"):
        return
    c = Conn(p.path)
    p.check("after the restart: the import cut at shutdown wrote nothing", names_found(c, name) == [], names_found(c, name))
    c.close()
    p.alive("grace")
