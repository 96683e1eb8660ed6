#!/usr/bin/env python3
"""The third outside round: every field of every method of Protocol/CUSTOMER-API.md at its edges,
as every built-in profile. Written from Protocol/*.md, docs/PERMISSIONS.md and docs/RULES.md alone;
it parses CUSTOMER-API.md (services, methods, messages, field numbers, types, labels, enums) and
builds its requests from those tables, so a new method or field is swept without a change here.

    field_sweep.py --customerd PATH [--quick] [--method NAME]... [--as WHO]... [--record FILE] [--patience N]

For each case (a request with one field at an edge, or one message-level fault) and each caller
(Administrator, Sales, Consultant, Read only: users this script adds, called as their OS uids when
it runs as root; otherwise the Administrator alone) it checks what the documents promise:
- an answer within the call's deadline, never INTERNAL or UNKNOWN, and a PING answered on another
  connection afterwards (a dead or hung server is restarted and the case reported);
- INVALID_ARGUMENT either "cannot decode the request message of <method>: ..." (no detail, no Swift
  type named) or with a detail naming a field; PERMISSION_DENIED with the detail `right`; a STATUS
  within the sender's limits; a Read only user refused a write before its values are checked;
- a refused call changes nothing: the change feed's last sequence, the users, profiles, segments,
  industries and labels are the same before and after it;
- as the Administrator, what the documents promise of the case: bytes the encoding refuses are
  "cannot decode", what it must read (unknown fields, repeats, packed or not) is read, and a value
  out of its documented range is refused naming the field (see `expectation`).
Exit status 0 when every check held, 1 otherwise. probe.py provides the framing and the callers.
"""

import argparse
import hashlib
import json
import os
import re
import shutil
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import probe as P  # noqa: E402
from probe import (C, CANCEL, PING, PONG, Closed, Conn, f_bytes, f_double, f_sint, f_str, f_uint,  # noqa: E402
                   frame, get_sint, parse_msg, tag, varint, zz)

API = os.path.join(HERE, "..", "..", "Protocol", "CUSTOMER-API.md")
INT_RANGES = {"sint64": (-(1 << 63), (1 << 63) - 1), "sint32": (-(1 << 31), (1 << 31) - 1),
              "uint64": (0, (1 << 64) - 1), "uint32": (0, (1 << 32) - 1)}
TS_MIN = -63113904000.0
TS_MAX = 252423993599.999
DATE_FIELDS = {"dueOn", "startsOn", "endsOn", "expectedClose"}
MONTH_FIELDS = {"month", "from", "to"}
# uids of the callers this script adds (PERMISSIONS.md's built-in profiles)
PROFILES = [("readonly", 4252, "Read only"), ("consultant", 4253, "Consultant"), ("sales", 4254, "Sales")]
# optional fields a valid request of these messages usually gives, so that edges of the other fields
# reach the checks past the first refusal
USUAL = {"CustomerFields": {"name"}, "AddressFields": {"city", "country"}, "ContactFields": {"firstName", "lastName"},
         "ProjectFields": {"currency"}, "ImportCustomersMessage": {"options", "rows"}, "UploadFileMessage": {"header"}}
SWIFT_WORDS = ("Swift.", "DecodingError", "CodingKeys", "Optional<", "keyNotFound(", "typeMismatch(", "dataCorrupted(")


# ---------------------------------------------------------------- CUSTOMER-API.md

class Api:
    """Services, methods, messages and enums as CUSTOMER-API.md's tables give them."""

    def __init__(self, text):
        self.methods = []      # (service, method, kind, request type, requires)
        self.messages = {}     # name -> [dict(number, name, type, label)]
        self.enums = {}        # name -> [numbers or texts]
        heading = None
        for line in text.splitlines():
            m = re.match(r"^###\s+`([^`]+)`", line)
            if m:
                heading = m.group(1)
                continue
            if not line.startswith("| ") or line.startswith("| ---") or heading is None:
                continue
            cells = [c.strip() for c in line.strip().strip("|").split("|")]
            if cells[0] in ("method", "#", "value"):
                continue
            if heading.startswith("customer.v1.") and len(cells) >= 6:
                self.methods.append((heading, cells[0].strip("`"), cells[1], self._type(cells[2]), cells[4]))
            elif len(cells) == 5 and cells[0].isdigit():
                self.messages.setdefault(heading, []).append(
                    dict(number=int(cells[0]), name=cells[1].strip("`"), type=self._type(cells[2]), label=cells[3]))
            elif len(cells) == 2:
                v = cells[1].strip("`")
                self.enums.setdefault(heading, []).append(int(v) if re.fullmatch(r"-?\d+", v) else v)

    @staticmethod
    def _type(cell):
        m = re.search(r"`([^`]+)`", cell)
        return m.group(1) if m else cell

    def int_enum(self, t):
        return t in self.enums and all(isinstance(v, int) for v in self.enums[t])


