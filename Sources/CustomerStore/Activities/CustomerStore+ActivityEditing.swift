import Foundation
import SQLiteEngine

/// What an activity edit changes; nil leaves a field as it is.
public struct ActivityChanges: Sendable, Hashable {
    /// A note's text (several lines) or a task's or event's subject (one line).
    public var subject: String?
    /// Tasks only; `.some(nil)` removes the due time.
    public var dueAt: Date??
    /// Events only.
    public var startsAt: Date?
    public var endsAt: Date?
    /// `.some(nil)` removes it (see ``StoredActivity/timeZone``).
    public var timeZone: String??
    /// Tasks only.
    public var assigneeID: Int64?
    /// `.some(nil)` removes the contact.
    public var contactID: Int64??
    /// A project of the same customer; `.some(nil)` takes the activity out of its project.
    public var projectID: Int64??

    public init(subject: String? = nil, dueAt: Date?? = nil, startsAt: Date? = nil, endsAt: Date? = nil,
                timeZone: String?? = nil, assigneeID: Int64? = nil, contactID: Int64?? = nil,
                projectID: Int64?? = nil) {
        self.subject = subject
        self.dueAt = dueAt
        self.startsAt = startsAt
        self.endsAt = endsAt
        self.timeZone = timeZone
        self.assigneeID = assigneeID
        self.contactID = contactID
        self.projectID = projectID
    }
}

extension CustomerStore {
    /// Changes the given fields of a customer's own note, task or event (a project's task is
    /// edited as a project task), recording the change in its history.
    ///
    /// - Throws: `notFound`; `aborted` on a stale `expectedVersion`; `invalidArgument` listing
    ///   every invalid field, a field its kind does not have and a project that is not the
    ///   customer's (another's or none) among them; `failedPrecondition` for a deleted
    ///   contact or customer.
    public func updateActivity(id: Int64, _ changes: ActivityChanges, expectedVersion: Int64?,
                               by author: Author) throws -> StoredActivity {
        try write { connection in
            let current = try requireActivity(connection, id: id)
            try Self.checkVersion(expectedVersion, current: current.version, of: "activity \(id)")
            try Self.requireWritableCustomer(connection, customerID: current.customerID, field: "id")
            var (updated, violations) = Self.apply(changes, to: current)
            if let assignee = changes.assigneeID, try !Self.userExists(connection, id: assignee) {
                violations.append(FieldViolation(field: "assignee", reason: "no user has id \(assignee)"))
            }
            if case .some(.some(let contactID)) = changes.contactID {
                try Self.checkActivityContact(connection, contactID: contactID, customerID: current.customerID,
                                              violations: &violations)
            }
            if case .some(.some(let projectID)) = changes.projectID {
                try Self.checkActivityProject(connection, projectID: projectID, customerID: current.customerID,
                                              violations: &violations)
            }
            if !violations.isEmpty { throw StoreError.invalidArgument(violations) }
            try Self.requireActingUser(connection, author)
            // Every given field as stored, to the millisecond: the activity as it is, nothing written
            // (as a customer's update). Its history values show seconds only, so the row's are compared.
            if HistoryLog.isUnchanged(from: current.editableValues, to: updated.editableValues) { return current }
            let now = nextUpdatedAt(after: current.updatedAt)
            try connection.run("""
                UPDATE activities SET subject = ?, due_at = ?, starts_at = ?, ends_at = ?, assignee_id = ?,
                    contact_id = ?, time_zone = ?, project_id = ?, version = version + 1, updated_at = ?, updated_by = ?
                WHERE id = ?
                """, updated.editableValues + [.integer(now), .integer(author.userID), .integer(id)])
            try HistoryLog.append(connection, .activity, id: id, customerID: current.customerID, .updated, at: now,
                                  by: author, changes: HistoryLog.changes(from: current.historyValues,
                                                                          to: updated.historyValues))
            return try requireActivity(connection, id: id)
        }
    }

