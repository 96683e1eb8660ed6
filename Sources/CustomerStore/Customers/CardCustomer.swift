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

    /// The customer with this id lent to `body` as its row (head office included, decoded once
    /// for both), with what the card's later reads need, or nil; inside the caller's read
    /// transaction, so the probes answer for the snapshot the card's other reads see.
    static func fetch<Customer>(_ connection: SQLiteConnection, id: Int64, users: UserNames,
                                lending body: (CustomerListingRow) throws -> Customer) throws
        -> (read: CardCustomer, customer: Customer)? {
        try connection.withStatement(CustomerRow.byIDForCard) { statement in
            try statement.bind(id, at: 1)
            guard let columns = try statement.nextRow(Columns.self) else { return nil }
            var row = CustomerListingRow(statement: statement, columns: columns.row.customer, users: users,
                                         headOfficeColumns: columns.row.headOffice)
            let headOffice = try row.headOffice()
            row.decodedHeadOffice = .some(headOffice)
            let read = CardCustomer(id: try row.id, headOffice: headOffice,
                                    hasSegment: try statement.bool(columns.hasSegment),
                                    hasProject: try statement.bool(columns.hasProject))
            return (read, try body(row))
        }
    }
}
