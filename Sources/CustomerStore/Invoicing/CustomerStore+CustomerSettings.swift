import Foundation
import SQLiteEngine

/// A customer's default invoicing settings (Customer settings tab).
extension CustomerStore {
    /// The customer's settings; when none were ever set, every setting is nil (the documented
    /// defaults apply) and `version` is 0.
    /// - Throws: `notFound` (customer).
    public func customerSettings(customerID: Int64) throws -> StoredCustomerSettings {
        try read { connection in
            try Self.requireWritableCustomer(connection, customerID: customerID)
            return try Self.fetchSettings(connection, customerID: customerID)
        }
    }

    /// Changes the given settings only (partial: nil leaves a setting alone, "" clears it), in one
    /// transaction; the first write creates the stored row with version 1. The changed settings are
    /// recorded in the customer's history as fields `settings.<name>`. When every given setting
    /// equals the stored one once normalised, nothing is written (no version, no entry).
    ///
    /// - Parameter expectedVersion: when given and the stored version differs (0 when nothing was
    ///   ever stored), the call is refused with `aborted` and nothing changes.
    /// - Throws: `notFound` (customer), `aborted`, `invalidArgument` listing every invalid setting
    ///   (including what the chosen channel requires), `brokenRule` for an unknown acting user.
    public func updateCustomerSettings(customerID: Int64, _ changes: CustomerSettingsChanges, expectedVersion: Int64?,
                                       by author: Author) throws -> StoredCustomerSettings {
        try write { connection in
            try Self.requireWritableCustomer(connection, customerID: customerID)
            let current = try Self.fetchSettings(connection, customerID: customerID)
            try Self.checkVersion(expectedVersion, current: current.version,
                                  of: "the settings record of customer \(customerID)")
            let before = CustomerSettingsColumns(current)
            let (columns, violations) = CustomerSettingsValidator.apply(changes, to: before)
            if !violations.isEmpty { throw StoreError.invalidArgument(violations) }
            try Self.requireActingUser(connection, author)
            // Every given setting as stored: the settings as they are, no version (as a customer's update).
            if HistoryLog.isUnchanged(from: before.values, to: columns.values) { return current }
            let now = current.updatedAt.map { nextUpdatedAt(after: $0) } ?? nowMilliseconds()
            // One statement for the first write and every later one (SQLite "UPSERT", 3.24+).
            try connection.run("""
                INSERT INTO customer_settings (customer_id, invoice_channel, invoice_email, e_invoice_address,
                    e_invoice_operator, payment_term_days, currency, vat_rate, invoice_language, reference,
                    invoice_template, version, updated_at, updated_by)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?)
                ON CONFLICT (customer_id) DO UPDATE SET invoice_channel = excluded.invoice_channel,
                    invoice_email = excluded.invoice_email, e_invoice_address = excluded.e_invoice_address,
                    e_invoice_operator = excluded.e_invoice_operator, payment_term_days = excluded.payment_term_days,
                    currency = excluded.currency, vat_rate = excluded.vat_rate,
                    invoice_language = excluded.invoice_language, reference = excluded.reference,
                    invoice_template = excluded.invoice_template, version = version + 1,
                    updated_at = excluded.updated_at, updated_by = excluded.updated_by
                """, [.integer(customerID)] + columns.values + [.integer(now), .integer(author.userID)])
            let changed = HistoryLog.changes(from: before.historyValues, to: columns.historyValues)
            if !changed.isEmpty {
                try HistoryLog.append(connection, .customer, id: customerID, customerID: customerID, .updated, at: now,
                                      by: author, changes: changed)
            }
            return try Self.fetchSettings(connection, customerID: customerID)
        }
    }

    // MARK: Helpers

    /// - Parameter users: the read's user names, when it reads more rows than these.
    static func fetchSettings(_ connection: SQLiteConnection, customerID: Int64,
                              users: UserNames? = nil) throws -> StoredCustomerSettings {
        let users = UserNames.of(connection, sharing: users)
        return try connection.withStatement("""
            SELECT s.invoice_channel, s.invoice_email, s.e_invoice_address, s.e_invoice_operator, s.payment_term_days,
                   s.currency, s.vat_rate, s.invoice_language, s.reference, s.invoice_template, s.version,
                   s.updated_at, s.updated_by
            FROM customer_settings s
            WHERE s.customer_id = ?
            """) { statement in
            try statement.bind(customerID, at: 1)
            guard try statement.step() else { return StoredCustomerSettings(customerID: customerID) }
            return StoredCustomerSettings(
                customerID: customerID,
                invoiceChannel: try statement.optionalText("invoice_channel").flatMap(StoredInvoiceChannel.init(rawValue:)),
                invoiceEmail: try statement.optionalText("invoice_email"),
                eInvoiceAddress: try statement.optionalText("e_invoice_address"),
                eInvoiceOperator: try statement.optionalText("e_invoice_operator"),
                paymentTermDays: try statement.optionalInt64("payment_term_days").map { Int(truncatingIfNeeded: $0) },
                currency: try statement.optionalText("currency"),
                vatRate: try statement.optionalText("vat_rate").flatMap {
                    Decimal(string: $0, locale: Locale(identifier: "en_US_POSIX"))
                },
                invoiceLanguage: try statement.optionalText("invoice_language"), reference: try statement.optionalText("reference"),
                invoiceTemplate: try statement.optionalText("invoice_template"), version: try statement.int64("version"),
                updatedAt: Date(milliseconds: try statement.int64("updated_at")),
                updatedBy: try users.ref(statement, "updated_by"))
        }
    }
}

extension CustomerSettingsColumns {
    /// The columns of stored settings.
    init(_ settings: StoredCustomerSettings) {
        self.init(invoiceChannel: settings.invoiceChannel, invoiceEmail: settings.invoiceEmail,
                  eInvoiceAddress: settings.eInvoiceAddress, eInvoiceOperator: settings.eInvoiceOperator,
                  paymentTermDays: settings.paymentTermDays, currency: settings.currency,
                  vatRate: settings.vatRate.map { "\($0)" }, invoiceLanguage: settings.invoiceLanguage,
                  reference: settings.reference, invoiceTemplate: settings.invoiceTemplate)
    }
}
