import Foundation

/// A value written as one length-delimited payload (wire type 2).
protocol WireBytes {
    /// Appends the length varint and then the content.
    func appendWire(to bytes: inout [UInt8])
    /// Rebuilds the value from its content (the bytes after the length).
    init(wireContent: UnsafeRawBufferPointer) throws(WireFailure)
}

extension String: WireBytes {
    func appendWire(to bytes: inout [UInt8]) {
        var copy = self
        copy.withUTF8 { utf8 in
            Varint.append(UInt64(utf8.count), to: &bytes)
            bytes.append(contentsOf: utf8)
        }
    }

    init(wireContent: UnsafeRawBufferPointer) throws(WireFailure) {
        let decoded = wireContent.withMemoryRebound(to: UInt8.self) { String(validating: $0, as: UTF8.self) }
        guard let decoded else { throw WireFailure(message: "invalid UTF-8 in a string") }
        self = decoded
    }
}

extension Data: WireBytes {
    func appendWire(to bytes: inout [UInt8]) {
        Varint.append(UInt64(count), to: &bytes)
        withUnsafeBytes { bytes.append(contentsOf: $0) }
    }

    init(wireContent: UnsafeRawBufferPointer) throws(WireFailure) {
        self.init(wireContent)
    }
}

/// A UUID is its 16 bytes in RFC 4122 order (the order of `uuidString`).
extension UUID: WireBytes {
    func appendWire(to bytes: inout [UInt8]) {
        bytes.append(16)
        withUnsafeBytes(of: uuid) { bytes.append(contentsOf: $0) }
    }

    init(wireContent: UnsafeRawBufferPointer) throws(WireFailure) {
        guard wireContent.count == 16 else {
            throw WireFailure(message: "a UUID takes 16 bytes, found \(wireContent.count)")
        }
        var raw: uuid_t = (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        withUnsafeMutableBytes(of: &raw) { $0.copyMemory(from: wireContent) }
        self.init(uuid: raw)
    }
}

/// A URL is its `absoluteString`.
extension URL: WireBytes {
    func appendWire(to bytes: inout [UInt8]) {
        absoluteString.appendWire(to: &bytes)
    }

    init(wireContent: UnsafeRawBufferPointer) throws(WireFailure) {
        let text = try String(wireContent: wireContent)
        guard let url = URL(string: text) else { throw WireFailure(message: "invalid URL \"\(text)\"") }
        self = url
    }
}

/// A Decimal is its `description` ("-1234.5", "0.005", "NaN"), a string that parses back to
/// the same value in every language's decimal type. Foundation's own Decimal Codable is a keyed
/// container with string keys, which this format cannot carry, so it is special-cased.
extension Decimal: WireBytes {
    func appendWire(to bytes: inout [UInt8]) {
        description.appendWire(to: &bytes)
    }

    init(wireContent: UnsafeRawBufferPointer) throws(WireFailure) {
        let text = try String(wireContent: wireContent)
        if text == "NaN" {
            self = .nan
            return
        }
        // Decimal(string:) accepts a valid prefix ("12abc" is 12), so check the whole shape first.
        guard Decimal.isCanonical(text), let value = Decimal(string: text, locale: Locale(identifier: "en_US_POSIX"))
        else { throw WireFailure(message: "invalid decimal \"\(text)\"") }
        self = value
    }

    /// `-?[0-9]+(\.[0-9]+)?`: the shape `description` writes.
    private static func isCanonical(_ text: String) -> Bool {
        var utf8 = Substring(text).utf8
        if utf8.first == UInt8(ascii: "-") { utf8 = utf8.dropFirst() }
        let parts = utf8.split(separator: UInt8(ascii: "."), maxSplits: 1, omittingEmptySubsequences: false)
        let isDigits = { (part: Substring.UTF8View.SubSequence) in
            !part.isEmpty && part.allSatisfy { $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }
        }
        return parts.allSatisfy(isDigits)
    }
}