# ---------------------------------------------------------------- requests

def plain(n, v):
    return f_uint(n, v & ((1 << 64) - 1))


class Builder:
    def __init__(self, api, ids):
        self.api = api
        self.ids = ids

    def scalar(self, msg, f):
        """A plausible value for a field of the Administrator's fixture records."""
        t, name = f["type"], f["name"]
        if t.startswith("sint"):
            key = {"customerId": "customer", "keepId": "customer", "absorbId": "customer2", "projectId": "project",
                   "taskId": "task", "activityId": "event", "contactId": "contact", "addressId": "address"}.get(name)
            if key is None and name == "id":
                key = {"GetCustomerRequest": "customer", "UpdateCustomerRequest": "customer",
                       "SetCustomerActiveRequest": "customer", "DeleteCustomerRequest": "customer",
                       "TaskIDRequest": "task", "ContactIDRequest": "contact", "AddressIDRequest": "address"}.get(msg)
            return f_sint(f["number"], self.ids.get(key, 1))
        if t.startswith("uint"):
            return f_uint(f["number"], 1)
        if t == "bool":
            return f_uint(f["number"], 0)
        if t == "timestamp":
            return f_double(f["number"], 800000000.0)
        if t == "decimal":
            return f_str(f["number"], "1")
        if t == "bytes":
            return f_bytes(f["number"], b"x")
        if t in self.api.enums:
            v = self.api.enums[t][0]
            return plain(f["number"], v) if isinstance(v, int) else f_str(f["number"], v)
        if t == "string":
            if name == "sha256":
                return f_str(f["number"], hashlib.sha256(b"x").hexdigest())  # of the data "x" the builder gives
            if name in DATE_FIELDS:
                return f_str(f["number"], "2030-01-31")
            if name in MONTH_FIELDS:
                return f_str(f["number"], "2030-01")
            return f_str(f["number"], {"country": "FI", "currency": "EUR", "city": "Helsinki"}.get(name, "Sweep %s" % name))
        return None

    def build(self, msg, override=None, path="", depth=0):
        """The message with every singular field set; `override` maps a dotted path to the raw bytes of
        that whole field (tag included), b"" to leave it out."""
        override = override or {}
        out = b""
        for f in self.api.messages.get(msg, []):
            fp = path + f["name"]
            if fp in override:
                out += override[fp]
                continue
            nested = any(k.startswith(fp + ".") for k in override)
            usual = f["label"] in ("optional", "repeated") and msg in USUAL and f["name"] in USUAL[msg]
            if f["label"] != "singular" and not nested and not usual:
                continue
            if f["type"] in self.api.messages:
                if depth < 5:
                    out += f_bytes(f["number"], self.build(f["type"], override, fp + ".", depth + 1))
            else:
                v = self.scalar(msg, f)
                if v is not None:
                    out += v
        return out

    def fields(self, msg, depth=0, path=""):
        """(dotted path, field) of every field a request reaches (singular/optional messages 2 deep)."""
        for f in self.api.messages.get(msg, []):
            yield path + f["name"], f
            if f["type"] in self.api.messages and f["label"] in ("singular", "optional") and depth < 1:
                yield from self.fields(f["type"], depth + 1, path + f["name"] + ".")


def raw_varint_field(n, raw):
    return tag(n, 0) + raw


