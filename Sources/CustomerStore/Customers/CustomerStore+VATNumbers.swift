import SQLiteEngine

/// Checks a VAT number against the rules of the customer's country (or, without one, of the
/// country its prefix names) and returns its canonical form with the business id it names, or
/// throws why it is wrong (the error's description is the reason the caller sees on the field
/// `vatNumber`). It gets the number as the store normalised it (upper-case letters and digits)
/// and the customer's country code, `nil` when the customer has none.
///
/// Why injected: the check-digit rules live in BusinessIdentifiers, and the store depends on
/// SQLite only (its tests need no country rules, and the rules need no database); the server
/// wires the two together through `StoreOptions.vatNormaliser`. Why a closure the store calls
/// rather than a check the server runs before calling the store: the store runs it INSIDE the
/// write transaction, on the country it reads there. Two updates of one customer serialize on
/// the write lock, so a country change commits either before this check (which then sees the new
/// country) or after it (and that update re-checks the stored number for its own country): a
/// number can never end up stored against a country it was not checked for.
public typealias VATNumberNormaliser = @Sendable (_ vatNumber: String, _ country: String?) throws -> NormalisedVATNumber

/// What a `VATNumberNormaliser` makes of a typed number.
public struct NormalisedVATNumber: Sendable, Hashable {
    /// The canonical VAT number; `nil` when what was typed is only a business id (a bare
    /// Norwegian organisation number says nothing about VAT registration).
    public var vatNumber: String?
    /// The national business id it names, when the country has one.
    public var businessID: String?

    public init(vatNumber: String?, businessID: String?) {
        self.vatNumber = vatNumber
        self.businessID = businessID
    }
}

extension CustomerStore {
    /// Replaces `fields.vatNumber` by its canonical form for `fields.country` and sets the
    /// business id it names, or adds a `vatNumber` violation with the rule's reason. A cleared
    /// number clears the business id; a business id kept without a VAT number (a bare Norwegian
    /// organisation number) stays when only the country changes. Does nothing without a rule,
    /// and when the validator already refused the number or the country (one reason per field).
    func canonicaliseVATNumber(_ fields: inout StoredCustomerFields, violations: inout [FieldViolation],
                               vatNumberChanged: Bool = true) {
        guard let normaliser = vatNormaliser,
              !violations.contains(where: { $0.field == "vatNumber" || $0.field == "country" }) else {
            return
        }
        guard let vatNumber = fields.vatNumber else {
            if vatNumberChanged { fields.businessID = nil }
            return
        }
        do {
            let normalised = try normaliser(vatNumber, fields.country)
            fields.vatNumber = normalised.vatNumber
            fields.businessID = normalised.businessID
        } catch {
            violations.append(FieldViolation(field: "vatNumber", reason: String(describing: error)))
        }
    }

    /// Refuses a VAT number that another customer, active or not, already has, unless the caller
    /// said the duplicate is intended.
    ///
    /// The message names the other customer by id, number and name so the caller can decide; it is
    /// the one store message with a stored value in it: a company's name is not personal data.
    /// Not every caller may read that customer (a profile reading own customers only): the server
    /// sends those ``StoreError/vatNumberTakenUnnamed`` instead (redteam20).
    /// - Parameter customerID: the customer being written (`nil` on create), never its own duplicate.
    /// - Parameter batch: the creates queued in the running group, not in the table yet (a create
    ///   that joins it, see `queueCreate`); the table's customer comes first, its id being lower.
    /// - Throws: `alreadyExists` on the field `vatNumber`.
    func refuseDuplicateVATNumber(_ connection: SQLiteConnection, _ vatNumber: String?, of customerID: Int64?,
                                  allowed: Bool, queuedIn batch: CustomerCreateBatch? = nil) throws {
        guard let vatNumber, !allowed else { return }
        // One probe of the partial index `customers_by_vat_number`.
        var other = try connection.withStatement("""
            SELECT id, number, name FROM customers WHERE vat_number = ? AND id IS NOT ? ORDER BY id LIMIT 1
            """) { statement -> (id: Int64, number: Int64, name: String)? in
            try statement.bind([.text(vatNumber), SQLValue(customerID)])
            return try statement.step() ? (statement.int64(0), statement.int64(1), statement.text(2)) : nil
        }
        if other == nil { other = batch?.holder(ofVATNumber: vatNumber) }
        if let other {
            throw StoreError.alreadyExists(
                "customer \(other.id) (number \(other.number), \"\(other.name)\") already has this VAT number; "
                    + "send allowDuplicateVat=true if both records are intended", field: "vatNumber")
        }
    }
}

extension StoreError {
    /// ``CustomerStore/refuseDuplicateVATNumber(_:_:of:allowed:queuedIn:)``'s refusal without the
    /// customer it names, for a caller who may not read every customer: its id, number and name
    /// would show it one it may not read. That some customer has the number it cannot be spared:
    /// the check is what keeps the duplicates out.
    public static let vatNumberTakenUnnamed = StoreError.alreadyExists(
        "another customer already has this VAT number (which one is told only to users who may read every customer); "
            + "send allowDuplicateVat=true if both records are intended", field: "vatNumber")

    /// Whether this is a refusal of a VAT number another customer has.
    public var isVATNumberTaken: Bool {
        if case .alreadyExists(_, field: "vatNumber") = self { return true }
        return false
    }
}
