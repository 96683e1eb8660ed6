import Foundation
import SQLiteEngine

/// One contact of a customer's list, lent to the caller while the read stands on its row, as
/// ``ActivityListingRow`` lends an activity: its fields are read from the statement when asked
/// for, text as the bytes SQLite holds, so a caller that only writes them out (the server
/// answering a card) makes no ``StoredContact``: no `String` per field, no record copied and
/// released (docs/performance/HISTORY.md "card15").
///
/// Valid only inside the closure it is handed to: its text points into SQLite's current row,
/// which the next step overwrites. Each field reads as the stored record's does (the same
/// `ColumnError`s, user names through the read's ``UserNames``).
public struct ContactListingRow {
    // Usable from inline, as the getters below are inlinable: the server writes each field through
    // them, and a call across the module boundary costs ~100 instructions (19 a contact).
    @usableFromInline let statement: SQLiteStatement
    @usableFromInline let columns: ContactRow.Columns
    @usableFromInline let users: UserNames
    /// Sorted by name, as the record's (empty when the contact has none: the bench's).
    public let keywords: [String]
    public let roles: [String]

    @inlinable public var id: Int64 { get throws { try statement.int64(columns.id) } }
    @inlinable public var customerID: Int64 { get throws { try statement.int64(columns.customerID) } }
    /// The text fields as UTF-8 bytes (as stored, unchecked: see `SQLiteStatement.textBytes`), nil when NULL.
    @inlinable public var firstName: UnsafeRawBufferPointer? { get throws { try statement.optionalTextBytes(columns.firstName) } }
    @inlinable public var lastName: UnsafeRawBufferPointer? { get throws { try statement.optionalTextBytes(columns.lastName) } }
    @inlinable public var title: UnsafeRawBufferPointer? { get throws { try statement.optionalTextBytes(columns.title) } }
    @inlinable public var email: UnsafeRawBufferPointer? { get throws { try statement.optionalTextBytes(columns.email) } }
    @inlinable public var phone: UnsafeRawBufferPointer? { get throws { try statement.optionalTextBytes(columns.phone) } }
    @inlinable public var mobile: UnsafeRawBufferPointer? { get throws { try statement.optionalTextBytes(columns.mobile) } }
    @inlinable public var language: UnsafeRawBufferPointer? { get throws { try statement.optionalTextBytes(columns.language) } }
    @inlinable public var notes: UnsafeRawBufferPointer? { get throws { try statement.optionalTextBytes(columns.notes) } }
    @inlinable public var active: Bool { get throws { try statement.bool(columns.active) } }
    @inlinable public var deleted: Bool { get throws { try statement.bool(columns.deleted) } }
    @inlinable public var version: Int64 { get throws { try statement.int64(columns.version) } }
    @inlinable public var createdAt: Date { get throws { Date(milliseconds: try statement.int64(columns.createdAt)) } }
    @inlinable public var createdBy: StoredUserRef { get throws { try users.ref(statement, columns.createdBy) } }
    @inlinable public var updatedAt: Date { get throws { Date(milliseconds: try statement.int64(columns.updatedAt)) } }
    @inlinable public var updatedBy: StoredUserRef { get throws { try users.ref(statement, columns.updatedBy) } }
}
