import SQLiteEngine

/// A listing's filter and order, normalised once, turned into keyset-paginated SQL.
struct CustomerListingQuery {
    let order: CustomerOrder
    /// Read by name across both statuses, as two merged ranges of one index (see `sqlText`).
    private let mergesStatuses: Bool
    /// Identifies the filter and order inside page tokens.
    let fingerprint: UInt64
    private let conditions: [String]
    private let values: [SQLValue]
    /// The search's terms asked of the trigram index; `nil` without a search or with a term too
    /// short for it (the LIKE over every row stays).
    let searchIndex: SearchIndexQuery?

    /// The longest search term, in code points: no searched field is longer (an email's 254 bytes),
    /// and SQLite fails a LIKE pattern over 50 000 bytes (SQLITE_LIMIT_LIKE_PATTERN_LENGTH) with an
    /// error, which a 60 000-character search turned into INTERNAL and an error log line per call.
    static let maxSearchLength = 256

    init(_ filter: CustomerFilter, order: CustomerOrder) throws {
        self.order = order
        mergesStatuses = order == .byName && filter.status == .all
        var conditions: [String] = []
        var values: [SQLValue] = []
        switch filter.status {
        case .active: conditions.append("c.active = 1")
        case .inactive: conditions.append("c.active = 0")
        case .all: break
        }
        // The search column separates fields with line feeds: a term must not reach across them.
        if let search = filter.search {
            // Screened as any field is (the term itself is made by SearchKey below).
            var screened: String?
            var violations: [FieldViolation] = []
            CustomerValidator.normalise(search, field: "search", maxLength: Self.maxSearchLength, &screened, &violations)
            if !violations.isEmpty { throw StoreError.invalidArgument(violations) }
        }
        let term = SearchKey.term(filter.search)
        var searchIndex: SearchIndexQuery?
        if let term {
            // A VAT number or business id matches in any spelling: the stored ones have no
            // separators, so the term is also tried without them.
            if let identifier = SearchKey.identifierTerm(term) {
                conditions.append("(c.search_text LIKE ? ESCAPE '\\' OR c.search_text LIKE ? ESCAPE '\\')")
                values += [.text(SearchKey.containsPattern(term)), .text(SearchKey.containsPattern(identifier))]
                searchIndex = SearchIndexQuery(terms: [term, identifier])
            } else {
                conditions.append("c.search_text LIKE ? ESCAPE '\\'")
                values.append(.text(SearchKey.containsPattern(term)))
                searchIndex = SearchIndexQuery(terms: [term])
            }
        }
        self.searchIndex = searchIndex
        let country = filter.country?.trimmingWhitespace().uppercased()
        if let country, !country.isEmpty {
            guard CountryCodes.assigned.contains(country) else {
                throw StoreError.invalid("country", "must be an assigned ISO 3166-1 alpha-2 code")
            }
            conditions.append("c.country = ?")
            values.append(.text(country))
        }
        if let manager = filter.accountManagerID {
            conditions.append("c.account_manager_id = ?")
            values.append(.integer(manager))
        }
        let changedSince = try filter.changedSince.map { try TimestampRange.milliseconds($0, field: "changedSince") }
        if let changedSince {
            conditions.append("c.updated_at >= ?")
            values.append(.integer(changedSince))
        } else if filter.status != .active {
            // An erased customer (inactive by then) is listed only to those who sync changes,
            // so they learn of the erasure; an active one is never deleted.
            conditions.append("c.deleted = 0")
        }
        self.conditions = conditions
        self.values = values
        let canonical = [order.rawValue, filter.status.rawValue, term ?? "", country ?? "",
                         filter.accountManagerID.map(String.init) ?? "", changedSince.map(String.init) ?? ""]
        fingerprint = PageToken.fingerprint(canonical)
    }

