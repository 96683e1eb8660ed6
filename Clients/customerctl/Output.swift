import CustomerClient
import Foundation
import ServiceLog

/// Writes results in the chosen format: tables for people, JSON (camelCase keys, stable,
/// ISO-8601 UTC timestamps) for programs.
struct Output: Sendable {
    let format: OutputFormat

    func customer(_ customer: Customer) throws {
        switch format {
        case .json:
            try printJSON(customer)
        case .table, .csv:
            if customer.isDeleted {
                print("Customer deleted (id \(customer.id), number \(customer.number))")
                return
            }
            var fields = FieldList()
            fields.add("id", String(customer.id))
            fields.add("number", String(customer.number))
            fields.add("name", customer.name)
            fields.add("active", customer.active ? "yes" : "no")
            fields.add("account manager", customer.accountManager.map(Self.describe))
            fields.add("vat number", customer.vatNumber)
            fields.add("business id", customer.businessId)
            fields.add("country", customer.country)
            fields.add("registry status", customer.registryStatus.map { status in
                status + (customer.registryCheckedAt.map { " (checked \(Self.timestamp($0)))" } ?? "")
            })
            fields.add("industry", customer.industry)
            fields.add("email", customer.email)
            fields.add("website", customer.website)
            fields.add("phone", customer.phone)
            fields.add("description", customer.description)
            fields.add("version", String(customer.version))
            fields.add("created", "\(Self.timestamp(customer.createdAt)) by \(customer.createdBy.name)")
            fields.add("updated", "\(Self.timestamp(customer.updatedAt)) by \(customer.updatedBy.name)")
            fields.add("head office", customer.headOffice?.oneLine)
            print(fields.render(), terminator: "")
        }
    }

    func customers(_ customers: [Customer]) throws {
        switch format {
        case .json:
            try printJSON(customers)
        case .table, .csv:
            var table = TextTable(["ID", "NUMBER", "NAME", "COUNTRY", "VAT NUMBER", "ACTIVE", "VERSION"])
            for customer in customers {
                table.append([
                    String(customer.id), String(customer.number), customer.name, customer.country ?? "-",
                    customer.vatNumber ?? "-", customer.active ? "yes" : "no", String(customer.version),
                ])
            }
            print(table.render(), terminator: "")
        }
    }

    /// One compact JSON object on one line: the JSON Lines format exports use.
    func jsonLine(_ value: some Encodable) throws {
        let data = try MessageJSON.value(of: value).map { try Self.compactEncoder.encode($0) }
            ?? Self.compactEncoder.encode(value)
        try StandardOutput.write(TerminalText.jsonEscaped(data) + Data("\n".utf8))
    }

    /// An API record (or a list of them) through its schema (see `MessageJSON`); anything else as
    /// JSONEncoder writes it.
    func printJSON(_ value: some Encodable) throws {
        let data = try MessageJSON.value(of: value).map { try Self.prettyEncoder.encode($0) }
            ?? Self.prettyEncoder.encode(value)
        try StandardOutput.write(TerminalText.jsonEscaped(data) + Data("\n".utf8))
    }

    static func describe(_ user: UserRef) -> String {
        "\(user.name) (id \(user.id))"
    }

    static func timestamp(_ date: Date) -> String {
        date.ISO8601Format()
    }

    /// An activity's time in the zone it was given in (`2026-12-15T10:00:00+02:00 Europe/Helsinki`);
    /// in UTC when it has none or this machine does not know it.
    static func timestamp(_ date: Date, zone: String?) -> String {
        guard let zone, let timeZone = TimeZone(identifier: zone) else { return timestamp(date) }
        return date.ISO8601Format(Date.ISO8601FormatStyle(timeZoneSeparator: .colon, timeZone: timeZone)) + " " + zone
    }

    private static let prettyEncoder = makeEncoder([.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])
    private static let compactEncoder = makeEncoder([.sortedKeys, .withoutEscapingSlashes])

    private static func makeEncoder(_ formatting: JSONEncoder.OutputFormatting) -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = formatting
        encoder.dateEncodingStrategy = .custom { date, encoder in
            var container = encoder.singleValueContainer()
            try container.encode(Date.ISO8601FormatStyle(includingFractionalSeconds: true).format(date))
        }
        return encoder
    }
}

extension Output {
    static func describe(_ status: ServingStatus) -> String {
        switch status {
        case .serving: return "SERVING"
        case .notServing: return "NOT_SERVING"
        case .serviceUnknown: return "SERVICE_UNKNOWN"
        case .unknown: return "UNKNOWN"
        }
    }
}
