/// The decoder `SchemaRecorder` runs a type's `init(from:)` with: each field the type asks its
/// keyed container for is recorded (when `records`) and answered with a stand-in value; optional
/// fields are answered nil, and collections are empty.
final class RecordingDecoder: Decoder {
    let recorder: SchemaRecorder
    /// False for a stand-in value, whose fields are not the ones being described.
    let records: Bool
    let codingPath: [any CodingKey]
    var userInfo: [CodingUserInfoKey: Any] { [:] }
    /// The fields asked for, in order.
    private(set) var fields: [FieldSchema] = []
    /// What the type is on the wire when it decodes itself from a single value.
    var alias: TypeReference?

    init(recorder: SchemaRecorder, records: Bool, codingPath: [any CodingKey]) {
        self.recorder = recorder
        self.records = records
        self.codingPath = codingPath
    }

    func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedDecodingContainer<Key> {
        KeyedDecodingContainer(RecordingKeyedContainer<Key>(decoder: self))
    }

    func unkeyedContainer() throws -> any UnkeyedDecodingContainer {
        guard !records else { throw unsupported("an unkeyed container (a message's fields are keyed)") }
        return EmptyUnkeyedContainer(codingPath: codingPath)
    }

    func singleValueContainer() -> any SingleValueDecodingContainer {
        RecordingSingleValueContainer(decoder: self)
    }

    /// Records field `key` of type `type`, unless recorded already (asked for twice).
    func record<T: Decodable>(_ type: T.Type, _ key: some CodingKey, optional: Bool) throws {
        guard records else { return }
        let number: UInt32
        do {
            number = try FieldNumber.of(key)
        } catch {
            throw DecodingError.dataCorrupted(
                DecodingError.Context(codingPath: codingPath + [key], debugDescription: error.message))
        }
        guard !fields.contains(where: { $0.number == number }) else { return }
        var reference = try recorder.describe(type)
        if optional, reference.label == .singular { reference.label = .optional }
        fields.append(FieldSchema(
            number: number, name: key.stringValue, label: reference.label, type: reference.name,
            keyType: reference.keyType, wireType: reference.wireType.rawValue))
    }

    func unsupported(_ what: String) -> DecodingError {
        .dataCorrupted(DecodingError.Context(
            codingPath: codingPath, debugDescription: "a schema cannot describe a type that asks for \(what)"))
    }
}

private struct RecordingKeyedContainer<Key: CodingKey>: KeyedDecodingContainerProtocol {
    let decoder: RecordingDecoder
    var codingPath: [any CodingKey] { decoder.codingPath }
    var allKeys: [Key] { [] }

    func contains(_ key: Key) -> Bool { false }
    func decodeNil(forKey key: Key) throws -> Bool { true }

    /// A field that must be present.
    private func value<T: Decodable>(_ type: T.Type, _ key: Key) throws -> T {
        try decoder.record(type, key, optional: false)
        return try decoder.recorder.placeholder(type, codingPath: codingPath + [key])
    }

    /// An optional field: recorded, and answered nil.
    private func absent<T: Decodable>(_ type: T.Type, _ key: Key) throws -> T? {
        try decoder.record(type, key, optional: true)
        return nil
    }

    func decode(_ type: Bool.Type, forKey key: Key) throws -> Bool { try value(type, key) }
    func decode(_ type: String.Type, forKey key: Key) throws -> String { try value(type, key) }
    func decode(_ type: Double.Type, forKey key: Key) throws -> Double { try value(type, key) }
    func decode(_ type: Float.Type, forKey key: Key) throws -> Float { try value(type, key) }
    func decode(_ type: Int.Type, forKey key: Key) throws -> Int { try value(type, key) }
    func decode(_ type: Int8.Type, forKey key: Key) throws -> Int8 { try value(type, key) }
    func decode(_ type: Int16.Type, forKey key: Key) throws -> Int16 { try value(type, key) }
    func decode(_ type: Int32.Type, forKey key: Key) throws -> Int32 { try value(type, key) }
    func decode(_ type: Int64.Type, forKey key: Key) throws -> Int64 { try value(type, key) }
    func decode(_ type: UInt.Type, forKey key: Key) throws -> UInt { try value(type, key) }
    func decode(_ type: UInt8.Type, forKey key: Key) throws -> UInt8 { try value(type, key) }
    func decode(_ type: UInt16.Type, forKey key: Key) throws -> UInt16 { try value(type, key) }
    func decode(_ type: UInt32.Type, forKey key: Key) throws -> UInt32 { try value(type, key) }
    func decode(_ type: UInt64.Type, forKey key: Key) throws -> UInt64 { try value(type, key) }
    func decode<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T { try value(type, key) }