    /// The SELECT of one page and its bound values (the keyset condition only after a position).
    ///
    /// - Parameter candidates: the search's index, when it gives few candidates
    ///   (``SearchIndexQuery/isSelective(_:)``): the page is read from those by rowid
    ///   (`NOT INDEXED`: else SQLite walked the order's index over every customer, testing each id
    ///   against them) and sorted, the same rows in the same order as the scan.
    func sqlText(after position: ListPosition?, limit: Int, candidates: SearchIndexQuery? = nil)
        -> (sql: String, values: [SQLValue]) {
        var conditions = self.conditions
        var values = self.values
        if let position {
            switch order {
            case .byName:
                // `(c.name_key, c.id) > (?, ?)` spelled so that SQLite seeks on its first term and
                // tests each row with one comparison that is true past the position's own name key:
                // it seeks on `name_key > ?` either way and tested the row value on every row (in
                // the sqlite3 shell under callgrind, `sqlite3_step` of a page of 50 from a random
                // position 264 770 → 261 250 instructions; docs/performance/HISTORY.md "read19").
                conditions.append("c.name_key >= ? AND (c.name_key > ? OR c.id > ?)")
                values += [.text(position.nameKey), .text(position.nameKey), .integer(position.id)]
            case .byNumber:
                conditions.append("c.number > ?")
                values.append(.integer(position.number))
            case .byID:
                conditions.append("c.id > ?")
                values.append(.integer(position.id))
            }
        }
        var sql: String
        if let candidates {
            let (condition, candidateValues) = candidates.condition
            sql = ""
            Self.appendSelect(to: &sql, conditions + [condition], columns: CustomerRow.selectByRowid)
            sql += order.orderBy
            values += candidateValues
        } else if mergesStatuses {
            // The one name index is (active, name_key, id) (migration 22): every status by name is
            // its inactive range and its active range, which SQLite merges in order (the plan's
            // `MERGE (UNION ALL)`) and stops at the LIMIT; both arms bind the same values.
            sql = "SELECT * FROM ("
            Self.appendSelect(to: &sql, conditions + ["c.active = 0"])
            sql += " UNION ALL "
            Self.appendSelect(to: &sql, conditions + ["c.active = 1"])
            sql += ") ORDER BY name_key, id"
            values += values
        } else {
            sql = ""
            Self.appendSelect(to: &sql, conditions)
            sql += order.orderBy
        }
        sql += " LIMIT ?"
        values.append(.integer(Int64(limit) + 1))

        return (sql, values)
    }

    /// The ids of every customer the query matches, in its order (the first column), and the
    /// values to bind: the start of a stream (``StreamIDs``). Reads the order's index and, for a
    /// condition it does not hold, the row.
    func idsSQLText() -> (sql: String, values: [SQLValue]) {
        var sql: String
        var values = self.values
        if mergesStatuses {
            // As `sqlText`: every status by name is two merged ranges of the (active, name_key, id)
            // index. Ordered by the compound's own columns: wrapped in a subquery, as `sqlText`
            // is, with no LIMIT SQLite scanned both ranges and sorted them all.
            sql = ""
            Self.appendSelect(to: &sql, conditions + ["c.active = 0"], columns: Self.idColumns)
            sql += " UNION ALL "
            Self.appendSelect(to: &sql, conditions + ["c.active = 1"], columns: Self.idColumns)
            sql += " ORDER BY 2, 1"
            values += values
        } else {
            sql = ""
            Self.appendSelect(to: &sql, conditions, columns: Self.idColumns)
            sql += order.orderBy
        }
        return (sql, values)
    }

    private static let idColumns = "SELECT c.id, c.name_key FROM customers c"

    /// The customers of `ids` (a stream's next batch, ``StreamIDs``) that still match the query,
    /// in the order of `ids`: one erased, or changed so that it no longer matches, since the
    /// stream's start is left out. `slots`: see ``StreamIDs/membership(_:ids:slots:)``.
    func customers(_ connection: SQLiteConnection, ids: [Int64], slots: Int) throws -> [StoredCustomer] {
        let (sql, values) = sqlText(ids: ids, slots: slots)
        let users = UserNames(connection)
        var found: [Int64: StoredCustomer] = [:]
        found.reserveCapacity(ids.count)
        try connection.withStatement(sql) { statement in
            try statement.bind(values)
            try statement.forEachRow(CustomerRow.Columns.self) { columns in
                let row = CustomerListingRow(statement: statement, columns: columns, users: users, headOfficeColumns: nil)
                found[try row.id] = try row.stored()
            }
        }
        return ids.compactMap { found[$0] }
    }

