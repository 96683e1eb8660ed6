/// A single value: written into the slot of the value it belongs to, as if it were that value.
struct SingleValueBinaryEncodingContainer: SingleValueEncodingContainer {
    let node: EncoderNode

    var codingPath: [any CodingKey] { node.codingPath }

    mutating func encodeNil() throws { try node.putNil(in: node.slot) }
    mutating func encode(_ value: Bool) throws { try node.put(scalar: value, in: node.slot) }
    mutating func encode(_ value: String) throws { try node.put(bytes: value, in: node.slot) }
    mutating func encode(_ value: Double) throws { try node.put(scalar: value, in: node.slot) }
    mutating func encode(_ value: Float) throws { try node.put(scalar: value, in: node.slot) }
    mutating func encode(_ value: Int) throws { try node.put(scalar: value, in: node.slot) }
    mutating func encode(_ value: Int8) throws { try node.put(scalar: value, in: node.slot) }
    mutating func encode(_ value: Int16) throws { try node.put(scalar: value, in: node.slot) }
    mutating func encode(_ value: Int32) throws { try node.put(scalar: value, in: node.slot) }
    mutating func encode(_ value: Int64) throws { try node.put(scalar: value, in: node.slot) }
    mutating func encode(_ value: UInt) throws { try node.put(scalar: value, in: node.slot) }
    mutating func encode(_ value: UInt8) throws { try node.put(scalar: value, in: node.slot) }
    mutating func encode(_ value: UInt16) throws { try node.put(scalar: value, in: node.slot) }
    mutating func encode(_ value: UInt32) throws { try node.put(scalar: value, in: node.slot) }
    mutating func encode(_ value: UInt64) throws { try node.put(scalar: value, in: node.slot) }

    mutating func encode<T: Encodable>(_ value: T) throws {
        try node.put(value, in: node.slot, key: nil)
    }
}
