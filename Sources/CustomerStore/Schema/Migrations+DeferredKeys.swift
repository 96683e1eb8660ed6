import SQLiteEngine

extension Migrations {
    /// Version 25: `customers`, `history` and `customer_match_keys` check their foreign keys at
    /// COMMIT (`DEFERRABLE INITIALLY DEFERRED`) and their CHECKs call no function (`x <> ''` for
    /// `length(x) > 0`; the name's `length(name) BETWEEN 1 AND 200` as `name <> ''`), so that a
    /// group's creates, written `INSERT OR ROLLBACK` (`CustomerCreateBatch`), keep no statement
    /// journal (issue 15).
    ///
    /// SQLite keeps a journal of every page a statement writing several rows first changes when
    /// the statement "may abort": an immediate foreign key, a CHECK calling a function and the
    /// default ABORT each make it so. The group does not need it: a failed batch fails its group
    /// whole (`GroupCommitWriter.commitGroup`). Measured in the shell on the server's statements,
    /// 16 creates a group: 63 320 → 54 772 instructions of `sqlite3_step` a create
    /// (docs/performance/HISTORY.md "create22").
    ///
    /// What changes: a foreign key violated by a write to these tables fails at COMMIT, with the
    /// whole group, instead of failing its statement; every write checks its references first
    /// (the author, `CustomerStore.admitted`; account manager and industry, `checkReferences`;
    /// a customer's own id for its keys), users are never removed, an industry in use is cleared
    /// before it goes and an address's head office is set to NULL by its ON DELETE: nothing a
    /// request can send violates one. The name's upper bound is the validator's alone
    /// (`CustomerValidator.maxName`, code points after NFC, as SQL's length() counted them).
    ///
    /// Made by editing the stored CREATE TABLE text (`replaceStoredTableText`), as SQLite's
    /// ALTER TABLE page allows for removing constraints: every stored row satisfies the new text
    /// (a key that held at once holds at COMMIT; a text of length 1 or more is not ''), so nothing
    /// is copied and nothing needs checking again. At 1 000 000 customers (1 000 000 history
    /// entries, 3 000 000 keys) a rebuild of the three tables took 23.5 s at start-up (7.5 s of
    /// CPU), this edit under 20 ms; `integrity_check` would add 9.7 s and `foreign_key_check`
    /// 2.2 s, to verify what the edit did not touch (docs/PERFORMANCE.md, "create23").
    static let deferredKeys = Migration(version: 25, name: "creates written without statement journals", code: { connection in
        var edits: [(table: String, create: String)] = []
        for (table, replacements) in deferredKeyEdits {
            guard var create = try schemaText(connection, "type = 'table' AND name = '\(table)'").first else {
                throw StoreError.unusable("migration 25: table \(table) is missing")
            }
            for (old, new, count) in replacements {
                let parts = create.components(separatedBy: old)
                guard parts.count == count + 1 else {
                    throw StoreError.unusable("migration 25: table \(table) is not as version 24 left it")
                }
                create = parts.joined(separator: new)
            }
            edits.append((table, create))
        }
        try connection.replaceStoredTableText(edits)
    })

    /// Each table's text replacements, with how many times the old text occurs in it.
    static let deferredKeyEdits: [(table: String, replacements: [(old: String, new: String, count: Int)])] = [
        ("customers", [
            ("CHECK (length(name) BETWEEN 1 AND 200)", "CHECK (name <> '')", 1),
            ("CHECK (business_id IS NULL OR length(business_id) > 0)", "CHECK (business_id IS NULL OR business_id <> '')", 1),
            ("CHECK (registry_status IS NULL OR length(registry_status) > 0)",
             "CHECK (registry_status IS NULL OR registry_status <> '')", 1),
            ("REFERENCES users(id)", "REFERENCES users(id) DEFERRABLE INITIALLY DEFERRED", 3),
            ("REFERENCES addresses(id) ON DELETE SET NULL",
             "REFERENCES addresses(id) ON DELETE SET NULL DEFERRABLE INITIALLY DEFERRED", 1),
            ("REFERENCES industries(id)", "REFERENCES industries(id) DEFERRABLE INITIALLY DEFERRED", 1),
        ]),
        ("history", [
            ("CHECK (source IS NULL OR length(source) > 0)", "CHECK (source IS NULL OR source <> '')", 1),
            ("REFERENCES history_entities(name)", "REFERENCES history_entities(name) DEFERRABLE INITIALLY DEFERRED", 1),
            ("REFERENCES history_actions(name)", "REFERENCES history_actions(name) DEFERRABLE INITIALLY DEFERRED", 1),
            ("REFERENCES users(id)", "REFERENCES users(id) DEFERRABLE INITIALLY DEFERRED", 2),
        ]),
        ("customer_match_keys", [
            ("CHECK (length(key) > 0)", "CHECK (key <> '')", 1),
            ("REFERENCES customers(id) ON DELETE CASCADE",
             "REFERENCES customers(id) ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED", 1),
        ]),
    ]
}
