/// Reads a person's JSON (`customerctl call`'s `--data`) into a `DynamicValue`, every number from
/// its own text. JSONDecoder, which read it before (fuzz30), rounds: a number with more than 38
/// digits lost the rest, `123456789012345678.9` became the whole number 123456789012345678 (for an
/// integer field and for a decimal one alike) and `1e-400` became 0. Here a number is read exactly
/// or refused, naming where it stands; its field's type then judges the value (`FieldWriter`).
///
/// Strict RFC 8259: one value, no comments or trailing commas, strings of UTF-8 with a surrogate
/// pair's escapes in pairs; a member named twice is refused (which of the two was meant?). Nesting
/// deeper than `maximumDepth` is refused before the recursion can use up a thread's stack.
struct JSONTextReader {
    /// Far deeper than any request (the schema's messages nest four levels at most).
    static let maximumDepth = 128

    private let bytes: [UInt8]
    private var offset = 0

    init(_ bytes: [UInt8]) {
        self.bytes = bytes
    }

    /// The one value `bytes` hold, with nothing but white space around it.
    mutating func document() throws(JSONTextError) -> DynamicValue {
        let value = try value(path: "", depth: 0)
        skipSpace()
        guard offset == bytes.count else { throw syntax("more text after the value") }
        return value
    }

    private mutating func value(path: String, depth: Int) throws(JSONTextError) -> DynamicValue {
        skipSpace()
        guard let byte = peek() else { throw syntax("the text ends where a value should be") }
        switch byte {
        case UInt8(ascii: "{"): return try object(path: path, depth: depth + 1)
        case UInt8(ascii: "["): return try array(path: path, depth: depth + 1)
        case UInt8(ascii: "\""): return .string(try string())
        case UInt8(ascii: "t"): try literal("true"); return .bool(true)
        case UInt8(ascii: "f"): try literal("false"); return .bool(false)
        case UInt8(ascii: "n"): try literal("null"); return .null
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return try number(path: path)
        default: throw syntax("expected a value, found \(Self.shown(byte))")
        }
    }

    private mutating func object(path: String, depth: Int) throws(JSONTextError) -> DynamicValue {
        guard depth <= Self.maximumDepth else { throw syntax("nested deeper than \(Self.maximumDepth) levels") }
        offset += 1
        var members: [DynamicValue.Member] = []
        var names: Set<String> = []
        skipSpace()
        if peek() == UInt8(ascii: "}") {
            offset += 1
            return .object(members)
        }
        while true {
            skipSpace()
            guard peek() == UInt8(ascii: "\"") else { throw syntax("expected a member's name in double quotes") }
            let nameStart = offset
            let name = try string()
            guard names.insert(name).inserted else {
                offset = nameStart
                throw syntax("\(path)\(name) is given twice")
            }
            skipSpace()
            guard peek() == UInt8(ascii: ":") else { throw syntax("expected ':' after \"\(name)\"") }
            offset += 1
            members.append(DynamicValue.Member(name, try value(path: path + name + ".", depth: depth)))
            skipSpace()
            switch peek() {
            case UInt8(ascii: ","): offset += 1
            case UInt8(ascii: "}"): offset += 1; return .object(members)
            default: throw syntax("expected ',' or '}' after a member")
            }
        }
    }

    private mutating func array(path: String, depth: Int) throws(JSONTextError) -> DynamicValue {
        guard depth <= Self.maximumDepth else { throw syntax("nested deeper than \(Self.maximumDepth) levels") }
        offset += 1
        var elements: [DynamicValue] = []
        skipSpace()
        if peek() == UInt8(ascii: "]") {
            offset += 1
            return .array(elements)
        }
        let base = path.hasSuffix(".") ? String(path.dropLast()) : path
        while true {
            elements.append(try value(path: "\(base)[\(elements.count)].", depth: depth))
            skipSpace()
            switch peek() {
            case UInt8(ascii: ","): offset += 1
            case UInt8(ascii: "]"): offset += 1; return .array(elements)
            default: throw syntax("expected ',' or ']' after an element")
            }
        }
    }

    // MARK: Strings

    private mutating func string() throws(JSONTextError) -> String {
        let start = offset
        offset += 1
        var utf8: [UInt8] = []
        while true {
            guard let byte = peek() else {
                offset = start
                throw syntax("a string that is never closed")
            }
            switch byte {
            case UInt8(ascii: "\""):
                offset += 1
                guard let text = String(validating: utf8, as: UTF8.self) else {
                    offset = start
                    throw syntax("a string that is not UTF-8")
                }
                return text
            case UInt8(ascii: "\\"):
                offset += 1
                try escape(into: &utf8)
            case 0..<0x20:
                throw syntax("\(Self.shown(byte)) inside a string (write it as an escape, e.g. \\n or \\u001b)")
            default:
                utf8.append(byte)
                offset += 1
            }
        }
    }

