import Foundation
import SQLiteEngine

/// The SELECTs that read invoices (their snapshot columns), and their decoding (the issuer's name
/// through ``UserNames``).
enum InvoiceRow {
    private static let select = """
        SELECT i.id, i.customer_id, i.number, i.issued_at, i.issued_by, i.customer_name,
               i.customer_number,
               i.vat_number, i.street1, i.street2, i.street3, i.postal_code, i.city, i.region, i.country,
               i.contact_id, i.contact_name, i.settings, i.currency, i.total, i.description
        FROM invoices i
        """
    private static let byID = select + " WHERE i.id = ?"
    /// A customer's invoices, newest first.
    private static let byCustomer = select + " WHERE i.customer_id = ? ORDER BY i.id DESC"

    private static func decode(_ statement: SQLiteStatement, users: UserNames) throws -> StoredInvoice {
        let id = try statement.int64("id"), customerID = try statement.int64("customer_id")
        let number = try statement.int64("number"), issuedAt = try statement.int64("issued_at")
        let issuedBy = try users.ref(statement, "issued_by")
        let customerName = try statement.text("customer_name"), customerNumber = try statement.int64("customer_number")
        let vatNumber = try statement.optionalText("vat_number")
        let street = try ["street1", "street2", "street3"].compactMap { try statement.optionalText($0) }
        let postalCode = try statement.optionalText("postal_code"), city = try statement.optionalText("city")
        let region = try statement.optionalText("region")
        let address = try statement.optionalText("country").map { country in
            InvoiceAddress(street: street, postalCode: postalCode, city: city, region: region, country: country)
        }
        return StoredInvoice(
            id: id, customerID: customerID, number: number, issuedAt: .init(milliseconds: issuedAt), issuedBy: issuedBy,
            customerName: customerName, customerNumber: customerNumber, vatNumber: vatNumber, headOffice: address,
            contactID: try statement.optionalInt64("contact_id"), contactName: try statement.optionalText("contact_name"),
            settingsSnapshot: try statement.optionalText("settings"), currency: try statement.text("currency"),
            total: DecimalText.value(try statement.text("total")) ?? 0, description: try statement.optionalText("description"))
    }

    /// One invoice, or nil.
    static func fetch(_ connection: SQLiteConnection, id: Int64) throws -> StoredInvoice? {
        let users = UserNames(connection)
        return try connection.withStatement(byID) { statement in
            try statement.bind(id, at: 1)
            return try statement.step() ? try decode(statement, users: users) : nil
        }
    }

    /// A customer's invoices, newest first.
    static func fetchAll(_ connection: SQLiteConnection, customerID: Int64) throws -> [StoredInvoice] {
        let users = UserNames(connection)
        return try connection.withStatement(byCustomer) { statement in
            try statement.bind(customerID, at: 1)
            var invoices: [StoredInvoice] = []
            while try statement.step() { invoices.append(try decode(statement, users: users)) }
            return invoices
        }
    }
}
