import Foundation
import SQLiteEngine

/// One activity of a customer's list, lent to the caller while the read stands on its row, as
/// ``CustomerListingRow`` lends a customer: its fields are read from the statement when asked
/// for, text as the bytes SQLite holds, so a caller that only writes them out (the server
/// answering a card) makes no ``StoredActivity``: no `String` per field, no record copied by the
/// sort and released (~6 000 instructions an activity, docs/performance/HISTORY.md "card14").
///
/// Valid only inside the closure it is handed to: its text points into SQLite's current row,
/// which the next step overwrites. Each field reads as the stored record's does (the same
/// `ColumnError`s, user names through the read's ``UserNames``), `done` as of the read's now.
public struct ActivityListingRow {
    // Usable from inline, as the getters below are inlinable: the server writes each field
    // through them, and a call across the module boundary cost ~100 instructions (20 an activity).
    @usableFromInline let statement: SQLiteStatement
    @usableFromInline let columns: ActivityRow.Columns
    @usableFromInline let users: UserNames
    /// Decided once by the list, which sorts by it (see `ActivityRow.isDone`).
    public let done: Bool
    public let kind: ActivityKind

    @inlinable public var id: Int64 { get throws { try statement.int64(columns.id) } }
    @inlinable public var customerID: Int64 { get throws { try statement.int64(columns.customerID) } }
    /// The subject's UTF-8 bytes (as stored, unchecked: see `SQLiteStatement.textBytes`).
    @inlinable public var subject: UnsafeRawBufferPointer { get throws { try statement.textBytes(columns.subject) } }
    @inlinable public var dueAt: Date? { get throws { try date(columns.dueAt) } }
    @inlinable public var startsAt: Date? { get throws { try date(columns.startsAt) } }
    @inlinable public var endsAt: Date? { get throws { try date(columns.endsAt) } }
    @inlinable public var assignee: StoredUserRef? { get throws { try users.optionalRef(statement, columns.assigneeID) } }
    @inlinable public var contact: StoredContactRef? { get throws { try ActivityRow.contact(statement, columns) } }
    @inlinable public var completedAt: Date? { get throws { try date(columns.completedAt) } }
    @inlinable public var completedBy: StoredUserRef? { get throws { try users.optionalRef(statement, columns.completedBy) } }
    @inlinable public var projectID: Int64? { get throws { try statement.optionalInt64(columns.projectID) } }
    /// The project's name as UTF-8 bytes, nil when there is no project.
    @inlinable public var projectName: UnsafeRawBufferPointer? { get throws { try statement.optionalTextBytes(columns.projectName) } }
    @inlinable public var version: Int64 { get throws { try statement.int64(columns.version) } }
    @inlinable public var createdAt: Date { get throws { Date(milliseconds: try statement.int64(columns.createdAt)) } }
    @inlinable public var createdBy: StoredUserRef { get throws { try users.ref(statement, columns.createdBy) } }
    @inlinable public var updatedAt: Date { get throws { Date(milliseconds: try statement.int64(columns.updatedAt)) } }
    @inlinable public var updatedBy: StoredUserRef { get throws { try users.ref(statement, columns.updatedBy) } }
    /// The time zone's name as UTF-8 bytes, nil when not set.
    @inlinable public var timeZone: UnsafeRawBufferPointer? { get throws { try statement.optionalTextBytes(columns.timeZone) } }

    /// The record itself, for a caller that keeps it.
    public func stored() throws -> StoredActivity {
        StoredActivity(
            id: try id, customerID: try customerID, kind: kind, subject: try statement.text(columns.subject),
            dueAt: try dueAt, startsAt: try startsAt, endsAt: try endsAt, assignee: try assignee, contact: try contact,
            done: done, completedAt: try completedAt, completedBy: try completedBy, projectID: try projectID,
            projectName: try statement.optionalText(columns.projectName), version: try version,
            createdAt: try createdAt, createdBy: try createdBy, updatedAt: try updatedAt, updatedBy: try updatedBy,
            timeZone: try statement.optionalText(columns.timeZone))
    }

    @inlinable func date(_ column: Column) throws -> Date? {
        try statement.optionalInt64(column).map(Date.init(milliseconds:))
    }
}

/// Where an activity goes in its list (`ActivityRow.isListedBefore`): what the order compares,
/// taken from a record or from a row before it is lent, so a list of lent rows is sorted by
/// these small values instead of by records.
struct ActivityOrderKey {
    var done: Bool
    /// Planned: the due or start date (undated last); done: the completion, end or creation date.
    var date: Date?
    var id: Int64
    var kind: ActivityKind

    init(done: Bool, date: Date?, id: Int64, kind: ActivityKind) {
        (self.done, self.date, self.id, self.kind) = (done, date, id, kind)
    }

    init(_ activity: StoredActivity) {
        self.init(done: activity.done,
                  date: activity.done ? activity.completedAt ?? activity.endsAt ?? activity.createdAt
                      : activity.dueAt ?? activity.startsAt,
                  id: activity.id, kind: activity.kind)
    }

    /// The list's order: planned by due or start date, undated last, then id; done by completion,
    /// end or creation date, newest first, then newest id; the kind last (a project task's id is
    /// another table's, so ids alone may tie).
    func isListed(before other: ActivityOrderKey) -> Bool {
        if done != other.done { return !done }
        if !done {
            switch (date, other.date) {
            case (nil, .some): return false
            case (.some, nil): return true
            case let (.some(dateA), .some(dateB)) where dateA != dateB: return dateA < dateB
            default: break
            }
            if id != other.id { return id < other.id }
        } else {
            if date != other.date, let dateA = date, let dateB = other.date { return dateA > dateB }
            if id != other.id { return id > other.id }
        }
        return kind.rawValue < other.kind.rawValue
    }
}
