/// Elements of a repeated field: numeric scalars packed into one length-delimited run,
/// everything else one length-delimited occurrence per element.
struct UnkeyedBinaryEncodingContainer: UnkeyedEncodingContainer {
    let node: EncoderNode

    var codingPath: [any CodingKey] { node.codingPath }
    var count: Int { node.elementCount }

    private var slot: EncodingSlot { .element(node.repeatedNumber, packer: node) }

    mutating func encodeNil() throws { try node.putNil(in: slot); node.elementCount += 1 }
    mutating func encode(_ value: Bool) throws { try node.put(scalar: value, in: slot); node.elementCount += 1 }
    mutating func encode(_ value: String) throws { try node.put(bytes: value, in: slot); node.elementCount += 1 }
    mutating func encode(_ value: Double) throws { try node.put(scalar: value, in: slot); node.elementCount += 1 }
    mutating func encode(_ value: Float) throws { try node.put(scalar: value, in: slot); node.elementCount += 1 }
    mutating func encode(_ value: Int) throws { try node.put(scalar: value, in: slot); node.elementCount += 1 }
    mutating func encode(_ value: Int8) throws { try node.put(scalar: value, in: slot); node.elementCount += 1 }
    mutating func encode(_ value: Int16) throws { try node.put(scalar: value, in: slot); node.elementCount += 1 }
    mutating func encode(_ value: Int32) throws { try node.put(scalar: value, in: slot); node.elementCount += 1 }
    mutating func encode(_ value: Int64) throws { try node.put(scalar: value, in: slot); node.elementCount += 1 }
    mutating func encode(_ value: UInt) throws { try node.put(scalar: value, in: slot); node.elementCount += 1 }
    mutating func encode(_ value: UInt8) throws { try node.put(scalar: value, in: slot); node.elementCount += 1 }
    mutating func encode(_ value: UInt16) throws { try node.put(scalar: value, in: slot); node.elementCount += 1 }
    mutating func encode(_ value: UInt32) throws { try node.put(scalar: value, in: slot); node.elementCount += 1 }
    mutating func encode(_ value: UInt64) throws { try node.put(scalar: value, in: slot); node.elementCount += 1 }

    mutating func encode<T: Encodable>(_ value: T) throws {
        try node.put(value, in: slot, key: BinaryCodingKey.index(count))
        node.elementCount += 1
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type) -> KeyedEncodingContainer<NestedKey> {
        nestedEncoder().container(keyedBy: keyType)
    }

    mutating func nestedUnkeyedContainer() -> any UnkeyedEncodingContainer {
        nestedEncoder().unkeyedContainer()
    }

    mutating func superEncoder() -> any Encoder {
        nestedEncoder()
    }

    /// The next element, written apart (unpacked) since it may be written at any time.
    private func nestedEncoder() -> EncoderNode {
        defer { node.elementCount += 1 }
        return node.deferredChild(slot: .element(node.repeatedNumber, packer: nil), key: BinaryCodingKey.index(count))
    }
}
