#!/usr/bin/env python3
"""What a user reading own customers only learns of the customers it may not read.

    sudo contrib/hostile/scope_leaks.py --socket PATH [--uid 4311]

Run as root against a test instance started by the user running the script (it becomes the
administrator; customerd needs `--socket-mode 0666`). The script adds a Consultant of OS uid UID
(Customers: read and edit own), gives it a customer, and makes a customer of the administrator's
that the Consultant may not read: a VAT number, a customer number, an industry, a segment and a
contact with a keyword, all the Consultant's calls could stumble on. A child switched to UID then
asks, every way the documents allow, what it may not be told:

- a create, and an update of its own customer, with the hidden customer's VAT number (ALREADY_EXISTS:
  may the answer name the customer?);
- the counts of customers and contacts `ListSegments`, `ListIndustries`, `ListLabels`, its own
  `SetCustomerSegments` and its own card give (must count only its own customers);
- `GetCustomer` by the hidden id and number against an id and a number nobody has (the same words);
- listings searching for the hidden name and VAT number, and the administrator's page token;
- the same idempotency key the administrator used, with another body (must not replay its answer);
- `WatchChanges` from sequence 0 (no event of the hidden customer);
- (redteam26b) the administrator's page tokens of both orders, each of their characters changed in
  turn and each decoded byte changed in turn, and tokens forged with the Consultant's own
  fingerprint (an unkeyed FNV-1a of its filter) positioned at the hidden customer: each must be
  refused `INVALID_ARGUMENT` on `pageToken` or list the Consultant's own customers only;
- (redteam26b) a note on its own customer naming the hidden customer's project against a project
  id nobody has, and `ListActivities` of that project (the same words);
- (redteam26b) the administrator and the Consultant sending keyed creates with the same keys at
  once, `--rounds` rounds, then each sending its keys again: each side gets its own customer, twice.

A finding is any answer carrying the hidden customer's id, number, name or VAT number, a count
that is not the Consultant's own, or a refusal worded otherwise for an id that exists. Noted, not
findings (the rules they come from are documented): a taken customer number is ALREADY_EXISTS
whoever has it, and a VAT number some customer has is refused without naming it, so each says that
some customer has it. Exit status 0 without findings, 1 with.
"""

from __future__ import annotations

import argparse
import base64
import os
import pathlib
import sys

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[2] / "Clients" / "python"))

from customercard import CustomerCardClient, RPCError  # noqa: E402
from customercard.status import StatusCode  # noqa: E402

S = "customer.v1."
VAT = "FI01120389"
NUMBER = 7_770_001


def admin_setup(admin: CustomerCardClient, uid: int) -> dict:
    """The Consultant, its customer, and the hidden customer with everything that could leak."""
    def tolerate(method: str, request: dict) -> None:
        try:
            admin.call(S + method, request)
        except RPCError as error:
            if error.code != StatusCode.ALREADY_EXISTS:
                raise
    tolerate("UserService/AddUser", {"uid": uid, "name": "leak-consultant", "profile": "Consultant"})
    tolerate("SettingsService/CreateIndustry", {"name": "Leak Probe Industry"})
    tolerate("LabelService/CreateLabel", {"kind": "keyword", "name": "leak-probe"})
    segments = admin.call(S + "SettingsService/ListSegments").get("segments", [])
    segment = next((s["id"] for s in segments if s["name"] == "Leak Probe Segment"), None)
    if segment is None:
        segment = admin.call(S + "SettingsService/CreateSegment", {"name": "Leak Probe Segment"})["id"]
    own = admin.call(S + "CustomerService/CreateCustomer",
                     {"fields": {"name": "Leak Probe Own Oy", "accountManager": "leak-consultant"}})
    hidden = admin.call(S + "CustomerService/CreateCustomer", {
        "fields": {"name": "Hidden Holding Oy", "number": NUMBER, "vatNumber": VAT, "country": "FI",
                   "industry": "Leak Probe Industry"}, "allowDuplicateVat": True}, idempotency_key="leak-probe-key")
    admin.call(S + "SettingsService/SetCustomerSegments", {"customerId": hidden["id"], "segmentIds": [segment]})
    admin.call(S + "ContactService/CreateContact",
               {"customerId": hidden["id"], "fields": {"lastName": "Hidden"}, "keywords": ["leak-probe"]})
    project = admin.call(S + "ProjectService/CreateProject",
                         {"customerId": hidden["id"], "kind": "project", "fields": {"name": "Hidden Rollout"}})
    tokens = [admin.call(S + "CustomerService/ListCustomers", {"query": query, "limit": 1}).get("nextPageToken")
              for query in ({}, {"order": "number", "status": "all"})]
    return {"own": own["id"], "hidden": hidden["id"], "hiddenNumber": hidden["number"], "segment": segment,
            "token": tokens[0], "tokens": [t for t in tokens if t], "project": project["id"]}


