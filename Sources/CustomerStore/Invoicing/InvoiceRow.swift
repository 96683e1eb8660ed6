import Foundation
import SQLiteEngine

/// The SELECTs that read invoices (their snapshot columns), and their decoding.
enum InvoiceRow {
    private static let select = """
        SELECT i.id, i.customer_id, i.number, i.issued_at, i.issued_by, u.name, i.customer_name, i.customer_number,
               i.vat_number, i.street1, i.street2, i.street3, i.postal_code, i.city, i.region, i.country,
               i.contact_id, i.contact_name, i.settings, i.currency, i.total, i.description
        FROM invoices i JOIN users u ON u.id = i.issued_by
        """
    private static let byID = select + " WHERE i.id = ?"
    /// A customer's invoices, newest first.
    private static let byCustomer = select + " WHERE i.customer_id = ? ORDER BY i.id DESC"

    private static func decode(_ statement: SQLiteStatement) -> Invoice {
        let address = statement.optionalText(15).map { country in
            InvoiceAddress(street: (9...11).compactMap { statement.optionalText($0) }, postalCode: statement.optionalText(12),
                           city: statement.optionalText(13), region: statement.optionalText(14), country: country)
        }
        return Invoice(
            id: statement.int64(0), customerID: statement.int64(1), number: statement.int64(2),
            issuedAt: .init(milliseconds: statement.int64(3)),
            issuedBy: UserRef(id: statement.int64(4), name: statement.text(5)), customerName: statement.text(6),
            customerNumber: statement.int64(7), vatNumber: statement.optionalText(8), headOffice: address,
            contactID: statement.optionalInt64(16), contactName: statement.optionalText(17),
            settingsSnapshot: statement.optionalText(18), currency: statement.text(19),
            total: DecimalText.value(statement.text(20)) ?? 0, description: statement.optionalText(21))
    }

    /// One invoice, or nil.
    static func fetch(_ connection: SQLiteConnection, id: Int64) throws -> Invoice? {
        try connection.withStatement(byID) { statement in
            try statement.bind(id, at: 1)
            return try statement.step() ? decode(statement) : nil
        }
    }

    /// A customer's invoices, newest first.
    static func fetchAll(_ connection: SQLiteConnection, customerID: Int64) throws -> [Invoice] {
        try connection.withStatement(byCustomer) { statement in
            try statement.bind(customerID, at: 1)
            var invoices: [Invoice] = []
            while try statement.step() { invoices.append(decode(statement)) }
            return invoices
        }
    }
}
