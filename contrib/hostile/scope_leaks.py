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
- `WatchChanges` from sequence 0 (no event of the hidden customer).

A finding is any answer carrying the hidden customer's id, number, name or VAT number, a count
that is not the Consultant's own, or a refusal worded otherwise for an id that exists. Noted, not
findings (the rules they come from are documented): a taken customer number is ALREADY_EXISTS
whoever has it, and a VAT number some customer has is refused without naming it, so each says that
some customer has it. Exit status 0 without findings, 1 with.
"""

from __future__ import annotations

import argparse
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
    token = admin.call(S + "CustomerService/ListCustomers", {"query": {}, "limit": 1}).get("nextPageToken")
    return {"own": own["id"], "hidden": hidden["id"], "hiddenNumber": hidden["number"], "segment": segment,
            "token": token}


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


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--socket", required=True)
    parser.add_argument("--uid", type=int, default=4311, help="OS uid of the Consultant the script adds")
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
    serving = admin.health() == "SERVING"
    print(f"{len(report.splitlines())} findings; the server {'serves' if serving else 'DOES NOT SERVE'}")
    for line in report.decode().splitlines():
        print(f"FINDING {line}")
    return code if serving else 1


if __name__ == "__main__":
    sys.exit(main())