def edges(api, f, base=b""):
    """(label, raw field bytes, last) for field f: `last` puts it at the very end of the message."""
    n, t, name, label = f["number"], f["type"], f["name"], f["label"]
    out = []
    wrong = [("wire type 0 for a wire-type-2 field", tag(n, 0) + b"\x01"), ("wire type 5", tag(n, 5) + b"\0\0\0\0"),
             ("wire type 3 (group)", tag(n, 3)), ("wire type 7", tag(n, 7))]
    if t in INT_RANGES or api.int_enum(t):
        lo, hi = INT_RANGES.get(t, (0, (1 << 64) - 1))
        enc = (lambda v: f_sint(n, v)) if t.startswith("sint") else (lambda v: plain(n, v))
        if t.startswith("sint"):
            vals = [0, -1, 1, lo, hi, (1 << 63) - 1, -(1 << 63)]
            if t == "sint32":
                out += [("one past max (2^31)", f_uint(n, zz(hi + 1))), ("one below min", f_uint(n, zz(lo - 1)))]
        elif t in INT_RANGES:
            vals = [0, 1, hi]
            if t == "uint32":
                out += [("one past max (2^32)", f_uint(n, hi + 1))]
            out += [("2^64-1", f_uint(n, (1 << 64) - 1))]
        else:
            vals = []
            known = api.enums[t]
            out += [("enum max+1", plain(n, max(known) + 1)), ("enum 2^63-1", plain(n, (1 << 63) - 1)),
                    ("enum -1 (10 bytes)", plain(n, -1)), ("enum 99", plain(n, 99))]
        out += [("%d" % v, enc(v)) for v in vals]
        out += [("10-byte varint", raw_varint_field(n, b"\xff" * 9 + b"\x01")),
                ("11-byte overlong varint", raw_varint_field(n, b"\x80" * 10 + b"\x00")),
                ("10th byte above 1", raw_varint_field(n, b"\xff" * 9 + b"\x02")),
                ("varint 0 overlong (80 00)", raw_varint_field(n, b"\x80\x00")),
                ("wire type 2", f_bytes(n, b"\x01")), ("wire type 1", tag(n, 1) + b"\0" * 8)]
        out = [(l, b, False) for l, b in out]
        out.append(("varint cut at the frame's end", tag(n, 0) + b"\x80", True))
        return out
    if t == "bool":
        out = [("bool 2", f_uint(n, 2)), ("bool 2^64-1", f_uint(n, (1 << 64) - 1)), ("bool 1", f_uint(n, 1)),
               ("bool overlong 81 00", raw_varint_field(n, b"\x81\x00")), ("wire type 2", f_bytes(n, b"\x01"))]
        return [(l, b, False) for l, b in out] + [("varint cut at the frame's end", tag(n, 0) + b"\xff", True)]
    if t == "timestamp":
        vals = [("NaN", float("nan")), ("+inf", float("inf")), ("-inf", float("-inf")), ("-1 s", -1.0),
                ("year 1 start", TS_MIN), ("just before year 1", TS_MIN - 0.001), ("year 0", -63145526400.0),
                ("year 9999 end", TS_MAX), ("year 10000", 252423993600.0), ("2^63 s", 2.0 ** 63), ("-2^63 s", -2.0 ** 63),
                ("1e300", 1e300), ("smallest subnormal", 5e-324), ("-0.0", -0.0), ("0.9999999999 s", 0.9999999999),
                ("-1e-10 s (negative nanos)", -1e-10), ("1.5 s", 1.5)]
        out = [(l, f_double(n, v), False) for l, v in vals]
        out += [("NaN with payload", tag(n, 1) + b"\x01\x00\x00\x00\x00\x00\xf8\x7f", False),
                ("wire type 0", f_uint(n, 5), False), ("wire type 5", tag(n, 5) + b"\0\0\0\0", False),
                ("wire type 2 (8 bytes)", f_bytes(n, b"\0" * 8), False),
                ("fixed64 cut at the frame's end", tag(n, 1) + b"\0" * 7, True)]
        return out
    if t == "decimal":
        texts = ["0", "-0", "1e5", "+1", ".5", " 1", "1.", "-", "", "NaN", "nan", "Infinity", "1.00001", "0.0001",
                 "999999999999999", "1000000000000000", "-1", "9" * 39, "9" * 400, "0." + "0" * 300 + "1",
                 "\u0663", "\uff11", "1\x00", "1,5", "0x10", "00001.5000", "1." + "0" * 40 + "1", "1.00000", "1" + "0" * 164]
        out = [("decimal %r" % s[:20], f_str(n, s), False) for s in texts]
        out += [("decimal invalid UTF-8", f_bytes(n, b"\xff1"), False), ("wire type 0", f_uint(n, 1), False)]
        return out
    if t in ("string", "bytes") or (t in api.enums and not api.int_enum(t)):
        texts = []
        if t in api.enums:
            texts = ["", "zz", api.enums[t][0].upper() if api.enums[t] else "X"]
        elif name in DATE_FIELDS:
            texts = ["0000-01-01", "0999-12-31", "1000-01-01", "9999-12-31", "10000-01-01", "2024-02-30", "2023-02-29",
                     "2024-13-01", "2024-00-10", "2024-1-1", "+2024-01-01", "-2024-01-01", " 2024-01-01 ", "2024-01-01T00:00:00Z",
                     "\uff12\uff10\uff12\uff14-01-01", "\u0662\u0660\u0662\u0664-01-01", "2024/01/01", "   "]
        elif name in MONTH_FIELDS:
            texts = ["0000-01", "0999-12", "1000-01", "9999-12", "10000-01", "2024-13", "2024-00", "2024-1", "+2024-01",
                     "2024-01-01", "\uff12\uff10\uff12\uff14-01", "   ", "2024-\u0661\u0662"]
        out = [("text %r" % s[:24], f_str(n, s), False) for s in texts]
        out += [("empty", f_bytes(n, b""), False), ("invalid UTF-8 ff", f_bytes(n, b"a\xffb"), False),
                ("overlong UTF-8 c0 80", f_bytes(n, b"\xc0\x80"), False), ("UTF-8 surrogate", f_bytes(n, b"\xed\xa0\x80"), False),
                ("NUL", f_bytes(n, b"a\x00b"), False), ("ESC", f_str(n, "a\x1bb"), False), ("U+2028", f_str(n, "a\u2028b"), False),
                ("only white space", f_str(n, " \t\u3000 "), False)]
        out += [("%d characters" % k, f_str(n, "a" * k), False) for k in (65, 101, 201, 257, 501, 1001, 2001, 4001, 10001)]
        out += [("200 'é' (400 bytes)", f_str(n, "\u00e9" * 200), False), ("201 e+combining", f_str(n, "e\u0301" * 101), False),
                ("1 MiB", f_bytes(n, b"a" * (1 << 20)), False), ("wire type 0", f_uint(n, 1), False),
                ("wire type 1", tag(n, 1) + b"\0" * 8, False),
                ("length past the frame", tag(n, 2) + varint(1000) + b"ab", True),
                ("length varint cut", tag(n, 2) + b"\x80", True)]
        return out
    if t in api.messages:
        return [("empty message", f_bytes(n, b""), False), ("wire type 0", f_uint(n, 1), False),
                ("unknown fields inside", f_bytes(n, base + f_uint(99, 1) + tag(98, 1) + b"\0" * 8 + f_bytes(97, b"zz") + tag(96, 5) + b"\0" * 4), False),
                ("nested varint cut short", f_bytes(n, b"\x08\x80"), False),
                ("nested length past its end", f_bytes(n, b"\x12\x05ab"), False),
                ("nested group", f_bytes(n, b"\x0b"), False), ("nested field 0", f_bytes(n, b"\x00\x01"), False),
                ("length past the frame", tag(n, 2) + varint(1000) + b"ab", True),
                ("nesting 70 deep", f_bytes(n, nest(70)), False)]
    return []


