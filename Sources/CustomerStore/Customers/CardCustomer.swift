import SQLiteEngine

/// The customer a card is read for, with what its later reads need to know: whether it has a
/// market segment and whether it has a project. Both are asked in the customer's own statement
/// (`CustomerRow.byIDForCard`, one index probe each) so that a card skips what the customer does
/// not have: the segment probe was a statement of its own (~5 000 instructions a card, step,
/// reset and the cache's look-up), and a customer without a project has no project task, so its
/// activities are read without the compound SELECT's second arm (docs/PERFORMANCE.md "card12").
struct CardCustomer {
    var customer: StoredCustomer
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

    /// The customer with this id, or nil; inside the caller's read transaction, so the probes
    /// answer for the snapshot the card's other reads see.
    static func fetch(_ connection: SQLiteConnection, id: Int64, users: UserNames) throws -> CardCustomer? {
        try connection.withStatement(CustomerRow.byIDForCard) { statement in
            try statement.bind(id, at: 1)
            guard let columns = try statement.nextRow(Columns.self) else { return nil }
            let row = CustomerListingRow(statement: statement, columns: columns.row.customer, users: users,
                                         headOfficeColumns: columns.row.headOffice)
            return CardCustomer(customer: try row.stored(), hasSegment: try statement.bool(columns.hasSegment),
                                hasProject: try statement.bool(columns.hasProject))
        }
    }
}
