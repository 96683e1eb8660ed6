import Foundation

/// Reads the fields of one message for a ``DirectDecodable`` type: what a keyed container of the
/// generic decoder reads for a value of that Swift type under that key (Protocol/ENCODING.md §2-8),
/// with the same errors, and no allocation but the values themselves.
///
/// Made by one pass over the message that checks every tag and length (the generic decoder's
/// `MessageIndex.scan`, sharing its reading of a field) and notes, in two tables on the stack, where
/// the first and the last occurrence of each field number below 32 begins. A scalar is then read
/// from its last occurrence (the last one wins); a repeated field walks on from its first. Unknown
/// fields are noted like any other and never read, which is how they are skipped. A message field
/// that occurs more than once (its occurrences merge) and the types read by ``decodeCodable(_:_:)``
/// go through the generic decoder, which is the rule for both.
public struct BinaryReader {
    /// Field numbers below this have a slot in the tables; a larger one is found by walking the
    /// message (no hot message has one).
    private static var tableSize: Int { 32 }

    let buffer: UnsafeRawBufferPointer
    /// The message: `start..<end` of `buffer`.
    let start: Int
    let end: Int
    /// Nesting depth: 0 for the top-level message.
    let depth: Int
    /// Its `maxDepth`, and `userInfo` for the values read through `Codable`.
    let decoder: BinaryDecoder
    /// Byte offset of the tag of the first and of the last occurrence of each field number, -1
    /// when absent. 32-bit, so both tables fit in 256 bytes: `BinaryDecoder` reads a buffer over
    /// 2 GiB through the generic path.
    private var first = InlineArray<32, Int32>(repeating: -1)
    private var last = InlineArray<32, Int32>(repeating: -1)

    /// Reads the structure of the message in `start..<end`; throws what `MessageIndex.scan` throws.
    init(
        _ buffer: UnsafeRawBufferPointer, from start: Int, to end: Int, depth: Int, decoder: BinaryDecoder
    ) throws(WireFailure) {
        self.buffer = buffer
        self.start = start
        self.end = end
        self.depth = depth
        self.decoder = decoder
        var position = start
        while position < end {
            let tagOffset = Int32(truncatingIfNeeded: position)
            let number = Int(try MessageIndex.field(buffer, &position, end).number)
            guard number < Self.tableSize else { continue }
            if first[number] < 0 { first[number] = tagOffset }
            last[number] = tagOffset
        }
    }

    /// Whether the message has a buffer this reader can hold offsets of.
    static func canRead(_ buffer: UnsafeRawBufferPointer) -> Bool {
        buffer.count <= Int(Int32.max)
    }

    // MARK: Finding fields

    /// The field at `offset`, a tag offset the first pass found (and so read without error).
    private func field(at offset: Int) -> FieldEntry? {
        var position = offset
        return try? MessageIndex.field(buffer, &position, end)
    }

    /// The last occurrence of field `number`, and whether it is the only one.
    private func occurrence(_ number: UInt32) -> (entry: FieldEntry, single: Bool)? {
        let slot = Int(number)
        if slot < Self.tableSize {
            guard last[slot] >= 0, let entry = field(at: Int(last[slot])) else { return nil }
            return (entry, first[slot] == last[slot])
        }
        var found: FieldEntry?
        var count = 0
        var position = start
        while position < end, let entry = try? MessageIndex.field(buffer, &position, end) {
            if entry.number == number {
                found = entry
                count += 1
            }
        }
        return found.map { ($0, count == 1) }
    }

    /// The tag offset of the first occurrence of field `number`.
    private func firstOffset(_ number: UInt32) -> Int? {
        let slot = Int(number)
        if slot < Self.tableSize { return first[slot] < 0 ? nil : Int(first[slot]) }
        var position = start
        while position < end {
            let offset = position
            guard let entry = try? MessageIndex.field(buffer, &position, end) else { return nil }
            if entry.number == number { return offset }
        }
        return nil
    }

    /// Calls `body` with each occurrence of field `number` in order, and its element index.
    private func forEachOccurrence(
        of number: UInt32, _ body: (FieldEntry, Int) throws -> Void
    ) rethrows {
        guard var position = firstOffset(number) else { return }
        var index = 0
        while position < end, let entry = try? MessageIndex.field(buffer, &position, end) {
            guard entry.number == number else { continue }
            try body(entry, index)
            index += 1
        }
    }