def fnv1a(parts: list[str]) -> int:
    """The page token's fingerprint (PageToken.fingerprint): FNV-1a 64 of the parts joined by U+001F."""
    value = 0xcbf29ce484222325
    for byte in "\x1f".join(parts).encode():
        value = ((value ^ byte) * 0x100000001b3) % 2**64
    return value


def b64url(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def edited_tokens(token: str) -> list[str]:
    """Every character of `token` changed, then every byte of what it decodes to changed."""
    alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
    edits = []
    for at, char in enumerate(token):
        other = alphabet[(alphabet.index(char) + 17) % 64] if char in alphabet else "A"
        edits.append(token[:at] + other + token[at + 1:])
    raw = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))
    for at in range(len(raw)):
        for flip in (0x01, 0x80):
            edits.append(b64url(raw[:at] + bytes([raw[at] ^ flip]) + raw[at + 1:]))
    return edits


def probe(socket: str, uid: int, seen: dict) -> list[str]:
    """As the Consultant: each answer checked for what it may not carry. Returns the findings."""
    os.setgid(uid)
    os.setuid(uid)
    client = CustomerCardClient(socket, timeout=10)
    # The hidden id is a small number: looked for as "customer N", how messages name a customer.
    secrets = [f"customer {seen['hidden']} ", str(seen["hiddenNumber"]), "Hidden Holding", VAT]
    findings: list[str] = []

    def answer(method: str, request: dict | None = None, **options) -> str:
        try:
            return repr(client.call(S + method, request or {}, **options))
        except RPCError as error:
            return f"{error.code.name} {error.message} {[(d.field, d.reason) for d in error.details]}"

    def check(what: str, text: str, allowed: tuple[str, ...] = ()) -> None:
        # Ids are short numbers: look for them as whole words only.
        words = set(text.replace('"', " ").replace("(", " ").replace(")", " ").replace(",", " ").split())
        leaked = [s for s in secrets if s not in allowed and (s in words if s.isdigit() else s in text)]
        print(f"{'FINDING' if leaked else 'held   '} {what}: {text[:240]}")
        if leaked:
            findings.append(f"{what} names {leaked}")

    check("CreateCustomer with the hidden VAT number", answer("CustomerService/CreateCustomer", {
        "fields": {"name": "Copy Oy", "accountManager": "leak-consultant", "vatNumber": VAT, "country": "FI"}}))
    check("UpdateCustomer (own) to the hidden VAT number", answer("CustomerService/UpdateCustomer", {
        "id": seen["own"], "fields": {"vatNumber": VAT, "country": "FI"}}))
    # The number's refusal names no customer, but says one has it (noted in the docstring).
    check("CreateCustomer with the hidden number", answer("CustomerService/CreateCustomer", {
        "fields": {"name": "Copy Oy", "accountManager": "leak-consultant", "number": NUMBER}}), allowed=(str(NUMBER),))

    def count(method: str, request: dict, key: str, name: str, field: str) -> int | None:
        items = client.call(S + method, request).get(key, [])
        return next((int(item.get(field, 0)) for item in items if item.get("name") == name), None)
    counts = {
        "ListSegments": count("SettingsService/ListSegments", {}, "segments", "Leak Probe Segment", "customerCount"),
        "ListIndustries": count("SettingsService/ListIndustries", {}, "industries", "Leak Probe Industry",
                                "customerCount"),
        "ListLabels": count("LabelService/ListLabels", {"kind": "keyword"}, "labels", "leak-probe", "contactCount"),
    }
    for method, value in counts.items():
        leaked = value not in (0, None)
        print(f"{'FINDING' if leaked else 'held   '} {method}: the hidden customer's count as seen: {value}")
        if leaked:
            findings.append(f"{method} counts the hidden customer ({value})")
    mine = client.call(S + "SettingsService/SetCustomerSegments", {"customerId": seen["own"], "segmentIds": [seen["segment"]]})
    card = client.call(S + "CardService/GetCustomerCard", {"customerId": seen["own"]})
    shown = [int(s.get("customerCount", 0)) for s in mine.get("segments", [])]
    shown += [int(s.get("customerCount", 0)) for s in card.get("contactInformation", {}).get("segments", [])]
    shown += [int(s.get("customerCount", 0)) for s in card.get("settings", {}).get("segments", [])]
    print(f"{'FINDING' if shown != [1, 1, 1] else 'held   '} own segment's counts (set, card, settings tab): {shown}")
    if shown != [1, 1, 1]:
        findings.append(f"the own customer's segment counts {shown}, not [1, 1, 1]")

    for (kind, hidden, nobody) in (("id", seen["hidden"], 2**62), ("number", seen["hiddenNumber"], 9_999_999_999)):
        there = answer("CustomerService/GetCustomer", {kind: hidden})
        absent = answer("CustomerService/GetCustomer", {kind: nobody}).replace(str(nobody), str(hidden))
        same = there == absent
        print(f"{'held   ' if same else 'FINDING'} GetCustomer by {kind}: hidden and absent read the same: {there[:160]}")
        if not same:
            findings.append(f"GetCustomer by {kind} tells the hidden customer from none: {there!r} / {absent!r}")

    for search in ("Hidden Holding", VAT):
        check(f"ListCustomers searching {search!r}", answer("CustomerService/ListCustomers", {"query": {"search": search}}))
    if seen["token"]:
        check("ListCustomers with the administrator's page token",
              answer("CustomerService/ListCustomers", {"query": {}, "limit": 1000, "pageToken": seen["token"]}))
    keyed = answer("CustomerService/CreateCustomer", {
        "fields": {"name": "Keyed Own Oy", "accountManager": "leak-consultant"}}, idempotency_key="leak-probe-key")
    check("CreateCustomer with the administrator's idempotency key", keyed)
    if "'name': 'Keyed Own Oy'" not in keyed:
        print(f"FINDING the key replayed another answer: {keyed[:200]}")
        findings.append("CreateCustomer with the administrator's key was not created as sent")
    findings += token_probe(client, seen, check)
    findings += project_probe(answer, seen)
    events = []
    try:
        for event in client.server_stream(S + "ChangeFeedService/WatchChanges", {"after": 0}, timeout=2):
            events.append(event)
    except RPCError as error:
        if error.code != StatusCode.DEADLINE_EXCEEDED:
            findings.append(f"WatchChanges ended {error.code.name} {error.message}")
    foreign = [event for event in events if event.get("customerId") != seen["own"]
               and "Own Oy" not in repr(event)]
    print(f"{'FINDING' if foreign else 'held   '} WatchChanges from 0: {len(events)} events, "
          f"{len(foreign)} of customers not its own")
    if foreign:
        findings.append(f"WatchChanges showed {foreign[0]!r}")
    check("WatchChanges from 0", repr(events))
    client.close()
    return findings


