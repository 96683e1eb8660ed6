import Foundation
import SQLiteEngine

extension CustomerStore {
    static let maxInvoiceDescription = 4_000
    static let maxSettingsSnapshot = 65_536

    /// Issues an invoice to a customer, numbered from the invoice sequence (1 upward). It COPIES
    /// the customer's name, number, VAT number, head office and the contact's name, and keeps the
    /// caller's `settingsSnapshot` (the customer's invoicing settings as a JSON object), so later
    /// edits and deletions never change what it says. A customer with invoices cannot be deleted.
    ///
    /// - Parameter total: exact; may be negative (a credit note); at most 4 decimals.
    /// - Throws: `notFound` (customer); `invalidArgument` on `total`, `currency`, `description`,
    ///   `settings` (the `settingsSnapshot`: not a JSON object, or over 64 KiB) and `contactId` (not this customer's);
    ///   `failedPrecondition` for a deleted customer or contact, `brokenRule` for an unknown acting user.
    public func issueInvoice(customerID: Int64, contactID: Int64?, total: Decimal, currency: String,
                             description: String?, settingsSnapshot: String?, by author: Author) throws -> StoredInvoice {
        var violations = Self.invoiceViolations(total: total, settingsSnapshot: settingsSnapshot)
        var currencyCode: String?
        CustomerValidator.normalise(currency, field: "currency", CurrencyCodes.check, &currencyCode, &violations)
        if currencyCode == nil, !violations.contains(where: { $0.field == "currency" }) {
            violations.append(FieldViolation(field: "currency", reason: "is required (an ISO 4217 code)"))
        }
        var text: String?
        CustomerValidator.normalise(description, field: "description", maxLength: Self.maxInvoiceDescription,
                                    lines: .multiple,
                                    &text, &violations)
        return try write { connection in
            guard let customer = try CustomerRow.fetch(connection, CustomerRow.byID, key: customerID) else {
                throw try Self.missingCustomer(connection, id: customerID)
            }
            if customer.deleted { throw StoreError.deletedCustomer(customerID, field: "customerId") }
            if let contactID {
                try Self.checkActivityContact(connection, contactID: contactID, customerID: customerID,
                                              violations: &violations)
            }
            if !violations.isEmpty { throw StoreError.invalidArgument(violations) }
            try Self.requireActingUser(connection, author)
            let contactName = try contactID.map { try requireContact(connection, id: $0).ref.name ?? "" }
            let number = try NumberSequence.invoices.next(connection)
            let office = customer.headOffice.map(AddressColumns.init)
            let now = nowMilliseconds()
            try connection.run("""
                INSERT INTO invoices (customer_id, number, issued_at, issued_by, customer_name, customer_number,
                    vat_number, street1, street2, street3, postal_code, city, region, country, contact_id, contact_name,
                    settings, currency, total, description)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """, [.integer(customerID), .integer(number), .integer(now), .integer(author.userID), .text(customer.name),
                      .integer(customer.number), SQLValue(customer.vatNumber),
                      SQLValue(office?.line(0)), SQLValue(office?.line(1)), SQLValue(office?.line(2)),
                      SQLValue(office?.postalCode), SQLValue(office?.city), SQLValue(office?.region),
                      SQLValue(office?.country), SQLValue(contactID), SQLValue(contactName), SQLValue(settingsSnapshot),
                      .text(currencyCode ?? ""), .text(DecimalText.text(total)), SQLValue(text)])
            let id = connection.lastInsertRowID
            try NumberSequence.invoices.advance(connection, past: number)
            try HistoryLog.append(connection, .invoice, id: id, customerID: customerID, .issued, at: now, by: author)
            return try requireInvoice(connection, id: id)
        }
    }

    /// A customer's invoices, newest first. - Throws: `notFound` (customer).
    public func invoices(customerID: Int64) throws -> [StoredInvoice] {
        try read { connection in
            try Self.requireWritableCustomer(connection, customerID: customerID)
            return try InvoiceRow.fetchAll(connection, customerID: customerID)
        }
    }

    /// The invoice with this id. - Throws: `notFound`.
    public func invoice(id: Int64) throws -> StoredInvoice {
        try readOne { try requireInvoice($0, id: id) }
    }

    // MARK: Helpers

    private static func invoiceViolations(total: Decimal, settingsSnapshot: String?) -> [FieldViolation] {
        var violations = DecimalText.violation(total, field: "total", allowNegative: true).map { [$0] } ?? []
        if let settingsSnapshot {
            let bytes = Data(settingsSnapshot.utf8)
            let isObject = bytes.count <= maxSettingsSnapshot
                && (try? JSONSerialization.jsonObject(with: bytes)) is [String: Any]
            if !isObject {
                violations.append(FieldViolation(field: "settings",
                                                 reason: "must be a JSON object of at most \(maxSettingsSnapshot) bytes"))
            }
        }
        return violations
    }

    private func requireInvoice(_ connection: SQLiteConnection, id: Int64) throws -> StoredInvoice {
        guard let invoice = try InvoiceRow.fetch(connection, id: id) else {
            throw StoreError.notFound("invoice \(id) does not exist")
        }
        return invoice
    }
}
