import Foundation

/// Writes the fields of one message for a ``DirectEncodable`` type. Each method writes what the
/// `Codable` path writes for a value of that Swift type under that key (Protocol/ENCODING.md §2-5):
/// a nil optional and an empty array write nothing, a non-optional value is always written.
///
/// Keys are the message's own `CodingKeys`, so its field numbers stay written down once. The
/// public methods are inlinable shims, specialised for each key type in the caller's module; the
/// bytes are written by the non-generic functions below them.
public struct BinaryWriter {
    var out: ReservedBytes
    /// The encoder whose `Codable` path writes what is not direct (see `write(_:encoding:)`).
    @usableFromInline let encoder: BinaryEncoder
    /// How many nested messages are open (see `beginMessage`).
    var depth = 0
    /// The width of the length varint of the last message ended at each depth below 16, four bits
    /// each (0: none yet): the next message at that depth reserves as much for its length.
    var lengthWidths: UInt64 = 0
    /// Where the fields of the last few recurring messages lie in `out` (see
    /// `writeMessage(_:recurring:identity:_:)`): empty until one is written.
    var recurring = RecurringMessages()

    /// A writer with room for `capacity` bytes.
    init(capacity: Int, encoder: BinaryEncoder) {
        out = ReservedBytes(reserving: capacity)
        self.encoder = encoder
    }

    /// The bytes written.
    var bytes: [UInt8] { out.bytes() }

    /// How many bytes are written: where the next field begins (see `write(fieldsOf:_:)`).
    public var count: Int { out.count }

    /// Appends the bytes written to `bytes`.
    func append(to bytes: inout [UInt8]) {
        out.append(to: &bytes)
    }

    // MARK: Scalars

    /// An `Int64`: a zigzag varint.
    @inlinable public mutating func write<K: CodingKey>(_ key: K, _ value: Int64) throws {
        varint(try Self.number(key.intValue), ZigZag.encode(value))
    }

    @inlinable public mutating func write<K: CodingKey>(_ key: K, _ value: Int64?) throws {
        if let value { try write(key, value) }
    }

    /// An `Int32`: a zigzag varint, as an `Int64` of the same value.
    @inlinable public mutating func write<K: CodingKey>(_ key: K, _ value: Int32) throws {
        varint(try Self.number(key.intValue), ZigZag.encode(Int64(value)))
    }

    @inlinable public mutating func write<K: CodingKey>(_ key: K, _ value: Int32?) throws {
        if let value { try write(key, value) }
    }

    /// A `Bool`: varint 0 or 1.
    @inlinable public mutating func write<K: CodingKey>(_ key: K, _ value: Bool) throws {
        varint(try Self.number(key.intValue), value ? 1 : 0)
    }

    @inlinable public mutating func write<K: CodingKey>(_ key: K, _ value: Bool?) throws {
        if let value { try write(key, value) }
    }

    /// A `Date`: the bits of its `timeIntervalSinceReferenceDate`, fixed64.
    @inlinable public mutating func write<K: CodingKey>(_ key: K, _ value: Date) throws {
        fixed64(try Self.number(key.intValue), value.timeIntervalSinceReferenceDate.bitPattern)
    }

    @inlinable public mutating func write<K: CodingKey>(_ key: K, _ value: Date?) throws {
        if let value { try write(key, value) }
    }

    /// An enum case: its `Int` raw value as a plain varint (two's complement when negative).
    @inlinable public mutating func write<K: CodingKey, E: RawRepresentable>(_ key: K, _ value: E) throws
    where E.RawValue == Int {
        varint(try Self.number(key.intValue), UInt64(bitPattern: Int64(value.rawValue)))
    }

    @inlinable public mutating func write<K: CodingKey, E: RawRepresentable>(_ key: K, _ value: E?) throws
    where E.RawValue == Int {
        if let value { try write(key, value) }
    }

    /// A repeated enum field (`Int` raw values): one packed occurrence, each raw value a varint
    /// without a tag (two's complement when negative), as the `Codable` path packs scalars
    /// (ENCODING.md §5); an empty array writes nothing.
    @inlinable public mutating func write<K: CodingKey, E: RawRepresentable>(_ key: K, _ values: [E]) throws
    where E.RawValue == Int {
        guard !values.isEmpty else { return }
        let start = beginMessage(try Self.number(key.intValue))
        for value in values { packedVarint(UInt64(bitPattern: Int64(value.rawValue))) }
        endMessage(start)
    }

    // MARK: Text and messages

    /// A `String`: its UTF-8 bytes, length-delimited.
    @inlinable public mutating func write<K: CodingKey>(_ key: K, _ value: String) throws {
        text(try Self.number(key.intValue), value)
    }

