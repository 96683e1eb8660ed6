import CommandLineKit
import CustomerClient
import Foundation

/// A CSV file read as customer records: the header row names each column's field (or `--map`
/// does), every further row becomes a `CustomerRecord`. What cannot even be sent (a number that is
/// not a number, a row with too many cells) is a problem found here, by line and column; the
/// server checks everything else.
public struct CustomerImport: Sendable {
    public var records: [CustomerRecord] = []
    public var problems: [ImportProblem] = []
    /// Rows read, sent or not.
    public var rows = 0

    /// Rows per message: a few hundred KiB, well under the frame limit, and the most the server
    /// takes in one.
    public static let batchSize = ImportCustomersMessage.maxRows

    /// Field occurrences per message at most: customerd refuses a request message holding more
    /// than 131 072, its nested messages' counted (PROTOCOL.md §9), and a row's contact keywords
    /// and roles are one each, so rows naming many of them go in smaller batches.
    public static let batchOccurrences = 100_000

    /// At least as many field occurrences as `record` takes in a message: the row itself, its five
    /// singular fields, every field of its customer (10), address (8) and contact (8), and one per
    /// contact keyword and role.
    public static func occurrences(of record: CustomerRecord) -> Int {
        32 + record.contactKeywords.count + record.contactRoles.count
    }

    /// Where each batch of `records` ends: at `batchSize` rows, or before a row that would take
    /// the batch past `batchOccurrences` (a batch holds at least one row).
    public static func batchEnds(of records: ArraySlice<CustomerRecord>) -> [Int] {
        var ends: [Int] = []
        var rows = 0
        var occurrences = 0
        for index in records.indices {
            let taken = Self.occurrences(of: records[index])
            if rows == batchSize || (rows > 0 && occurrences + taken > batchOccurrences) {
                ends.append(index)
                rows = 0
                occurrences = 0
            }
            rows += 1
            occurrences += taken
        }
        if rows > 0 { ends.append(records.endIndex) }
        return ends
    }

    /// - Parameter maps: `COLUMN=FIELD` pairs; an empty FIELD skips the column.
    public init(csv bytes: [UInt8], delimiter: UInt8, maps: [String]) throws {
        var reader = CSVReader(bytes, delimiter: delimiter)
        guard let header = try reader.next() else { throw CSVError(line: 1, "the file is empty: it needs a header row") }
        let columns = try Self.columns(header.fields, maps: maps)
        while let record = try reader.next() {
            // A blank line between rows is not a row.
            if record.fields == [""] { continue }
            rows += 1
            var row = CustomerRecord(line: Int64(record.line), fields: CustomerFields())
            var fine = true
            if record.fields.count != columns.count {
                problems.append(ImportProblem(
                    line: Int64(record.line), field: "",
                    reason: "has \(record.fields.count) cells, the header has \(columns.count)"))
                continue
            }
            for (column, text) in zip(columns, record.fields) {
                guard let column, !text.isEmpty else { continue }
                do {
                    try column.set(&row, text)
                } catch let problem as CustomerColumns.ColumnProblem {
                    problems.append(ImportProblem(line: Int64(record.line), field: column.name, reason: problem.reason))
                    fine = false
                }
            }
            if fine { records.append(row) }
        }
    }

    /// Each header cell's column: its own name, or what `--map` says; a name that is no field is a
    /// usage error listing the fields.
    public static func columns(_ header: [String], maps: [String]) throws -> [CustomerColumns.Column?] {
        var mapped: [String: String] = [:]
        for map in maps {
            guard let equals = map.firstIndex(of: "=") else {
                throw UsageError("--map takes COLUMN=FIELD, got '\(map)'")
            }
            mapped[String(map[..<equals])] = String(map[map.index(after: equals)...])
        }
        var seen: Set<String> = []
        return try header.map { cell in
            let name = mapped[cell] ?? cell.trimmingCharacters(in: .whitespaces)
            if name.isEmpty { return nil }
            guard let column = CustomerColumns.all.first(where: { $0.name == name }) else {
                throw UsageError(
                    "column '\(cell)' is no field; name it with --map '\(cell)=FIELD' (or --map '\(cell)=' to skip it). "
                        + "Fields: " + CustomerColumns.names.joined(separator: ", "))
            }
            guard seen.insert(name).inserted else { throw UsageError("two columns are field '\(name)'") }
            return column
        }
    }
}
