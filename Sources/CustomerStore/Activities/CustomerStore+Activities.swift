import Foundation
import SQLiteEngine

extension CustomerStore {
    static let maxNote = 4_000
    static let maxSubject = 200

    /// Adds a note (done from the start) to a customer, optionally about one of its contacts and
    /// belonging to one of its projects.
    /// - Throws: `notFound` (customer); `invalidArgument` on `text`, `contactId` or `projectId` (a
    ///   project that is not the customer's, another's or none); `failedPrecondition` for
    ///   a deleted contact or an unknown acting user.
    public func addNote(customerID: Int64, text: String, contactID: Int64?, projectID: Int64? = nil,
                        by author: Author) throws -> StoredActivity {
        let (subject, violations) = Self.subject(text, maxLength: Self.maxNote, field: "text", lines: .multiple)
        return try insertActivity(ActivityColumns(customerID: customerID, kind: .note, subject: subject,
                                                  contactID: contactID, projectID: projectID),
                                  violations: violations, by: author)
    }

    /// Adds an open task, assigned to `assigneeID` or else to the caller.
    /// - Parameter timeZone: the zone `dueAt` was given in (see ``StoredActivity/timeZone``).
    /// - Throws: as `addNote`, plus `invalidArgument` on `subject`, `assignee` (no such user) and `timeZone`.
    public func addTask(customerID: Int64, subject: String, dueAt: Date?, timeZone: String? = nil, assigneeID: Int64?,
                        contactID: Int64?, projectID: Int64? = nil, by author: Author) throws -> StoredActivity {
        var (subject, violations) = Self.subject(subject, maxLength: Self.maxSubject, field: "subject")
        if let dueAt, let violation = TimestampRange.violation(dueAt, field: "dueDate") { violations.append(violation) }
        let (zone, zoneViolation) = ActivityTimeZone.validate(timeZone)
        violations += zoneViolation.map { [$0] } ?? []
        return try insertActivity(ActivityColumns(customerID: customerID, kind: .task, subject: subject,
                                                  dueAt: dueAt?.milliseconds, assigneeID: assigneeID ?? author.userID,
                                                  contactID: contactID, timeZone: zone, projectID: projectID),
                                  violations: violations, by: author)
    }

    /// Adds a calendar event; it is planned until it ends.
    /// - Parameter timeZone: the zone the times were given in (see ``StoredActivity/timeZone``).
    /// - Throws: as `addNote`, plus `invalidArgument` on `subject`, `timeZone` and on `endsAt` before `startsAt`.
    public func addEvent(customerID: Int64, subject: String, startsAt: Date, endsAt: Date, timeZone: String? = nil,
                         contactID: Int64?, projectID: Int64? = nil, by author: Author) throws -> StoredActivity {
        var (subject, violations) = Self.subject(subject, maxLength: Self.maxSubject, field: "subject")
        violations += [(startsAt, "startsAt"), (endsAt, "endsAt")].compactMap { TimestampRange.violation($0.0, field: $0.1) }
        if endsAt < startsAt {
            violations.append(FieldViolation(field: "endsAt", reason: "must not be before startsAt"))
        }
        let (zone, zoneViolation) = ActivityTimeZone.validate(timeZone)
        violations += zoneViolation.map { [$0] } ?? []
        return try insertActivity(ActivityColumns(customerID: customerID, kind: .event, subject: subject,
                                                  startsAt: startsAt.milliseconds, endsAt: endsAt.milliseconds,
                                                  contactID: contactID, timeZone: zone, projectID: projectID),
                                  violations: violations, by: author)
    }

    /// Marks a task done (now, by the caller); an already completed task is returned unchanged.
    /// - Throws: `notFound`; `failedPrecondition` when the activity is not a task.
    public func completeTask(id: Int64, by author: Author) throws -> StoredActivity {
        try setTaskCompletion(id: id, completed: true, by: author)
    }

    /// Makes a completed task open again; an open task is returned unchanged.
    /// - Throws: `notFound`; `failedPrecondition` when the activity is not a task.
    public func reopenTask(id: Int64, by author: Author) throws -> StoredActivity {
        try setTaskCompletion(id: id, completed: false, by: author)
    }

    /// The customer's activities split into planned and done as of `now`, read with ONE query;
    /// with `projectID`, only that project's: its tasks and the activities linked to it.
    /// - Throws: `notFound` (customer); `invalidArgument` on `projectId` for a project that is not
    ///   the customer's (another's or none).
    public func activities(customerID: Int64, projectID: Int64? = nil, now: Date) throws -> StoredActivityList {
        try read { connection in
            try Self.requireWritableCustomer(connection, customerID: customerID)
            if let projectID {
                var violations: [FieldViolation] = []
                try Self.checkActivityProject(connection, projectID: projectID, customerID: customerID,
                                              violations: &violations)
                if !violations.isEmpty { throw StoreError.invalidArgument(violations) }
            }
            return try ActivityRow.list(connection, customerID: customerID, projectID: projectID,
                                        now: now.milliseconds)
        }
    }

    // MARK: Writing