def nest(k):
    b = b""
    for _ in range(k):
        b = f_bytes(1, b)
    return b


def repeated_cases(api, b, f):
    """Repeated fields past their caps (64 for the small fixed sets, 1000 for keywords/roles), packed
    and unpacked forms, copies."""
    n, t = f["number"], f["type"]
    out = []
    one = b.scalar("", dict(f, label="singular"))
    if one is None:
        return out
    if t in INT_RANGES or api.int_enum(t) or t in ("bool", "timestamp"):
        body = one[len(tag(n, 0)):]
        out += [("packed x3", f_bytes(n, body * 3)), ("unpacked x3", one * 3),
                ("mixed packed and unpacked", f_bytes(n, body) + one + f_bytes(n, body)),
                ("empty packed", f_bytes(n, b"")), ("packed x65", f_bytes(n, body * 65)),
                ("packed x1001", f_bytes(n, body * 1001)), ("packed x100000", f_bytes(n, body * 100000)),
                ("packed run cut inside a varint", f_bytes(n, body + b"\x80"))]
        if api.int_enum(t):
            out += [("packed with an unknown value", f_bytes(n, body + varint(99)))]
    else:
        if t in api.enums:
            vals = [v for v in api.enums[t]]
            distinct = [f_str(n, v) for v in vals]
        else:
            distinct = [f_str(n, "k%d" % i) for i in range(1001)]
        out += [("x65 copies of one", one * 65), ("x1001 copies of one", one * 1001),
                ("1001 distinct", b"".join(distinct[i % len(distinct)] for i in range(1001))),
                ("x100000 copies", one * 100000), ("one empty", f_bytes(n, b""))]
    return [(l, v, False) for l, v in out]


def message_cases(api, msg):
    """Faults of the message as a whole: unknown fields of every wire type, a singular field left
    out or given twice, invalid field numbers."""
    out = [("unknown fields of every wire type", f_uint(900, 1) + tag(901, 1) + b"\0" * 8 + f_bytes(902, b"x") + tag(903, 5) + b"\0" * 4, False),
           ("field number 2^29-1", f_uint((1 << 29) - 1, 1), False),
           ("field number 2^29", tag(1 << 29, 0) + b"\x01", False), ("field number 0", b"\x00\x01", False),
           ("tag varint cut", b"\x80", True)]
    return out