    /// How many times field `number` occurs (to reserve an array's room in one allocation).
    private func occurrenceCount(_ number: UInt32) -> Int {
        let slot = Int(number)
        if slot < Self.tableSize, first[slot] == last[slot] { return first[slot] < 0 ? 0 : 1 }
        var count = 0
        forEachOccurrence(of: number) { _, _ in count += 1 }
        return count
    }

    /// The field number of `key`, or the generic decoder's `typeMismatch` for a key without one.
    private func number(_ key: any CodingKey) throws -> UInt32 {
        do {
            return try FieldNumber.of(key)
        } catch {
            throw DecodingError.typeMismatch(
                type(of: key), DecodingError.Context(codingPath: [key], debugDescription: error.message))
        }
    }

    // MARK: Errors, as the generic decoder words them (DecoderNode+Errors.swift)

    private static func missing(_ key: any CodingKey, _ message: String) -> DecodingError {
        .keyNotFound(key, DecodingError.Context(codingPath: [], debugDescription: message))
    }

    private static func mismatch(
        _ type: Any.Type, _ entry: FieldEntry, expected: WireType, path: [any CodingKey]
    ) -> DecodingError {
        .typeMismatch(type, DecodingError.Context(
            codingPath: path,
            debugDescription: "field \(entry.number): expected wire type \(expected.name) for \(type), "
                + "found \(entry.wireType.name) at byte offset \(entry.offset)"))
    }

    private static func corrupted(_ message: String, path: [any CodingKey]) -> DecodingError {
        .dataCorrupted(DecodingError.Context(codingPath: path, debugDescription: message))
    }

    /// `error` with `keys` put before its coding path: a nested message's reader knows only the
    /// path below it, and the keys above are added on the way out (on the error path only).
    private static func below(_ keys: [any CodingKey], _ error: any Error) -> any Error {
        guard let error = error as? DecodingError else { return error }
        func moved(_ context: DecodingError.Context) -> DecodingError.Context {
            DecodingError.Context(codingPath: keys + context.codingPath, debugDescription: context.debugDescription,
                                  underlyingError: context.underlyingError)
        }
        switch error {
        case .typeMismatch(let type, let context): return DecodingError.typeMismatch(type, moved(context))
        case .valueNotFound(let type, let context): return DecodingError.valueNotFound(type, moved(context))
        case .keyNotFound(let key, let context): return DecodingError.keyNotFound(key, moved(context))
        case .dataCorrupted(let context): return DecodingError.dataCorrupted(moved(context))
        @unknown default: return error
        }
    }

    /// `value`, or the generic decoder's `keyNotFound` for an absent non-optional field.
    private func required<T>(_ value: T?, _ key: any CodingKey) throws -> T {
        guard let value else { throw Self.missing(key, "no field \(key.intValue ?? 0) in the message") }
        return value
    }

    // MARK: Scalars and length-delimited primitives

    private func scalar<S: WireScalar>(_ type: S.Type, _ key: any CodingKey) throws -> S? {
        guard let found = occurrence(try number(key)) else { return nil }
        return try Self.scalar(type, found.entry, path: [key])
    }

    /// `path` is built only for an error: an array per field read would be an allocation each.
    private static func scalar<S: WireScalar>(
        _ type: S.Type, _ entry: FieldEntry, path: @autoclosure () -> [any CodingKey]
    ) throws -> S {
        guard entry.wireType == S.wireType else { throw mismatch(type, entry, expected: S.wireType, path: path()) }
        do {
            return try S(wireBits: entry.value)
        } catch {
            throw corrupted("field \(entry.number): \(error.message) at byte offset \(entry.offset)", path: path())
        }
    }

    private func bytes<B: WireBytes>(_ type: B.Type, _ key: any CodingKey) throws -> B? {
        guard let found = occurrence(try number(key)) else { return nil }
        return try bytes(type, found.entry, path: [key])
    }