def token_probe(client: CustomerCardClient, seen: dict, check) -> list[str]:
    """The administrator's tokens edited and forged: refused, or the Consultant's own customers only."""
    findings: list[str] = []
    me = int(client.call(S + "UserService/WhoAmI", {})["id"])
    own = {int(c["id"]) for c in client.call(S + "CustomerService/ListCustomers", {"query": {"status": "all"}})
           .get("customers", [])}
    # Forged with the Consultant's own fingerprint (its filter holds its scope), positioned before
    # every name, number and id and at the hidden customer: a keyset position only skips.
    forged = []
    for order, status in (("byName", "active"), ("byNumber", "all")):
        fingerprint = f"{fnv1a([order, status, '', '', str(me), '']):x}"
        for position in ("0|0|", f"{seen['hidden']}|{seen['hiddenNumber']}|hidden holding oy", "-1|-1|"):
            forged.append((order, b64url(f"1|{order}|{fingerprint}|{position}".encode())))
    cases = [("name" if n == 0 else "number", t) for n, token in enumerate(seen["tokens"]) for t in edited_tokens(token)]
    cases += [("name" if order == "byName" else "number", token) for order, token in forged]
    tally = {"refused": 0, "listed": 0}
    forged_listed = 0
    for order, token in cases:
        query = {} if order == "name" else {"order": "number", "status": "all"}
        try:
            page = client.call(S + "CustomerService/ListCustomers", {"query": query, "limit": 1000, "pageToken": token})
        except RPCError as error:
            fields = [d.field for d in error.details]
            if error.code != StatusCode.INVALID_ARGUMENT or fields != ["pageToken"]:
                findings.append(f"edited token {token!r}: {error.code.name} {error.message} {fields}")
            tally["refused"] += 1
            continue
        listed = {int(c["id"]) for c in page.get("customers", [])}
        tally["listed"] += 1
        forged_listed += token in [t for _, t in forged]
        if not listed <= own:
            findings.append(f"edited token {token!r} listed {sorted(listed - own)}, not the Consultant's")
        check(f"ListCustomers with token {token[:24]}...", repr(page))
    print(f"{'FINDING' if findings else 'held   '} {len(cases)} edited and forged page tokens: "
          f"{tally['refused']} refused INVALID_ARGUMENT on pageToken, {tally['listed']} listed "
          f"({forged_listed} of the {len(forged)} forged), none out of scope")
    return findings


