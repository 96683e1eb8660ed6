/// The fields of a message, looked up by the field number of each key.
struct KeyedBinaryDecodingContainer<Key: CodingKey>: KeyedDecodingContainerProtocol {
    let node: DecoderNode
    /// The message: kept by the node (see `DecoderNode.fields`).
    private var index: MessageIndex { node.fields }

    var codingPath: [any CodingKey] { node.codingPath }

    /// The keys of the fields present that `Key` knows, in the order they first appear.
    var allKeys: [Key] {
        var numbers: [UInt32] = []
        for entry in index.entries where !numbers.contains(entry.number) { numbers.append(entry.number) }
        return numbers.compactMap { Key(intValue: Int($0)) }
    }

    func contains(_ key: Key) -> Bool {
        guard let number = try? FieldNumber.of(key) else { return false }
        return index.contains(number)
    }

    @inline(__always)
    private func slot(_ key: Key) throws -> DecodingSlot {
        .field(index, try node.fieldNumber(key))
    }

    /// The slot of `key` if the field is present (absent means nil).
    @inline(__always)
    private func presentSlot(_ key: Key) throws -> DecodingSlot? {
        let number = try node.fieldNumber(key)
        return index.contains(number) ? .field(index, number) : nil
    }

    /// The last occurrence of the field of `key`, if present: one scan of the index, where
    /// `presentSlot` and then the read would scan it twice.
    @inline(__always)
    private func presentEntry(_ key: Key) throws -> FieldEntry? {
        index.last(try node.fieldNumber(key))
    }

    /// The last occurrence of the field of `key`, which must be present. The primitives read
    /// it straight from the entry, without a `DecodingSlot` (whose copy of the index cost a
    /// retain and release per field).
    @inline(__always)
    private func entry(_ key: Key) throws -> FieldEntry {
        let number = try node.fieldNumber(key)
        guard let entry = index.last(number) else { throw node.missingField(number, key: key) }
        return entry
    }

    func decodeNil(forKey key: Key) throws -> Bool { try presentSlot(key) == nil }
    func decode(_ type: Bool.Type, forKey key: Key) throws -> Bool { try node.scalar(type, from: entry(key), key: key) }
    func decode(_ type: String.Type, forKey key: Key) throws -> String { try node.bytes(type, from: entry(key), key: key) }
    func decode(_ type: Double.Type, forKey key: Key) throws -> Double { try node.scalar(type, from: entry(key), key: key) }
    func decode(_ type: Float.Type, forKey key: Key) throws -> Float { try node.scalar(type, from: entry(key), key: key) }
    func decode(_ type: Int.Type, forKey key: Key) throws -> Int { try node.scalar(type, from: entry(key), key: key) }
    func decode(_ type: Int8.Type, forKey key: Key) throws -> Int8 { try node.scalar(type, from: entry(key), key: key) }
    func decode(_ type: Int16.Type, forKey key: Key) throws -> Int16 { try node.scalar(type, from: entry(key), key: key) }
    func decode(_ type: Int32.Type, forKey key: Key) throws -> Int32 { try node.scalar(type, from: entry(key), key: key) }
    func decode(_ type: Int64.Type, forKey key: Key) throws -> Int64 { try node.scalar(type, from: entry(key), key: key) }
    func decode(_ type: UInt.Type, forKey key: Key) throws -> UInt { try node.scalar(type, from: entry(key), key: key) }
    func decode(_ type: UInt8.Type, forKey key: Key) throws -> UInt8 { try node.scalar(type, from: entry(key), key: key) }
    func decode(_ type: UInt16.Type, forKey key: Key) throws -> UInt16 { try node.scalar(type, from: entry(key), key: key) }
    func decode(_ type: UInt32.Type, forKey key: Key) throws -> UInt32 { try node.scalar(type, from: entry(key), key: key) }
    func decode(_ type: UInt64.Type, forKey key: Key) throws -> UInt64 { try node.scalar(type, from: entry(key), key: key) }