    private func bytes<B: WireBytes>(_ type: B.Type, _ entry: FieldEntry, path: @autoclosure () -> [any CodingKey]) throws -> B {
        guard entry.wireType == .lengthDelimited else {
            throw Self.mismatch(type, entry, expected: .lengthDelimited, path: path())
        }
        do {
            return try B(wireContent: UnsafeRawBufferPointer(rebasing: buffer[entry.offset..<entry.end]))
        } catch {
            throw Self.corrupted("field \(entry.number): \(error.message) at byte offset \(entry.offset)", path: path())
        }
    }

    public func decode(_ type: Int64.Type, _ key: some CodingKey) throws -> Int64 { try required(scalar(type, key), key) }
    public func decode(_ type: Int32.Type, _ key: some CodingKey) throws -> Int32 { try required(scalar(type, key), key) }
    public func decode(_ type: Int16.Type, _ key: some CodingKey) throws -> Int16 { try required(scalar(type, key), key) }
    public func decode(_ type: Int8.Type, _ key: some CodingKey) throws -> Int8 { try required(scalar(type, key), key) }
    public func decode(_ type: Int.Type, _ key: some CodingKey) throws -> Int { try required(scalar(type, key), key) }
    public func decode(_ type: UInt64.Type, _ key: some CodingKey) throws -> UInt64 { try required(scalar(type, key), key) }
    public func decode(_ type: UInt32.Type, _ key: some CodingKey) throws -> UInt32 { try required(scalar(type, key), key) }
    public func decode(_ type: UInt16.Type, _ key: some CodingKey) throws -> UInt16 { try required(scalar(type, key), key) }
    public func decode(_ type: UInt8.Type, _ key: some CodingKey) throws -> UInt8 { try required(scalar(type, key), key) }
    public func decode(_ type: UInt.Type, _ key: some CodingKey) throws -> UInt { try required(scalar(type, key), key) }
    public func decode(_ type: Bool.Type, _ key: some CodingKey) throws -> Bool { try required(scalar(type, key), key) }
    public func decode(_ type: Double.Type, _ key: some CodingKey) throws -> Double { try required(scalar(type, key), key) }
    public func decode(_ type: Float.Type, _ key: some CodingKey) throws -> Float { try required(scalar(type, key), key) }
    public func decode(_ type: Date.Type, _ key: some CodingKey) throws -> Date { try required(scalar(type, key), key) }
    public func decode(_ type: String.Type, _ key: some CodingKey) throws -> String { try required(bytes(type, key), key) }
    public func decode(_ type: Data.Type, _ key: some CodingKey) throws -> Data { try required(bytes(type, key), key) }
    public func decode(_ type: UUID.Type, _ key: some CodingKey) throws -> UUID { try required(bytes(type, key), key) }
    public func decode(_ type: URL.Type, _ key: some CodingKey) throws -> URL { try required(bytes(type, key), key) }
    public func decode(_ type: Decimal.Type, _ key: some CodingKey) throws -> Decimal { try required(bytes(type, key), key) }

    public func decodeIfPresent(_ type: Int64.Type, _ key: some CodingKey) throws -> Int64? { try scalar(type, key) }
    public func decodeIfPresent(_ type: Int32.Type, _ key: some CodingKey) throws -> Int32? { try scalar(type, key) }
    public func decodeIfPresent(_ type: Int.Type, _ key: some CodingKey) throws -> Int? { try scalar(type, key) }
    public func decodeIfPresent(_ type: UInt64.Type, _ key: some CodingKey) throws -> UInt64? { try scalar(type, key) }
    public func decodeIfPresent(_ type: Bool.Type, _ key: some CodingKey) throws -> Bool? { try scalar(type, key) }
    public func decodeIfPresent(_ type: Double.Type, _ key: some CodingKey) throws -> Double? { try scalar(type, key) }
    public func decodeIfPresent(_ type: Float.Type, _ key: some CodingKey) throws -> Float? { try scalar(type, key) }
    public func decodeIfPresent(_ type: Date.Type, _ key: some CodingKey) throws -> Date? { try scalar(type, key) }
    public func decodeIfPresent(_ type: String.Type, _ key: some CodingKey) throws -> String? { try bytes(type, key) }
    public func decodeIfPresent(_ type: Data.Type, _ key: some CodingKey) throws -> Data? { try bytes(type, key) }
    public func decodeIfPresent(_ type: UUID.Type, _ key: some CodingKey) throws -> UUID? { try bytes(type, key) }
    public func decodeIfPresent(_ type: Decimal.Type, _ key: some CodingKey) throws -> Decimal? { try bytes(type, key) }

