/// A single value: read from the slot of the value it belongs to, as if it were that value.
struct SingleValueBinaryDecodingContainer: SingleValueDecodingContainer {
    let node: DecoderNode

    var codingPath: [any CodingKey] { node.codingPath }

    func decodeNil() -> Bool { node.isNil(in: node.slot) }
    func decode(_ type: Bool.Type) throws -> Bool { try node.scalar(type, in: node.slot, key: nil) }
    func decode(_ type: String.Type) throws -> String { try node.bytes(type, in: node.slot, key: nil) }
    func decode(_ type: Double.Type) throws -> Double { try node.scalar(type, in: node.slot, key: nil) }
    func decode(_ type: Float.Type) throws -> Float { try node.scalar(type, in: node.slot, key: nil) }
    func decode(_ type: Int.Type) throws -> Int { try node.scalar(type, in: node.slot, key: nil) }
    func decode(_ type: Int8.Type) throws -> Int8 { try node.scalar(type, in: node.slot, key: nil) }
    func decode(_ type: Int16.Type) throws -> Int16 { try node.scalar(type, in: node.slot, key: nil) }
    func decode(_ type: Int32.Type) throws -> Int32 { try node.scalar(type, in: node.slot, key: nil) }
    func decode(_ type: Int64.Type) throws -> Int64 { try node.scalar(type, in: node.slot, key: nil) }
    func decode(_ type: UInt.Type) throws -> UInt { try node.scalar(type, in: node.slot, key: nil) }
    func decode(_ type: UInt8.Type) throws -> UInt8 { try node.scalar(type, in: node.slot, key: nil) }
    func decode(_ type: UInt16.Type) throws -> UInt16 { try node.scalar(type, in: node.slot, key: nil) }
    func decode(_ type: UInt32.Type) throws -> UInt32 { try node.scalar(type, in: node.slot, key: nil) }
    func decode(_ type: UInt64.Type) throws -> UInt64 { try node.scalar(type, in: node.slot, key: nil) }

    func decode<T: Decodable>(_ type: T.Type) throws -> T {
        try node.value(type, in: node.slot, key: nil)
    }
}