    /// The columns of a new activity.
    private struct ActivityColumns {
        var customerID: Int64
        var kind: ActivityKind
        var subject: String
        var dueAt: Int64?
        var startsAt: Int64?
        var endsAt: Int64?
        var assigneeID: Int64?
        var contactID: Int64?
        var timeZone: String?
        var projectID: Int64?
    }

    /// A note's text (several lines) or a task's or event's subject (one line).
    static func subject(_ raw: String, maxLength: Int, field: String,
                                lines: TextInput.Lines = .single) -> (String, [FieldViolation]) {
        let (trimmed, violation) = TextInput.required(raw, field: field, maxLength: maxLength, lines: lines)
        return (trimmed, violation.map { [$0] } ?? [])
    }

    private func insertActivity(_ columns: ActivityColumns, violations: [FieldViolation], by author: Author) throws -> StoredActivity {
        try write { connection in
            try Self.requireWritableCustomer(connection, customerID: columns.customerID)
            var violations = violations
            if let assignee = columns.assigneeID, assignee != author.userID, try !Self.userExists(connection, id: assignee) {
                violations.append(FieldViolation(field: "assignee", reason: "no user has id \(assignee)"))
            }
            if let contactID = columns.contactID {
                try Self.checkActivityContact(connection, contactID: contactID, customerID: columns.customerID,
                                              violations: &violations)
            }
            if let projectID = columns.projectID {
                try Self.checkActivityProject(connection, projectID: projectID, customerID: columns.customerID,
                                              violations: &violations)
            }
            if !violations.isEmpty { throw StoreError.invalidArgument(violations) }
            try Self.requireActingUser(connection, author)
            let now = nowMilliseconds()
            try connection.run("""
                INSERT INTO activities (customer_id, kind, subject, due_at, starts_at, ends_at, assignee_id, contact_id,
                    time_zone, project_id, version, created_at, created_by, updated_at, updated_by)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?, ?, ?)
                """, [.integer(columns.customerID), .text(columns.kind.rawValue), .text(columns.subject),
                      SQLValue(columns.dueAt), SQLValue(columns.startsAt), SQLValue(columns.endsAt),
                      SQLValue(columns.assigneeID), SQLValue(columns.contactID), SQLValue(columns.timeZone),
                      SQLValue(columns.projectID),
                      .integer(now), .integer(author.userID), .integer(now), .integer(author.userID)])
            let id = connection.lastInsertRowID
            let activity = try requireActivity(connection, id: id)
            try HistoryLog.append(connection, .activity, id: id, customerID: columns.customerID, .created, at: now,
                                  by: author, changes: HistoryLog.creation(activity.historyValues))
            return activity
        }
    }

    /// An activity (or an invoice) may name a contact of the same customer that is not deleted.
    static func checkActivityContact(_ connection: SQLiteConnection, contactID: Int64, customerID: Int64,
                                             violations: inout [FieldViolation]) throws {
        let found = try connection.withStatement("SELECT customer_id, deleted FROM contacts WHERE id = ?") { statement in
            try statement.bind(contactID, at: 1)
            return try statement.step() ? (customer: statement.int64(0), deleted: statement.int64(1) != 0) : nil
        }
        guard let found, found.customer == customerID else {
            violations.append(FieldViolation(field: "contactId",
                                             reason: "customer \(customerID) has no contact with id \(contactID)"))
            return
        }
        if found.deleted { throw StoreError.deletedContact(contactID, field: "contactId") }
    }

    /// An activity may belong to a project (or sales case) of its own customer; another customer's
    /// and one that does not exist are refused alike (`isProject`), as a contact is.
    static func checkActivityProject(_ connection: SQLiteConnection, projectID: Int64, customerID: Int64,
                                     violations: inout [FieldViolation]) throws {
        if try !isProject(connection, projectID, of: customerID) {
            violations.append(FieldViolation(field: "projectId",
                                             reason: "customer \(customerID) has no project with id \(projectID)"))
        }
    }

    private func setTaskCompletion(id: Int64, completed: Bool, by author: Author) throws -> StoredActivity {
        try write { connection in
            let current = try requireActivity(connection, id: id)
            try Self.requireWritableCustomer(connection, customerID: current.customerID, field: "id")
            guard current.kind == .task else {
                throw StoreError.failedPrecondition("activity \(id) is a \(current.kind.rawValue), not a task", field: "id")
            }
            guard (current.completedAt != nil) != completed else { return current }
            try Self.requireActingUser(connection, author)
            let now = nextUpdatedAt(after: current.updatedAt)
            try connection.run("""
                UPDATE activities SET completed_at = ?, completed_by = ?, version = version + 1, updated_at = ?,
                    updated_by = ?
                WHERE id = ?
                """, [completed ? .integer(now) : .null, completed ? .integer(author.userID) : .null, .integer(now),
                      .integer(author.userID), .integer(id)])
            return try requireActivity(connection, id: id)
        }
    }

    func requireActivity(_ connection: SQLiteConnection, id: Int64) throws -> StoredActivity {
        guard let activity = try ActivityRow.fetch(connection, id: id, now: clock.wallMilliseconds()) else {
            throw StoreError.notFound("activity \(id) does not exist")
        }
        return activity
    }
}
