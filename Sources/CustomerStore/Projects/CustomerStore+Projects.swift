import Foundation
import SQLiteEngine

extension CustomerStore {
    /// Creates an open sales case of a customer.
    /// - Throws: `notFound` (customer); `invalidArgument` listing every invalid field, including
    ///   project fields given to a sales case; `brokenRule` for an unknown acting user.
    public func createSalesCase(customerID: Int64, _ fields: StoredProjectFields, by author: Author) throws -> StoredProject {
        try insertProject(customerID: customerID, kind: .salesCase, fields, by: author)
    }

    /// Creates a project of a customer, open unless `status` says otherwise, numbered from the
    /// sequence (1001 upward) unless `number` is given.
    /// - Throws: as `createSalesCase` (sales case fields are refused); `alreadyExists` on `number`.
    public func createProject(customerID: Int64, _ fields: StoredProjectFields, by author: Author) throws -> StoredProject {
        try insertProject(customerID: customerID, kind: .project, fields, by: author)
    }

    /// Changes the given fields of a sales case or project (only fields of its kind); version +1.
    /// When every given field equals the stored one once normalised, nothing is written and the
    /// project is returned as it is (no version, no history entry, no feed event).
    /// - Throws: `notFound`, `aborted` on a stale `expectedVersion`, `invalidArgument` (every invalid
    ///   field, wrong-kind fields named), `alreadyExists` on `number`.
    public func updateProject(id: Int64, _ changes: ProjectChanges, expectedVersion: Int64?,
                              by author: Author) throws -> StoredProject {
        try write { connection in
            let current = try requireWritableProject(connection, id: id)
            try Self.checkVersion(expectedVersion, current: current.version, of: "project \(id)")
            let (columns, violations) = ProjectValidator.apply(changes, kind: current.kind, onto: ProjectColumns(current))
            try Self.checkReferences(connection, user: changes.managerID != nil ? columns.managerID : nil,
                                     field: "manager", violations: violations, by: author)
            // Every given field as stored: the project as it is, nothing written (as a customer's update).
            if HistoryLog.isUnchanged(from: ProjectColumns(current).values, to: columns.values) { return current }
            return try rewrite(connection, current, kind: current.kind, outcome: current.outcome,
                               lostReason: current.lostReason, columns: columns, action: .updated, by: author)
        }
    }

    /// The sales case or project with this id. - Throws: `notFound`.
    public func project(id: Int64) throws -> StoredProject {
        try readOne { try requireProject($0, id: id) }
    }

    /// A customer's sales cases and projects passing `filter`, newest first (by id).
    /// `.open`: open projects and open sales cases; `.closed`: closed projects and lost sales cases.
    /// - Throws: `notFound` (customer).
    public func projects(customerID: Int64, filter: ProjectFilter = .all) throws -> [StoredProject] {
        try read { connection in
            try Self.requireWritableCustomer(connection, customerID: customerID)
            return try ProjectRow.fetchAll(connection, customerID: customerID, filter: filter)
        }
    }

    /// The card's sales-and-projects tab: the customer's sales cases and projects, newest first, in one query.
    /// - Throws: `notFound` (customer).
    public func salesAndProjects(customerID: Int64) throws -> SalesAndProjects {
        try read { connection in
            try Self.requireWritableCustomer(connection, customerID: customerID)
            return try ProjectRow.salesAndProjects(connection, customerID: customerID)
        }
    }

    // MARK: Writing helpers

    private func insertProject(customerID: Int64, kind: ProjectKind, _ fields: StoredProjectFields,
                               by author: Author) throws -> StoredProject {
        var (columns, violations) = ProjectValidator.apply(ProjectChanges(fields), kind: kind, onto: ProjectColumns())
        return try write { connection in
            try Self.requireWritableCustomer(connection, customerID: customerID)
            try Self.checkReferences(connection, user: columns.managerID, field: "manager", violations: violations,
                                     by: author)
            if kind == .project, columns.number == nil { columns.number = try NumberSequence.projects.next(connection) }
            let now = nowMilliseconds()
            try connection.run("""
                INSERT INTO projects (customer_id, kind, outcome, name, stage, probability, expected_value,
                    expected_currency, expected_close, number, status, manager_id, starts_on, ends_on, currency,
                    version, created_at, created_by, updated_at, updated_by)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?, ?, ?)
                """, [.integer(customerID), .text(kind.rawValue), kind == .salesCase ? .text("open") : .null]
                    + columns.values + [.integer(now), .integer(author.userID), .integer(now), .integer(author.userID)])
            let id = connection.lastInsertRowID
            if let number = columns.number { try NumberSequence.projects.advance(connection, past: number) }
            let project = try requireProject(connection, id: id)
            try HistoryLog.append(connection, .project, id: id, customerID: customerID, .created, at: now, by: author,
                                  changes: HistoryLog.creation(project.historyValues))
            return project
        }
    }