    func decode<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T {
        try node.value(type, in: slot(key), key: key)
    }

    func decodeIfPresent(_ type: Bool.Type, forKey key: Key) throws -> Bool? {
        try presentEntry(key).map { try node.scalar(type, from: $0, key: key) }
    }
    func decodeIfPresent(_ type: String.Type, forKey key: Key) throws -> String? {
        try presentEntry(key).map { try node.bytes(type, from: $0, key: key) }
    }
    func decodeIfPresent(_ type: Double.Type, forKey key: Key) throws -> Double? {
        try presentEntry(key).map { try node.scalar(type, from: $0, key: key) }
    }
    func decodeIfPresent(_ type: Float.Type, forKey key: Key) throws -> Float? {
        try presentEntry(key).map { try node.scalar(type, from: $0, key: key) }
    }
    func decodeIfPresent(_ type: Int.Type, forKey key: Key) throws -> Int? {
        try presentEntry(key).map { try node.scalar(type, from: $0, key: key) }
    }
    func decodeIfPresent(_ type: Int8.Type, forKey key: Key) throws -> Int8? {
        try presentEntry(key).map { try node.scalar(type, from: $0, key: key) }
    }
    func decodeIfPresent(_ type: Int16.Type, forKey key: Key) throws -> Int16? {
        try presentEntry(key).map { try node.scalar(type, from: $0, key: key) }
    }
    func decodeIfPresent(_ type: Int32.Type, forKey key: Key) throws -> Int32? {
        try presentEntry(key).map { try node.scalar(type, from: $0, key: key) }
    }
    func decodeIfPresent(_ type: Int64.Type, forKey key: Key) throws -> Int64? {
        try presentEntry(key).map { try node.scalar(type, from: $0, key: key) }
    }
    func decodeIfPresent(_ type: UInt.Type, forKey key: Key) throws -> UInt? {
        try presentEntry(key).map { try node.scalar(type, from: $0, key: key) }
    }
    func decodeIfPresent(_ type: UInt8.Type, forKey key: Key) throws -> UInt8? {
        try presentEntry(key).map { try node.scalar(type, from: $0, key: key) }
    }
    func decodeIfPresent(_ type: UInt16.Type, forKey key: Key) throws -> UInt16? {
        try presentEntry(key).map { try node.scalar(type, from: $0, key: key) }
    }
    func decodeIfPresent(_ type: UInt32.Type, forKey key: Key) throws -> UInt32? {
        try presentEntry(key).map { try node.scalar(type, from: $0, key: key) }
    }
    func decodeIfPresent(_ type: UInt64.Type, forKey key: Key) throws -> UInt64? {
        try presentEntry(key).map { try node.scalar(type, from: $0, key: key) }
    }

    func decodeIfPresent<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T? {
        // Not `presentSlot(key).map`: its closure, generic over an unspecialized `T`, cost a
        // metadata lookup per call.
        guard let slot = try presentSlot(key) else { return nil }
        return try node.value(type, in: slot, key: key)
    }

    func nestedContainer<NestedKey: CodingKey>(
        keyedBy type: NestedKey.Type, forKey key: Key
    ) throws -> KeyedDecodingContainer<NestedKey> {
        try nestedDecoder(key).container(keyedBy: type)
    }

    func nestedUnkeyedContainer(forKey key: Key) throws -> any UnkeyedDecodingContainer {
        try nestedDecoder(key).unkeyedContainer()
    }

    func superDecoder() throws -> any Decoder {
        DecoderNode(
            state: node.state, slot: .field(index, FieldNumber.superclass), parent: node, key: BinaryCodingKey.superclass)
    }

    func superDecoder(forKey key: Key) throws -> any Decoder {
        try nestedDecoder(key)
    }

    private func nestedDecoder(_ key: Key) throws -> DecoderNode {
        DecoderNode(state: node.state, slot: try slot(key), parent: node, key: key)
    }
}
