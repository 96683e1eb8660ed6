import SQLiteEngine

/// A one-row table holding the last number handed out (`project_number_sequence`,
/// `invoice_number_sequence`), so a number is never reused even after its record is gone.
///
/// Only used inside a write transaction: the writer's lock makes read-then-advance atomic.
struct NumberSequence: Sendable {
    /// The sequence's table, a constant of the schema (never input).
    let table: String

    static let projects = NumberSequence(table: "project_number_sequence")
    static let invoices = NumberSequence(table: "invoice_number_sequence")

    /// The next free number (at least every number ever used, see `advance`).
    func next(_ connection: SQLiteConnection) throws -> Int64 {
        try connection.withStatement("SELECT last_number + 1 FROM \(table) WHERE singleton = 1") { statement in
            guard try statement.step() else {
                throw StoreError.unusable("the number sequence \(table) is missing")
            }
            return statement.int64(0)
        }
    }

    /// Records that `number` is used (a caller may pick a number above the sequence).
    func advance(_ connection: SQLiteConnection, past number: Int64) throws {
        try connection.run("UPDATE \(table) SET last_number = max(last_number, ?) WHERE singleton = 1",
                           [.integer(number)])
    }
}
