import Foundation

// `BinaryReader`'s public methods: inlinable shims, specialised for the caller's key type, that
// take the key's field number (its `intValue`, known statically for an `Int` raw value) and call
// a non-generic reader by number (BinaryReader+Values.swift). The key becomes an `any CodingKey`
// only for an error: its coding path and message are the generic decoder's
// (DecoderNode+Errors.swift).

extension BinaryReader {
    // MARK: Scalars and length-delimited primitives

    @inlinable public func decode<K: CodingKey>(_ type: Int64.Type, _ key: K) throws -> Int64 {
        try Self.required(decodeIfPresent(type, key), key)
    }

    @inlinable public func decodeIfPresent<K: CodingKey>(_ type: Int64.Type, _ key: K) throws -> Int64? {
        let number = try Self.number(key)
        let entry = lastEntry(number)
        if entry == Self.absentEntry { return nil }
        do throws(FieldFault) { return try int64(number, entry) } catch { throw Self.failure(error, key) }
    }

    @inlinable public func decode<K: CodingKey>(_ type: Int32.Type, _ key: K) throws -> Int32 {
        try Self.required(decodeIfPresent(type, key), key)
    }

    @inlinable public func decodeIfPresent<K: CodingKey>(_ type: Int32.Type, _ key: K) throws -> Int32? {
        let number = try Self.number(key)
        let entry = lastEntry(number)
        if entry == Self.absentEntry { return nil }
        do throws(FieldFault) { return try int32(number, entry) } catch { throw Self.failure(error, key) }
    }

    @inlinable public func decode<K: CodingKey>(_ type: Int16.Type, _ key: K) throws -> Int16 {
        try Self.required(decodeIfPresent(type, key), key)
    }

    @inlinable public func decodeIfPresent<K: CodingKey>(_ type: Int16.Type, _ key: K) throws -> Int16? {
        let number = try Self.number(key)
        let entry = lastEntry(number)
        if entry == Self.absentEntry { return nil }
        do throws(FieldFault) { return try int16(number, entry) } catch { throw Self.failure(error, key) }
    }

    @inlinable public func decode<K: CodingKey>(_ type: Int8.Type, _ key: K) throws -> Int8 {
        try Self.required(decodeIfPresent(type, key), key)
    }

    @inlinable public func decodeIfPresent<K: CodingKey>(_ type: Int8.Type, _ key: K) throws -> Int8? {
        let number = try Self.number(key)
        let entry = lastEntry(number)
        if entry == Self.absentEntry { return nil }
        do throws(FieldFault) { return try int8(number, entry) } catch { throw Self.failure(error, key) }
    }

    @inlinable public func decode<K: CodingKey>(_ type: Int.Type, _ key: K) throws -> Int {
        try Self.required(decodeIfPresent(type, key), key)
    }

    @inlinable public func decodeIfPresent<K: CodingKey>(_ type: Int.Type, _ key: K) throws -> Int? {
        let number = try Self.number(key)
        let entry = lastEntry(number)
        if entry == Self.absentEntry { return nil }
        do throws(FieldFault) { return try int(number, entry) } catch { throw Self.failure(error, key) }
    }

    @inlinable public func decode<K: CodingKey>(_ type: UInt64.Type, _ key: K) throws -> UInt64 {
        try Self.required(decodeIfPresent(type, key), key)
    }

    @inlinable public func decodeIfPresent<K: CodingKey>(_ type: UInt64.Type, _ key: K) throws -> UInt64? {
        let number = try Self.number(key)
        let entry = lastEntry(number)
        if entry == Self.absentEntry { return nil }
        do throws(FieldFault) { return try uint64(number, entry) } catch { throw Self.failure(error, key) }
    }

    @inlinable public func decode<K: CodingKey>(_ type: UInt32.Type, _ key: K) throws -> UInt32 {
        try Self.required(decodeIfPresent(type, key), key)
    }

    @inlinable public func decodeIfPresent<K: CodingKey>(_ type: UInt32.Type, _ key: K) throws -> UInt32? {
        let number = try Self.number(key)
        let entry = lastEntry(number)
        if entry == Self.absentEntry { return nil }
        do throws(FieldFault) { return try uint32(number, entry) } catch { throw Self.failure(error, key) }
    }

    @inlinable public func decode<K: CodingKey>(_ type: UInt16.Type, _ key: K) throws -> UInt16 {
        try Self.required(decodeIfPresent(type, key), key)
    }

