"""The fifth outside round of probe.py (spec25): written, like it, from Protocol/*.md alone, for
what the documents promise since the second round: unique names' fold and the text rules,
`GetStoreStatus`'s limits (fields 10 to 14), the request decoder's occurrence limits, an import
message's 1000 rows, the ordered streams' id files (RESOURCE_EXHAUSTED naming the limit, given
back by a CANCEL), the input held per OS user given back once a call is answered, every stream's
caller checked again while it runs, a unary answer too large for the client's frame limit
(refused, though the call ran), bytes sent without HAS_MESSAGE, and SnapshotCustomers' id order.

probe.py imports this module and runs its sections; it is not run on its own. `limits` starts a
second customerd of its own (small input and id-file limits), so the probe's server keeps its
defaults.
"""

import hashlib
import os
import shutil
import struct
import time

import probe as P
from probe import (C, CANCEL, CS, END_STREAM, HAS_MESSAGE, MESSAGE, STATUS, WINDOW_UPDATE, Closed, Conn, f_bool, f_bytes, f_sint,
                   f_str, f_uint, frame, get_sint, get_str, get_uint, parse_msg, tag, varint)
from second_round import customer_id, import_options, import_row, names_found

USERS = "customer.v1.UserService/"
SETTINGS = "customer.v1.SettingsService/"
LABELS = "customer.v1.LabelService/"
STATUS_SERVICE = "customer.v1.ServerStatusService/GetStoreStatus"


def first_message(c, sid, timeout=20.0):
    """The first frame of `sid`: ("message", payload) or ("status", Status)."""
    while True:
        t, fl, s, pl = c.read_frame(timeout)
        if s != sid:
            continue
        if t == MESSAGE:
            return "message", pl
        if t == STATUS:
            return "status", P.Status(fl, pl)


def grant(c, sid, credit=1 << 30):
    c.send(frame(WINDOW_UPDATE, 0, sid, struct.pack(">I", credit)))


# ---------------------------------------------------------------- unique names and text (CUSTOMER-API.md "Text")

def names_checks(p):
    p.section = "names"
    c = Conn(p.path)
    suffix = " %d" % (os.getpid() % 100000)
    # one keyword whatever its case; accents are not folded
    st = c.unary(LABELS + "CreateLabel", f_uint(1, 0) + f_str(2, "ÉCOLE" + suffix))
    p.expect_status("CreateLabel keyword 'ÉCOLE': OK", st, 0)
    for other in ("École", "école"):
        st = c.unary(LABELS + "CreateLabel", f_uint(1, 0) + f_str(2, other + suffix))
        p.expect_status("CreateLabel keyword %r beside 'ÉCOLE': ALREADY_EXISTS 'is already taken by the keyword 'ÉCOLE …'' on name" % other,
                        st, C["ALREADY_EXISTS"], contains="is already taken by the keyword 'ÉCOLE" + suffix + "'", field="name")
    st = c.unary(LABELS + "CreateLabel", f_uint(1, 0) + f_str(2, "ecole" + suffix))
    p.expect_status("CreateLabel keyword 'ecole' beside 'ÉCOLE': OK (accents are not folded)", st, 0)
    # industries: full case folding, compatibility forms, format characters
    for first, second, why in (("STRAẞE", "strasse", "full case folding"),
                               ("ACME", "ＡＣＭＥ", "full-width forms"),
                               ("VIP", "VI\u200bP", "a zero-width space inside"),
                               ("VIP", "V\u00adIP", "a soft hyphen inside")):
        st = c.unary(SETTINGS + "CreateIndustry", f_str(1, first + suffix))
        p.check("CreateIndustry %r: OK or ALREADY_EXISTS (made above)" % first, st.code in (0, C["ALREADY_EXISTS"]), st)
        st = c.unary(SETTINGS + "CreateIndustry", f_str(1, second + suffix))
        p.expect_status("CreateIndustry %r beside %r (%s): ALREADY_EXISTS on name" % (second, first, why),
                        st, C["ALREADY_EXISTS"], contains="is already taken", field="name")
    # stored composed (NFC) and read back so
    st = c.unary(CS + "CreateCustomer", f_bytes(1, f_str(2, "Cafe\u0301 Fold Oy" + suffix)))
    got = get_str(parse_msg(st.response), 3) if st.code == 0 else st
    p.check("a name sent decomposed ('e' and U+0301) is stored and answered composed ('é')",
            got == "Caf\u00e9 Fold Oy" + suffix, got)
    # one-line texts refuse bidirectional controls; a required one needs a character that shows
    for label, name in (("a right-to-left override U+202E", "Evil \u202eyO"), ("a first-strong isolate U+2068", "Iso \u2068x\u2069 Oy"),
                        ("only zero-width spaces", "\u200b\u200b"), ("only a combining mark", "\u0301"),
                        ("only U+FEFF and white space", " \ufeff ")):
        st = c.unary(CS + "CreateCustomer", f_bytes(1, f_str(2, name)))
        p.expect_status("CreateCustomer name of %s: INVALID_ARGUMENT on name" % label, st, C["INVALID_ARGUMENT"], field="name")
    # the free texts are not one line: they may hold what a name may not
    st = c.unary(CS + "CreateCustomer", f_bytes(1, f_str(2, "Free Text Oy" + suffix) + f_str(4, "line one\nline two \u202eowt\u202c")))
    p.expect_status("CreateCustomer description with a line feed and a bidirectional override: OK (a free text)", st, 0)
    c.close()
    p.alive("names")


