#!/usr/bin/env python3
"""The SQL of N groups of creates as the writer writes them (CustomerCreateBatch.flush): one
multi-row INSERT of the group's customers, the number sequence's UPDATE, one INSERT of their match
keys, one of their history entries, COMMIT (one statement a table up to 32 creates a group,
`MultiRowInsert.groupSizes`); each customer as `customer-bench run create` makes it
(a name and a country: one match key). For the sqlite3 shell under callgrind, on a copy of a
database the service made (docs/performance/HISTORY.md "create22"):

    contrib/perf/create-groups.py GROUPS SIZE LAST_ID > groups.sql
    valgrind --tool=callgrind --toggle-collect=sqlite3_step sqlite3 copy.sqlite < groups.sql

LAST_ID: the copy's largest customer id (ids and numbers continue from it; the numbers assume the
sequence at 10 000 + LAST_ID, as `customer-bench`'s seeding leaves it). Marginal per create:
(the count of 2G groups - that of G groups) / (G * SIZE), each on a fresh copy.

Options, each one variant of what is written (the rest as the writer writes it):
  --verb VERB         the INSERTs' verb for customers and history, and the match keys' (default
                      INSERT, INSERT OR IGNORE), e.g. "INSERT OR ROLLBACK"
  --foreign-keys off  PRAGMA foreign_keys as the shell runs it (the server: on)
  --without T         leave out T's statement: customers, sequence, keys or history (repeatable)
  --one-transaction   every group in one transaction (what the COMMITs cost)
  --pragma SQL        one more PRAGMA, e.g. "cache_size=-16384" (repeatable)
  --halving           each table's rows in statements of 64, 32, ... 1 rows, largest first (how
                      the writer wrote a group before create32: 23 rows were 16, 4, 2 and 1)
"""
import sys

def statements(head, rows, halving):
    """`head` with `rows` as one statement, or with --halving as `MultiRowInsert.halvingSizes` splits them."""
    if not halving:
        return head + ", ".join(rows) + ";"
    parts, start, size = [], 0, 64
    while start < len(rows):
        while size > len(rows) - start: size //= 2
        parts.append(head + ", ".join(rows[start:start + size]) + ";")
        start += size
    return "\n".join(parts)

def main(argv):
    args, verb, keys_verb, foreign_keys, without, one, pragmas = [], None, None, "ON", set(), False, []
    halving = False
    i = 0
    while i < len(argv):
        a = argv[i]
        if a == "--verb": verb = keys_verb = argv[i + 1]; i += 2
        elif a == "--foreign-keys": foreign_keys = argv[i + 1].upper(); i += 2
        elif a == "--without": without.add(argv[i + 1]); i += 2
        elif a == "--one-transaction": one = True; i += 1
        elif a == "--pragma": pragmas.append(argv[i + 1]); i += 2
        elif a == "--halving": halving = True; i += 1
        else: args.append(a); i += 1
    if len(args) != 3:
        sys.exit(__doc__)
    groups, size, last_id = (int(a) for a in args)
    verb = verb or "INSERT"
    keys_verb = keys_verb or "INSERT OR IGNORE"
    now = 1796565900000
    # The writer's connection: foreign keys on, secure_delete on, temp_store memory (SQLiteConnection, GroupCommitWriter).
    out = ["PRAGMA foreign_keys=%s; PRAGMA synchronous=NORMAL; PRAGMA secure_delete=ON; PRAGMA temp_store=MEMORY;" % foreign_keys]
    out += ["PRAGMA %s;" % p for p in pragmas]
    cid, number = last_id, 10000 + last_id
    for g in range(groups):
        if not one or g == 0: out.append("BEGIN IMMEDIATE;")
        customers, matchkeys, history = [], [], []
        for k in range(size):
            cid += 1; number += 1
            # 64 callers, each naming its creates "Bench caller-count Oy"; a group holds several callers'.
            name = "Bench %d-%d Oy" % (k * 4 % 64, g); key = name.lower()
            search = "%s\n%d\n\n" % (key, number)
            customers.append("(%d, %d, '%s', '%s', '%s', NULL, NULL, NULL, 'FI', NULL, NULL, NULL, NULL, NULL, 1, 1, %d, 1, %d, 1, NULL)"
                             % (cid, number, name, key, search, now, now))
            matchkeys.append("('name', '%s', %d)" % (key, cid))
            changes = "n6:number%d:%dn4:name%d:%sn7:country2:FI" % (len(str(number)), number, len(name), name)
            history.append("('customer', %d, %d, 'created', %d, 1, NULL, NULL, '%s')" % (cid, cid, now, changes))
        if "customers" not in without:
            out.append(statements(verb + " INTO customers (id, number, name, name_key, search_text, account_manager_id,"
                                  " description, vat_number, country, industry_id, email, website, phone, business_id, active,"
                                  " version, created_at, created_by, updated_at, updated_by, head_office_address_id) VALUES ",
                                  customers, halving))
        if "sequence" not in without:
            out.append("UPDATE customer_number_sequence SET last_number = %d WHERE singleton = 1;" % number)
        if "keys" not in without:
            out.append(statements(keys_verb + " INTO customer_match_keys (kind, key, customer_id) VALUES ", matchkeys, halving))
        if "history" not in without:
            out.append(statements(verb + " INTO history (entity, entity_id, customer_id, action, at, by_user, source, via_user,"
                                  " changes) VALUES ", history, halving))
        if not one or g == groups - 1: out.append("COMMIT;")
    sys.stdout.write("\n".join(out) + "\n")

if __name__ == "__main__":
    main(sys.argv[1:])