    @inlinable public func decodeIfPresent<K: CodingKey>(_ type: UInt16.Type, _ key: K) throws -> UInt16? {
        let number = try Self.number(key)
        let entry = lastEntry(number)
        if entry == Self.absentEntry { return nil }
        do throws(FieldFault) { return try uint16(number, entry) } catch { throw Self.failure(error, key) }
    }

    @inlinable public func decode<K: CodingKey>(_ type: UInt8.Type, _ key: K) throws -> UInt8 {
        try Self.required(decodeIfPresent(type, key), key)
    }

    @inlinable public func decodeIfPresent<K: CodingKey>(_ type: UInt8.Type, _ key: K) throws -> UInt8? {
        let number = try Self.number(key)
        let entry = lastEntry(number)
        if entry == Self.absentEntry { return nil }
        do throws(FieldFault) { return try uint8(number, entry) } catch { throw Self.failure(error, key) }
    }

    @inlinable public func decode<K: CodingKey>(_ type: UInt.Type, _ key: K) throws -> UInt {
        try Self.required(decodeIfPresent(type, key), key)
    }

    @inlinable public func decodeIfPresent<K: CodingKey>(_ type: UInt.Type, _ key: K) throws -> UInt? {
        let number = try Self.number(key)
        let entry = lastEntry(number)
        if entry == Self.absentEntry { return nil }
        do throws(FieldFault) { return try uint(number, entry) } catch { throw Self.failure(error, key) }
    }

    @inlinable public func decode<K: CodingKey>(_ type: Bool.Type, _ key: K) throws -> Bool {
        try Self.required(decodeIfPresent(type, key), key)
    }

    @inlinable public func decodeIfPresent<K: CodingKey>(_ type: Bool.Type, _ key: K) throws -> Bool? {
        let number = try Self.number(key)
        let entry = lastEntry(number)
        if entry == Self.absentEntry { return nil }
        do throws(FieldFault) { return try bool(number, entry) } catch { throw Self.failure(error, key) }
    }

    @inlinable public func decode<K: CodingKey>(_ type: Double.Type, _ key: K) throws -> Double {
        try Self.required(decodeIfPresent(type, key), key)
    }

    @inlinable public func decodeIfPresent<K: CodingKey>(_ type: Double.Type, _ key: K) throws -> Double? {
        let number = try Self.number(key)
        let entry = lastEntry(number)
        if entry == Self.absentEntry { return nil }
        do throws(FieldFault) { return try double(number, entry) } catch { throw Self.failure(error, key) }
    }

    @inlinable public func decode<K: CodingKey>(_ type: Float.Type, _ key: K) throws -> Float {
        try Self.required(decodeIfPresent(type, key), key)
    }

    @inlinable public func decodeIfPresent<K: CodingKey>(_ type: Float.Type, _ key: K) throws -> Float? {
        let number = try Self.number(key)
        let entry = lastEntry(number)
        if entry == Self.absentEntry { return nil }
        do throws(FieldFault) { return try float(number, entry) } catch { throw Self.failure(error, key) }
    }

    @inlinable public func decode<K: CodingKey>(_ type: Date.Type, _ key: K) throws -> Date {
        try Self.required(decodeIfPresent(type, key), key)
    }

    @inlinable public func decodeIfPresent<K: CodingKey>(_ type: Date.Type, _ key: K) throws -> Date? {
        let number = try Self.number(key)
        let entry = lastEntry(number)
        if entry == Self.absentEntry { return nil }
        do throws(FieldFault) { return try date(number, entry) } catch { throw Self.failure(error, key) }
    }

    @inlinable public func decode<K: CodingKey>(_ type: String.Type, _ key: K) throws -> String {
        try Self.required(decodeIfPresent(type, key), key)
    }

    @inlinable public func decodeIfPresent<K: CodingKey>(_ type: String.Type, _ key: K) throws -> String? {
        let number = try Self.number(key)
        let entry = lastEntry(number)
        if entry == Self.absentEntry { return nil }
        do throws(FieldFault) { return try string(number, entry) } catch { throw Self.failure(error, key) }
    }

    @inlinable public func decode<K: CodingKey>(_ type: Data.Type, _ key: K) throws -> Data {
        try Self.required(decodeIfPresent(type, key), key)
    }