# What the documents promise of a case as the Administrator (whose rights let every argument through
# to its checks): "decode" is refused INVALID_ARGUMENT "cannot decode the request message of ..."
# (ENCODING.md §9, PROTOCOL.md §10.1); "range" is refused INVALID_ARGUMENT with a detail naming the
# field (ENCODING.md's Ranges); "read" must be read as the same request without the fault (unknown
# fields skipped, repeats merged, packed or not, shortest form or not), so it is no decoding refusal.
DECODE_LABELS = ("11-byte overlong varint", "10th byte above 1", "wire type", "varint cut", "bool 2", "enum max+1", "enum 2^63-1",
                 "enum -1", "enum 99", "invalid UTF-8", "overlong UTF-8", "UTF-8 surrogate", "length past", "length varint cut",
                 "nested varint cut short", "nested length past its end", "nested group", "nested field 0", "nesting 70 deep",
                 "field number 2^29 ", "field number 0", "tag varint cut", "fixed64 cut", "packed run cut", "packed with an unknown value",
                 "one past max", "one below min") + tuple("decimal %r" % t for t in ("1e5", "+1", ".5", " 1", "1.", "-", "", "Infinity", "nan",
                                                                                      "\u0663", "\uff11", "1\x00", "1,5", "0x10")) + (
    # texts of the decimal shape that a Decimal cannot hold exactly (ENCODING.md §2)
    "decimal '99999999999999999999", "decimal '0.000000000000000000", "decimal '1.00000000000000000")
READ_LABELS = ("unknown fields", "field number 2^29-1", "varint 0 overlong", "bool overlong", "packed x3", "unpacked x3",
               "mixed packed", "empty packed", "given twice", "bool 1")
RANGE_LABELS = ("NaN", "+inf", "-inf", "just before year 1", "year 0", "year 10000", "2^63 s", "-2^63 s", "1e300",
                "decimal 'NaN'", "decimal '1.00001'", "decimal '1000000000000000'", "decimal '10000000000000000000") + tuple(
    "text %r" % t for t in ("0000-01-01", "0999-12-31", "10000-01-01", "2024-02-30", "2023-02-29", "2024-13-01", "2024-00-10",
                            "2024-1-1", "+2024-01-01", "-2024-01-01", "2024-01-01T00:00:00Z", "2024/01/01", "0000-01", "0999-12",
                            "10000-01", "2024-13", "2024-00", "2024-1", "+2024-01", "2024-01-01"))


def expectation(case, ftype, fname, repeated=False):
    label = case.split(" ", 1)[1] if " " in case and not case.startswith(("unknown", "field number", "tag varint")) else case
    if repeated and label.startswith("wire type 2"):
        return None  # a packed run of one element
    if ftype == "bytes" and "UTF-8" in label:
        return None  # bytes are any bytes
    if ftype == "sint64" and label.startswith("10-byte"):
        return None
    if any(label.startswith(l) for l in DECODE_LABELS):
        return "decode"
    if ftype in ("string",) and fname not in DATE_FIELDS | MONTH_FIELDS and label.startswith("text"):
        return None
    if any(label.startswith(l) for l in RANGE_LABELS) and (ftype in ("timestamp", "decimal") or fname in DATE_FIELDS | MONTH_FIELDS):
        return "range"
    if any(label.startswith(l) for l in READ_LABELS):
        return "read"
    return None


# ---------------------------------------------------------------- the run

QUICK_ALWAYS = (" NaN", " 1e300", " year 10000", "decimal '1.000000000000000000'")

