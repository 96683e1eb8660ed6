import Foundation
import SQLiteEngine

/// The stored columns of a customer's settings after validation and normalisation.
struct CustomerSettingsColumns: Sendable, Hashable {
    var invoiceChannel: StoredInvoiceChannel?
    var invoiceEmail: String?
    var eInvoiceAddress: String?
    var eInvoiceOperator: String?
    var paymentTermDays: Int?
    var currency: String?
    /// Normalised decimal text ("25.5", "0", "100").
    var vatRate: String?
    var invoiceLanguage: String?
    var reference: String?
    var invoiceTemplate: String?

    /// The bound values of `invoice_channel` ... `invoice_template`, in table order.
    var values: [SQLValue] {
        [SQLValue(invoiceChannel?.rawValue), SQLValue(invoiceEmail), SQLValue(eInvoiceAddress), SQLValue(eInvoiceOperator),
         SQLValue(paymentTermDays.map(Int64.init)), SQLValue(currency), SQLValue(vatRate), SQLValue(invoiceLanguage),
         SQLValue(reference), SQLValue(invoiceTemplate)]
    }

    /// The settings the history compares, by API name prefixed `settings.` (they are recorded on the customer).
    var historyValues: HistoryLog.Values {
        [("settings.invoiceChannel", invoiceChannel?.rawValue), ("settings.invoiceEmail", invoiceEmail),
         ("settings.eInvoiceAddress", eInvoiceAddress), ("settings.eInvoiceOperator", eInvoiceOperator),
         ("settings.paymentTermDays", paymentTermDays.map(String.init)), ("settings.currency", currency),
         ("settings.vatRate", vatRate), ("settings.invoiceLanguage", invoiceLanguage),
         ("settings.reference", reference), ("settings.invoiceTemplate", invoiceTemplate)]
    }
}

/// The one place settings input is checked; reports every violation at once with API field names,
/// including the rules across fields (what the chosen channel requires).
enum CustomerSettingsValidator {
    static let maxReference = 70
    static let maxInvoiceTemplate = 100
    static let maxOperator = 35
    static let paymentTermRange = 0...365

    static func apply(_ changes: CustomerSettingsChanges, to current: CustomerSettingsColumns)
        -> (CustomerSettingsColumns, [FieldViolation]) {
        var violations: [FieldViolation] = []
        var columns = current
        if let channel = changes.invoiceChannel { columns.invoiceChannel = channel }
        if let days = changes.paymentTermDays {
            if let days, !paymentTermRange.contains(days) {
                violations.append(FieldViolation(field: "paymentTermDays", reason: "must be 0 to 365 days"))
            } else {
                columns.paymentTermDays = days
            }
        }
        CustomerValidator.normalise(changes.invoiceEmail, field: "invoiceEmail", early: CustomerValidator.emailLimit("invoiceEmail"),
                                    { CustomerValidator.email($0).on("invoiceEmail") }, &columns.invoiceEmail,
                                    &violations)
        CustomerValidator.normalise(changes.eInvoiceAddress, field: "eInvoiceAddress", eInvoiceAddress,
                                    &columns.eInvoiceAddress, &violations)
        CustomerValidator.normalise(changes.eInvoiceOperator, field: "eInvoiceOperator", eInvoiceOperator,
                                    &columns.eInvoiceOperator, &violations)
        CustomerValidator.normalise(changes.currency, field: "currency", currency, &columns.currency, &violations)
        CustomerValidator.normalise(changes.vatRate, field: "vatRate", vatRate, &columns.vatRate, &violations)
        CustomerValidator.normalise(changes.invoiceLanguage, field: "invoiceLanguage", language,
                                    &columns.invoiceLanguage, &violations)
        CustomerValidator.normalise(changes.reference, field: "reference", maxLength: maxReference,
                                    &columns.reference, &violations)
        CustomerValidator.normalise(changes.invoiceTemplate, field: "invoiceTemplate", maxLength: maxInvoiceTemplate,
                                    &columns.invoiceTemplate, &violations)
        requireWhatTheChannelNeeds(columns, given: violations, into: &violations)
        return (columns, violations)
    }

