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

    private let bytes: [UInt8]
    private let delimiter: UInt8
    private var position: Int
    private var line = 1

    private static let quote = UInt8(ascii: "\"")
    private static let cr = UInt8(ascii: "\r")
    private static let lf = UInt8(ascii: "\n")

    public init(_ bytes: [UInt8], delimiter: UInt8 = UInt8(ascii: ",")) {
        self.bytes = bytes
        self.delimiter = delimiter
        position = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0
    }

    /// The next record, or nil at the end. A line with nothing on it is a record of one empty
    /// field, except at the very end of the input.
    public mutating func next() throws -> Record? {
        guard position < bytes.count else { return nil }
        let start = line
        var fields: [String] = []
        while true {
            let (field, ended) = try readField()
            fields.append(field)
            if ended { return Record(line: start, fields: fields) }
        }
    }

    /// Reads one field and what follows it; `ended` is true when the record ends after it.
    private mutating func readField() throws -> (String, ended: Bool) {
        var field: [UInt8] = []
        if position < bytes.count, bytes[position] == Self.quote {
            let opened = line
            position += 1
            while true {
                guard position < bytes.count else {
                    throw CSVError(line: opened, "a quoted field is not closed before the end of the file")
                }
                let byte = bytes[position]
                position += 1
                if byte == Self.quote {
                    if position < bytes.count, bytes[position] == Self.quote {
                        field.append(Self.quote)
                        position += 1
                        continue
                    }
                    break
                }
                if byte == Self.lf || (byte == Self.cr && (position >= bytes.count || bytes[position] != Self.lf)) {
                    line += 1
                }
                field.append(byte)
            }
            guard let ended = try endOfField() else {
                throw CSVError(line: line, "text after a closing quote: a quote inside a field must be doubled")
            }
            return (try text(field), ended)
        }
        while position < bytes.count {
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
        guard position < bytes.count else { return true }
        switch bytes[position] {
        case delimiter:
            position += 1
            return false
        case Self.cr:
            position += 1
            if position < bytes.count, bytes[position] == Self.lf { position += 1 }
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
