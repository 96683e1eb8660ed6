import SQLiteEngine

/// The SELECTs that read sales cases and projects, and their decoding (user names through ``UserNames``).
enum ProjectRow {
    private static let select = """
        SELECT p.id, p.customer_id, p.kind, p.name, p.stage, p.probability, p.expected_value, p.expected_currency,
               p.expected_close, p.outcome, p.lost_reason, p.number, p.status, p.manager_id,
               p.starts_on, p.ends_on, p.currency, p.version, p.created_at, p.created_by, p.updated_at, p.updated_by
        FROM projects p
        """
    private static let byID = select + " WHERE p.id = ?"

    /// A customer's records that pass `filter`, newest first: one index range scan.
    private static func byCustomer(_ filter: ProjectFilter) -> String {
        let condition = switch filter {
        case .all: "1"
        case .salesCases: "p.kind = 'salesCase'"
        case .projects: "p.kind = 'project'"
        case .open: "(p.kind = 'project' AND p.status = 'open' OR p.kind = 'salesCase' AND p.outcome = 'open')"
        case .closed: "(p.kind = 'project' AND p.status = 'closed' OR p.kind = 'salesCase' AND p.outcome = 'lost')"
        }
        return select + " WHERE p.customer_id = ? AND \(condition) ORDER BY p.id DESC"
    }

    private static func decode(_ statement: SQLiteStatement, users: UserNames) throws -> StoredProject {
        StoredProject(
            id: try statement.int64("id"), customerID: try statement.int64("customer_id"),
            kind: ProjectKind(rawValue: try statement.text("kind")) ?? .project, name: try statement.text("name"),
            stage: try statement.optionalText("stage"),
            probability: try statement.optionalInt64("probability").map { Int(truncatingIfNeeded: $0) },
            expectedValue: DecimalText.value(try statement.optionalText("expected_value")),
            expectedCurrency: try statement.optionalText("expected_currency"),
            expectedClose: try statement.optionalText("expected_close"),
            outcome: try statement.optionalText("outcome").flatMap(ProjectOutcome.init),
            lostReason: try statement.optionalText("lost_reason"), number: try statement.optionalInt64("number"),
            status: try statement.optionalText("status").flatMap(ProjectStatus.init),
            manager: try users.optionalRef(statement, "manager_id"),
            startsOn: try statement.optionalText("starts_on"), endsOn: try statement.optionalText("ends_on"),
            currency: try statement.optionalText("currency"),
            version: try statement.int64("version"), createdAt: .init(milliseconds: try statement.int64("created_at")),
            createdBy: try users.ref(statement, "created_by"),
            updatedAt: .init(milliseconds: try statement.int64("updated_at")),
            updatedBy: try users.ref(statement, "updated_by"))
    }

    /// One record by id, or nil.
    static func fetch(_ connection: SQLiteConnection, id: Int64) throws -> StoredProject? {
        let users = UserNames(connection)
        return try connection.withStatement(byID) { statement in
            try statement.bind(id, at: 1)
            return try statement.step() ? try decode(statement, users: users) : nil
        }
    }

    /// A customer's records passing `filter`, newest first.
    /// - Parameter users: the read's user names, when it reads more rows than these.
    static func fetchAll(_ connection: SQLiteConnection, customerID: Int64, filter: ProjectFilter,
                         users: UserNames? = nil) throws -> [StoredProject] {
        let users = UserNames.of(connection, sharing: users)
        return try connection.withStatement(byCustomer(filter)) { statement in
            try statement.bind(customerID, at: 1)
            var projects: [StoredProject] = []
            while try statement.step() { projects.append(try decode(statement, users: users)) }
            return projects
        }
    }

    /// The sales-and-projects tab: one query, split by kind.
    static func salesAndProjects(_ connection: SQLiteConnection, customerID: Int64,
                                 users: UserNames? = nil) throws -> SalesAndProjects {
        let all = try fetchAll(connection, customerID: customerID, filter: .all, users: users)
        return SalesAndProjects(salesCases: all.filter { $0.kind == .salesCase }, projects: all.filter { $0.kind == .project })
    }
}

extension StoredProject {
    /// The fields the history compares, by API name, as text (the manager by name).
    var historyValues: HistoryLog.Values {
        [("kind", kind.rawValue), ("name", name), ("stage", stage), ("probability", probability.map { String($0) }),
         ("expectedValue", expectedValue.map(DecimalText.text)), ("expectedCurrency", expectedCurrency),
         ("expectedClose", expectedClose), ("outcome", outcome?.rawValue), ("lostReason", lostReason),
         ("number", number.map { String($0) }), ("status", status?.rawValue), ("manager", manager?.name),
         ("startsOn", startsOn), ("endsOn", endsOn), ("currency", currency)]
    }
}