    /// Writes every column of a stored record, version +1, and appends its history entry with the
    /// fields that really changed. Shared by update, win and lose.
    func rewrite(_ connection: SQLiteConnection, _ current: StoredProject, kind: ProjectKind, outcome: ProjectOutcome?,
                 lostReason: String?, columns: ProjectColumns, action: HistoryAction, by author: Author) throws -> StoredProject {
        let now = nextUpdatedAt(after: current.updatedAt)
        try connection.run("""
            UPDATE projects SET kind = ?, outcome = ?, lost_reason = ?, name = ?, stage = ?, probability = ?,
                expected_value = ?, expected_currency = ?, expected_close = ?, number = ?, status = ?, manager_id = ?,
                starts_on = ?, ends_on = ?, currency = ?, version = version + 1, updated_at = ?, updated_by = ?
            WHERE id = ?
            """, [.text(kind.rawValue), SQLValue(outcome?.rawValue), SQLValue(lostReason)] + columns.values
                + [.integer(now), .integer(author.userID), .integer(current.id)])
        if let number = columns.number { try NumberSequence.projects.advance(connection, past: number) }
        let updated = try requireProject(connection, id: current.id)
        try HistoryLog.append(connection, .project, id: current.id, customerID: current.customerID, action, at: now,
                              by: author, changes: HistoryLog.changes(from: current.historyValues,
                                                                      to: updated.historyValues))
        return updated
    }

    /// Adds the check that needs the database (a newly set user reference, e.g. the manager, exists)
    /// to the validator's violations, refuses them all together, then checks the acting user.
    /// - Parameter user: the referenced user id when the call sets it, else nil; `field` is its API name.
    static func checkReferences(_ connection: SQLiteConnection, user: Int64?, field: String,
                                violations: [FieldViolation], by author: Author) throws {
        var violations = violations
        if let user, try !userExists(connection, id: user) {
            violations.append(FieldViolation(field: field, reason: "no user has id \(user)"))
        }
        if !violations.isEmpty { throw StoreError.invalidArgument(violations) }
        try requireActingUser(connection, author)
    }

    /// The project `field` (the request's) names, for a write to it or to its tasks, notes or
    /// forecasts: an erased customer's projects stay as they were, as its other records do.
    /// - Throws: `notFound`; `failedPrecondition` naming `field` when its customer is deleted.
    func requireWritableProject(_ connection: SQLiteConnection, id: Int64, field: String = "id") throws -> StoredProject {
        let project = try requireProject(connection, id: id, field: field)
        try Self.requireWritableCustomer(connection, customerID: project.customerID, field: field)
        return project
    }

    /// Whether `projectID` is a project of `customerID`. A request naming a project for one of its
    /// customer's records asks this only, so another customer's project and a missing one read
    /// alike and a caller with own scope learns nothing of projects it may not read.
    static func isProject(_ connection: SQLiteConnection, _ projectID: Int64, of customerID: Int64) throws -> Bool {
        try connection.withStatement("SELECT EXISTS (SELECT 1 FROM projects WHERE id = ? AND customer_id = ?)") {
            try $0.bind([.integer(projectID), .integer(customerID)])
            return try $0.step() && $0.int64(0) != 0
        }
    }

    /// The project `field` (the request's) names. - Throws: `notFound`.
    func requireProject(_ connection: SQLiteConnection, id: Int64, field: String = "id") throws -> StoredProject {
        guard let project = try ProjectRow.fetch(connection, id: id) else {
            throw StoreError.notFound("project \(id) does not exist", field: field)
        }
        return project
    }
}
