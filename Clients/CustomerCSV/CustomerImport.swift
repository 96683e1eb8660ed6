import CommandLineKit
import CustomerClient
import DisplayText
import Foundation

/// A CSV file read as customer records, a batch at a time: the header row names each column's
/// field (or `--map` does), every further row becomes a `CustomerRecord`. What cannot even be sent
/// (a number that is not a number, a row with too many cells) is a problem found here, by line and
/// column; the server checks everything else.
///
/// It holds the batch it makes, the row that did not fit the last one, the record being read
/// (`CSVReader.maxRecordBytes`) and the first `maxProblems` problems, whatever the file's size:
/// `customers import` sends each batch before it reads the next (redteam34; before, the whole file
/// and every record were held before the first was sent, so `cat /dev/zero | customerctl customers
/// import /dev/stdin` grew until it was killed).
public struct CustomerImport: Sendable {
    /// The first `maxProblems` problems, in line order.
    public private(set) var problems: [ImportProblem] = []
    /// Problems found, listed or not.
    public private(set) var problemCount = 0
    /// Rows with at least one problem (not sent).
    public private(set) var rejectedRows = 0
    /// Rows read, sent or not.
    public private(set) var rows = 0
    /// Rows handed out in batches.
    public private(set) var batchedRows = 0

    private var reader: CSVReader
    private let columns: [CustomerColumns.Column?]
    /// A row read that would have taken the last batch past `batchOccurrences`: the next one's first.
    private var held: CustomerRecord?

    /// Rows per message: a few hundred KiB, well under the frame limit, and the most the server
    /// takes in one.
    public static let batchSize = ImportCustomersMessage.maxRows

    /// Field occurrences per message at most: customerd refuses a request message holding more
    /// than 131 072, its nested messages' counted (PROTOCOL.md §9), and a row's contact keywords
    /// and roles are one each, so rows naming many of them go in smaller batches.
    public static let batchOccurrences = 100_000

    /// Problems listed at most, as the server lists at most as many of its own; the rest are counted.
    public static let maxProblems = ImportCustomersResponse.maxProblems

    /// At least as many field occurrences as `record` takes in a message: the row itself, its five
    /// singular fields, every field of its customer (10), address (8) and contact (8), and one per
    /// contact keyword and role.
    public static func occurrences(of record: CustomerRecord) -> Int {
        32 + record.contactKeywords.count + record.contactRoles.count
    }

    /// Reads the header row of `source`.
    /// - Parameter maps: `COLUMN=FIELD` pairs; an empty FIELD skips the column.
    public init(source: any CSVByteSource, delimiter: UInt8, maps: [String]) throws {
        reader = CSVReader(source: source, delimiter: delimiter)
        guard let header = try reader.next() else { throw CSVError(line: 1, "the file is empty: it needs a header row") }
        columns = try Self.columns(header.fields, maps: maps)
    }

    public init(csv bytes: [UInt8], delimiter: UInt8, maps: [String]) throws {
        try self.init(source: CSVBytes(bytes), delimiter: delimiter, maps: maps)
    }

    /// The next rows to send, in one message: `batchSize` rows at most, ending before a row that
    /// would take it past `batchOccurrences` (a batch holds at least one row); nil once the file
    /// has no more. Rows with a problem are left out (`problems`).
    public mutating func nextBatch() throws -> [CustomerRecord]? {
        var batch: [CustomerRecord] = []
        var occurrences = 0
        while batch.count < Self.batchSize {
            guard let record = try held.take() ?? nextRecord() else { break }
            let taken = Self.occurrences(of: record)
            if !batch.isEmpty, occurrences + taken > Self.batchOccurrences {
                held = record
                break
            }
            batch.append(record)
            occurrences += taken
        }
        batchedRows += batch.count
        return batch.isEmpty ? nil : batch
    }

    /// Every record left, for a file in memory (tests, the fuzz target).
    public mutating func remainingRecords() throws -> [CustomerRecord] {
        var records: [CustomerRecord] = []
        while let batch = try nextBatch() { records += batch }
        return records
    }

    /// The next row without a problem, or nil at the end of the file.
    private mutating func nextRecord() throws -> CustomerRecord? {
        while let record = try reader.next() {
            // A blank line between rows is not a row.
            if record.fields == [""] { continue }
            rows += 1
            if record.fields.count != columns.count {
                note([ImportProblem(line: Int64(record.line), field: "",
                                    reason: "has \(record.fields.count) cells, the header has \(columns.count)")])
                continue
            }
            var row = CustomerRecord(line: Int64(record.line), fields: CustomerFields())
            var found: [ImportProblem] = []
            for (column, text) in zip(columns, record.fields) {
                guard let column, !text.isEmpty else { continue }
                do {
                    try column.set(&row, text)
                } catch let problem as CustomerColumns.ColumnProblem {
                    found.append(ImportProblem(line: Int64(record.line), field: column.name, reason: problem.reason))
                }
            }
            guard found.isEmpty else {
                note(found)
                continue
            }
            return row
        }
        return nil
    }

    /// Counts a refused row's problems and keeps them while fewer than `maxProblems` are kept.
    private mutating func note(_ found: [ImportProblem]) {
        rejectedRows += 1
        problemCount += found.count
        problems += found.prefix(Self.maxProblems - problems.count)
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
                // Quoted as a bounded prefix: a header cell may be a whole megabyte (a file that is
                // no CSV), which was echoed three times over (redteam34).
                let hint = cell.unicodeScalars.count <= TerminalText.maxQuoted
                    ? "name it with --map '\(cell)=FIELD' (or --map '\(cell)=' to skip it)" : "name it with --map COLUMN=FIELD"
                throw UsageError(
                    "column \(TerminalText.quoted(cell)) is no field; \(hint). Fields: " + CustomerColumns.names.joined(separator: ", "))
            }
            guard seen.insert(name).inserted else { throw UsageError("two columns are field '\(name)'") }
            return column
        }
    }
}
