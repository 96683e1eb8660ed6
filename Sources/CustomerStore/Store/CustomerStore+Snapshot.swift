import Foundation
import SQLiteEngine

/// Every row of every table, as text, read in one consistent snapshot.
///
/// What "a refused call changes nothing" is checked against: two snapshots taken around a
/// refused call must be equal. Tables added by later migrations are included without listing them,
/// but the search index's (`customer_search` and FTS5's tables behind it, migration 29): derived
/// from the customers, and written behind the writer by its own thread whenever the writer is
/// idle, so they change between two snapshots whatever the call in between did.
public struct StoreSnapshot: Sendable, Hashable {
    /// Table name to its rows (each row its columns as text, nil for NULL), rows sorted.
    public var tables: [String: [[String?]]]

    /// The tables whose rows differ between the two snapshots, by name.
    public func changedTables(comparedTo other: StoreSnapshot) -> [String] {
        Set(tables.keys).union(other.tables.keys).filter { tables[$0] != other.tables[$0] }.sorted()
    }
}

extension CustomerStore {
    /// Reads every table (schema tables of SQLite aside) in one read transaction.
    public func snapshot() throws -> StoreSnapshot {
        try read(StoreSnapshot.read(from:))
    }
}

extension StoreSnapshot {
    /// The snapshot of a database another process serves, read on a read-only connection of its
    /// own: an observer, not an owner, so it takes no lock and changes nothing (WAL lets it in
    /// beside the server's writes).
    public static func read(databasePath: String) throws -> StoreSnapshot {
        try StoreError.mappingEngineErrors {
            let connection = try SQLiteConnection(path: databasePath, role: .reader, options: StoreOptions())
            defer { connection.close() }
            return try connection.transaction("BEGIN DEFERRED") { try read(from: connection) }
        }
    }

    static func read(from connection: SQLiteConnection) throws -> StoreSnapshot {
        let names = try connection.withStatement("""
            SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\'
                AND name NOT LIKE 'customer\\_search%' ESCAPE '\\' ORDER BY name
            """) { statement in
            var names: [String] = []
            while try statement.step() { names.append(statement.text(0)) }
            return names
        }
        var tables: [String: [[String?]]] = [:]
        for name in names {
            // Names come from sqlite_master; quoting keeps any name a single identifier.
            let quoted = "\"" + name.replacingOccurrences(of: "\"", with: "\"\"") + "\""
            tables[name] = try connection.withStatement("SELECT * FROM \(quoted)") { statement in
                var rows: [[String?]] = []
                let columns = statement.columnCount
                while try statement.step() {
                    rows.append((0..<columns).map { statement.optionalText($0) })
                }
                return rows.sorted { $0.lexicographicallyPrecedes($1) { ($0 ?? "") < ($1 ?? "") } }
            }
        }
        return StoreSnapshot(tables: tables)
    }
}
