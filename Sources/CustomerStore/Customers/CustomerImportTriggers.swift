import SQLiteEngine

/// The schema's trigger an import sets aside for its own transaction: dropped after its BEGIN and
/// created again from its stored text before its COMMIT, so no other connection ever sees it
/// gone (readers see the snapshot before the transaction or after it) and a ROLLBACK, or a crash,
/// puts it back with everything else.
///
/// Why: it does what the importer does itself before it queues a row, yet fires on every row
/// (callgrind, issue 17: `addresses_first_is_head_office` adds a look-up, an UPDATE of the customer
/// and its own trigger to each row with an address). Without it the importer writes what it would:
/// a new customer's head office is its first address, set in the customer's INSERT. (The second
/// one set aside here, `customers_head_office_on_insert`, which cost the customers' INSERT ~10 600
/// of its ~35 300 instructions a row, is gone from the schema since migration 20.)
struct CustomerImportTriggers {
    static let names = ["addresses_first_is_head_office"]

    /// The CREATE TRIGGER text of each one dropped, in `names` order.
    private let definitions: [String]

    /// Drops those of `names` the schema has, inside the caller's transaction.
    init(settingAsideIn connection: SQLiteConnection) throws {
        var definitions: [String] = []
        for name in Self.names {
            let stored = try connection.withStatement("SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = ?") {
                statement -> String? in
                try statement.bind(name, at: 1)
                return try statement.step() ? statement.optionalText(0) : nil
            }
            guard let stored else { continue }
            try connection.execute("DROP TRIGGER \(name)")
            definitions.append(stored)
        }
        self.definitions = definitions
    }

    /// Creates the dropped triggers again, as they were; call before the transaction's COMMIT.
    func restore(_ connection: SQLiteConnection) throws {
        for definition in definitions { try connection.execute(definition) }
    }
}