# ---------------------------------------------------------------- the request decoder's occurrence limits (PROTOCOL.md §9, ENCODING.md §9)

def occurrence_checks(p, ids):
    p.section = "occurrences"
    c = Conn(p.path)
    unknown = tag(100, 0) + varint(0)   # an unknown varint field: one occurrence each
    for total, refused in ((131072, False), (131073, True)):
        st = c.unary(CS + "GetCustomer", f_sint(1, ids["customer"]) + unknown * (total - 1))
        if refused:
            p.expect_status("GetCustomer of %d field occurrences: INVALID_ARGUMENT 'more than 131072 field occurrences'" % total,
                            st, C["INVALID_ARGUMENT"], contains="more than 131072 field occurrences")
        else:
            p.expect_status("GetCustomer of %d field occurrences (the limit): OK" % total, st, 0)
    body = varint(2)   # sint64 1, zigzag 2: one byte an element
    for total, refused in ((262144, False), (262145, True)):
        st = c.unary(SETTINGS + "SetCustomerSegments", f_sint(1, ids["customer"]) + f_bytes(2, body * total))
        if refused:
            p.expect_status("SetCustomerSegments of %d packed segment ids: INVALID_ARGUMENT 'more than 262144 packed elements'" % total,
                            st, C["INVALID_ARGUMENT"], contains="more than 262144 packed elements")
        else:
            p.check("SetCustomerSegments of %d packed segment ids (the limit): decoded, refused on its value or not at all" % total,
                    "cannot decode" not in st.message, st)
    p.still_open(c, "requests past the occurrence limits")
    c.close()
    p.alive("occurrences")


# ---------------------------------------------------------------- SnapshotCustomers' order (CUSTOMER-API.md)

def order_checks(p):
    """SnapshotCustomers sends its rows in id order whatever `query.order` says; StreamCustomers
    in the order asked."""
    p.section = "orders"
    c = Conn(p.path)
    tag_ = "Ordered %d" % os.getpid()
    made = []
    for n in (9_000_000_003, 9_000_000_002, 9_000_000_001):   # numbers falling as ids rise
        st = c.unary(CS + "CreateCustomer", f_bytes(1, f_sint(1, n - os.getpid()) + f_str(2, "%s %d" % (tag_, n))))
        made.append(customer_id(st))
    p.check("three customers created, numbers falling as ids rise", None not in made, made)
    by_number = f_bytes(1, f_uint(1, 2) + f_str(2, tag_) + f_uint(6, 1))
    got = {}
    for method, pick in (("ChangeFeedService/SnapshotCustomers", lambda m: parse_msg(get_bytes1(m))),
                         ("CustomerService/StreamCustomers", parse_msg)):
        messages = []
        st = c.wait_status(c.start("customer.v1." + method, by_number), messages=messages)
        got[method] = [get_sint(pick(m), 1) for m in messages] if st.code == 0 else st
    p.check("SnapshotCustomers with query.order = number: rows in id order", got["ChangeFeedService/SnapshotCustomers"] == sorted(made), (got, made))
    p.check("StreamCustomers with query.order = number: rows in number order", got["CustomerService/StreamCustomers"] == made[::-1], (got, made))
    c.close()
    p.alive("orders")


