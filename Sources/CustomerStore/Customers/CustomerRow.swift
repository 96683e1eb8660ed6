import Foundation

/// The SELECT that reads customers with their users' names, and its decoding.
///
/// One column list for every read, so point reads and listings decode the same way.
enum CustomerRow {
    private static let columns = """
        c.id, c.number, c.name, c.account_manager_id, am.name, c.description, c.vat_number,
        c.country, ind.name, c.email, c.website, c.phone, c.active, c.version,
        c.created_at, c.created_by, cb.name, c.updated_at, c.updated_by, ub.name, c.name_key,
        c.business_id, c.registry_status, c.registry_checked_at
        """
    private static let joins = """
        FROM customers c
        LEFT JOIN users am ON am.id = c.account_manager_id
        LEFT JOIN industries ind ON ind.id = c.industry_id
        JOIN users cb ON cb.id = c.created_by
        JOIN users ub ON ub.id = c.updated_by
        """
    /// Listings: the customer without its head office.
    static let select = "SELECT \(columns) \(joins)"
    /// Point reads: the head office folded into the same statement (rowid lookups of the address
    /// and its two users), so `customer(id:)` stays one statement.
    private static let selectWithHeadOffice = """
        SELECT \(columns), \(AddressRow.columns("ho")) \(joins)
        LEFT JOIN addresses ho ON ho.id = c.head_office_address_id \(AddressRow.userJoins("ho", outer: true))
        """
    static let byID = selectWithHeadOffice + " WHERE c.id = ?"
    static let byNumber = selectWithHeadOffice + " WHERE c.number = ?"
    /// Column where the head office's columns start in `byID` and `byNumber`.
    private static let headOfficeColumn: Int32 = 24

    /// Column of `name_key`, the name sort key that page tokens carry.
    static let nameKeyColumn: Int32 = 20

    static func decode(_ statement: SQLiteStatement) -> StoredCustomer {
        let manager = statement.optionalInt64(3).map { StoredUserRef(id: $0, name: statement.text(4)) }
        return StoredCustomer(
            id: statement.int64(0), number: statement.int64(1), name: statement.text(2),
            accountManager: manager, description: statement.optionalText(5),
            vatNumber: statement.optionalText(6), country: statement.optionalText(7),
            industry: statement.optionalText(8), email: statement.optionalText(9),
            website: statement.optionalText(10), phone: statement.optionalText(11),
            active: statement.int64(12) != 0, version: statement.int64(13),
            createdAt: .init(milliseconds: statement.int64(14)),
            createdBy: StoredUserRef(id: statement.int64(15), name: statement.text(16)),
            updatedAt: .init(milliseconds: statement.int64(17)),
            updatedBy: StoredUserRef(id: statement.int64(18), name: statement.text(19)),
            businessID: statement.optionalText(21), registryStatus: statement.optionalText(22),
            registryCheckedAt: statement.optionalInt64(23).map { Date(milliseconds: $0) })
    }

    /// The writable fields of a stored customer, to apply changes on.
    static func fields(of customer: StoredCustomer) -> StoredCustomerFields {
        StoredCustomerFields(number: customer.number, name: customer.name, accountManagerID: customer.accountManager?.id,
                       description: customer.description, vatNumber: customer.vatNumber,
                       businessID: customer.businessID, country: customer.country,
                       industry: customer.industry, email: customer.email, website: customer.website,
                       phone: customer.phone)
    }

    /// Reads one customer by a unique key (`byID` or `byNumber`), or `nil`.
    static func fetch(_ connection: SQLiteConnection, _ sql: String, key: Int64) throws -> StoredCustomer? {
        try connection.withStatement(sql) { statement in
            try statement.bind(key, at: 1)
            guard try statement.step() else { return nil }
            var customer = decode(statement)
            customer.headOffice = AddressRow.decode(statement, at: headOfficeColumn)
            return customer
        }
    }
}