    /// One escape after its backslash; a `\u` high surrogate must be followed by its low one.
    private mutating func escape(into utf8: inout [UInt8]) throws(JSONTextError) {
        guard let byte = peek() else { throw syntax("the text ends inside an escape") }
        offset += 1
        let simple: UInt8? = switch byte {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): byte
        case UInt8(ascii: "b"): 0x08
        case UInt8(ascii: "f"): 0x0C
        case UInt8(ascii: "n"): 0x0A
        case UInt8(ascii: "r"): 0x0D
        case UInt8(ascii: "t"): 0x09
        default: nil
        }
        if let simple {
            utf8.append(simple)
            return
        }
        guard byte == UInt8(ascii: "u") else { throw syntax("\\\(Self.shown(byte)) is not an escape") }
        let first = try hexUnit()
        var scalarValue = UInt32(first)
        if (0xD800...0xDBFF).contains(first) {
            guard peek() == UInt8(ascii: "\\"), peek(at: 1) == UInt8(ascii: "u") else {
                throw syntax("a lone surrogate \\u\(Self.hex(first)) (its low half must follow)")
            }
            offset += 2
            let second = try hexUnit()
            guard (0xDC00...0xDFFF).contains(second) else {
                throw syntax("\\u\(Self.hex(first)) is followed by \\u\(Self.hex(second)), not a low surrogate")
            }
            scalarValue = 0x10000 + (UInt32(first - 0xD800) << 10) + UInt32(second - 0xDC00)
        }
        guard let scalar = Unicode.Scalar(scalarValue) else {
            throw syntax("a lone surrogate \\u\(Self.hex(first))")
        }
        utf8.append(contentsOf: String(Character(scalar)).utf8)
    }

    private mutating func hexUnit() throws(JSONTextError) -> UInt16 {
        var unit: UInt16 = 0
        for _ in 0..<4 {
            guard let byte = peek(), let digit = Self.hexDigit(byte) else { throw syntax("\\u needs four hex digits") }
            unit = unit << 4 | UInt16(digit)
            offset += 1
        }
        return unit
    }

    // MARK: Numbers

    /// A number by JSON's grammar (`-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?`), then its value
    /// from its digits alone (`JSONNumberText`).
    private mutating func number(path: String) throws(JSONTextError) -> DynamicValue {
        let start = offset
        if peek() == UInt8(ascii: "-") { offset += 1 }
        guard let first = peek(), Self.isDigit(first) else { throw syntax("'-' without digits") }
        if first == UInt8(ascii: "0") {
            offset += 1
            if let next = peek(), Self.isDigit(next) { throw syntax("a number with a leading zero") }
        } else {
            skipDigits()
        }
        if peek() == UInt8(ascii: ".") {
            offset += 1
            guard skipDigits() > 0 else { throw syntax("expected digits after the decimal point") }
        }
        if peek() == UInt8(ascii: "e") || peek() == UInt8(ascii: "E") {
            offset += 1
            if peek() == UInt8(ascii: "+") || peek() == UInt8(ascii: "-") { offset += 1 }
            guard skipDigits() > 0 else { throw syntax("expected digits in the exponent") }
        }
        let text = String(decoding: bytes[start..<offset], as: UTF8.self)
        guard let value = JSONNumberText(text).value else {
            throw JSONTextError(.inexactNumber(text), at: Self.trimmed(path), line: 0, column: 0)
        }
        return value
    }

    @discardableResult
    private mutating func skipDigits() -> Int {
        let start = offset
        while let byte = peek(), Self.isDigit(byte) { offset += 1 }
        return offset - start
    }

    // MARK: Bytes

    private mutating func literal(_ word: StaticString) throws(JSONTextError) {
        let expected = UnsafeRawBufferPointer(start: word.utf8Start, count: word.utf8CodeUnitCount)
        guard bytes.count - offset >= expected.count, bytes[offset..<offset + expected.count].elementsEqual(expected) else {
            throw syntax("expected a value (\(word)?)")
        }
        offset += expected.count
    }

    private mutating func skipSpace() {
        while let byte = peek(), byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09 { offset += 1 }
    }

    private func peek(at distance: Int = 0) -> UInt8? {
        offset + distance < bytes.count ? bytes[offset + distance] : nil
    }

    /// A refusal at the current byte, with its line and column (1-based, columns in bytes).
    private func syntax(_ reason: String) -> JSONTextError {
        let before = bytes[..<min(offset, bytes.count)]
        let line = before.reduce(1) { $1 == 0x0A ? $0 + 1 : $0 }
        let column = offset - (before.lastIndex(of: 0x0A).map { $0 + 1 } ?? 0) + 1
        return JSONTextError(.syntax(reason), at: "", line: line, column: column)
    }

    private static func isDigit(_ byte: UInt8) -> Bool { (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) }

    private static func hexDigit(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }

    private static func hex(_ unit: UInt16) -> String {
        let digits = String(unit, radix: 16, uppercase: true)
        return String(repeating: "0", count: 4 - digits.count) + digits
    }

    /// A byte as a message shows it: a visible ASCII character quoted, anything else in hex.
    private static func shown(_ byte: UInt8) -> String {
        (0x21...0x7E).contains(byte) ? "'\(Character(Unicode.Scalar(byte)))'" : "byte 0x\(String(byte, radix: 16, uppercase: true))"
    }

    private static func trimmed(_ path: String) -> String { path.hasSuffix(".") ? String(path.dropLast()) : path }
}

extension DynamicValue {
    /// The JSON text `bytes` as a value, every number read exactly from its digits (a whole number
    /// as `.integer` or `.unsigned`, any other as `.decimal`) or refused: what `customerctl call`
    /// reads from `--data`. See `JSONTextReader`.
    public init(json bytes: some Sequence<UInt8>) throws(JSONTextError) {
        var reader = JSONTextReader(Array(bytes))
        self = try reader.document()
    }
}