    @inlinable public mutating func write<K: CodingKey>(_ key: K, _ value: String?) throws {
        if let value { try write(key, value) }
    }

    /// A `String` field from bytes meant as UTF-8 that the caller holds (a database row's text),
    /// without a `String` made of them: the same bytes as `write(_:_: String)` of
    /// `String(decoding: utf8, as: UTF8.self)`, which repairs invalid UTF-8; such input (never
    /// plain ASCII) takes that path.
    @inlinable public mutating func write<K: CodingKey>(_ key: K, utf8: UnsafeRawBufferPointer) throws {
        text(try Self.number(key.intValue), utf8: utf8)
    }

    @inlinable public mutating func write<K: CodingKey>(_ key: K, utf8: UnsafeRawBufferPointer?) throws {
        if let utf8 { try write(key, utf8: utf8) }
    }

    /// A nested message whose fields `body` writes (for a message written from something other
    /// than its Swift value, e.g. a database row; `body` must write what its `encodeFields` would).
    @inlinable public mutating func writeMessage<K: CodingKey>(_ key: K, _ body: (inout BinaryWriter) throws -> Void) throws {
        let start = beginMessage(try Self.number(key.intValue))
        try body(&self)
        endMessage(start)
    }

    /// A repeated `String` field: one occurrence per element.
    @inlinable public mutating func write<K: CodingKey>(_ key: K, _ values: [String]) throws {
        guard !values.isEmpty else { return }
        let number = try Self.number(key.intValue)
        for value in values { text(number, value) }
    }

    /// A nested message that writes itself.
    @inlinable public mutating func write<K: CodingKey, M: DirectEncodable>(_ key: K, _ message: M) throws {
        try nested(Self.number(key.intValue), message)
    }

    @inlinable public mutating func write<K: CodingKey, M: DirectEncodable>(_ key: K, _ message: M?) throws {
        if let message { try write(key, message) }
    }

    /// A repeated message field: one occurrence per element.
    @inlinable public mutating func write<K: CodingKey, M: DirectEncodable>(_ key: K, _ messages: [M]) throws {
        guard !messages.isEmpty else { return }
        let number = try Self.number(key.intValue)
        // Each element borrowed through the buffer: `for message in messages` copied every one
        // (retaining and releasing its strings), ~40 000 instructions a page of 50 customers.
        try messages.withUnsafeBufferPointer { buffer in
            for index in buffer.indices { try nested(number, buffer[index]) }
        }
    }

    /// Any other value through its `Codable` conformance (a tab of the card that is not hot, say),
    /// exactly as a keyed container would write it; nil writes nothing. Inlinable, so the test of
    /// nil is specialised in the caller: unspecialised, binding the optional copied and destroyed
    /// it through the generic value witnesses of `Optional` (~4 400 instructions a card under
    /// callgrind for its five `Codable` tabs, absent in the bench's: docs/performance/HISTORY.md "card30").
    @inlinable public mutating func write<K: CodingKey, V: Encodable>(_ key: K, encoding value: V?) throws {
        guard let value else { return }
        try write(Self.number(key.intValue), encoding: value)
    }

    /// ``write(_:encoding:)`` of a value that is there, as field `number`.
    @usableFromInline mutating func write<V: Encodable>(_ number: UInt32, encoding value: V) throws {
        var bytes: [UInt8] = []
        try encoder.append(value, asField: number, to: &bytes)
        // The `Codable` path appends to an array: its bytes are copied in after it.
        bytes.withUnsafeBytes { field in
            out.write(atMost: field.count) { start in
                var at = start
                WireCursor.putBytes(field, at: &at)
                return at - start
            }
        }
    }

    // MARK: Below the keys

    /// The field number of a key's `intValue`: 1 to 2^29 - 1 (ENCODING.md §1). The check is
    /// inlined into every write; a call per field cost ~40 instructions under callgrind (~45 000
    /// a page of 50 customers). Only a bad key calls out, to build the error.
    @inlinable @inline(__always) static func number(_ intValue: Int?) throws -> UInt32 {
        if let intValue, intValue >= Int(FieldNumber.min), intValue <= Int(FieldNumber.max) {
            return UInt32(truncatingIfNeeded: intValue)
        }
        throw invalidNumber(intValue)
    }

    @usableFromInline @inline(never) static func invalidNumber(_ intValue: Int?) -> EncodingError {
        EncodingError.invalidValue(intValue as Any, EncodingError.Context(
            codingPath: [], debugDescription: "BinaryWriter: a key needs a field number in 1...\(FieldNumber.max)"))
    }