    @inlinable public func decodeIfPresent<K: CodingKey>(_ type: Data.Type, _ key: K) throws -> Data? {
        let number = try Self.number(key)
        let entry = lastEntry(number)
        if entry == Self.absentEntry { return nil }
        do throws(FieldFault) { return try data(number, entry) } catch { throw Self.failure(error, key) }
    }

    @inlinable public func decode<K: CodingKey>(_ type: UUID.Type, _ key: K) throws -> UUID {
        try Self.required(decodeIfPresent(type, key), key)
    }

    @inlinable public func decodeIfPresent<K: CodingKey>(_ type: UUID.Type, _ key: K) throws -> UUID? {
        let number = try Self.number(key)
        let entry = lastEntry(number)
        if entry == Self.absentEntry { return nil }
        do throws(FieldFault) { return try uuid(number, entry) } catch { throw Self.failure(error, key) }
    }

    @inlinable public func decode<K: CodingKey>(_ type: URL.Type, _ key: K) throws -> URL {
        try Self.required(decodeIfPresent(type, key), key)
    }

    @inlinable public func decodeIfPresent<K: CodingKey>(_ type: URL.Type, _ key: K) throws -> URL? {
        let number = try Self.number(key)
        let entry = lastEntry(number)
        if entry == Self.absentEntry { return nil }
        do throws(FieldFault) { return try url(number, entry) } catch { throw Self.failure(error, key) }
    }

    @inlinable public func decode<K: CodingKey>(_ type: Decimal.Type, _ key: K) throws -> Decimal {
        try Self.required(decodeIfPresent(type, key), key)
    }

    @inlinable public func decodeIfPresent<K: CodingKey>(_ type: Decimal.Type, _ key: K) throws -> Decimal? {
        let number = try Self.number(key)
        let entry = lastEntry(number)
        if entry == Self.absentEntry { return nil }
        do throws(FieldFault) { return try decimal(number, entry) } catch { throw Self.failure(error, key) }
    }

    // MARK: Enums

    /// An enum with an `Int` raw value: its number, a plain varint; a number without a case is
    /// refused as the generic decoder refuses it (ENCODING.md §2).
    @inlinable public func decode<E: RawRepresentable, K: CodingKey>(_ type: E.Type, _ key: K) throws -> E
    where E.RawValue == Int {
        try Self.required(decodeIfPresent(type, key), key)
    }

    @inlinable public func decodeIfPresent<E: RawRepresentable, K: CodingKey>(_ type: E.Type, _ key: K) throws -> E?
    where E.RawValue == Int {
        let number = try Self.number(key)
        let entry = lastEntry(number)
        if entry == Self.absentEntry { return nil }
        let found: Int?
        do throws(FieldFault) { found = try enumNumber(number, entry) } catch { throw Self.failure(error, key) }
        guard let found else { return nil }
        guard let value = E(rawValue: found) else { throw Self.unknownCase(E.self, found, key, field: number) }
        return value
    }

    /// An enum with a `String` raw value: its raw value, a text it has no case for refused as the
    /// generic decoder refuses it (`UnknownEnumText`).
    @inlinable public func decode<E: RawRepresentable, K: CodingKey>(_ type: E.Type, _ key: K) throws -> E
    where E.RawValue == String {
        let text = try decode(String.self, key)
        guard let value = E(rawValue: text) else { throw Self.unknownCase(E.self, text: text, key) }
        return value
    }

    // MARK: Messages

    /// A nested message field: absent is nil; several occurrences merge (ENCODING.md §8), which the
    /// generic decoder does.
    @inlinable public func decodeIfPresent<M: DirectDecodable, K: CodingKey>(_ type: M.Type, _ key: K) throws -> M? {
        try decodeIfPresent(type, key, sameAs: key, decodedAs: nil)
    }

    @inlinable public func decode<M: DirectDecodable, K: CodingKey>(_ type: M.Type, _ key: K) throws -> M {
        guard let message = try decodeIfPresent(type, key) else { throw Self.missing(key, holdingMessage: true) }
        return message
    }

