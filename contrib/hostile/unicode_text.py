#!/usr/bin/env python3
"""Unicode text from outside (unicode22, unicode23, fold24, names25): the same text in two canonical forms, invisible
and bidi characters, case beyond ASCII (in search and in unique names) and lengths at the limit, sent through the wire as a caller
would, printing what the server stored and answered for each case.

    contrib/hostile/unicode_text.py --socket PATH

Run it against a fresh test instance started by the user running the script (the server's
administrator): it creates customers, labels, industries and profiles. Exit status 0 when every
check held, 1 otherwise.
"""

from __future__ import annotations

import argparse
import pathlib
import sys
import unicodedata

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[2] / "Clients" / "python"))

from customercard import CustomerCardClient, CustomerFields, CustomerQuery, RPCError  # noqa: E402

NFC = "Caf\u00e9 S\u00f6derstr\u00f6m"
NFD = unicodedata.normalize("NFD", NFC)
failures: list[str] = []


def check(what: str, held: bool, detail: str = "") -> None:
    print(("held   " if held else "FAILED ") + what + (f": {detail}" if detail else ""))
    if not held:
        failures.append(what)


def outcome(call) -> str:
    try:
        result = call()
        return "OK " + repr(result)[:160]
    except RPCError as error:
        return f"{error.code.name} {error.message[:200]}"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--socket", required=True)
    socket = parser.parse_args().socket
    client = CustomerCardClient(socket, timeout=10)

    # Canonical equivalence: what is stored and returned, found and refused as a duplicate.
    first = client.customers.create(CustomerFields(name=NFD, description=NFD))
    check("a name sent in NFD is stored and returned in NFC", first.name == NFC, ascii(first.name))
    check("a description sent in NFD is stored in NFC", first.description == NFC, ascii(first.description))
    for term, form in ((NFC, "NFC"), (NFD, "NFD"), ("cafe soderstrom", "folded")):
        found = client.customers.list(CustomerQuery(search=term, status="all")).customers
        check(f"search in {form} finds it", [c.id for c in found] == [first.id], str([c.id for c in found]))
    second = client.customers.create(CustomerFields(name=NFC))
    pairs = [{p.first.id, p.second.id} if hasattr(p, "first") else p for p in client.customers.duplicates()]
    check("NFC and NFD names are a duplicate pair", {first.id, second.id} in pairs, str(pairs)[:200])

    for kind in ("keyword", "role"):
        made = outcome(lambda: client.call("customer.v1.LabelService/CreateLabel", {"kind": kind, "name": NFC}))
        again = outcome(lambda: client.call("customer.v1.LabelService/CreateLabel", {"kind": kind, "name": NFD}))
        check(f"a label (kind {kind}) in NFD beside one in NFC is refused as existing", again.startswith("ALREADY_EXISTS"),
              f"{made[:60]} / {again}")
    made = outcome(lambda: client.call("customer.v1.SettingsService/CreateIndustry", {"name": NFD}))
    again = outcome(lambda: client.call("customer.v1.SettingsService/CreateIndustry", {"name": NFC}))
    check("an industry in NFC beside one in NFD is refused as existing", again.startswith("ALREADY_EXISTS"),
          f"{made[:60]} / {again}")
    used = outcome(lambda: client.customers.create(CustomerFields(name="Industry user", industry=NFC)))
    check("a customer's industry named in NFC finds the one created in NFD", used.startswith("OK"), used)
    rights = {"readCustomers": "all", "editCustomers": "own", "financialFigures": False, "deleteCustomers": False,
              "manageContacts": False, "administration": False}
    made = outcome(lambda: client.call("customer.v1.ProfileService/CreateProfile", {"name": NFD, "rights": rights}))
    again = outcome(lambda: client.call("customer.v1.ProfileService/CreateProfile", {"name": NFC, "rights": rights}))
    check("a profile in NFC beside one in NFD is refused as existing", again.startswith("ALREADY_EXISTS"),
          f"{made[:60]} / {again}")

    # Lengths: a name of 200 "é" in NFD is 400 code points but 200 in NFC (the limit is 200).
    long_nfd = unicodedata.normalize("NFD", "\u00e9" * 200)
    check("a name at its limit in NFC but sent in NFD is taken",
          outcome(lambda: client.customers.create(CustomerFields(name=long_nfd))).startswith("OK"))

    # Bidi controls: a name that prints reversed in every table.
    for name in ("Acme \u202eyO enilno\u202c", "\u2067Evil\u2069 Corp", "Acme\u202d"):
        result = outcome(lambda: client.customers.create(CustomerFields(name=name)))
        check(f"a name with bidi control {ascii(name)} is refused on name", result.startswith("INVALID_ARGUMENT") and "name" in result, result)

    # Kept: letters of every script, NBSP inside, ZWNJ (Persian), an emoji sequence with ZWJ.
    for name in ("\u0130stanbul \u015eirketi", "STRA\u1e9eE", "\u05d0\u05d1\u05d2 Ltd", "Nima\u200cHa", "Team \U0001F469\u200d\U0001F4BB",
                 "\u1100\u1161\u11a8", "Ti\u1ebfng Vi\u1ec7t", "A\u00a0B"):
        result = outcome(lambda: client.customers.create(CustomerFields(name=name)))
        check(f"a name {ascii(name)} is taken", result.startswith("OK"), result)

    # Only format characters, or only combining marks, or only Unicode white space.
    for name in ("\u200b\u200b", "\u3000\u2007\u00a0"):
        result = outcome(lambda: client.customers.create(CustomerFields(name=name)))
        check(f"a name of {ascii(name)} is refused as empty", result.startswith("INVALID_ARGUMENT"), result)

    # Case beyond ASCII: search folds it.
    client.customers.create(CustomerFields(name="\u00c9COLE PRIV\u00c9E"))
    found = client.customers.list(CustomerQuery(search="\u00e9cole", status="all")).customers
    check("search 'école' finds 'ÉCOLE PRIVÉE'", len(found) == 1, str([c.name for c in found]))
    found = client.customers.list(CustomerQuery(search="istanbul", status="all")).customers
    check("search 'istanbul' finds 'İstanbul'", len(found) == 1, str([c.name for c in found]))

    # Case beyond ASCII in unique names (unicode23): one name by its full case fold, accents kept.
    def create(method: str, request: dict) -> str:
        return outcome(lambda: client.call(method, request))

    label = "customer.v1.LabelService/CreateLabel"
    first_case = create(label, {"kind": "keyword", "name": "\u00c9COLE"})
    check("a keyword 'ÉCOLE' is taken", first_case.startswith("OK"), first_case)
    for other in ("\u00e9cole", "E\u0301cole", "\u00c9cole"):
        again = create(label, {"kind": "keyword", "name": other})
        check(f"a keyword {ascii(other)} beside 'ÉCOLE' is refused as existing, naming it",
              again.startswith("ALREADY_EXISTS") and "'\u00c9COLE'" in again, again)
    ascii_case = create(label, {"kind": "keyword", "name": "ecole"})
    check("a keyword 'ecole' (no accent: another word) is taken beside 'ÉCOLE'", ascii_case.startswith("OK"), ascii_case)
    role = create(label, {"kind": "role", "name": "\u00e9cole"})
    check("a role 'école' is taken: roles are another list", role.startswith("OK"), role)
    tagged = outcome(lambda: client.call("customer.v1.ContactService/CreateContact", {
        "customerId": first.id, "fields": {"firstName": "Aino"}, "keywords": ["\u00c9cole"]}))
    check("a contact naming the keyword 'École' gets 'ÉCOLE'", "\u00c9COLE" in tagged, tagged[:200])
    industry = "customer.v1.SettingsService/CreateIndustry"
    user = "customer.v1.UserService/AddUser"

    def one_name(what: str, method: str, first_request: dict, second_request: dict) -> None:
        made = create(method, first_request)
        again = create(method, second_request)
        check(f"{what} is refused as existing", again.startswith("ALREADY_EXISTS"), f"{made[:40]} / {again}")

    one_name("an industry 'Straßenbau' beside 'STRAẞENBAU'", industry, {"name": "STRA\u1e9eENBAU"}, {"name": "Stra\u00dfenbau"})
    one_name("a user 'özgür' beside 'ÖZGÜR'", user, {"uid": 4243, "name": "\u00d6ZG\u00dcR"},
             {"uid": 4244, "name": "\u00f6zg\u00fcr"})

    # Unique names that print alike: invisible format characters and compatibility forms (fold24); the
    # default-ignorable code points that are no format character (names25: a variation selector, the Hangul
    # filler, the combining grapheme joiner), and names that show nothing.
    made = create(label, {"kind": "keyword", "name": "VIP"})
    for other in ("VI\u200bP", "V\u00adIP", "\uff36\uff29\uff30", "VIP\ufe0f", "V\U000e0100IP", "VI\u180bP"):
        again = create(label, {"kind": "keyword", "name": other})
        check(f"a keyword {ascii(other)} beside 'VIP' is refused as existing, naming it",
              again.startswith("ALREADY_EXISTS") and "'VIP'" in again, f"{made[:40]} / {again}")
    one_name("an industry full-width 'ＡＣＭＥ' beside 'ACME'", industry, {"name": "ACME"}, {"name": "\uff21\uff23\uff2d\uff25"})
    one_name("an industry 'A\\u3164B' (Hangul filler) beside 'AB'", industry, {"name": "AB"}, {"name": "A\u3164B"})
    one_name("a user 'a\\u034fb' (grapheme joiner) beside 'ab'", user, {"uid": 4245, "name": "ab"},
             {"uid": 4246, "name": "a\u034fb"})
    for blank in ("\u3164", "\u115f\u1160", "\uffa0\ufe0f", "\U000e0020"):
        for method, request in ((label, {"kind": "keyword", "name": blank}), (industry, {"name": blank}),
                                ("customer.v1.SettingsService/CreateSegment", {"name": blank}),
                                (user, {"uid": 4247, "name": blank})):
            refused = create(method, request)
            check(f"{method.rsplit('/', 1)[1]} {ascii(blank)} (shows nothing) is refused naming the field",
                  refused.startswith("INVALID_ARGUMENT") and "name:" in refused, refused)
    renamed = create("customer.v1.SettingsService/RenameIndustry", {"name": "AB", "newName": "\u3164"})
    check("an industry renamed to '\\u3164' (shows nothing) is refused naming the field",
          renamed.startswith("INVALID_ARGUMENT") and "newName:" in renamed, renamed)

    # A user name in NFD (as an OS account's GECOS or a form may send it) and looked up in NFC.
    made = outcome(lambda: client.call("customer.v1.UserService/AddUser", {"uid": 4242, "name": "J" + NFD}))
    found = outcome(lambda: client.customers.create(CustomerFields(name="Managed", account_manager="J" + NFC)))
    check("a user added in NFD is found as account manager named in NFC", found.startswith("OK"), f"{made[:50]} / {found}")

    # Search terms: Turkish, German sharp s, ligature, Greek final sigma, and text that is no letter.
    client.customers.create(CustomerFields(name="Stra\u00dfe GmbH"))
    client.customers.create(CustomerFields(name="Firma Oy"))
    client.customers.create(CustomerFields(name="\u039f\u0394\u03a5\u03a3\u03a3\u0395\u03a5\u03a3 AE"))
    for term, expected in (("strasse", 2), ("STRASSE", 2), ("\ufb01rma", 1), ("\u03bf\u03b4\u03c5\u03c3\u03c3\u03b5\u03c5\u03c2", 1),
                           ("\u200b", "all"), ("\u202e", None), ("\U0010ffff", 0), ("\ufffd", 0)):
        try:
            found = client.customers.list(CustomerQuery(search=term, status="all"), limit=1000).customers
            result = f"OK {len(found)}: {[c.name for c in found][:3]}"
        except RPCError as error:
            found, result = None, f"{error.code.name} {error.message[:200]}"
        if expected == "all":  # nothing that shows: searched as an empty search, as white space is
            expected = len(client.customers.list(CustomerQuery(status="all"), limit=1000).customers)
        if expected is None:
            check(f"search {ascii(term)} is refused on search", result.startswith("INVALID_ARGUMENT"), result)
        else:
            check(f"search {ascii(term)} finds {expected}", found is not None and len(found) == expected, ascii(result)[:120])

    # Odd but valid code points are kept as sent; a name only of them still shows something.
    for name in ("Max \U0010ffff", "Priv \ue000", "Non \ufdd0\ufffe", "Tag \U000e0041", "VS \u2764\ufe0f", "Rep \ufffd",
                 "Unassigned \U0003134b"):
        try:
            stored = client.customers.get(client.customers.create(CustomerFields(name=name)).id).name
            check(f"a name {ascii(name)} is stored as sent", stored == name, ascii(stored))
        except RPCError as error:
            check(f"a name {ascii(name)} is stored as sent", False, f"{error.code.name} {error.message[:160]}")

    print(f"{len(failures)} failed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