    /// The SELECT of ``customers(_:ids:slots:)`` and its bound values.
    func sqlText(ids: [Int64], slots: Int) -> (sql: String, values: [SQLValue]) {
        var sql = ""
        let members = StreamIDs.membership("c.id", ids: ids, slots: slots)
        Self.appendSelect(to: &sql, conditions + [members.condition], columns: CustomerRow.selectByRowid)
        return (sql, values + members.values)
    }

    /// Appended in place: `joined(separator:)` and `+` made two more strings of the SELECT's
    /// ~600 bytes a page (~14 000 instructions with the fingerprint's, callgrind).
    private static func appendSelect(to sql: inout String, _ conditions: [String], columns: String = CustomerRow.select) {
        sql += columns
        for (index, condition) in conditions.enumerated() {
            sql += index == 0 ? " WHERE " : " AND "
            sql += condition
        }
    }

    /// One page of stored customers (see below).
    func page(_ connection: SQLiteConnection, after position: ListPosition?, limit: Int, reading: SearchRead = .chosen)
        throws -> (customers: [StoredCustomer], last: ListPosition?, hasMore: Bool) {
        var customers: [StoredCustomer] = []
        customers.reserveCapacity(limit)
        let (last, hasMore) = try page(connection, after: position, limit: limit, reading: reading) {
            customers.append(try $0.stored())
        }
        return (customers, last, hasMore)
    }

    /// One page: at most `limit` customers after `position`, each row lent to `each` as it is
    /// read (see ``CustomerListingRow``), whether more follow, and where it ended when it is full (`last` is nil otherwise:
    /// only a full page has a next one).
    ///
    /// Asks for `limit + 1` rows: the extra one only tells whether a next page exists. The keyset
    /// condition `(name_key, id) > (?, ?)` (or `number > ?`) plus ORDER BY on an index makes every
    /// page one index range scan, whatever its depth (no OFFSET).
    func page(_ connection: SQLiteConnection, after position: ListPosition?, limit: Int, reading: SearchRead = .chosen,
              each: (CustomerListingRow) throws -> Void) throws -> (last: ListPosition?, hasMore: Bool) {
        let candidates: SearchIndexQuery? = switch reading {
        case .chosen: try searchIndex.flatMap { try $0.isSelective(connection) ? $0 : nil }
        case .scan: nil
        case .index: searchIndex
        }
        let (sql, values) = sqlText(after: position, limit: limit, candidates: candidates)
        let users = UserNames(connection)
        return try connection.withStatement(sql) { statement in
            try statement.bind(values)
            var count = 0
            var last: ListPosition?
            var hasMore = false
            // At most `limit + 1` rows (the LIMIT): the extra one only says that more follow.
            try statement.forEachRow(CustomerRow.Columns.self) { columns in
                if count == limit {
                    hasMore = true
                    return
                }
                let row = CustomerListingRow(statement: statement, columns: columns, users: users, headOfficeColumns: nil)
                count += 1
                // The sort key of the page's last row only: reading it for every row cost a
                // string a row that nothing read.
                if count == limit {
                    last = ListPosition(id: try row.id, number: try row.number, nameKey: try statement.text(columns.nameKey))
                }
                try each(row)
            }
            return (last, hasMore)
        }
    }
}

extension CustomerOrder {
    /// The ORDER BY of a listing of `customers c` in this order.
    fileprivate var orderBy: String {
        switch self {
        case .byName: " ORDER BY c.name_key, c.id"
        case .byNumber: " ORDER BY c.number"
        case .byID: " ORDER BY c.id"
        }
    }
}