    func decodeIfPresent(_ type: Bool.Type, forKey key: Key) throws -> Bool? { try absent(type, key) }
    func decodeIfPresent(_ type: String.Type, forKey key: Key) throws -> String? { try absent(type, key) }
    func decodeIfPresent(_ type: Double.Type, forKey key: Key) throws -> Double? { try absent(type, key) }
    func decodeIfPresent(_ type: Float.Type, forKey key: Key) throws -> Float? { try absent(type, key) }
    func decodeIfPresent(_ type: Int.Type, forKey key: Key) throws -> Int? { try absent(type, key) }
    func decodeIfPresent(_ type: Int8.Type, forKey key: Key) throws -> Int8? { try absent(type, key) }
    func decodeIfPresent(_ type: Int16.Type, forKey key: Key) throws -> Int16? { try absent(type, key) }
    func decodeIfPresent(_ type: Int32.Type, forKey key: Key) throws -> Int32? { try absent(type, key) }
    func decodeIfPresent(_ type: Int64.Type, forKey key: Key) throws -> Int64? { try absent(type, key) }
    func decodeIfPresent(_ type: UInt.Type, forKey key: Key) throws -> UInt? { try absent(type, key) }
    func decodeIfPresent(_ type: UInt8.Type, forKey key: Key) throws -> UInt8? { try absent(type, key) }
    func decodeIfPresent(_ type: UInt16.Type, forKey key: Key) throws -> UInt16? { try absent(type, key) }
    func decodeIfPresent(_ type: UInt32.Type, forKey key: Key) throws -> UInt32? { try absent(type, key) }
    func decodeIfPresent(_ type: UInt64.Type, forKey key: Key) throws -> UInt64? { try absent(type, key) }
    func decodeIfPresent<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T? { try absent(type, key) }

    func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type, forKey key: Key) throws
        -> KeyedDecodingContainer<NestedKey> {
        throw decoder.unsupported("a nested keyed container")
    }

    func nestedUnkeyedContainer(forKey key: Key) throws -> any UnkeyedDecodingContainer {
        throw decoder.unsupported("a nested unkeyed container")
    }

    func superDecoder() throws -> any Decoder { throw decoder.unsupported("a super decoder") }
    func superDecoder(forKey key: Key) throws -> any Decoder { throw decoder.unsupported("a super decoder") }
}

/// A type that decodes itself from one value is that value on the wire (a wrapper).
private struct RecordingSingleValueContainer: SingleValueDecodingContainer {
    let decoder: RecordingDecoder
    var codingPath: [any CodingKey] { decoder.codingPath }

    /// Nil: how an Optional's own `init(from:)` becomes nil.
    func decodeNil() -> Bool { true }

    private func wrapped<T: Decodable>(_ type: T.Type) throws -> T {
        if decoder.records { decoder.alias = try decoder.recorder.describe(type) }
        return try decoder.recorder.placeholder(type, codingPath: codingPath)
    }

    func decode<T: Decodable>(_ type: T.Type) throws -> T { try wrapped(type) }

    func decode(_ type: Bool.Type) throws -> Bool { try wrapped(type) }
    func decode(_ type: String.Type) throws -> String { try wrapped(type) }
    func decode(_ type: Double.Type) throws -> Double { try wrapped(type) }
    func decode(_ type: Float.Type) throws -> Float { try wrapped(type) }
    func decode(_ type: Int.Type) throws -> Int { try wrapped(type) }
    func decode(_ type: Int8.Type) throws -> Int8 { try wrapped(type) }
    func decode(_ type: Int16.Type) throws -> Int16 { try wrapped(type) }
    func decode(_ type: Int32.Type) throws -> Int32 { try wrapped(type) }
    func decode(_ type: Int64.Type) throws -> Int64 { try wrapped(type) }
    func decode(_ type: UInt.Type) throws -> UInt { try wrapped(type) }
    func decode(_ type: UInt8.Type) throws -> UInt8 { try wrapped(type) }
    func decode(_ type: UInt16.Type) throws -> UInt16 { try wrapped(type) }
    func decode(_ type: UInt32.Type) throws -> UInt32 { try wrapped(type) }
    func decode(_ type: UInt64.Type) throws -> UInt64 { try wrapped(type) }
}

/// The elements of an empty collection, for stand-in values.
private struct EmptyUnkeyedContainer: UnkeyedDecodingContainer {
    let codingPath: [any CodingKey]
    var count: Int? { 0 }
    var isAtEnd: Bool { true }
    var currentIndex: Int { 0 }

    private func end() -> DecodingError {
        .valueNotFound(Any.self, DecodingError.Context(codingPath: codingPath, debugDescription: "a stand-in collection is empty"))
    }

    mutating func decodeNil() throws -> Bool { throw end() }
    mutating func decode<T: Decodable>(_ type: T.Type) throws -> T { throw end() }
    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type) throws -> KeyedDecodingContainer<NestedKey> {
        throw end()
    }
    mutating func nestedUnkeyedContainer() throws -> any UnkeyedDecodingContainer { throw end() }
    mutating func superDecoder() throws -> any Decoder { throw end() }
}
