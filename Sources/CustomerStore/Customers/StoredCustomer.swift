import Foundation

/// A customer record as stored. Optional text fields are `nil` when not set (never empty).
public struct StoredCustomer: Sendable, Hashable {
    /// The row id (stable, never reused while the row exists).
    public var id: Int64
    /// The customer number people use (unique; assigned from 10001 upward when not given).
    public var number: Int64
    public var name: String
    public var accountManager: StoredUserRef?
    public var description: String?
    /// Upper case letters and digits only; with `StoreOptions.vatNormaliser` set, the canonical
    /// form for the country (`FI01120389`, `NO923609016MVA`). Unique unless a duplicate was intended.
    public var vatNumber: String?
    /// ISO 3166-1 alpha-2, upper case.
    public var country: String?
    /// The national business id the VAT number names (`0112038-9`), or a Norwegian organisation
    /// number typed bare, which is kept here rather than asserted as a VAT number.
    public var businessID: String?
    /// The standing the last registry refresh read, e.g. `bankruptcy since 2024-01-15 (KONK)`.
    public var registryStatus: String?
    /// When the last registry refresh read `registryStatus` (UTC, millisecond precision).
    public var registryCheckedAt: Date?
    public var industry: String?
    public var email: String?
    /// Always with a scheme (`https://` added when the input had none).
    public var website: String?
    public var phone: String?
    public var active: Bool
    /// Erased (a tombstone): every field but the ids, number and stamps is gone, and the record
    /// reads as "Customer deleted"; its activities, projects and invoices still refer to it.
    public var deleted: Bool
    /// Starts at 1; +1 on every write. Pass it back as `expectedVersion` to refuse lost updates.
    public var version: Int64
    /// UTC, millisecond precision.
    public var createdAt: Date
    public var createdBy: StoredUserRef
    /// UTC, millisecond precision; strictly increases on every write of this record.
    public var updatedAt: Date
    public var updatedBy: StoredUserRef
    /// The head office address. Filled by point reads (`customer(id:)`, `customer(number:)`) and
    /// by the results of writes; nil in listings and streams (which stay one index scan).
    public var headOffice: StoredAddress?

    public init(id: Int64, number: Int64, name: String, accountManager: StoredUserRef? = nil,
                description: String? = nil, vatNumber: String? = nil, country: String? = nil,
                industry: String? = nil, email: String? = nil, website: String? = nil, phone: String? = nil,
                active: Bool, deleted: Bool = false, version: Int64, createdAt: Date, createdBy: StoredUserRef,
                updatedAt: Date, updatedBy: StoredUserRef, headOffice: StoredAddress? = nil, businessID: String? = nil,
                registryStatus: String? = nil, registryCheckedAt: Date? = nil) {
        self.id = id
        self.number = number
        self.name = name
        self.accountManager = accountManager
        self.description = description
        self.vatNumber = vatNumber
        self.country = country
        self.industry = industry
        self.email = email
        self.website = website
        self.phone = phone
        self.active = active
        self.deleted = deleted
        self.version = version
        self.createdAt = createdAt
        self.createdBy = createdBy
        self.updatedAt = updatedAt
        self.updatedBy = updatedBy
        self.headOffice = headOffice
        self.businessID = businessID
        self.registryStatus = registryStatus
        self.registryCheckedAt = registryCheckedAt
    }
}
