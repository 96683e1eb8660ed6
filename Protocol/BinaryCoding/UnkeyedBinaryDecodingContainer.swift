/// The elements of a repeated field, packed or not.
struct UnkeyedBinaryDecodingContainer: UnkeyedDecodingContainer {
    let node: DecoderNode
    let cursor: ElementCursor

    var codingPath: [any CodingKey] { node.codingPath }
    /// Unknown up front: how many elements a packed run holds depends on the element type.
    var count: Int? { nil }
    var isAtEnd: Bool { cursor.isAtEnd }
    var currentIndex: Int { cursor.count }

    private var slot: DecodingSlot { .element(cursor) }

    /// True (and moves past it) when the next element is nil, an empty wrapper message.
    mutating func decodeNil() throws -> Bool {
        guard cursor.nextIsNil else { return false }
        cursor.skip()
        return true
    }

    mutating func decode(_ type: Bool.Type) throws -> Bool { try node.scalar(type, in: slot, key: nil) }
    mutating func decode(_ type: String.Type) throws -> String { try node.bytes(type, in: slot, key: nil) }
    mutating func decode(_ type: Double.Type) throws -> Double { try node.scalar(type, in: slot, key: nil) }
    mutating func decode(_ type: Float.Type) throws -> Float { try node.scalar(type, in: slot, key: nil) }
    mutating func decode(_ type: Int.Type) throws -> Int { try node.scalar(type, in: slot, key: nil) }
    mutating func decode(_ type: Int8.Type) throws -> Int8 { try node.scalar(type, in: slot, key: nil) }
    mutating func decode(_ type: Int16.Type) throws -> Int16 { try node.scalar(type, in: slot, key: nil) }
    mutating func decode(_ type: Int32.Type) throws -> Int32 { try node.scalar(type, in: slot, key: nil) }
    mutating func decode(_ type: Int64.Type) throws -> Int64 { try node.scalar(type, in: slot, key: nil) }
    mutating func decode(_ type: UInt.Type) throws -> UInt { try node.scalar(type, in: slot, key: nil) }
    mutating func decode(_ type: UInt8.Type) throws -> UInt8 { try node.scalar(type, in: slot, key: nil) }
    mutating func decode(_ type: UInt16.Type) throws -> UInt16 { try node.scalar(type, in: slot, key: nil) }
    mutating func decode(_ type: UInt32.Type) throws -> UInt32 { try node.scalar(type, in: slot, key: nil) }
    mutating func decode(_ type: UInt64.Type) throws -> UInt64 { try node.scalar(type, in: slot, key: nil) }

    mutating func decode<T: Decodable>(_ type: T.Type) throws -> T {
        let before = cursor.count
        let value = try node.value(type, in: slot, key: BinaryCodingKey.index(before))
        if cursor.count == before { cursor.skip() }
        return value
    }

    mutating func decodeIfPresent(_ type: Bool.Type) throws -> Bool? { try decodeNil() ? nil : decode(type) }
    mutating func decodeIfPresent(_ type: String.Type) throws -> String? { try decodeNil() ? nil : decode(type) }
    mutating func decodeIfPresent(_ type: Double.Type) throws -> Double? { try decodeNil() ? nil : decode(type) }
    mutating func decodeIfPresent(_ type: Float.Type) throws -> Float? { try decodeNil() ? nil : decode(type) }
    mutating func decodeIfPresent(_ type: Int.Type) throws -> Int? { try decodeNil() ? nil : decode(type) }
    mutating func decodeIfPresent(_ type: Int8.Type) throws -> Int8? { try decodeNil() ? nil : decode(type) }
    mutating func decodeIfPresent(_ type: Int16.Type) throws -> Int16? { try decodeNil() ? nil : decode(type) }
    mutating func decodeIfPresent(_ type: Int32.Type) throws -> Int32? { try decodeNil() ? nil : decode(type) }
    mutating func decodeIfPresent(_ type: Int64.Type) throws -> Int64? { try decodeNil() ? nil : decode(type) }
    mutating func decodeIfPresent(_ type: UInt.Type) throws -> UInt? { try decodeNil() ? nil : decode(type) }
    mutating func decodeIfPresent(_ type: UInt8.Type) throws -> UInt8? { try decodeNil() ? nil : decode(type) }
    mutating func decodeIfPresent(_ type: UInt16.Type) throws -> UInt16? { try decodeNil() ? nil : decode(type) }
    mutating func decodeIfPresent(_ type: UInt32.Type) throws -> UInt32? { try decodeNil() ? nil : decode(type) }
    mutating func decodeIfPresent(_ type: UInt64.Type) throws -> UInt64? { try decodeNil() ? nil : decode(type) }

    mutating func decodeIfPresent<T: Decodable>(_ type: T.Type) throws -> T? {
        try decodeNil() ? nil : decode(type)
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type) throws -> KeyedDecodingContainer<NestedKey> {
        try elementDecoder().container(keyedBy: type)
    }

    mutating func nestedUnkeyedContainer() throws -> any UnkeyedDecodingContainer {
        try elementDecoder().unkeyedContainer()
    }

    mutating func superDecoder() throws -> any Decoder {
        elementDecoder()
    }

    private func elementDecoder() -> DecoderNode {
        DecoderNode(state: node.state, slot: slot, parent: node, key: BinaryCodingKey.index(cursor.count))
    }
}