def get_bytes1(m):
    """A SnapshotCustomer message's customer (field 1)."""
    for _, v in parse_msg(m).get(1, []):
        return v
    return b""


# ---------------------------------------------------------------- bytes without HAS_MESSAGE (PROTOCOL.md §10.1)

def flag_checks(p):
    p.section = "flags"
    c = Conn(p.path)
    name = "Flagless %d" % os.getpid()
    sid = c.start(CS + "ImportCustomers", import_options() + import_row(name + " A"), flags=HAS_MESSAGE)
    c.send(frame(MESSAGE, 0, sid, import_row(name + " B", 2)))
    c.send(frame(MESSAGE, END_STREAM, sid, b""))
    st = c.wait_status(sid)
    p.expect_status("an import MESSAGE of a row's bytes without HAS_MESSAGE: INTERNAL 'without HAS_MESSAGE'",
                    st, C["INTERNAL"], contains="without HAS_MESSAGE")
    p.check("... and nothing was imported", names_found(c, name) == [], names_found(c, name))
    sid = c.new_stream()   # Conn.start leaves the request out without HAS_MESSAGE
    c.send(frame(P.CALL_START, 0, sid, varint(10_000_000) + P.pstr(CS + "ImportCustomers") + P.metadata_block([])
                 + import_options() + import_row(name + " C")))
    c.send(frame(MESSAGE, END_STREAM, sid, b""))
    st = c.wait_status(sid)
    p.expect_status("an ImportCustomers CALL_START with a message's bytes but flags 0: INTERNAL 'without HAS_MESSAGE'",
                    st, C["INTERNAL"], contains="without HAS_MESSAGE")
    p.still_open(c, "frames with bytes but no HAS_MESSAGE")
    c.close()
    p.alive("flags")


# ---------------------------------------------------------------- a unary answer past the client's frame limit

def answer_limit_checks(p):
    """PROTOCOL.md §9: a response larger than the client's max frame size is replaced by
    RESOURCE_EXHAUSTED. For a write, the write was done: a client must not take this refusal as
    'nothing happened'."""
    p.section = "answers"
    c = Conn(p.path, max_frame=16384)
    name = "Wide Answer Oy %d %s" % (os.getpid(), "\u20ac" * 150)   # 4000 characters of 4 bytes and 150 of 3: over 16 KiB
    st = c.unary(CS + "CreateCustomer", f_bytes(1, f_str(2, name) + f_str(4, "\U0001F600" * 4000)))
    p.expect_status("CreateCustomer whose Customer answer is over the client's 16 KiB frame limit: RESOURCE_EXHAUSTED 'exceeds the client's frame limit'",
                    st, C["RESOURCE_EXHAUSTED"], contains="exceeds the client's frame limit")
    q = Conn(p.path)
    p.check("... and the customer was created all the same (PROTOCOL.md §6: the call ran)", names_found(q, name) == [name], names_found(q, name))
    # with an idempotency key: a retry gets the first answer, too large again at 16 KiB, whole at 4 MiB
    keyed = "Wide Keyed Oy %d %s" % (os.getpid(), "\u20ac" * 150)
    request = f_bytes(1, f_str(2, keyed) + f_str(4, "\U0001F600" * 4000))
    key = [("idempotency-key", "spec25-wide-%d" % os.getpid())]
    first = c.unary(CS + "CreateCustomer", request, metadata=key)
    again = c.unary(CS + "CreateCustomer", request, metadata=key)
    whole = q.unary(CS + "CreateCustomer", request, metadata=key)
    p.check("a keyed CreateCustomer over the frame limit, sent again with its key at 16 KiB: RESOURCE_EXHAUSTED both times",
            first.code == again.code == C["RESOURCE_EXHAUSTED"], (first, again))
    p.check("... and with its key at 4 MiB: OK, the one customer written (§7.1's first answer)",
            whole.code == 0 and names_found(q, keyed) == [keyed], (whole, names_found(q, keyed)))
    q.close()
    p.still_open(c, "an answer past the client's frame limit")
    c.close()
    p.alive("answers")


# ---------------------------------------------------------------- every stream's caller checked again (PROTOCOL.md §6)