class Sweep:
    def __init__(self, args, api):
        self.args = args
        self.api = api
        self.fails = []
        self.checks = 0
        self.proc = None
        self.tmp = tempfile.mkdtemp(prefix="ccsweep-")
        os.chmod(self.tmp, 0o755)
        self.path = os.path.join(self.tmp, "run", "customerd.sock")
        self.log = open(os.path.join(self.tmp, "customerd.log"), "w")
        self.statuses = {}
        self.requires = {"%s/%s" % (m[0], m[1]): m[4] for m in api.methods}
        self.record = open(args.record, "w") if args.record else None

    def start(self):
        self.proc = P.start_server(self.args.customerd, self.tmp, self.path, self.log)
        self.pinger = Conn(self.path)
        self.admin = Conn(self.path)

    def fail(self, what, got):
        got = repr(got)
        got = got if len(got) < 500 else got[:500] + "…"
        self.fails.append("%s: got %s" % (what, got))
        print("FAIL %s: got %s" % (what, got), flush=True)

    def ping(self):
        """The server answers a PING on another connection (within the patience)."""
        try:
            self.pinger.send(frame(PING, 0, 0, b"sweeping"))
            while True:
                t, fl, sid, p = self.pinger.read_frame(20)
                if t == PONG:
                    return True
        except (Closed, TimeoutError, OSError):
            return False

    def fingerprint(self):
        c = self.admin
        out = []
        for method in ("customer.v1.ChangeFeedService/GetFeedBounds", "customer.v1.UserService/ListUsers",
                       "customer.v1.ProfileService/ListProfiles", "customer.v1.SettingsService/ListSegments",
                       "customer.v1.SettingsService/ListIndustries"):
            st = c.unary(method, b"", timeout=30)
            out.append((st.code, hashlib.sha256(st.response or b"").hexdigest()[:16]))
        for kind in self.api.enums.get("Label.Kind", []):
            st = c.unary("customer.v1.LabelService/ListLabels", plain(1, kind) if isinstance(kind, int) else f_str(1, kind), timeout=30)
            out.append((st.code, hashlib.sha256(st.response or b"").hexdigest()[:16]))
        return out

    def call(self, conn, method, kind, body):
        """STATUS of one call; a server stream that keeps going is cancelled after a second."""
        if kind.startswith("client streaming"):
            # the request as the stream's first message (options with rows, an upload's header), then an
            # upload's data "x" in a second one, which ends the stream
            sid = conn.start(method, flags=0, timeout_us=int(20_000_000 * P.PATIENCE[0]))
            if method.endswith("/UploadFile"):
                conn.send(frame(P.MESSAGE, 2, sid, body) + frame(P.MESSAGE, 3, sid, f_bytes(2, b"x")))
            else:
                conn.send(frame(P.MESSAGE, 3, sid, body))
            return conn.wait_status(sid, 30)
        sid = conn.start(method, body, timeout_us=int(20_000_000 * P.PATIENCE[0]))
        if kind == "unary":
            return conn.wait_status(sid, 30)
        try:
            return conn.wait_status(sid, 1.0 / P.PATIENCE[0])
        except TimeoutError:
            # PROTOCOL.md §11: a cancelled call gets no STATUS; its frames still in flight are skipped
            conn.send(frame(CANCEL, 0, sid))
            return P.Status(0, bytes([C["CANCELLED"]]) + varint(0) + varint(0) + varint(0))

    def judge(self, who, full, case, st, before, after, expect=None, fname=None):
        self.checks += 1
        key = (who, full.split("/")[1], case)
        self.statuses[key] = st.code
        if self.record is not None:
            self.record.write(json.dumps([who, full, case, st.name, st.message[:160], [f for f, _ in st.details]]) + "\n")
        what = "%s as %s, %s" % (full, who, case)
        if st.code in (C["INTERNAL"], C["UNKNOWN"]):
            self.fail(what + ": never INTERNAL or UNKNOWN", st)
        if st.code == C["INVALID_ARGUMENT"]:
            if st.message.startswith("cannot decode the request message of "):
                if any(w in st.message for w in SWIFT_WORDS):
                    self.fail(what + ": a decoding refusal names no Swift type", st.message)
                if full not in st.message:
                    self.fail(what + ": a decoding refusal names its method", st.message)
            elif not st.details:
                self.fail(what + ": INVALID_ARGUMENT names the field in a detail", st)
        details = sum(len((f or "").encode()) + len((r or "").encode()) + 16 for f, r in st.details)
        if len(st.message.encode()) > 4096 or details > 8192:
            self.fail(what + ": a STATUS within the sender's limits (PROTOCOL.md §6.1: message 4 KiB, details 8 KiB)",
                      (len(st.message.encode()), details))
        decode = st.code == C["INVALID_ARGUMENT"] and st.message.startswith("cannot decode")
        if who == "admin" and expect == "decode" and not decode:
            self.fail(what + ": refused as a request that cannot be decoded (ENCODING.md §9)", st)
        if who == "admin" and expect == "read" and decode:
            self.fail(what + ": read as the request without it (ENCODING.md §5, §8)", st)
        if who == "admin" and expect == "range" and (decode or st.code != C["INVALID_ARGUMENT"]
                                                      or not any(f and (f == fname or f.endswith("." + fname)) for f, _ in st.details)):
            self.fail(what + ": refused INVALID_ARGUMENT naming %s (ENCODING.md, Ranges)" % fname, st)
        # an upload's first message must be its header alone: the right is checked on the header
        opening = full.endswith("/UploadFile") and st.code == C["INVALID_ARGUMENT"] and any(f in ("header", "data") for f, _ in st.details)
        if who == "readonly" and self.read_only_lacks(full) and st.code != C["PERMISSION_DENIED"] and not decode and not opening:
            self.fail(what + ": a Read only user is refused the right before any value is checked (PROTOCOL.md §6)", st)
        if st.code == C["PERMISSION_DENIED"] and not any(f in ("right", "acting-for") for f, _ in st.details):
            self.fail(what + ": PERMISSION_DENIED carries the detail right", st)
        if st.code != 0 and before is not None and before != after:
            self.fail(what + ": a refused call (%s) changes nothing" % st.name, (before, after))

    def read_only_lacks(self, full):
        """Whether the Read only profile (PERMISSIONS.md) lacks what the method requires outright:
        Customers: edit, Administration, Manage contacts, Delete customers or Financial figures."""
        requires = self.requires.get(full, "")
        return bool(requires) and not requires.startswith(("Customers: read", "signed in"))

    def fresh(self, name):
        st = self.admin.unary(P.CS + "CreateCustomer", f_bytes(1, f_str(2, name) + f_str(3, "sweep-sales")))
        return get_sint(parse_msg(st.response), 1) if st.code == 0 else 1

    def run_case(self, conns, who, uid, service, method, kind, body):
        full = "%s/%s" % (service, method)
        before = self.fingerprint()
        try:
            st = self.call(conns[who], full, kind, body)
        except (Closed, TimeoutError, OSError) as e:
            st = e
        if not isinstance(st, P.Status):
            alive = self.proc.poll() is None and self.ping()
            return st, alive
        alive = self.ping()
        after = self.fingerprint() if alive else None
        return (st, before, after), alive


