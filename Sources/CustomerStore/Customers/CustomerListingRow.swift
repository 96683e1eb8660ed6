import Foundation
import SQLiteEngine

/// One customer of a listing or of a get, lent to the caller while the read stands on its row. Its fields are
/// read from the statement when asked for, text as the bytes SQLite holds, so a caller that only
/// writes them out (the server answering a page) makes no `StoredCustomer`: no `String` per field,
/// no page of records to release. A page of 50 spent ~440 000 instructions on those (callgrind,
/// docs/performance/HISTORY.md). What the caller makes of the row is its own business: this knows no wire
/// format, only the record's fields, as ``StoredCustomer`` names them.
///
/// Valid only inside the closure it is handed to: its text points into SQLite's current row,
/// which the next step overwrites. Each field reads as the stored record's does (the same
/// `ColumnError`s, a tombstone's name empty, user names through the read's ``UserNames``).
public struct CustomerListingRow {
    // Usable from inline, as the field getters below are inlinable: a get's and a page's writer
    // reads each field through them, and a call across the module boundary cost ~100 instructions.
    @usableFromInline let statement: SQLiteStatement
    @usableFromInline let columns: CustomerRow.Columns
    @usableFromInline let users: UserNames
    /// The head office's columns: a point read's (`CustomerRow.withFoundRow`), nil in a listing.
    let headOfficeColumns: AddressRow.Columns?
    /// The head office when the read has decoded it already (a card's, whose addresses tab lists
    /// it too), so that it is not decoded twice: `.some(nil)` for a customer without one.
    var decodedHeadOffice: StoredAddress?? = nil

    /// The optional text fields, as ``StoredCustomer`` has them.
    public enum Text: Sendable {
        case description, vatNumber, country, industry, email, website, phone, businessID, registryStatus
    }

    /// The record itself, for a caller that keeps it.
    public func stored() throws -> StoredCustomer {
        var customer = try CustomerRow.decode(statement, columns, users: users)
        customer.headOffice = try headOffice()
        return customer
    }

    /// The head office, when the read asked for it (a get, not a listing: see
    /// `StoredCustomer.headOffice`) and the customer has one. One address a call, so decoded.
    public func headOffice() throws -> StoredAddress? {
        if let decodedHeadOffice { return decodedHeadOffice }
        return try headOfficeColumns.flatMap { try AddressRow.decode(statement, $0, users: users) }
    }

    @inlinable public var id: Int64 { get throws { try statement.int64(columns.id) } }
    @inlinable public var number: Int64 { get throws { try statement.int64(columns.number) } }
    @inlinable public var deleted: Bool { get throws { try statement.bool(columns.deleted) } }
    @inlinable public var active: Bool { get throws { try statement.bool(columns.active) } }
    @inlinable public var version: Int64 { get throws { try statement.int64(columns.version) } }
    @inlinable public var createdAt: Date { get throws { Date(milliseconds: try statement.int64(columns.createdAt)) } }
    @inlinable public var updatedAt: Date { get throws { Date(milliseconds: try statement.int64(columns.updatedAt)) } }
    @inlinable public var registryCheckedAt: Date? {
        get throws { try statement.optionalInt64(columns.registryCheckedAt).map { Date(milliseconds: $0) } }
    }
    @inlinable public var accountManager: StoredUserRef? { get throws { try users.optionalRef(statement, columns.accountManagerID) } }
    @inlinable public var createdBy: StoredUserRef { get throws { try users.ref(statement, columns.createdBy) } }
    @inlinable public var updatedBy: StoredUserRef { get throws { try users.ref(statement, columns.updatedBy) } }

    /// The name's UTF-8 bytes (as stored, unchecked: see `SQLiteStatement.optionalTextBytes`);
    /// empty for a tombstone, whose name column only holds its number (migration 11).
    @inlinable public var name: UnsafeRawBufferPointer {
        get throws { try name(deleted: try deleted) }
    }

    /// ``name`` for a caller that has read ``deleted`` already (it writes both): reading it again
    /// cost a column read a row (~90 instructions under callgrind, 50 a page).
    @inlinable public func name(deleted: Bool) throws -> UnsafeRawBufferPointer {
        deleted ? UnsafeRawBufferPointer(start: nil, count: 0) : try statement.textBytes(columns.name)
    }

    /// The head office lent from this row, for a writer (a get's: no ``StoredAddress`` made,
    /// copied and released); nil when the customer has none, the read did not ask for it (a
    /// listing's) or has decoded it already (a card's: see ``hasDecodedHeadOffice``).
    public func lentHeadOffice() throws -> AddressListingRow? {
        if case .some = decodedHeadOffice { return nil }
        guard let headOfficeColumns else { return nil }
        return try AddressListingRow(statement, headOfficeColumns, users: users)
    }

    /// The head office the read decoded (see ``hasDecodedHeadOffice``) lent to `body`; nothing
    /// when the customer has none. ``headOffice()`` returns a copy, whose texts a card's writer
    /// retained and released again (docs/performance/HISTORY.md "card30").
    public func withDecodedHeadOffice(_ body: (StoredAddress) throws -> Void) rethrows {
        if case .some(.some(let office)) = decodedHeadOffice { try body(office) }
    }

    /// Whether the read decoded the head office already: a writer then takes
    /// ``withDecodedHeadOffice(_:)``.
    public var hasDecodedHeadOffice: Bool {
        if case .some = decodedHeadOffice { return true }
        return false
    }

    /// Whether the read asked for the head office (a point read's row, not a listing's): a
    /// listing's writer then skips ``headOffice()``, whose optional address it made and
    /// destroyed again for every row (~300 instructions a row under callgrind).
    public var readsHeadOffice: Bool {
        // Patterns, not `!= nil`: that copied the whole optional address and released it
        // again (~700 instructions a row).
        if case .some = headOfficeColumns { return true }
        if case .some = decodedHeadOffice { return true }
        return false
    }

    /// An optional text field's UTF-8 bytes (as stored, unchecked), nil when not set.
    @inlinable public func text(_ field: Text) throws -> UnsafeRawBufferPointer? {
        let column = switch field {
        case .description: columns.description
        case .vatNumber: columns.vatNumber
        case .country: columns.country
        case .industry: columns.industry
        case .email: columns.email
        case .website: columns.website
        case .phone: columns.phone
        case .businessID: columns.businessID
        case .registryStatus: columns.registryStatus
        }
        return try statement.optionalTextBytes(column)
    }
}