    @usableFromInline mutating func varint(_ number: UInt32, _ value: UInt64) {
        out.write(atMost: WireCursor.maxTagBytes + Varint.maxBytes) { start in
            var at = start
            WireCursor.putTag(number, .varint, at: &at)
            Varint.store(value, at: &at)
            return at - start
        }
    }

    /// A varint without a tag: an element of a packed run.
    @usableFromInline mutating func packedVarint(_ value: UInt64) {
        out.write(atMost: Varint.maxBytes) { start in
            var at = start
            Varint.store(value, at: &at)
            return at - start
        }
    }

    @usableFromInline mutating func fixed64(_ number: UInt32, _ bits: UInt64) {
        out.write(atMost: WireCursor.maxTagBytes + 8) { start in
            var at = start
            WireCursor.putTag(number, .fixed64, at: &at)
            WireCursor.putFixed64(bits, at: &at)
            return at - start
        }
    }

    @usableFromInline mutating func text(_ number: UInt32, _ value: String) {
        var value = value
        // Native strings are contiguous UTF-8 already: no copy is made.
        value.withUTF8 { utf8 in lengthDelimited(number, UnsafeRawBufferPointer(utf8)) }
    }

    @usableFromInline mutating func text(_ number: UInt32, utf8: UnsafeRawBufferPointer) {
        // Any byte ≥ 0x80 may start invalid UTF-8: validating here would duplicate the standard
        // library's repair, so such text is made a `String` as the decoding path makes it.
        // Eight bytes at a time (`String.isASCII`, the decoder's): byte by byte through
        // `contains(where:)` cost ~10 instructions a byte (~25 000 a page of 50 customers).
        guard String.isASCII(utf8) else {
            text(number, String(decoding: utf8, as: UTF8.self))
            return
        }
        lengthDelimited(number, utf8)
    }

    /// The tag, the length and the bytes, in one reservation.
    private mutating func lengthDelimited(_ number: UInt32, _ bytes: UnsafeRawBufferPointer) {
        out.write(atMost: WireCursor.maxTagBytes + Varint.maxBytes + bytes.count) { start in
            var at = start
            WireCursor.putTag(number, .lengthDelimited, at: &at)
            Varint.store(UInt64(bytes.count), at: &at)
            WireCursor.putBytes(bytes, at: &at)
            return at - start
        }
    }

    @inlinable mutating func nested<M: DirectEncodable>(_ number: UInt32, _ message: M) throws {
        let start = beginMessage(number)
        try message.encodeFields(to: &self)
        endMessage(start)
    }

    /// Where a nested message's length goes, and what was reserved for it.
    @usableFromInline struct MessageStart {
        let offset: Int
        let width: Int
        let depth: Int
    }

    /// The tag and a placeholder for the length, as wide as the length of the last message ended
    /// at this depth (one byte for the first): a page's rows, a card's contacts are mostly alike,
    /// so the guess is mostly right and `endMessage` moves nothing. (A one-byte placeholder made
    /// every message of 128 bytes or more, most customers, move its content right by one.)
    @usableFromInline mutating func beginMessage(_ number: UInt32) -> MessageStart {
        let slot = UInt64(truncatingIfNeeded: depth & 15) * 4
        let remembered = Int(truncatingIfNeeded: lengthWidths >> slot & 0xf)
        // At most 8: no length in memory takes more (2^56 bytes).
        let width = depth < 16 && remembered > 0 ? min(remembered, 8) : 1
        out.write(atMost: WireCursor.maxTagBytes + 8) { start in
            var at = start
            WireCursor.putTag(number, .lengthDelimited, at: &at)
            // Zeros, though `endMessage` overwrites them, so every byte counted is one a write
            // stored; as one 8-byte store (a loop of `width` became a call to memset).
            WireCursor.putFixed64(0, at: &at)
            return at - start - 8 + width
        }
        let start = MessageStart(offset: out.count - width, width: width, depth: depth)
        depth += 1
        return start
    }

    /// Writes the length of the message begun at `start` as a minimal varint, moving its content
    /// only when the placeholder had another width.
    @usableFromInline mutating func endMessage(_ start: MessageStart) {
        let length = UInt64(truncatingIfNeeded: out.count - start.offset - start.width)
        let size = Varint.size(of: length)
        out.replace(width: start.width, at: start.offset, withVarint: length, size: size)
        if size != start.width, !recurring.isEmpty { recurring.shift(after: start.offset, by: size - start.width) }
        depth = start.depth
        if depth < 16, size != start.width {
            let slot = UInt64(truncatingIfNeeded: depth) * 4
            lengthWidths = lengthWidths & ~(0xf << slot) | UInt64(truncatingIfNeeded: size) << slot
        }
    }
}