    // MARK: Enums

    /// An enum with an `Int` raw value: its number, a plain varint; a number without a case is
    /// refused as the generic decoder refuses it (ENCODING.md §2).
    public func decode<E: RawRepresentable>(_ type: E.Type, _ key: some CodingKey) throws -> E where E.RawValue == Int {
        try required(decodeIfPresent(type, key), key)
    }

    public func decodeIfPresent<E: RawRepresentable>(_ type: E.Type, _ key: some CodingKey) throws -> E?
    where E.RawValue == Int {
        guard let number = try scalar(EnumNumber.self, key)?.value else { return nil }
        guard let value = E(rawValue: number) else {
            throw Self.corrupted(
                unknownEnumMessage(E.self, number: number, field: try self.number(key), keyName: key.stringValue), path: [key])
        }
        return value
    }

    /// An enum with a `String` raw value: its raw value, refused as its synthesized `init(from:)`
    /// refuses a text it has no case for.
    public func decode<E: RawRepresentable>(_ type: E.Type, _ key: some CodingKey) throws -> E where E.RawValue == String {
        let text = try decode(String.self, key)
        guard let value = E(rawValue: text) else {
            throw Self.corrupted("Cannot initialize \(E.self) from invalid String value \(text)", path: [key])
        }
        return value
    }

    // MARK: Messages

    /// A nested message: its reader, one level deeper, refused past `maxDepth`.
    private func reader(of entry: FieldEntry, reportingOffset: Bool) throws -> BinaryReader {
        guard depth + 1 <= decoder.maxDepth else {
            throw Self.corrupted("messages nested deeper than the limit of \(decoder.maxDepth)"
                + (reportingOffset ? " at byte offset \(entry.offset)" : ""), path: [])
        }
        do {
            return try BinaryReader(buffer, from: entry.offset, to: entry.end, depth: depth + 1, decoder: decoder)
        } catch {
            throw Self.corrupted(error.message, path: [])
        }
    }

    /// A nested message field: absent is nil; several occurrences merge (ENCODING.md §8), which the
    /// generic decoder does.
    private func message<M: DirectDecodable>(_ type: M.Type, _ key: any CodingKey) throws -> M? {
        let number = try number(key)
        guard let found = occurrence(number) else { return nil }
        let entry = found.entry
        guard found.single else { return try codable(type, key, ifPresent: true) }
        guard entry.wireType == .lengthDelimited else {
            throw Self.mismatch(type, entry, expected: .lengthDelimited, path: [key])
        }
        do {
            return try M(fields: reader(of: entry, reportingOffset: false))
        } catch {
            throw Self.below([key], error)
        }
    }

    public func decode<M: DirectDecodable>(_ type: M.Type, _ key: some CodingKey) throws -> M {
        guard let message = try message(type, key) else {
            throw Self.missing(key, "no field \(key.intValue ?? 0) holding a message")
        }
        return message
    }

    public func decodeIfPresent<M: DirectDecodable>(_ type: M.Type, _ key: some CodingKey) throws -> M? {
        try message(type, key)
    }

    // MARK: Repeated fields

    /// A repeated message field: one element per occurrence; absent is empty.
    public func decode<M: DirectDecodable>(_ type: [M].Type, _ key: some CodingKey) throws -> [M] {
        let number = try number(key)
        var elements: [M] = []
        elements.reserveCapacity(occurrenceCount(number))
        try forEachOccurrence(of: number) { entry, index in
            guard entry.wireType == .lengthDelimited else {
                throw Self.mismatch(M.self, entry, expected: .lengthDelimited, path: [key, BinaryCodingKey.index(index)])
            }
            do {
                elements.append(try M(fields: reader(of: entry, reportingOffset: true)))
            } catch {
                throw Self.below([key, BinaryCodingKey.index(index)], error)
            }
        }
        return elements
    }