    /// A nested message field that often holds the same bytes as an earlier field of this message
    /// (the user who created a record and the one who last changed it): `earlier`, the value read
    /// from field `earlierKey`, when both fields occur once with the same content, else read as
    /// the plain `decodeIfPresent(_:_:)` reads it. The same bytes at the same depth read as the
    /// same value and cannot fail where the first read did not, so only the work differs: a user
    /// reference read again was ~1 100 instructions under callgrind (its reader's first pass, two
    /// fields, a string), the comparison is one look-up and, when the lengths agree, a `memcmp`.
    @inlinable public func decodeIfPresent<M: DirectDecodable, K: CodingKey>(
        _ type: M.Type, _ key: K, sameAs earlierKey: K, decodedAs earlier: M?
    ) throws -> M? {
        let number = try Self.number(key)
        let earlierNumber = earlier == nil ? nil : try Self.number(earlierKey)
        let field: MessageField
        do throws(FieldFault) { field = try message(number, M.self, sameAs: earlierNumber) } catch {
            throw Self.failure(error, key)
        }
        switch consume field {
        case .absent:
            return nil
        case .sameAsEarlier:
            return earlier
        case .merged:
            return try codable(M.self, number, key, ifPresent: true)
        case .single(let reader):
            do { return try M.decoded(fields: reader) } catch { throw Self.below(error, key) }
        }
    }

    @inlinable public func decode<M: DirectDecodable, K: CodingKey>(
        _ type: M.Type, _ key: K, sameAs earlierKey: K, decodedAs earlier: M?
    ) throws -> M {
        guard let message = try decodeIfPresent(type, key, sameAs: earlierKey, decodedAs: earlier) else {
            throw Self.missing(key, holdingMessage: true)
        }
        return message
    }

    // MARK: Repeated fields

    /// A repeated message field: one element per occurrence; absent is empty.
    @inlinable public func decode<M: DirectDecodable, K: CodingKey>(_ type: [M].Type, _ key: K) throws -> [M] {
        let number = try Self.number(key)
        var elements: [M] = []
        elements.reserveCapacity(occurrenceCount(number))
        var occurrences = occurrences(of: number)
        while true {
            let element = occurrences.element
            let next: BinaryReader?
            do throws(FieldFault) { next = try nextMessage(number, &occurrences, M.self) } catch {
                throw Self.failure(error, key)
            }
            guard let reader = consume next else { return elements }
            do { elements.append(try M.decoded(fields: reader)) } catch { throw Self.below(error, key, element: element) }
        }
    }

    /// A repeated `String` field: one element per occurrence; absent is empty.
    @inlinable public func decode<K: CodingKey>(_ type: [String].Type, _ key: K) throws -> [String] {
        let number = try Self.number(key)
        do throws(FieldFault) { return try strings(number) } catch { throw Self.failure(error, key) }
    }

    /// A repeated `Int64` field: packed runs and single occurrences, mixed, in order (ENCODING.md §5).
    @inlinable public func decode<K: CodingKey>(_ type: [Int64].Type, _ key: K) throws -> [Int64] {
        let number = try Self.number(key)
        do throws(FieldFault) { return try int64s(number) } catch { throw Self.failure(error, key) }
    }

    @inlinable public func decode<K: CodingKey>(_ type: [Int].Type, _ key: K) throws -> [Int] {
        let number = try Self.number(key)
        do throws(FieldFault) { return try ints(number) } catch { throw Self.failure(error, key) }
    }

    /// A repeated enum field (`Int` raw values), packed as integers are.
    @inlinable public func decode<E: RawRepresentable, K: CodingKey>(_ type: [E].Type, _ key: K) throws -> [E]
    where E.RawValue == Int {
        let number = try Self.number(key)
        let numbers: [Int]
        do throws(FieldFault) {
            numbers = try enumNumbers(number, E.self) { E(rawValue: $0) != nil }
        } catch {
            throw Self.failure(error, key)
        }
        return numbers.compactMap(E.init(rawValue:))
    }

    // MARK: Anything else, through Codable

    /// Any other value (a map, a packed array, a tab of the card that is not hot) through its
    /// `Decodable`, exactly as the generic decoder reads it in this message.
    @inlinable public func decodeCodable<T: Decodable, K: CodingKey>(_ type: T.Type, _ key: K) throws -> T {
        try Self.required(codable(type, Self.number(key), key, ifPresent: false), key)
    }

    @inlinable public func decodeCodableIfPresent<T: Decodable, K: CodingKey>(_ type: T.Type, _ key: K) throws -> T? {
        try codable(type, Self.number(key), key, ifPresent: true)
    }
}