def standing_checks(p, ids, users):
    p.section = "standing"
    if len(users) < 2:
        print("  note: not root: the callers' re-checks are left out")
        return
    admin = Conn(p.path)
    all_customers = f_bytes(1, f_uint(1, 2))
    for n in range(3):   # enough for a stream to have more to send after its first message
        admin.unary(CS + "CreateCustomer", f_bytes(1, f_str(2, "Standing %d Oy" % n)))
    # (uid, name, profile, the change made while its stream is paused, expected code, text)
    cases = ((4290, "streamgone", "Read only", (USERS + "DeactivateUser", f_str(1, "streamgone")), "UNAUTHENTICATED", None),
             (4291, "streamless", "Sales", (USERS + "SetUserProfile", f_str(1, "streamless") + f_str(2, "Consultant")),
              "PERMISSION_DENIED", "which shows less than when the call started"))
    for uid, name, profile, change, code, text in cases:
        st = admin.unary(USERS + "AddUser", f_uint(1, uid) + f_str(2, name) + f_str(4, profile))
        p.check("AddUser %s (%s): OK" % (name, profile), st.code in (0, C["ALREADY_EXISTS"]), st)
        w = p.conn(uid, window=1)
        sid = w.start(CS + "StreamCustomers", all_customers)
        kind, first = first_message(w, sid)
        p.check("StreamCustomers at window 1 as %s: a first customer" % name, kind == "message", first)
        st = admin.unary(*change)
        p.check("%s while %s's stream is paused: OK" % (change[0].split("/")[1], name), st.code == 0, st)
        grant(w, sid)
        after = []
        st = w.wait_status(sid, 20, messages=after)
        what = change[0].split("/")[1]
        # checked before each message it sends: none after the change was acknowledged, also not
        # one the server had ready before it and held for want of credit
        p.expect_status("the paused stream, given credit after %s: %s '…; the stream ended after 1 messages'" % (what, code),
                        st, C[code], contains="the stream ended after 1 messages")
        p.check("... and no message after %s was acknowledged" % what, after == [], len(after))
        if text is not None:
            p.expect_status("... saying it %r" % text, st, C[code], contains=text)
        w.close()
    # a client stream: checked on each message it receives, and nothing of it is kept
    st = admin.unary(USERS + "AddUser", f_uint(1, 4292) + f_str(2, "importgone") + f_str(4, "Administrator"))
    p.check("AddUser importgone (Administrator): OK", st.code in (0, C["ALREADY_EXISTS"]), st)
    w = p.conn(4292)
    name = "Import Before Deactivation %d" % os.getpid()
    sid = w.start(CS + "ImportCustomers", import_options() + import_row(name + " A"), flags=HAS_MESSAGE)
    w.send(frame(MESSAGE, HAS_MESSAGE, sid, import_row(name + " B", 2)))
    time.sleep(0.2)
    st = admin.unary(USERS + "DeactivateUser", f_str(1, "importgone"))
    p.check("DeactivateUser importgone while its import is open: OK", st.code == 0, st)
    w.send(frame(MESSAGE, END_STREAM | HAS_MESSAGE, sid, import_row(name + " C", 3)))
    st = w.wait_status(sid, 20)
    p.expect_status("the import's next message after its user was deactivated: UNAUTHENTICATED '…, and nothing of it was kept'",
                    st, C["UNAUTHENTICATED"], contains="nothing of it was kept")
    p.check("... and none of its rows was imported", names_found(admin, name) == [], names_found(admin, name))
    w.close()
    file_checks(p, ids, admin)
    admin.close()
    p.alive("standing")