    /// A repeated `String` field: one element per occurrence; absent is empty.
    public func decode(_ type: [String].Type, _ key: some CodingKey) throws -> [String] {
        let number = try number(key)
        var elements: [String] = []
        elements.reserveCapacity(occurrenceCount(number))
        try forEachOccurrence(of: number) { entry, index in
            elements.append(try bytes(String.self, entry, path: [key, BinaryCodingKey.index(index)]))
        }
        return elements
    }

    /// A repeated scalar field: packed runs and single occurrences, mixed, in order (ENCODING.md §5).
    private func scalars<S: WireScalar>(_ type: S.Type, _ key: any CodingKey, _ each: (S, Int) throws -> Void) throws {
        let number = try number(key)
        var index = 0
        try forEachOccurrence(of: number) { entry, _ in
            guard entry.wireType == .lengthDelimited else {
                try each(Self.scalar(type, entry, path: [key, BinaryCodingKey.index(index)]), index)
                index += 1
                return
            }
            var position = entry.offset
            while position < entry.end {
                let offset = position
                let bits: UInt64
                do throws(WireFailure) {
                    bits = try MessageIndex.packed(buffer, &position, entry.end, S.wireType)
                } catch {
                    throw Self.corrupted("field \(number), packed: \(error.message)", path: [key, BinaryCodingKey.index(index)])
                }
                let value: S
                do throws(WireFailure) {
                    value = try S(wireBits: bits)
                } catch {
                    throw Self.corrupted("field \(number): \(error.message) at byte offset \(offset)",
                                         path: [key, BinaryCodingKey.index(index)])
                }
                try each(value, index)
                index += 1
            }
        }
    }

    private func scalarArray<S: WireScalar>(_ type: S.Type, _ key: any CodingKey) throws -> [S] {
        var elements: [S] = []
        try scalars(type, key) { value, _ in elements.append(value) }
        return elements
    }

    public func decode(_ type: [Int64].Type, _ key: some CodingKey) throws -> [Int64] { try scalarArray(Int64.self, key) }
    public func decode(_ type: [Int].Type, _ key: some CodingKey) throws -> [Int] { try scalarArray(Int.self, key) }

    /// A repeated enum field (`Int` raw values), packed as integers are.
    public func decode<E: RawRepresentable>(_ type: [E].Type, _ key: some CodingKey) throws -> [E] where E.RawValue == Int {
        var elements: [E] = []
        try scalars(EnumNumber.self, key) { number, index in
            guard let value = E(rawValue: number.value) else {
                throw Self.corrupted(unknownEnumMessage(E.self, number: number.value, field: nil, keyName: ""),
                                     path: [key, BinaryCodingKey.index(index)])
            }
            elements.append(value)
        }
        return elements
    }

    // MARK: Anything else, through Codable

    /// Any other value (a map, a packed array, a tab of the card that is not hot) through its
    /// `Decodable`, exactly as the generic decoder reads it in this message.
    public func decodeCodable<T: Decodable>(_ type: T.Type, _ key: some CodingKey) throws -> T {
        try required(codable(type, key, ifPresent: false), key)
    }

    public func decodeCodableIfPresent<T: Decodable>(_ type: T.Type, _ key: some CodingKey) throws -> T? {
        try codable(type, key, ifPresent: true)
    }

    /// Reads field `key` as the generic decoder does: its own index of this message (the structure
    /// was checked, so indexing it again cannot fail) and a node at the top of it.
    private func codable<T: Decodable>(_ type: T.Type, _ key: any CodingKey, ifPresent: Bool) throws -> T? {
        let number = try number(key)
        var index = MessageIndex(depth: depth)
        do {
            try index.scan(buffer, from: start, to: end)
        } catch {
            throw Self.corrupted(error.message, path: [])
        }
        if ifPresent, !index.contains(number) { return nil }
        let state = DecodingState(buffer: buffer, maxDepth: decoder.maxDepth, userInfo: decoder.userInfo)
        defer { state.releaseSpares() }
        let top = DecoderNode(state: state, slot: .root(index), parent: nil, key: nil)
        return try top.value(type, in: .field(index, number), key: key)
    }
}