def setup(s):
    """The Administrator's records the requests name, made after a first set of decoys: the edge
    value 1 of every id names a decoy, which a merge or delete may take."""
    fixtures(s)
    return fixtures(s)


def fixtures(s):
    c = s.admin
    ids, _ = P.setup(P.Probe(s.path, can_switch_uid=False))  # two customers, a project, a task, an event
    st = c.unary("customer.v1.ContactService/CreateContact", f_sint(1, ids["customer"]) + f_bytes(2, f_str(1, "Sweep") + f_str(2, "Person")))
    ids["contact"] = get_sint(parse_msg(st.response), 1) if st.code == 0 else 1
    st = c.unary("customer.v1.AddressService/AddAddress", f_sint(1, ids["customer"]) + f_bytes(2, f_str(5, "Helsinki") + f_str(7, "FI")))
    ids["address"] = get_sint(parse_msg(st.response), 1) if st.code == 0 else 1
    for who, uid, profile in PROFILES:
        st = c.unary("customer.v1.UserService/AddUser", f_uint(1, uid) + f_str(2, "sweep-" + who) + f_str(4, profile))
        assert st.code in (0, C["ALREADY_EXISTS"]), st
    return ids


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--customerd", default=os.environ.get("CUSTOMERD"), required=False)
    ap.add_argument("--quick", action="store_true", help="a few methods of each kind, for CI")
    ap.add_argument("--method", action="append", help="sweep only this method (repeatable; Service/Method or Method)")
    ap.add_argument("--as", dest="who", action="append", help="only as these callers: admin, sales, consultant, readonly")
    ap.add_argument("--bases", action="store_true", help="only show each method's base request's answer as the Administrator")
    ap.add_argument("--record", help="write every case's answer to this file (JSON lines)")
    ap.add_argument("--keep", action="store_true", help="keep the temporary directory and the server's log")
    ap.add_argument("--patience", type=float, default=1.0, help="multiply every wait for an answer, for a starved machine")
    args = ap.parse_args()
    if not args.customerd:
        raise SystemExit("give --customerd PATH (or CUSTOMERD)")
    P.PATIENCE[0] = args.patience
    with open(API) as fh:
        api = Api(fh.read())
    s = Sweep(args, api)
    s.start()
    ids = setup(s)
    b = Builder(api, ids)
    # only root can call as the other profiles' uids (probe.connect_as); anyone else sweeps as the
    # Administrator the server's first start made of it
    callers = [("admin", None)] + ([(w, u) for w, u, _ in PROFILES] if os.geteuid() == 0 else [])
    if args.who:
        callers = [(w, u) for w, u in callers if w in args.who]
    methods = [m for m in api.methods if m[1] != "Backup"]
    if args.method:
        methods = [m for m in methods if m[1] in args.method or "%s/%s" % (m[0], m[1]) in args.method]
    if args.quick:
        quick = {"CreateCustomer", "ListCustomers", "AddTask", "SetForecast", "GetFinancialSummary", "AddUser", "SnapshotCustomers",
                 "GetCustomerCard", "SetCustomerSegments"}
        methods = [m for m in methods if m[1] in quick]
    started = time.monotonic()
    if args.bases:
        for service, method, kind, req, requires in methods:
            st = s.call(s.admin, "%s/%s" % (service, method), kind, b.build(req))
            print("  %-60s %s" % (method, st))
        methods = []
    try:
        conns = {who: (Conn(s.path) if uid is None else Conn(s.path, sock=P.connect_as(s.path, uid))) for who, uid in callers}
        for service, method, kind, req, requires in methods:
            cases = []
            for fp, f in b.fields(req):
                for label, raw, last in edges(api, f, b.build(f["type"]) if f["type"] in api.messages else b""):
                    cases.append(("%s %s" % (fp, label), fp, raw, last,
                                  expectation("%s %s" % (fp, label), f["type"], f["name"], f["label"] == "repeated"), f["name"]))
                if f["label"] == "repeated":
                    for label, raw, last in repeated_cases(api, b, f):
                        cases.append(("%s %s" % (fp, label), fp, raw, last, expectation("%s %s" % (fp, label), f["type"], f["name"]), f["name"]))
                if f["label"] == "singular":
                    cases.append(("%s left out" % fp, fp, b"", False, "decode" if "." not in fp else None, f["name"]))
            cases.append(("every field given twice", "", None, False, "read", None))
            for label, raw, last in message_cases(api, req):
                cases.append((label, None, raw, last, expectation(label, "", ""), None))
            if args.quick:
                # every 7th case, and always the faults found before: a timestamp out of range (it
                # once killed the server, sent by a Read-only user) and a decimal text past 38 digits
                cases = [c for i, c in enumerate(cases) if i % 7 == 0 or c[0].endswith(QUICK_ALWAYS)]
            base = s.call(s.admin, "%s/%s" % (service, method), kind, b.build(req)) if "Delete" not in method and "Merge" not in method else None
            for who, uid in callers:
                for label, fp, raw, last, expect, fname in cases:
                    if expect == "range" and (base is None or base.code != 0):
                        expect = None  # another refusal may come first
                    if method in ("DeleteCustomer", "MergeCustomers", "DeactivateCustomer"):
                        b.ids = dict(ids, customer=s.fresh("Victim Oy"), customer2=s.fresh("Victim Two Oy"))
                    else:
                        b.ids = ids
                    if fp is None:
                        body = b.build(req) + raw
                    elif raw is None:
                        body = b.build(req) * 2  # every field twice: the last of each wins
                    elif last:
                        body = b.build(req, {fp: b""}) + raw
                    else:
                        body = b.build(req, {fp: raw})
                    if len(body) > 4_000_000:
                        continue
                    got, alive = s.run_case(conns, who, uid, service, method, kind, body)
                    full = "%s/%s" % (service, method)
                    if isinstance(got, tuple):
                        s.judge(who, full, label, *got, expect=expect, fname=fname)
                    else:
                        s.fail("%s as %s, %s: answered" % (full, who, label), got)
                    if not alive:
                        s.fail("%s as %s, %s: the server still answers a PING after it" % (full, who, label),
                               "exit %s" % s.proc.poll())
                        if s.proc.poll() is None:
                            s.proc.kill()
                            s.proc.wait()
                        s.start()
                        conns = {w: (Conn(s.path) if u is None else Conn(s.path, sock=P.connect_as(s.path, u))) for w, u in callers}
                    elif not isinstance(got, tuple):
                        conns[who] = Conn(s.path) if uid is None else Conn(s.path, sock=P.connect_as(s.path, uid))
            print("  %-60s %4d cases, %.0f s" % ("%s/%s" % (service, method), len(cases), time.monotonic() - started), flush=True)
    finally:
        P.stop_server(s.proc)
        if not args.keep:
            shutil.rmtree(s.tmp, ignore_errors=True)
        else:
            print("kept", s.tmp)
    summary = {}
    for (who, method, case), code in s.statuses.items():
        name = P.CODES[code] if code < len(P.CODES) else code
        summary[(who, name)] = summary.get((who, name), 0) + 1
    print("answers: " + ", ".join("%s %s %d" % (w, n, k) for (w, n), k in sorted(summary.items())))
    print("%d cases judged, %d failed (%.0f s)" % (s.checks, len(s.fails), time.monotonic() - started))
    return 1 if s.fails else 0


if __name__ == "__main__":
    sys.exit(main())
