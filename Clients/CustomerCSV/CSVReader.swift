/// Reads RFC 4180 CSV from bytes: fields separated by `delimiter`, records by CRLF (or LF, or a
/// lone CR, as spreadsheets write them), a field in double quotes may hold the delimiter, quotes
/// (doubled) and line breaks. A UTF-8 byte order mark at the start is skipped. Malformed input
/// (a quote inside an unquoted field, text after a closing quote, an unterminated quote, bytes
/// that are not UTF-8) is a `CSVError` naming the line: nothing here can trap.
public struct CSVReader: Sendable {
    /// One record and the line of the file it starts on (1-based).
    public struct Record: Equatable, Sendable {
        public var line: Int
        public var fields: [String]
    }

    /// The most bytes one record may take (1 MiB): far past any row the server takes (its longest
    /// texts are 4 000 characters), and a bound on what a file that is no CSV holds in memory: a
    /// line that never ends (`cat /dev/zero`) or a quote never closed was read whole before
    /// (redteam34).
    public static let maxRecordBytes = 1 << 20

    private var source: any CSVByteSource
    /// The bytes read and not yet dropped: the current record's from `recordStart` on.
    private var bytes: [UInt8] = []
    private var sourceEnded = false
    private let delimiter: UInt8
    private var position = 0
    /// Where the record being read starts in `bytes`, and its line.
    private var recordStart = 0
    private var recordLine = 1
    private var line = 1
    private var startChecked = false

    private static let quote = UInt8(ascii: "\"")
    private static let cr = UInt8(ascii: "\r")
    private static let lf = UInt8(ascii: "\n")

    /// Reads `source` a chunk at a time: at most a record and a chunk are held.
    public init(source: any CSVByteSource, delimiter: UInt8 = UInt8(ascii: ",")) {
        self.source = source
        self.delimiter = delimiter
    }

    public init(_ bytes: [UInt8], delimiter: UInt8 = UInt8(ascii: ",")) {
        self.init(source: CSVBytes(bytes), delimiter: delimiter)
    }

    /// The next record, or nil at the end. A line with nothing on it is a record of one empty
    /// field, except at the very end of the input.
    public mutating func next() throws -> Record? {
        if !startChecked {
            startChecked = true
            // A byte order mark is three bytes, which a first chunk may split.
            while bytes.count < 3, try fill() {}
            if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { position = 3 }
        }
        recordStart = position
        recordLine = line
        guard try has(0) else { return nil }
        var fields: [String] = []
        while true {
            let (field, ended) = try readField()
            fields.append(field)
            if ended { return Record(line: recordLine, fields: fields) }
        }
    }

    /// Whether the byte at `position + ahead` is there, reading on until it is or the input ends.
    private mutating func has(_ ahead: Int) throws -> Bool {
        while position + ahead >= bytes.count {
            guard try fill() else { return false }
        }
        return true
    }

    /// Reads the next chunk, dropping what came before the current record first; false at the end.
    private mutating func fill() throws -> Bool {
        guard !sourceEnded else { return false }
        guard bytes.count - recordStart <= Self.maxRecordBytes else {
            throw CSVError(line: recordLine, "the row is longer than \(Self.maxRecordBytes >> 20) MiB, the most a row may take "
                + "(a line that does not end, or a quote that is not closed: is it a CSV file?)")
        }
        if recordStart > 0 {
            bytes.removeSubrange(0..<recordStart)
            position -= recordStart
            recordStart = 0
        }
        guard let chunk = try source.nextChunk(), !chunk.isEmpty else {
            sourceEnded = true
            return false
        }
        bytes.append(contentsOf: chunk)
        return true
    }

    /// Reads one field and what follows it; `ended` is true when the record ends after it.
    private mutating func readField() throws -> (String, ended: Bool) {
        var field: [UInt8] = []
        if try has(0), bytes[position] == Self.quote {
            let opened = line
            position += 1
            while true {
                guard try has(0) else {
                    throw CSVError(line: opened, "a quoted field is not closed before the end of the file")
                }
                let byte = bytes[position]
                position += 1
                if byte == Self.quote {
                    if try has(0), bytes[position] == Self.quote {
                        field.append(Self.quote)
                        position += 1
                        continue
                    }
                    break
                }
                // A CR ends a line unless an LF follows it (that LF ends it).
                if try byte == Self.lf || (byte == Self.cr && (!has(0) || bytes[position] != Self.lf)) {
                    line += 1
                }
                field.append(byte)
            }
            guard let ended = try endOfField() else {
                throw CSVError(line: line, "text after a closing quote: a quote inside a field must be doubled")
            }
            return (try text(field), ended)
        }
        while try has(0) {
            let byte = bytes[position]
            if byte == delimiter || byte == Self.cr || byte == Self.lf { break }
            if byte == Self.quote {
                throw CSVError(line: line, "a quote inside an unquoted field: quote the field and double the quote")
            }
            field.append(byte)
            position += 1
        }
        return (try text(field), try endOfField() ?? true)
    }

    /// Consumes the delimiter or line end at `position`: false after a delimiter, true at the end
    /// of a record, nil when something else follows.
    private mutating func endOfField() throws -> Bool? {
        guard try has(0) else { return true }
        switch bytes[position] {
        case delimiter:
            position += 1
            return false
        case Self.cr:
            position += 1
            if try has(0), bytes[position] == Self.lf { position += 1 }
            line += 1
            return true
        case Self.lf:
            position += 1
            line += 1
            return true
        default:
            return nil
        }
    }

    private func text(_ field: [UInt8]) throws -> String {
        guard let text = String(validating: field, as: UTF8.self) else {
            throw CSVError(line: line, "the text is not UTF-8 (save the file as UTF-8 and try again)")
        }
        return text
    }
}

/// Where a `CSVReader`'s bytes come from, a chunk at a time (a file or pipe read as it is parsed).
public protocol CSVByteSource: Sendable {
    /// The next bytes, or nil (or none) at the end.
    mutating func nextChunk() throws -> [UInt8]?
}

/// Bytes already in memory, as one chunk, or in chunks of `chunkSize` bytes: a record, a quote
/// pair, a CRLF or a byte order mark split between two reads of a file or pipe reads as it does
/// whole (the tests and the fuzz target compare the two).
public struct CSVBytes: CSVByteSource {
    private let bytes: [UInt8]
    private let chunkSize: Int
    private var offset = 0

    public init(_ bytes: [UInt8], chunkSize: Int = .max) {
        self.bytes = bytes
        self.chunkSize = max(chunkSize, 1)
    }

    public mutating func nextChunk() -> [UInt8]? {
        guard offset < bytes.count else { return nil }
        let end = bytes.count - offset > chunkSize ? offset + chunkSize : bytes.count
        defer { offset = end }
        return Array(bytes[offset..<end])
    }
}

/// Why a CSV file cannot be read, and on which line.
public struct CSVError: Error, Equatable, CustomStringConvertible {
    public let line: Int
    public let reason: String

    init(line: Int, _ reason: String) {
        self.line = line
        self.reason = reason
    }

    public var description: String { "line \(line): \(reason)" }
}