def file_checks(p, ids, admin):
    """UploadFile checked on each chunk received, DownloadFile before each chunk sent (and after
    waiting for credit), as the other streams."""
    files = "customer.v1.FileService/"
    data = bytes(range(256)) * 800   # 200 KiB: the size message and 4 chunks of 64 KiB at most
    header = lambda name: f_bytes(1, f_sint(1, ids["customer"]) + f_str(3, name) + f_sint(4, len(data))
                                  + f_str(5, hashlib.sha256(data).hexdigest()))
    sid = admin.start(files + "UploadFile", flags=0)
    admin.send(frame(MESSAGE, HAS_MESSAGE, sid, header("standing.bin")))
    admin.send(frame(MESSAGE, HAS_MESSAGE, sid, f_bytes(2, data)))
    admin.send(frame(MESSAGE, END_STREAM, sid, b""))
    st = admin.wait_status(sid, 60)
    p.expect_status("UploadFile of 200 KiB as the Administrator: OK", st, 0)
    fid = customer_id(st)
    for uid, name, profile in ((4293, "downloadgone", "Read only"), (4294, "uploadgone", "Administrator")):
        st = admin.unary(USERS + "AddUser", f_uint(1, uid) + f_str(2, name) + f_str(4, profile))
        p.check("AddUser %s (%s): OK" % (name, profile), st.code in (0, C["ALREADY_EXISTS"]), st)
    w = p.conn(4293, window=1)
    sid = w.start(files + "DownloadFile", f_sint(1, fid))
    kind, first = first_message(w, sid)
    p.check("DownloadFile at window 1 as downloadgone: its first message", kind == "message", first)
    st = admin.unary(USERS + "DeactivateUser", f_str(1, "downloadgone"))
    p.check("DeactivateUser downloadgone while its download is paused: OK", st.code == 0, st)
    grant(w, sid)
    after = []
    st = w.wait_status(sid, 20, messages=after)
    p.expect_status("the paused download, given credit: UNAUTHENTICATED '…; the stream ended after 1 messages'",
                    st, C["UNAUTHENTICATED"], contains="the stream ended after 1 messages")
    p.check("... and no chunk after the deactivation was acknowledged", after == [], len(after))
    w.close()
    w = p.conn(4294)
    sid = w.start(files + "UploadFile", flags=0)
    w.send(frame(MESSAGE, HAS_MESSAGE, sid, header("uploadgone.bin")))
    w.send(frame(MESSAGE, HAS_MESSAGE, sid, f_bytes(2, data[:100_000])))
    time.sleep(0.2)
    st = admin.unary(USERS + "DeactivateUser", f_str(1, "uploadgone"))
    p.check("DeactivateUser uploadgone while its upload is open: OK", st.code == 0, st)
    w.send(frame(MESSAGE, END_STREAM | HAS_MESSAGE, sid, f_bytes(2, data[100_000:])))
    st = w.wait_status(sid, 20)
    p.expect_status("the upload's next chunk after its user was deactivated: UNAUTHENTICATED '…, and nothing of it was kept'",
                    st, C["UNAUTHENTICATED"], contains="nothing of it was kept")
    w.close()
    st = admin.unary(files + "ListFiles", f_sint(1, ids["customer"]))
    names = [get_str(parse_msg(v), 5) for _, v in parse_msg(st.response).get(1, [])] if st.code == 0 else st
    p.check("... and the customer's files hold 'standing.bin', not 'uploadgone.bin'",
            isinstance(names, list) and "standing.bin" in names and "uploadgone.bin" not in names, names)


# ---------------------------------------------------------------- limits a second server shows small

def limits_checks(p, binary, tmp):
    """A customerd of its own with --max-input-per-user 1 and --max-stream-ids-per-user 1 (MiB):
    GetStoreStatus shows them, an import message holds at most 1000 rows, a second ordered stream
    of over 4096 customers is refused while the first holds its id file and runs once it is
    cancelled, and sequential calls of 600 KiB each are never refused for input already answered."""
    p.section = "limits"
    if binary is None:
        print("  note: probing a running server: the second server's limits are left out")
        return
    directory = os.path.join(tmp, "limits")
    os.makedirs(directory)
    os.chmod(directory, 0o755)
    path = os.path.join(directory, "run", "customerd.sock")
    log = open(os.path.join(directory, "customerd.log"), "w")
    proc = P.start_server(binary, directory, path, log, extra=("--max-input-per-user", "1", "--max-stream-ids-per-user", "1"))
    try:
        limited_checks(p, path)
    finally:
        P.stop_server(proc)
        log.close()
        shutil.rmtree(directory, ignore_errors=True)


