import SQLiteEngine

/// The SELECTs that read sales cases and projects with their users' names, and their decoding.
enum ProjectRow {
    private static let select = """
        SELECT p.id, p.customer_id, p.kind, p.name, p.stage, p.probability, p.expected_value, p.expected_currency,
               p.expected_close, p.outcome, p.lost_reason, p.number, p.status, p.manager_id, m.name, p.starts_on,
               p.ends_on, p.currency, p.version, p.created_at, p.created_by, cb.name, p.updated_at, p.updated_by, ub.name
        FROM projects p
        LEFT JOIN users m ON m.id = p.manager_id
        JOIN users cb ON cb.id = p.created_by
        JOIN users ub ON ub.id = p.updated_by
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

    private static func decode(_ statement: SQLiteStatement) -> Project {
        Project(
            id: statement.int64(0), customerID: statement.int64(1),
            kind: ProjectKind(rawValue: statement.text(2)) ?? .project, name: statement.text(3),
            stage: statement.optionalText(4), probability: statement.optionalInt64(5).map { Int($0) },
            expectedValue: DecimalText.value(statement.optionalText(6)), expectedCurrency: statement.optionalText(7),
            expectedClose: statement.optionalText(8), outcome: statement.optionalText(9).flatMap(ProjectOutcome.init),
            lostReason: statement.optionalText(10), number: statement.optionalInt64(11),
            status: statement.optionalText(12).flatMap(ProjectStatus.init),
            manager: statement.optionalInt64(13).map { UserRef(id: $0, name: statement.text(14)) },
            startsOn: statement.optionalText(15), endsOn: statement.optionalText(16), currency: statement.optionalText(17),
            version: statement.int64(18), createdAt: .init(milliseconds: statement.int64(19)),
            createdBy: UserRef(id: statement.int64(20), name: statement.text(21)),
            updatedAt: .init(milliseconds: statement.int64(22)),
            updatedBy: UserRef(id: statement.int64(23), name: statement.text(24)))
    }

    /// One record by id, or nil.
    static func fetch(_ connection: SQLiteConnection, id: Int64) throws -> Project? {
        try connection.withStatement(byID) { statement in
            try statement.bind(id, at: 1)
            return try statement.step() ? decode(statement) : nil
        }
    }

    /// A customer's records passing `filter`, newest first.
    static func fetchAll(_ connection: SQLiteConnection, customerID: Int64, filter: ProjectFilter) throws -> [Project] {
        try connection.withStatement(byCustomer(filter)) { statement in
            try statement.bind(customerID, at: 1)
            var projects: [Project] = []
            while try statement.step() { projects.append(decode(statement)) }
            return projects
        }
    }

    /// The sales-and-projects tab: one query, split by kind.
    static func salesAndProjects(_ connection: SQLiteConnection, customerID: Int64) throws -> SalesAndProjects {
        let all = try fetchAll(connection, customerID: customerID, filter: .all)
        return SalesAndProjects(salesCases: all.filter { $0.kind == .salesCase }, projects: all.filter { $0.kind == .project })
    }
}

extension Project {
    /// The fields the history compares, by API name, as text (the manager by name).
    var historyValues: HistoryLog.Values {
        [("kind", kind.rawValue), ("name", name), ("stage", stage), ("probability", probability.map { String($0) }),
         ("expectedValue", expectedValue.map(DecimalText.text)), ("expectedCurrency", expectedCurrency),
         ("expectedClose", expectedClose), ("outcome", outcome?.rawValue), ("lostReason", lostReason),
         ("number", number.map { String($0) }), ("status", status?.rawValue), ("manager", manager?.name),
         ("startsOn", startsOn), ("endsOn", endsOn), ("currency", currency)]
    }
}
