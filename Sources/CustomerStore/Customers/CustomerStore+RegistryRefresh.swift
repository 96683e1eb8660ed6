import SQLiteEngine

/// What a refresh from a national business registry writes: the registry's values of the fields
/// the caller chose. `nil` leaves a field as it is: a refresh never clears anything.
public struct RegistryUpdate: Sendable, Hashable {
    public var name: String?
    public var email: String?
    public var website: String?
    /// The registry's address for the customer's head office.
    public var headOffice: RegistryHeadOffice?
    /// Recorded as the source of every history entry the refresh writes, so the history shows the
    /// change came from the registry, e.g. `registry: PRH YTJ open data v3 <URL>`.
    public var source: String
    /// The company's standing as the registry gave it (`bankruptcy since 2024-01-15 (KONK)`), kept
    /// on the customer with the time of the check; `nil` leaves the last one as it is.
    public var status: String?

    public init(name: String? = nil, email: String? = nil, website: String? = nil,
                headOffice: RegistryHeadOffice? = nil, source: String, status: String? = nil) {
        self.name = name
        self.email = email
        self.website = website
        self.headOffice = headOffice
        self.source = source
        self.status = status
    }

    /// True when nothing would be written.
    public var isEmpty: Bool { name == nil && email == nil && website == nil && headOffice == nil }

    /// A value of the update, by what it writes.
    public enum Value: Sendable, Hashable {
        case name, email, website, headOffice
    }

    /// Why this store would refuse each value of the update (the validators its write runs:
    /// a name, email or website as an update's, the head office as a new address's, whose reasons
    /// name the address's field), keyed by the value; empty when the write would take them all.
    /// A registry's value the caller never typed is then withheld by the refresh, saying why,
    /// instead of failing the whole refresh.
    public var refusals: [Value: String] {
        var refusals: [Value: String] = [:]
        let (_, violations) = CustomerValidator.apply(
            CustomerChanges(name: name, email: email, website: website),
            to: StoredCustomerFields(name: ""))
        for violation in violations {
            let value: Value? = switch violation.field {
            case "name": .name
            case "email": .email
            case "website": .website
            default: nil
            }
            guard let value else { continue }
            refusals[value] = [refusals[value], violation.reason].compactMap { $0 }.joined(separator: "; ")
        }
        if let headOffice {
            let (_, violations) = AddressValidator.validate(headOffice.fields, onto: nil)
            if !violations.isEmpty { refusals[.headOffice] = violations.map(\.description).joined(separator: "; ") }
        }
        return refusals
    }
}

/// A registry's address as the head office takes it.
public struct RegistryHeadOffice: Sendable, Hashable {
    /// The street, box and c/o lines in order; a fourth line and beyond join the third.
    public var street: [String]
    public var postalCode: String?
    public var city: String?
    /// ISO 3166-1 alpha-2.
    public var country: String
    /// The kind of a new head office (an existing one keeps its kind and region).
    public var kind: AddressKind

    public init(street: [String], postalCode: String?, city: String?, country: String, kind: AddressKind) {
        self.street = street
        self.postalCode = postalCode
        self.city = city
        self.country = country
        self.kind = kind
    }

    /// The whole address as fields: lines, postal code and city the registry lacks are cleared
    /// (an empty string clears, see `StoredAddressFields`).
    var fields: StoredAddressFields {
        let lines = street.count <= 3 ? street : Array(street.prefix(2)) + [street.dropFirst(2).joined(separator: ", ")]
        func line(_ index: Int) -> String { lines.indices.contains(index) ? lines[index] : "" }
        return StoredAddressFields(street1: line(0), street2: line(1), street3: line(2), postalCode: postalCode ?? "",
                             city: city ?? "", country: country)
    }
}

extension CustomerStore {
    /// Writes a registry refresh in ONE transaction: the name, email and website on the customer
    /// (validated like any update: a website gets its scheme), and the address as the customer's
    /// head office: updated when it has one, else added, which makes it the head office; then the
    /// registry status and the time of the check. Every history entry carries `update.source`.
    ///
    /// The status and the check time do not make a new version of the customer (see
    /// `recordRegistryStatus`): a refresh that finds nothing to take leaves the version as it
    /// is, so it never makes another client's update with an expected version fail.
    ///
    /// - Parameter expectedVersion: the version the refresh was computed from; a customer changed
    ///   meanwhile (while the registry was asked) is refused with `aborted` and nothing changes.
    /// - Returns: the customer afterwards, with its head office.
    /// - Throws: `notFound`, `aborted`, `invalidArgument` (a registry value this store refuses),
    ///   `brokenRule` for an unknown acting user.
    public func applyRegistryUpdate(customerID: Int64, _ update: RegistryUpdate, expectedVersion: Int64?,
                                    by author: Author) throws -> StoredCustomer {
        let author = author.from(update.source)
        return try write { connection in
            var customer = try currentCustomer(connection, id: customerID, field: "customerId", expectedVersion: expectedVersion)
            try Self.requireActingUser(connection, author)
            if update.name != nil || update.email != nil || update.website != nil {
                // The VAT number is not touched, so the duplicate rule has nothing to check.
                customer = try self.update(connection, customer,
                                           CustomerChanges(name: update.name, email: update.email,
                                                           website: update.website),
                                           allowDuplicateVAT: false, by: author)
            }
            if let office = update.headOffice {
                if let headOffice = customer.headOffice {
                    _ = try updateAddress(connection, headOffice, office.fields, by: author)
                } else {
                    var fields = office.fields
                    fields.kind = office.kind
                    _ = try addAddress(connection, customerID: customerID, fields, by: author)
                }
            }
            if let status = update.status {
                // Read again: a new head office made a new version after `customer` was read.
                try recordRegistryStatus(connection, try requireCustomer(connection, id: customerID), status: status,
                                         by: author)
            }
            return try requireCustomer(connection, id: customerID)
        }
    }

    /// Keeps the registry's word and the time it was read, with a history entry that shows the
    /// status read even when it did not change (the entry itself is the record of the check).
    ///
    /// Only `registry_status` and `registry_checked_at` are written: they are the registry's
    /// statement about the company, not an edit of the customer, so the version, `updated_at` and
    /// `updated_by` stay as they are. An unchanged refresh (the everyday case) thus never makes
    /// another client's optimistic update fail with ABORTED; the history still shows the check.
    private func recordRegistryStatus(_ connection: SQLiteConnection, _ customer: StoredCustomer, status: String,
                                      by author: Author) throws {
        // Not before the customer's last change, so the history stays in time order.
        let now = max(nowMilliseconds(), customer.updatedAt.milliseconds)
        try connection.run("UPDATE customers SET registry_status = ?, registry_checked_at = ? WHERE id = ?",
                           [.text(status), .integer(now), .integer(customer.id)])
        try HistoryLog.append(connection, .customer, id: customer.id, customerID: customer.id, .updated, at: now,
                              by: author, changes: [StoredFieldChange(field: "registryStatus",
                                                                oldValue: customer.registryStatus, newValue: status)])
    }
}