def limited_checks(p, path):
    c = Conn(path)
    st = c.unary(STATUS_SERVICE, b"")
    m = parse_msg(st.response) if st.code == 0 else {}
    p.check("GetStoreStatus: maxStreamIDBytesPerUser (13) is --max-stream-ids-per-user, 1 MiB",
            get_uint(m, 13) == 1 << 20, (st, get_uint(m, 13)))
    p.check("GetStoreStatus: maxStreamIDFiles (14) is given, above 0", (get_uint(m, 14) or 0) > 0, get_uint(m, 14))
    p.check("GetStoreStatus: maxImportBytes (10) and maxUploadBytes (12) are given, above 0",
            (get_uint(m, 10) or 0) > 0 and (get_uint(m, 12) or 0) > 0, (get_uint(m, 10), get_uint(m, 12)))
    # an import message of 1001 rows is refused on rows, nothing written; of 1000 it is taken
    rows = lambda start, n: b"".join(import_row("Bulk %05d Oy" % i, i) for i in range(start, start + n))
    st = c.unary(CS + "ImportCustomers", f_bytes(1, f_bool(1, False)) + rows(1, 1001), timeout=60)
    p.expect_status("an import message of 1001 rows: INVALID_ARGUMENT on rows", st, C["INVALID_ARGUMENT"], field="rows")
    p.check("... and nothing was imported", names_found(c, "Bulk 00001") == [], names_found(c, "Bulk 00001"))
    sid = c.start(CS + "ImportCustomers", import_options() + rows(1, 1000), flags=HAS_MESSAGE, timeout_us=int(120_000_000 * P.PATIENCE[0]))
    for start in (1001, 2001, 3001):
        c.send(frame(MESSAGE, HAS_MESSAGE, sid, rows(start, 1000)))
    c.send(frame(MESSAGE, END_STREAM | HAS_MESSAGE, sid, rows(4001, 200)))
    st = c.wait_status(sid, 120)
    p.expect_status("an import of 4200 rows in messages of 1000: OK", st, 0)
    imported = get_sint(parse_msg(st.response), 2) if st.code == 0 else None
    p.check("... all 4200 imported", imported == 4200, imported)
    # the ordered streams' id files: one user's first stream of 4200 ids holds its 1 MiB
    first = Conn(path, window=1)
    sid1 = first.start(CS + "StreamCustomers", f_bytes(1, b""))
    kind, got = first_message(first, sid1)
    p.check("StreamCustomers of 4200 customers at window 1: a first customer", kind == "message", got)
    second = Conn(path)
    for method in ("StreamCustomers", "ExportCustomers"):
        sid2 = second.start(CS + method, f_bytes(1, f_uint(6, 1)))
        kind, got = first_message(second, sid2)
        p.check("%s beside it, same OS user: RESOURCE_EXHAUSTED naming --max-stream-ids-per-user, before any row" % method,
                kind == "status" and got.code == C["RESOURCE_EXHAUSTED"] and "--max-stream-ids-per-user" in got.message, (kind, got))
    sid2 = second.start(CS + "ListCustomers", f_bytes(1, b"") + f_sint(2, 5))
    st = second.wait_status(sid2)
    p.expect_status("... while ListCustomers (no id file) is served", st, 0)
    first.send(frame(CANCEL, 0, sid1, b""))
    p.still_open(first, "the first stream cancelled")
    got, attempts = None, 0
    # the CANCEL is read by the server after the PONG's PING: the file is given back as its stream ends
    while attempts < 50:
        attempts += 1
        sid3 = second.start(CS + "StreamCustomers", f_bytes(1, b""))
        kind, got = first_message(second, sid3)
        if kind == "message":
            second.send(frame(CANCEL, 0, sid3, b""))
            break
        time.sleep(0.1)
    p.check("a stream after the first was cancelled: served (its id file given back)", kind == "message", (kind, got, attempts))
    first.close()
    second.close()
    # the input held per OS user (1 MiB here): a request over 16 KiB is held until answered; one
    # answered no longer counts, so a client sending its next on the answer is never refused
    c = Conn(path)
    big = tag(100, 2) + varint(600 * 1024) + b"x" * (600 * 1024)   # an unknown field: never read
    refused = []
    for n in range(30):
        st = c.unary(CS + "GetCustomer", f_sint(1, 1) + big)
        if st.code == C["RESOURCE_EXHAUSTED"]:
            refused.append((n, st))
    p.check("30 GetCustomer calls of 600 KiB one after another (each sent on the last's answer) under a 1 MiB input limit: none RESOURCE_EXHAUSTED",
            refused == [], refused[:3])
    st = c.unary(CS + "GetCustomer", f_sint(1, 1) + tag(100, 2) + varint(1100 * 1024) + b"x" * (1100 * 1024))
    p.expect_status("a GetCustomer of 1.1 MiB under a 1 MiB input limit: RESOURCE_EXHAUSTED 'would take the input held for uid'",
                    st, C["RESOURCE_EXHAUSTED"], contains="would take the input held for uid")
    p.still_open(c, "a call past the input limit")
    c.close()
