import RPCCore

/// Reads a frame payload front to back; every read checks the bytes that remain, so a short or
/// lying payload throws ``ProtocolViolation`` instead of overrunning.
package struct ByteReader {
    private let bytes: ArraySlice<UInt8>
    private(set) var index: Int

    package init(_ bytes: ArraySlice<UInt8>) {
        self.bytes = bytes
        index = bytes.startIndex
    }

    package var remaining: Int { bytes.endIndex - index }

    package mutating func readByte(_ what: String) throws(ProtocolViolation) -> UInt8 {
        guard index < bytes.endIndex else { throw ProtocolViolation("payload ends before \(what)") }
        defer { index += 1 }
        return bytes[index]
    }

    package mutating func readBigEndianUInt16(_ what: String) throws(ProtocolViolation) -> UInt16 {
        let high = try readByte(what)
        return UInt16(high) << 8 | UInt16(try readByte(what))
    }

    package mutating func readBigEndianUInt32(_ what: String) throws(ProtocolViolation) -> UInt32 {
        var value: UInt32 = 0
        for _ in 0..<4 { value = value << 8 | UInt32(try readByte(what)) }
        return value
    }

    package mutating func readBigEndianUInt64(_ what: String) throws(ProtocolViolation) -> UInt64 {
        UInt64(try readBigEndianUInt32(what)) << 32 | UInt64(try readBigEndianUInt32(what))
    }

    /// Unsigned LEB128 of at most 10 bytes.
    package mutating func readVarint(_ what: String) throws(ProtocolViolation) -> UInt64 {
        try readVarint(named: what, suffix: "")
    }

    /// ``readVarint(_:)`` naming it `what` + `suffix` in its errors: joined only when it fails, as
    /// a length's name joined on every call cost a CALL_START a String allocation.
    private mutating func readVarint(named what: String, suffix: String) throws(ProtocolViolation) -> UInt64 {
        var value: UInt64 = 0
        var shift: UInt64 = 0
        while true {
            guard index < bytes.endIndex else { throw ProtocolViolation("payload ends before \(what)\(suffix)") }
            let byte = bytes[index]
            index += 1
            guard shift < 64, !(shift == 63 && byte > 1) else { throw ProtocolViolation("\(what)\(suffix) varint overflows 64 bits") }
            value |= UInt64(byte & 0x7F) << shift
            if byte & 0x80 == 0 { return value }
            shift += 7
        }
    }

    /// A varint length (capped by the bytes that remain and by `limit`), then that many bytes.
    package mutating func readLengthPrefixedBytes(_ what: String, limit: Int) throws(ProtocolViolation) -> ArraySlice<UInt8> {
        let length = try readVarint(named: what, suffix: " length")
        guard length <= UInt64(remaining) else {
            throw ProtocolViolation("\(what) claims \(length) bytes but \(remaining) remain")
        }
        guard length <= UInt64(limit) else { throw ProtocolViolation("\(what) is \(length) bytes, the limit is \(limit)") }
        defer { index += Int(length) }
        return bytes[index..<index + Int(length)]
    }

    /// A length-prefixed UTF-8 string; invalid UTF-8 is a protocol error.
    package mutating func readString(_ what: String, limit: Int) throws(ProtocolViolation) -> String {
        try Self.text(try readLengthPrefixedBytes(what, limit: limit), what)
    }

    /// `bytes` as a String, refused (naming them `what`) unless they are valid UTF-8.
    ///
    /// Validated once by `UTF8Span`, then copied without a second check: `String(validating:as:)`,
    /// generic over the encoding and the collection, looked up its metadata on every call (~880
    /// instructions under callgrind for the empty message of every OK STATUS a client reads).
    package static func text(_ bytes: ArraySlice<UInt8>, _ what: String) throws(ProtocolViolation) -> String {
        if bytes.isEmpty { return "" }
        let text = bytes.withUnsafeBufferPointer { buffer -> String? in
            guard let utf8 = try? UTF8Span(validating: buffer.span) else { return nil }
            return String(copying: utf8)
        }
        guard let text else { throw ProtocolViolation("\(what) is not valid UTF-8") }
        return text
    }

    /// Everything not read yet.
    package mutating func readRest() -> ArraySlice<UInt8> {
        defer { index = bytes.endIndex }
        return bytes[index...]
    }

    package func expectEnd(_ what: String) throws(ProtocolViolation) {
        guard remaining == 0 else { throw ProtocolViolation("\(remaining) unexpected bytes after \(what)") }
    }
}