def project_probe(answer, seen: dict) -> list[str]:
    """The hidden customer's project named on the Consultant's own customer, against one nobody has."""
    findings: list[str] = []
    nobody = 2**62
    for method, request in (("ActivityService/AddNote", {"customerId": seen["own"], "text": "probe"}),
                            ("ActivityService/ListActivities", {"customerId": seen["own"]})):
        there = answer(method, {**request, "projectId": seen["project"]})
        absent = answer(method, {**request, "projectId": nobody}).replace(str(nobody), str(seen["project"]))
        same = there == absent
        print(f"{'held   ' if same else 'FINDING'} {method} naming the hidden project: {there[:160]}")
        if not same:
            findings.append(f"{method} tells the hidden project from none: {there!r} / {absent!r}")
    return findings


def key_race(socket: str, uid: int, rounds: int) -> list[str]:
    """The administrator (this process) and the Consultant (a child) send keyed creates with the
    same keys at once, then again: each must get its own customer both times."""
    go_read, go_write = os.pipe()
    out_read, out_write = os.pipe()
    keys = [f"race26b-{os.getpid()}-{n}" for n in range(rounds)]

    def run(client: CustomerCardClient, side: str, manager: str | None) -> list[str]:
        problems = []
        for key in keys:
            fields = {"name": f"Key Race {side} {key}"}
            if manager:
                fields["accountManager"] = manager
            answers = [client.call(S + "CustomerService/CreateCustomer", {"fields": fields}, idempotency_key=key)
                       for _ in range(2)]
            if any(a.get("name") != fields["name"] for a in answers) or answers[0]["id"] != answers[1]["id"]:
                problems.append(f"{side} {key}: {[(a.get('id'), a.get('name')) for a in answers]}")
        return problems

    child = os.fork()
    if child == 0:
        os.close(go_write)
        os.close(out_read)
        code = 2
        try:
            os.setgid(uid)
            os.setuid(uid)
            client = CustomerCardClient(socket, timeout=30)
            os.read(go_read, 1)
            problems = run(client, "consultant", "leak-consultant")
            os.write(out_write, "\n".join(problems).encode())
            code = 0
        finally:
            os._exit(code)
    os.close(go_read)
    os.close(out_write)
    admin = CustomerCardClient(socket, timeout=30)
    os.write(go_write, b"g")
    problems = run(admin, "administrator", None)
    report = b""
    while chunk := os.read(out_read, 65536):
        report += chunk
    _, status = os.waitpid(child, 0)
    if os.waitstatus_to_exitcode(status) != 0:
        problems.append(f"the Consultant's side failed (exit status {os.waitstatus_to_exitcode(status)})")
    problems += [line for line in report.decode().splitlines() if line]
    names = {c["name"] for c in admin.call(S + "CustomerService/ListCustomers",
                                          {"query": {"search": "Key Race", "status": "all"}, "limit": 1000})
             .get("customers", [])}
    missing = [f"{side} {key}" for key in keys for side in ("administrator", "consultant")
               if f"Key Race {side} {key}" not in names]
    problems += [f"no customer for {m}" for m in missing]
    print(f"{'FINDING' if problems else 'held   '} {rounds} rounds of the same keys from both users at once: "
          f"{2 * rounds - len(missing)} of {2 * rounds} customers, each answered its own twice")
    admin.close()
    return problems


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--socket", required=True)
    parser.add_argument("--uid", type=int, default=4311, help="OS uid of the Consultant the script adds")
    parser.add_argument("--rounds", type=int, default=20, help="rounds of the idempotency key race")
    args = parser.parse_args()
    admin = CustomerCardClient(args.socket, timeout=30)
    seen = admin_setup(admin, args.uid)
    read, write = os.pipe()
    child = os.fork()
    if child == 0:
        os.close(read)
        code = 2
        try:
            findings = probe(args.socket, args.uid, seen)
            os.write(write, "\n".join(findings).encode())
            code = 1 if findings else 0
        finally:
            os._exit(code)
    os.close(write)
    report = b""
    while chunk := os.read(read, 65536):
        report += chunk
    _, status = os.waitpid(child, 0)
    code = os.waitstatus_to_exitcode(status)
    raced = key_race(args.socket, args.uid, args.rounds)
    code = code or (1 if raced else 0)
    serving = admin.health() == "SERVING"
    lines = report.decode().splitlines() + raced
    print(f"{len(lines)} findings; the server {'serves' if serving else 'DOES NOT SERVE'}")
    for line in lines:
        print(f"FINDING {line}")
    return code if serving else 1


if __name__ == "__main__":
    sys.exit(main())
