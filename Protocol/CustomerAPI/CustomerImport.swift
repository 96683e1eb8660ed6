import BinaryCoding

/// One customer as an import takes it and an export gives it: the customer's fields, its head
/// office address and its first contact, each only when it has one. The CSV and JSON Lines
/// columns of `customerctl customers import` and `export` are these fields' names (docs/CSV.md,
/// "Columns"), so an export imports again unchanged.
public struct CustomerRecord: Codable, Sendable, Hashable {
    /// The line of the file the record starts on (an import's row), for reporting; absent in exports.
    public var line: Int64?
    public var fields: CustomerFields
    /// The head office address; absent when the record has none (every address column empty).
    public var address: AddressFields?
    /// The first contact; absent when the record has none (every contact column empty).
    public var contact: ContactFields?
    /// The national business id (`0112038-9`). An export gives the stored one. An import checks it
    /// against the one `fields.vatNumber` names; without a VAT number it is read as one is typed,
    /// so a bare Norwegian organisation number stays the customer's business id only.
    public var businessId: String?
    /// Names of existing keywords and roles of the first contact (an import needs `contact` for them).
    public var contactKeywords: [String]
    public var contactRoles: [String]

    public init(line: Int64? = nil, fields: CustomerFields, address: AddressFields? = nil, contact: ContactFields? = nil,
                businessId: String? = nil, contactKeywords: [String] = [], contactRoles: [String] = []) {
        self.line = line
        self.fields = fields
        self.address = address
        self.contact = contact
        self.businessId = businessId
        self.contactKeywords = contactKeywords
        self.contactRoles = contactRoles
    }

    enum CodingKeys: Int, CodingKey {
        case line = 1, fields = 2, address = 3, contact = 4, businessId = 5, contactKeywords = 6, contactRoles = 7
    }
}

/// One message of an import (client-streaming): the first carries `options` (and may carry rows),
/// every one carries rows, so a client sends many rows per frame.
public struct ImportCustomersMessage: Codable, Sendable, Hashable {
    public var options: ImportOptions?
    public var rows: [CustomerRecord]

    public init(options: ImportOptions? = nil, rows: [CustomerRecord] = []) {
        self.options = options
        self.rows = rows
    }

    /// The most rows one message may carry; a server refuses a message with more (INVALID_ARGUMENT
    /// on `rows`) before decoding it. customerctl and `CustomerClient` callers send 1 000 a message
    /// (`CustomerImport.batchEnds(of:)`); what a row costs the server once decoded and converted
    /// (~2 KiB for an empty one) does not grow with its bytes, so without this bound a message of
    /// 65 000 four-byte rows held 168 MiB, and 64 of them at once 7 GiB.
    public static let maxRows = 1_000

    /// The rows an encoded message carries, counted without decoding it (`FieldOccurrences`).
    public static func rowCount(encoded bytes: [UInt8]) -> Int {
        FieldOccurrences.count(of: UInt32(CodingKeys.rows.rawValue), in: bytes)
    }

    enum CodingKeys: Int, CodingKey { case options = 1, rows = 2 }
}

/// How an import treats its rows.
public struct ImportOptions: Codable, Sendable, Hashable {
    /// True: check every row as a create would, report the bad ones, write nothing.
    public var dryRun: Bool?
    /// True: write the good rows, report the bad ones. Otherwise one bad row refuses the whole
    /// import (INVALID_ARGUMENT) and nothing is written.
    public var continueOnError: Bool?
    /// As `CreateCustomerRequest.allowDuplicateVat`, for every row.
    public var allowDuplicateVat: Bool?

    public init(dryRun: Bool? = nil, continueOnError: Bool? = nil, allowDuplicateVat: Bool? = nil) {
        self.dryRun = dryRun
        self.continueOnError = continueOnError
        self.allowDuplicateVat = allowDuplicateVat
    }

    enum CodingKeys: Int, CodingKey { case dryRun = 1, continueOnError = 2, allowDuplicateVat = 3 }
}

/// One refused field of one row.
public struct ImportProblem: Codable, Sendable, Hashable {
    public var line: Int64
    /// The column's name, e.g. `vatNumber`, `address.country`, `contact.email`.
    public var field: String
    public var reason: String

    public init(line: Int64, field: String, reason: String) {
        self.line = line
        self.field = field
        self.reason = reason
    }

    enum CodingKeys: Int, CodingKey { case line = 1, field = 2, reason = 3 }
}

/// What an import did (or, in a dry run, would do).
public struct ImportCustomersResponse: Codable, Sendable, Hashable {
    /// Rows received.
    public var rows: Int64
    /// Customers created; 0 in a dry run.
    public var imported: Int64
    /// Rows refused (each may have several problems).
    public var rejectedRows: Int64
    /// The problems, in line order; at most ``maxProblems`` of them.
    public var problems: [ImportProblem]
    public var dryRun: Bool

    /// The most problems an answer lists, so it stays well under the frame limit.
    public static let maxProblems = 10_000
    /// The most problems a refused all-or-nothing import lists as the error's details: a STATUS
    /// must stay small (PROTOCOL.md 5.3).
    public static let maxRefusalDetails = 100

    public init(rows: Int64, imported: Int64, rejectedRows: Int64, problems: [ImportProblem], dryRun: Bool) {
        self.rows = rows
        self.imported = imported
        self.rejectedRows = rejectedRows
        self.problems = problems
        self.dryRun = dryRun
    }

    enum CodingKeys: Int, CodingKey { case rows = 1, imported = 2, rejectedRows = 3, problems = 4, dryRun = 5 }
}