    /// Removes a customer's own note, task or event for good; its history keeps what it was
    /// and ends with a `deleted` entry.
    /// - Throws: `notFound`; `aborted` on a stale `expectedVersion`.
    public func deleteActivity(id: Int64, expectedVersion: Int64?, by author: Author) throws {
        try write { connection in
            let current = try requireActivity(connection, id: id)
            try Self.requireWritableCustomer(connection, customerID: current.customerID, field: "id")
            try Self.checkVersion(expectedVersion, current: current.version, of: "activity \(id)")
            try Self.requireActingUser(connection, author)
            try connection.run("DELETE FROM activities WHERE id = ?", [.integer(id)])
            try HistoryLog.append(connection, .activity, id: id, customerID: current.customerID, .deleted,
                                  at: nextUpdatedAt(after: current.updatedAt), by: author,
                                  changes: HistoryLog.changes(from: current.historyValues,
                                                              to: current.historyValues.map { ($0.field, nil) }))
        }
    }

    /// The activity with `changes` applied, and every field the changes get wrong.
    private static func apply(_ changes: ActivityChanges, to current: StoredActivity)
        -> (StoredActivity, [FieldViolation]) {
        var updated = current
        var violations: [FieldViolation] = []
        func refuse(_ field: String, unless allowed: Bool) -> Bool {
            if !allowed {
                violations.append(FieldViolation(field: field, reason: "a \(current.kind.rawValue) has no \(field)"))
            }
            return allowed
        }
        if let subject = changes.subject {
            let isNote = current.kind == .note
            let (text, subjectViolations) = Self.subject(subject, maxLength: isNote ? maxNote : maxSubject,
                                                         field: isNote ? "text" : "subject",
                                                         lines: isNote ? .multiple : .single)
            updated.subject = text
            violations += subjectViolations
        }
        if let dueAt = changes.dueAt, refuse("dueDate", unless: current.kind == .task) {
            if let dueAt, let violation = TimestampRange.violation(dueAt, field: "dueDate") { violations.append(violation) }
            updated.dueAt = dueAt
        }
        if let startsAt = changes.startsAt, refuse("startsAt", unless: current.kind == .event) {
            if let violation = TimestampRange.violation(startsAt, field: "startsAt") { violations.append(violation) }
            updated.startsAt = startsAt
        }
        if let endsAt = changes.endsAt, refuse("endsAt", unless: current.kind == .event) {
            if let violation = TimestampRange.violation(endsAt, field: "endsAt") { violations.append(violation) }
            updated.endsAt = endsAt
        }
        if let starts = updated.startsAt, let ends = updated.endsAt, ends < starts {
            violations.append(FieldViolation(field: "endsAt", reason: "must not be before startsAt"))
        }
        if let timeZone = changes.timeZone, refuse("timeZone", unless: current.kind != .note) {
            let (zone, violation) = ActivityTimeZone.validate(timeZone)
            updated.timeZone = zone
            violations += violation.map { [$0] } ?? []
        }
        if let assignee = changes.assigneeID, refuse("assignee", unless: current.kind == .task) {
            updated.assignee = StoredUserRef(id: assignee, name: "")
        }
        if let contactID = changes.contactID {
            updated.contact = contactID.map { StoredContactRef(id: $0, name: nil, deleted: false) }
        }
        if let projectID = changes.projectID {
            updated.projectID = projectID
            updated.projectName = nil
        }
        return (updated, violations)
    }
}

extension StoredActivity {
    /// The bound values of the editable columns `subject` ... `project_id`, in the UPDATE's order.
    var editableValues: [SQLValue] {
        [.text(subject), SQLValue(dueAt?.milliseconds), SQLValue(startsAt?.milliseconds), SQLValue(endsAt?.milliseconds),
         SQLValue(assignee?.id), SQLValue(contact?.id), SQLValue(timeZone), SQLValue(projectID)]
    }

    /// The editable fields by API name, as text, for the history (times in ISO 8601, UTC).
    var historyValues: HistoryLog.Values {
        func time(_ date: Date?) -> String? { date?.formatted(.iso8601) }
        return [("subject", subject), ("dueDate", time(dueAt)), ("startsAt", time(startsAt)), ("endsAt", time(endsAt)),
                ("timeZone", timeZone), ("assignee", assignee.map { String($0.id) }),
                ("contactId", contact.map { String($0.id) }), ("projectId", projectID.map { String($0) })]
    }
}
