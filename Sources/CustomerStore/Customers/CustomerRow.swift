import Foundation
import SQLiteEngine

/// The SELECT that reads customers, and its decoding (user names through ``UserNames``).
///
/// One column list for every read, so point reads and listings decode the same way.
@usableFromInline enum CustomerRow {
    /// User ids only: their names come from ``UserNames``, once per read.
    private static let columns = """
        c.id, c.number, c.name, c.account_manager_id, c.description, c.vat_number,
        c.country, ind.name AS industry, c.email, c.website, c.phone, c.active, c.version,
        c.created_at, c.created_by, c.updated_at, c.updated_by,
        c.name_key, c.business_id, c.registry_status, c.registry_checked_at, c.deleted
        """
    private static let joins = """
        FROM customers c
        LEFT JOIN industries ind ON ind.id = c.industry_id
        """
    /// Listings: the customer without its head office.
    static let select = "SELECT \(columns) \(joins)"
    /// `select` for rows named by id (a stream's batch, `c.id IN (…)`): `NOT INDEXED` leaves SQLite
    /// the rowid alone, which it chose over scanning an index of the filter's (every active
    /// customer, by `customers_by_status_number`) and testing each row against the list.
    static let selectByRowid = "SELECT \(columns) " + joins.replacingOccurrences(of: "FROM customers c", with: "FROM customers c NOT INDEXED")
    /// Point reads: the head office folded into the same statement (a rowid lookup of the
    /// address), so `customer(id:)` stays one statement.
    private static let selectWithHeadOffice = """
        SELECT \(columns), \(AddressRow.columns("ho")) \(joins)
        LEFT JOIN addresses ho ON ho.id = c.head_office_address_id
        """
    static let byID = selectWithHeadOffice + " WHERE c.id = ?"
    /// The card's point read (`CardCustomer`): `byID` with what the card's later reads need to
    /// know folded in, each a probe of a primary key or an index. Columns appended after the
    /// head office's, so `ColumnsWithHeadOffice` reads it as it reads `byID`.
    static let byIDForCard = """
        SELECT \(columns), \(AddressRow.columns("ho")),
               EXISTS (SELECT 1 FROM customer_segments cs WHERE cs.customer_id = c.id) AS has_segment,
               EXISTS (SELECT 1 FROM projects p WHERE p.customer_id = c.id) AS has_project
        \(joins)
        LEFT JOIN addresses ho ON ho.id = c.head_office_address_id
        WHERE c.id = ?
        """
    static let byNumber = selectWithHeadOffice + " WHERE c.number = ?"

    /// Column name of the name sort key that page tokens carry.
    static let nameKeyColumn = "name_key"

    /// The columns `decode` reads, found by name once per prepared statement.
    @usableFromInline struct Columns: ColumnLayout {
        @usableFromInline let id, number, name, accountManagerID, description, vatNumber, country, industry, email,
            website, phone, active, version, createdAt, createdBy, updatedAt, updatedBy,
            nameKey, businessID, registryStatus, registryCheckedAt, deleted: Column

        @usableFromInline init(resolving statement: SQLiteStatement) throws {
            (id, number, name) = (try statement.column("id"), try statement.column("number"), try statement.column("name"))
            accountManagerID = try statement.column("account_manager_id")
            (description, vatNumber) = (try statement.column("description"), try statement.column("vat_number"))
            (country, industry) = (try statement.column("country"), try statement.column("industry"))
            (email, website, phone) = (try statement.column("email"), try statement.column("website"), try statement.column("phone"))
            (active, version) = (try statement.column("active"), try statement.column("version"))
            (createdAt, createdBy) = (try statement.column("created_at"), try statement.column("created_by"))
            (updatedAt, updatedBy) = (try statement.column("updated_at"), try statement.column("updated_by"))
            nameKey = try statement.column(CustomerRow.nameKeyColumn)
            (businessID, registryStatus) = (try statement.column("business_id"), try statement.column("registry_status"))
            registryCheckedAt = try statement.column("registry_checked_at")
            deleted = try statement.column("deleted")
        }
    }

    /// The columns of `byID` and `byNumber`: the customer's and its head office's.
    struct ColumnsWithHeadOffice: ColumnLayout {
        let customer: Columns
        let headOffice: AddressRow.Columns

        init(resolving statement: SQLiteStatement) throws {
            customer = try Columns(resolving: statement)
            headOffice = try AddressRow.Columns(resolving: statement, alias: "ho")
        }
    }

    static func decode(_ statement: SQLiteStatement, _ c: Columns, users: UserNames) throws -> StoredCustomer {
        let manager = try users.optionalRef(statement, c.accountManagerID)
        let deleted = try statement.bool(c.deleted)
        // A tombstone's name column only holds its number, to satisfy the NOT NULL (migration 11).
        return StoredCustomer(
            id: try statement.int64(c.id), number: try statement.int64(c.number),
            name: deleted ? "" : try statement.text(c.name), accountManager: manager,
            description: try statement.optionalText(c.description), vatNumber: try statement.optionalText(c.vatNumber),
            country: try statement.optionalText(c.country), industry: try statement.optionalText(c.industry),
            email: try statement.optionalText(c.email), website: try statement.optionalText(c.website),
            phone: try statement.optionalText(c.phone), active: try statement.bool(c.active), deleted: deleted,
            version: try statement.int64(c.version), createdAt: Date(milliseconds: try statement.int64(c.createdAt)),
            createdBy: try users.ref(statement, c.createdBy),
            updatedAt: Date(milliseconds: try statement.int64(c.updatedAt)),
            updatedBy: try users.ref(statement, c.updatedBy),
            businessID: try statement.optionalText(c.businessID), registryStatus: try statement.optionalText(c.registryStatus),
            registryCheckedAt: try statement.optionalInt64(c.registryCheckedAt).map { Date(milliseconds: $0) })
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
    /// - Parameter users: the read's user names, when it reads more rows than this one.
    static func fetch(_ connection: SQLiteConnection, _ sql: String, key: Int64,
                      users: UserNames? = nil) throws -> StoredCustomer? {
        do {
            return try withFoundRow(connection, sql, key: key, users: users) { try $0.stored() }
        } catch is NoSuchRow {
            return nil
        }
    }

    /// No customer has the key ``withFoundRow(_:_:key:users:_:)`` was given.
    struct NoSuchRow: Error {}

    /// Lends the customer of a unique key (`byID` or `byNumber`) to `body` as its row, with its head
    /// office; throws ``NoSuchRow`` when no customer has that key.
    ///
    /// Why a thrown miss rather than a `T?`: a server's get calls the store's generic `withCustomer` unspecialised (its `T` is the
    /// server's), and a `T?` made the runtime look `Optional<T>`'s metadata up twice a get (~650
    /// instructions, callgrind, docs/performance/HISTORY.md "call16"); a miss pays a thrown error instead.
    static func withFoundRow<T>(_ connection: SQLiteConnection, _ sql: String, key: Int64, users: UserNames? = nil,
                                _ body: (CustomerListingRow) throws -> T) throws -> T {
        let users = UserNames.of(connection, sharing: users)
        return try connection.withStatement(sql) { statement in
            try statement.bind(key, at: 1)
            guard try statement.step() else { throw NoSuchRow() }
            let columns = try statement.layout(ColumnsWithHeadOffice.self)
            return try body(CustomerListingRow(statement: statement, columns: columns.customer, users: users,
                                               headOfficeColumns: columns.headOffice))
        }
    }
}
