import Foundation
import SQLiteEngine

/// An address lent to the caller while the read stands on its row, as ``CustomerListingRow``
/// lends a customer: its fields are read from the statement when asked for, text as the bytes
/// SQLite holds, so a caller that only writes them out (the server answering a get with its head
/// office) makes no ``StoredAddress``: no `String` per field and no street array made, copied and
/// released (~5 000 of a get's ~52 000 instructions, docs/performance/HISTORY.md "get15").
///
/// Valid only inside the closure it is handed to: its text points into SQLite's current row,
/// which the next step overwrites. Each field reads as `AddressRow.decode` reads it (the same
/// `ColumnError`s, user names through the read's ``UserNames``).
public struct AddressListingRow {
    // Usable from inline, as the getters below are inlinable: the server writes each field
    // through them, and a call across the module boundary cost ~100 instructions.
    @usableFromInline let statement: SQLiteStatement
    @usableFromInline let columns: AddressRow.Columns
    @usableFromInline let users: UserNames

    /// The address in `columns` of the statement's current row, nil when they are NULL (a left
    /// join that found none).
    init?(_ statement: SQLiteStatement, _ columns: AddressRow.Columns, users: UserNames) throws {
        guard try statement.optionalInt64(columns.id) != nil else { return nil }
        (self.statement, self.columns, self.users) = (statement, columns, users)
    }

    @inlinable public var id: Int64 { get throws { try statement.int64(columns.id) } }
    @inlinable public var customerID: Int64 { get throws { try statement.int64(columns.customerID) } }
    /// Street line 1, 2 or 3 (`index` 0 to 2) as UTF-8 bytes, nil when not set
    /// (`StoredAddress.street` lists the lines set).
    @inlinable public func street(_ index: Int) throws -> UnsafeRawBufferPointer? {
        try statement.optionalTextBytes(index == 0 ? columns.street1 : index == 1 ? columns.street2 : columns.street3)
    }
    @inlinable public var postalCode: UnsafeRawBufferPointer? { get throws { try statement.optionalTextBytes(columns.postalCode) } }
    @inlinable public var city: UnsafeRawBufferPointer? { get throws { try statement.optionalTextBytes(columns.city) } }
    @inlinable public var region: UnsafeRawBufferPointer? { get throws { try statement.optionalTextBytes(columns.region) } }
    @inlinable public var country: UnsafeRawBufferPointer { get throws { try statement.textBytes(columns.country) } }
    /// As `AddressRow.decode` reads it: an unknown kind is a visiting address.
    public var kind: AddressKind { get throws { AddressKind(storedText: try statement.textBytes(columns.kind)) } }
    @inlinable public var isHeadOffice: Bool { get throws { try statement.bool(columns.isHeadOffice) } }
    @inlinable public var version: Int64 { get throws { try statement.int64(columns.version) } }
    @inlinable public var createdAt: Date { get throws { Date(milliseconds: try statement.int64(columns.createdAt)) } }
    @inlinable public var createdBy: StoredUserRef { get throws { try users.ref(statement, columns.createdBy) } }
    @inlinable public var updatedAt: Date { get throws { Date(milliseconds: try statement.int64(columns.updatedAt)) } }
    @inlinable public var updatedBy: StoredUserRef { get throws { try users.ref(statement, columns.updatedBy) } }
}

extension AddressKind: StoredKind {
    static func candidate(startingWith byte: UInt8?) -> AddressKind {
        switch byte {
        case UInt8(ascii: "p"): .postal
        case UInt8(ascii: "b"): .billing
        case UInt8(ascii: "d"): .delivery
        default: .visiting
        }
    }

    /// As `AddressRow.decode` always read it.
    static var unknown: AddressKind { .visiting }
}