    /// email needs an invoice email; eInvoice needs an address and an operator. A field already
    /// refused as invalid is not reported a second time as missing.
    private static func requireWhatTheChannelNeeds(_ columns: CustomerSettingsColumns, given: [FieldViolation],
                                                   into violations: inout [FieldViolation]) {
        let required: [(String, String?)]
        switch columns.invoiceChannel {
        case .email: required = [("invoiceEmail", columns.invoiceEmail)]
        case .eInvoice: required = [("eInvoiceAddress", columns.eInvoiceAddress),
                                    ("eInvoiceOperator", columns.eInvoiceOperator)]
        case .paper, nil: required = []
        }
        for (field, value) in required where value == nil && !given.contains(where: { $0.field == field }) {
            violations.append(FieldViolation(
                field: field, reason: "is required when the invoice channel is \(columns.invoiceChannel?.rawValue ?? "")"))
        }
    }

    // MARK: Rules

    /// A Finnish OVT/EDI code (or a similar operator-routed address): 12-17 letters and digits,
    /// spaces and dashes ignored, upper-cased.
    static func eInvoiceAddress(_ value: String) -> CustomerValidator.Checked {
        let compact = String(value.unicodeScalars.filter { $0 != " " && $0 != "-" }).uppercased()
        let alphanumeric = compact.unicodeScalars.allSatisfy { ("A"..."Z").contains($0) || ("0"..."9").contains($0) }
        guard alphanumeric, (12...17).contains(compact.unicodeScalars.count) else {
            return .failure(FieldViolation(field: "eInvoiceAddress",
                                           reason: "must be 12 to 17 letters A-Z and digits (an OVT/EDI code)"))
        }
        return .success(compact)
    }

    /// An operator code (e.g. "003721291126", "E204503") or short name: 1-35 characters (control
    /// characters are refused before, by `normalise`).
    static func eInvoiceOperator(_ value: String) -> CustomerValidator.Checked {
        guard TextInput.length(value) <= maxOperator else {
            return .failure(FieldViolation(field: "eInvoiceOperator",
                                           reason: "must be at most \(maxOperator) characters without control characters"))
        }
        return .success(value)
    }

    static func currency(_ value: String) -> CustomerValidator.Checked {
        CurrencyCodes.check(value, field: "currency")
    }

    /// ISO 639-1 or 639-2 style: 2-3 ASCII letters, lower-cased.
    static func language(_ value: String) -> CustomerValidator.Checked {
        let code = value.lowercased()
        guard (2...3).contains(code.unicodeScalars.count), code.unicodeScalars.allSatisfy({ ("a"..."z").contains($0) }) else {
            return .failure(FieldViolation(field: "invoiceLanguage", reason: "must be a 2- or 3-letter ISO 639 code"))
        }
        return .success(code)
    }

    static let maxVATDecimals = 4

    /// A percentage 0...100 written with digits and at most one dot or comma and 4 decimals;
    /// normalised without leading or trailing zeros ("025,50" -> "25.5"), so equal rates are equal text.
    static func vatRate(_ value: String) -> CustomerValidator.Checked {
        let invalid = CustomerValidator.Checked.failure(FieldViolation(
            field: "vatRate", reason: "must be a percentage from 0 to 100 with at most \(maxVATDecimals) decimals"))
        let parts = value.split(maxSplits: 2, omittingEmptySubsequences: false, whereSeparator: { $0 == "." || $0 == "," })
        guard parts.count <= 2, let whole = parts.first,
              whole.allSatisfy(\.isASCIIDigit), whole.count <= 3 else { return invalid }
        let fraction = parts.count == 2 ? parts[1] : ""
        guard fraction.allSatisfy(\.isASCIIDigit), fraction.count <= maxVATDecimals,
              !(whole.isEmpty && fraction.isEmpty) else { return invalid }
        let integer = Int(whole) ?? 0
        let decimals = String(fraction.reversed().drop(while: { $0 == "0" }).reversed())
        guard integer < 100 || (integer == 100 && decimals.isEmpty) else { return invalid }
        return .success(decimals.isEmpty ? String(integer) : "\(integer).\(decimals)")
    }
}

extension Character {
    fileprivate var isASCIIDigit: Bool { ("0"..."9").contains(self) }
}

extension CustomerValidator.Checked {
    /// The same outcome with a refusal reported on `field` (a shared rule checking a differently named field).
    func on(_ field: String) -> CustomerValidator.Checked {
        guard case .failure(let violation) = self else { return self }
        return .failure(FieldViolation(field: field, reason: violation.reason))
    }
}
