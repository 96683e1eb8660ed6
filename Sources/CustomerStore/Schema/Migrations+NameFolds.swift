import SQLiteEngine

extension Migrations {
    /// Version 26: unique names compared by their identifier fold (`UniqueName.fold`), and names stored
    /// before unicode22 composed (unicode23).
    ///
    /// Users, permission profiles, industries, keywords and roles, and sibling segments get a
    /// `name_fold` column, filled here in Swift (SQLite cannot fold beyond ASCII) and UNIQUE with
    /// the row's scope. Each name is stored canonical (trimmed, NFC): a keyword stored decomposed
    /// before unicode22 was found by no lookup, which composes what it is given.
    ///
    /// Two rows may share a fold key ("ÉCOLE" and "école", "VIP" and "VI\u{200B}P", "ACME" and
    /// full-width "ＡＣＭＥ", or one name in both canonical forms, all taken before). Neither is dropped nor merged (a merge would relabel contacts, re-point
    /// customers and users, silently): the older row (lower id) keeps its name, each later one is
    /// renamed with the first free " (2)", " (3)" … suffix (its name cut to make room within the
    /// length limit), and the renaming is recorded in `renamed_names`, which the server logs as a
    /// warning at the start that migrated. The administrator then renames or deletes what is left.
    static let nameFolds = Migration(version: 26, name: "unique names folded beyond ASCII", code: { connection in
        try connection.execute("""
            -- What this migration renamed, for the administrator, in its order (rowid): the row renamed, and the one that kept the name.
            CREATE TABLE renamed_names (
                table_name TEXT NOT NULL,
                row_id INTEGER NOT NULL,
                old_name TEXT NOT NULL,
                new_name TEXT NOT NULL,
                kept_id INTEGER NOT NULL,
                kept_name TEXT NOT NULL
            );
            """)
        for table in UniqueName.all {
            try connection.execute("ALTER TABLE \(table.table) ADD COLUMN name_fold TEXT")
            try NameFoldFill(table).run(connection)
        }
    })

    /// Version 27: every `name_fold` computed again, now that the fold drops every character that
    /// does not show (`IgnorableCharacters`: variation selectors, Hangul fillers, the combining
    /// grapheme joiner, as NFKC_Casefold does), not only format characters (names25).
    ///
    /// "VIP" and "VIP\u{FE0F}", "AB" and "A\u{3164}B" were two names under version 26's fold; the
    /// rows now colliding are kept as version 26 keeps them (the older keeps its name, the later
    /// gets " (2)", recorded in `renamed_names` and logged). `renamed_names.migration` tells this
    /// migration's renamings from version 26's, so a start logs only what it renamed itself. A
    /// name stored that shows nothing keeps a key of its own (`UniqueName.fold`).
    static let ignorableNameFolds = Migration(version: 27, name: "unique names folded without what does not show",
                                              code: { connection in
        try connection.execute("ALTER TABLE renamed_names ADD COLUMN migration INTEGER NOT NULL DEFAULT 26")
        let before = try connection.withStatement("SELECT ifnull(max(rowid), 0) FROM renamed_names") { statement in
            try statement.step() ? statement.int64(0) : 0
        }
        for table in UniqueName.all {
            // The keys change in place: the UNIQUE index would refuse a row's new key while the
            // row that will be renamed out of its way still holds it.
            try connection.execute("DROP INDEX \(table.index)")
            try NameFoldFill(table).run(connection)
        }
        try connection.run("UPDATE renamed_names SET migration = 27 WHERE rowid > ?", [.integer(before)])
    })
}

/// Fills one table's `name_fold` and makes it UNIQUE, renaming the later of two rows one key
/// (see `Migrations.nameFolds`, `Migrations.ignorableNameFolds`).
private struct NameFoldFill {
    let table: UniqueName

    init(_ table: UniqueName) {
        self.table = table
    }

    private struct Row {
        let id: Int64
        let scope: String
        let name: String
    }

    func run(_ connection: SQLiteConnection) throws {
        let scope = table.scope ?? "''"
        let rows = try connection.withStatement("SELECT id, CAST(\(scope) AS TEXT), name FROM \(table.table) ORDER BY id") {
            statement in
            var rows: [Row] = []
            while try statement.step() {
                rows.append(Row(id: statement.int64(0), scope: statement.text(1), name: statement.text(2)))
            }
            return rows
        }
        // The key of each name in its scope, and the row that has it (the older of two).
        var holders: [String: (id: Int64, name: String)] = [:]
        var kept: [(id: Int64, name: String)] = []
        var later: [(row: Row, name: String)] = []
        for row in rows {
            // A name of white space only (older servers trimmed less) is kept as stored: empty, it
            // would fail its column's CHECK and with it the start-up.
            let canonical = TextInput.canonical(row.name)
            let name = canonical.isEmpty ? row.name : canonical
            let key = row.scope + "\u{0}" + UniqueName.fold(name)
            if holders[key] == nil {
                holders[key] = (row.id, name)
                kept.append((row.id, name))
            } else {
                later.append((row, name))
            }
        }
        // The later rows first: a kept row's composed name may equal (under the old NOCASE
        // UNIQUE) a later row's name as stored, until that one is renamed.
        for (row, name) in later {
            guard let holder = holders[row.scope + "\u{0}" + UniqueName.fold(name)] else { continue }
            var number = 2
            var renamed = suffixed(name, number)
            while holders[row.scope + "\u{0}" + UniqueName.fold(renamed)] != nil {
                number += 1
                renamed = suffixed(name, number)
            }
            holders[row.scope + "\u{0}" + UniqueName.fold(renamed)] = (row.id, renamed)
            try write(connection, id: row.id, name: renamed)
            try connection.run("""
                INSERT INTO renamed_names (table_name, row_id, old_name, new_name, kept_id, kept_name)
                VALUES (?, ?, ?, ?, ?, ?)
                """, [.text(table.table), .integer(row.id), .text(row.name), .text(renamed), .integer(holder.id),
                      .text(holder.name)])
        }
        for (id, name) in kept { try write(connection, id: id, name: name) }
        try connection.execute("CREATE UNIQUE INDEX \(table.index) ON \(table.table) ("
            + (table.scope.map { "\($0), " } ?? "") + "name_fold)")
    }

    private func write(_ connection: SQLiteConnection, id: Int64, name: String) throws {
        try connection.run("UPDATE \(table.table) SET name = ?, name_fold = ? WHERE id = ?",
                           [.text(name), .text(UniqueName.fold(name)), .integer(id)])
    }

    /// `name (number)`, `name` cut by whole characters to keep within the column's limit.
    private func suffixed(_ name: String, _ number: Int) -> String {
        let suffix = " (\(number))"
        var base = Substring(name)
        while TextInput.length(String(base)) + TextInput.length(suffix) > table.maxLength, !base.isEmpty {
            base = base.dropLast()
        }
        return String(base).trimmingWhitespace() + suffix
    }
}
