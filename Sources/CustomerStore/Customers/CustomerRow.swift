import Foundation
import SQLiteEngine

/// The SELECT that reads customers with their users' names, and its decoding.
///
/// One column list for every read, so point reads and listings decode the same way.
enum CustomerRow {
    private static let columns = """
        c.id, c.number, c.name, c.account_manager_id, am.name AS account_manager_name, c.description, c.vat_number,
        c.country, ind.name AS industry, c.email, c.website, c.phone, c.active, c.version,
        c.created_at, c.created_by, cb.name AS created_by_name, c.updated_at, c.updated_by, ub.name AS updated_by_name,
        c.name_key, c.business_id, c.registry_status, c.registry_checked_at, c.deleted
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
    /// The names of the head office's columns in `byID` and `byNumber`.
    private static let headOffice = AddressRow.Columns("ho")

    /// Column name of the name sort key that page tokens carry.
    static let nameKeyColumn = "name_key"

    static func decode(_ statement: SQLiteStatement) throws -> StoredCustomer {
        // In SELECT order, `deleted` (the last column) included, so each name is found at the
        // statement's hint (see `SQLiteStatement.columnIndex`).
        let id = try statement.int64("id"), number = try statement.int64("number"), storedName = try statement.text("name")
        let manager = try statement.optionalInt64("account_manager_id").map {
            StoredUserRef(id: $0, name: try statement.text("account_manager_name"))
        }
        let description = try statement.optionalText("description"), vatNumber = try statement.optionalText("vat_number")
        let country = try statement.optionalText("country"), industry = try statement.optionalText("industry")
        let email = try statement.optionalText("email"), website = try statement.optionalText("website")
        let phone = try statement.optionalText("phone"), active = try statement.bool("active")
        let version = try statement.int64("version"), createdAt = Date(milliseconds: try statement.int64("created_at"))
        let createdBy = StoredUserRef(id: try statement.int64("created_by"), name: try statement.text("created_by_name"))
        let updatedAt = Date(milliseconds: try statement.int64("updated_at"))
        let updatedBy = StoredUserRef(id: try statement.int64("updated_by"), name: try statement.text("updated_by_name"))
        let businessID = try statement.optionalText("business_id"), registryStatus = try statement.optionalText("registry_status")
        let registryCheckedAt = try statement.optionalInt64("registry_checked_at").map { Date(milliseconds: $0) }
        let deleted = try statement.bool("deleted")
        // A tombstone's name column only holds its number, to satisfy the NOT NULL (migration 11).
        return StoredCustomer(
            id: id, number: number, name: deleted ? "" : storedName, accountManager: manager, description: description,
            vatNumber: vatNumber, country: country, industry: industry, email: email, website: website, phone: phone,
            active: active, deleted: deleted, version: version, createdAt: createdAt, createdBy: createdBy,
            updatedAt: updatedAt, updatedBy: updatedBy, businessID: businessID, registryStatus: registryStatus,
            registryCheckedAt: registryCheckedAt)
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
            var customer = try decode(statement)
            customer.headOffice = try AddressRow.decode(statement, headOffice)
            return customer
        }
    }
}
