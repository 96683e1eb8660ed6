import SQLiteEngine

/// What a card's later reads need to know of the customer it is read for: its id, its head
/// office (the addresses tab lists it first), whether it has a market segment and whether it has
/// a project. The probes are asked in the customer's own statement (`CustomerRow.byIDForCard`,
/// one index probe each) so that a card skips what the customer does not have: the segment probe
/// was a statement of its own (~5 000 instructions a card, step, reset and the cache's look-up),
/// and a customer without a project has no project task, so its activities are read without the
/// compound SELECT's second arm (docs/performance/HISTORY.md "card12").
struct CardCustomer {
    var id: Int64
    var headOffice: StoredAddress?
    var hasSegment: Bool
    var hasProject: Bool

    /// The columns of `byIDForCard`: the customer's with its head office's, and the probes.
    private struct Columns: ColumnLayout {
        let row: CustomerRow.ColumnsWithHeadOffice
        let hasSegment, hasProject: Column

        init(resolving statement: SQLiteStatement) throws {
            row = try CustomerRow.ColumnsWithHeadOffice(resolving: statement)
            (hasSegment, hasProject) = (try statement.column("has_segment"), try statement.column("has_project"))
        }
    }

    /// What the card's later reads need before the customer is read: nothing found yet.
    init(id: Int64) {
        self.id = id
        headOffice = nil
        hasSegment = false
        hasProject = false
    }

    /// The customer with this id lent to `body` as its row (head office included, decoded once
    /// for both), what `body` made of it, or nil; `read` set to what the card's later reads need
    /// when there is one. Inside the caller's read transaction, so the probes answer for the
    /// snapshot the card's other reads see.
    ///
    /// `read` is written in place and only `body`'s result (`()` for a server's card) goes through
    /// the engine's generic `withStatement`: an optional tuple of both returned through it, and
    /// unwrapped by the caller, was copied twice and destroyed three times a card through the
    /// runtime's generic `Optional` witnesses (the head office's texts retained and released each
    /// time, ~1 300 instructions, docs/performance/HISTORY.md "card31"). The head office decoded
    /// for the row is moved into `read` once `body` is done with the row, not copied.
    static func fetch<Customer>(_ connection: SQLiteConnection, id: Int64, users: UserNames,
                                into read: inout CardCustomer,
                                lending body: (CustomerListingRow) throws -> Customer) throws -> Customer? {
        var customer: Customer?
        try connection.withStatement(CustomerRow.byIDForCard) { statement in
            try statement.bind(id, at: 1)
            guard let columns = try statement.nextRow(Columns.self) else { return }
            var row = CustomerListingRow(statement: statement, columns: columns.row.customer, users: users,
                                         headOfficeColumns: columns.row.headOffice)
            row.decodedHeadOffice = .some(try row.headOffice())
            customer = try body(row)
            read.id = try row.id
            read.hasSegment = try statement.bool(columns.hasSegment)
            read.hasProject = try statement.bool(columns.hasProject)
            if case .some(.some(let office)) = row.decodedHeadOffice.take() { read.headOffice = office }
        }
        return customer
    }
}
