import Foundation
import SQLiteEngine

extension Migrations {
    /// Version 17: the last CHECKs with an IN list of three or more values, on tables written per
    /// record, become chains of `=` (issue 15), as migration 16 did for `customer_match_keys`.
    ///
    /// SQLite evaluates `x IN ('a', 'b', 'c')` by filling an ephemeral table with the values for
    /// every row it writes (EXPLAIN: `OpenEphemeral`, an `IdxInsert` per value, `Found`); a list of
    /// one or two values is compared directly, so `active IN (0, 1)` and the like stay. The rule
    /// is the same (NULL passes both forms), so no row needs checking. Each table is rebuilt
    /// (`rebuildTables`), its indexes, triggers and the views recreated; a database of 1 000 000
    /// customers pays the copy of its addresses and activities once, at the first start.
    /// `permission_profiles` keeps its lists: it is written when an administrator edits a profile.
    static let inListChecks = Migration(version: 17, name: "value lists checked without an IN list",
                                        rebuildingTables: { connection in
        try rebuildTables(connection, inListCheckedColumns.map(\.table), suffix: "_v17", version: 17) { create, name in
            guard let column = inListCheckedColumns.first(where: { name == $0.table + "_v17" }),
                  let renamed = createTable(create, renamedTo: name) else { return nil }
            let list = "\(column.column) IN (" + column.values.map { "'\($0)'" }.joined(separator: ", ") + ")"
            let chain = column.values.map { "\(column.column) = '\($0)'" }.joined(separator: " OR ")
            // Exactly one occurrence, or the table is not as version 16 left it.
            let parts = renamed.components(separatedBy: list)
            return parts.count == 2 ? parts.joined(separator: chain) : nil
        }
    })

    /// The columns `inListChecks` rewrites, with their values in the order the old lists had them.
    static let inListCheckedColumns: [(table: String, column: String, values: [String])] = [
        ("addresses", "kind", ["visiting", "postal", "billing", "delivery"]),
        ("activities", "kind", ["note", "task", "event"]),
        ("projects", "outcome", ["open", "won", "lost"]),
        ("customer_settings", "invoice_channel", ["email", "eInvoice", "paper"]),
    ]
}
