/// Fields of a message: each value under the field number of its key.
struct KeyedBinaryEncodingContainer<Key: CodingKey>: KeyedEncodingContainerProtocol {
    let node: EncoderNode

    var codingPath: [any CodingKey] { node.codingPath }

    /// The slot of `key`, or an `EncodingError.invalidValue` naming the key and its type.
    /// (Generic in `value` so that it is boxed as `Any` only on the error path, not per field.)
    @inline(__always)
    private func slot<V>(_ key: Key, _ value: V) throws -> EncodingSlot {
        do {
            return .field(try FieldNumber.of(key))
        } catch {
            throw EncodingError.invalidValue(
                value, EncodingError.Context(codingPath: codingPath + [key], debugDescription: error.message))
        }
    }

    mutating func encodeNil(forKey key: Key) throws { try node.putNil(in: slot(key, Optional<Int>.none)) }
    mutating func encode(_ value: Bool, forKey key: Key) throws { try node.put(scalar: value, in: slot(key, value)) }
    mutating func encode(_ value: String, forKey key: Key) throws { try node.put(bytes: value, in: slot(key, value)) }
    mutating func encode(_ value: Double, forKey key: Key) throws { try node.put(scalar: value, in: slot(key, value)) }
    mutating func encode(_ value: Float, forKey key: Key) throws { try node.put(scalar: value, in: slot(key, value)) }
    mutating func encode(_ value: Int, forKey key: Key) throws { try node.put(scalar: value, in: slot(key, value)) }
    mutating func encode(_ value: Int8, forKey key: Key) throws { try node.put(scalar: value, in: slot(key, value)) }
    mutating func encode(_ value: Int16, forKey key: Key) throws { try node.put(scalar: value, in: slot(key, value)) }
    mutating func encode(_ value: Int32, forKey key: Key) throws { try node.put(scalar: value, in: slot(key, value)) }
    mutating func encode(_ value: Int64, forKey key: Key) throws { try node.put(scalar: value, in: slot(key, value)) }
    mutating func encode(_ value: UInt, forKey key: Key) throws { try node.put(scalar: value, in: slot(key, value)) }
    mutating func encode(_ value: UInt8, forKey key: Key) throws { try node.put(scalar: value, in: slot(key, value)) }
    mutating func encode(_ value: UInt16, forKey key: Key) throws { try node.put(scalar: value, in: slot(key, value)) }
    mutating func encode(_ value: UInt32, forKey key: Key) throws { try node.put(scalar: value, in: slot(key, value)) }
    mutating func encode(_ value: UInt64, forKey key: Key) throws { try node.put(scalar: value, in: slot(key, value)) }

    mutating func encode<T: Encodable>(_ value: T, forKey key: Key) throws {
        try node.put(value, in: slot(key, value), key: key)
    }

    mutating func encodeIfPresent(_ value: Bool?, forKey key: Key) throws { if let value { try encode(value, forKey: key) } }
    mutating func encodeIfPresent(_ value: String?, forKey key: Key) throws { if let value { try encode(value, forKey: key) } }
    mutating func encodeIfPresent(_ value: Double?, forKey key: Key) throws { if let value { try encode(value, forKey: key) } }
    mutating func encodeIfPresent(_ value: Float?, forKey key: Key) throws { if let value { try encode(value, forKey: key) } }
    mutating func encodeIfPresent(_ value: Int?, forKey key: Key) throws { if let value { try encode(value, forKey: key) } }
    mutating func encodeIfPresent(_ value: Int8?, forKey key: Key) throws { if let value { try encode(value, forKey: key) } }
    mutating func encodeIfPresent(_ value: Int16?, forKey key: Key) throws { if let value { try encode(value, forKey: key) } }
    mutating func encodeIfPresent(_ value: Int32?, forKey key: Key) throws { if let value { try encode(value, forKey: key) } }
    mutating func encodeIfPresent(_ value: Int64?, forKey key: Key) throws { if let value { try encode(value, forKey: key) } }
    mutating func encodeIfPresent(_ value: UInt?, forKey key: Key) throws { if let value { try encode(value, forKey: key) } }
    mutating func encodeIfPresent(_ value: UInt8?, forKey key: Key) throws { if let value { try encode(value, forKey: key) } }
    mutating func encodeIfPresent(_ value: UInt16?, forKey key: Key) throws { if let value { try encode(value, forKey: key) } }
    mutating func encodeIfPresent(_ value: UInt32?, forKey key: Key) throws { if let value { try encode(value, forKey: key) } }
    mutating func encodeIfPresent(_ value: UInt64?, forKey key: Key) throws { if let value { try encode(value, forKey: key) } }

    mutating func encodeIfPresent<T: Encodable>(_ value: T?, forKey key: Key) throws {
        guard let value else { return }
        try node.put(value, in: slot(key, value), key: key, unwrapped: true)
    }

    mutating func nestedContainer<NestedKey: CodingKey>(
        keyedBy keyType: NestedKey.Type, forKey key: Key
    ) -> KeyedEncodingContainer<NestedKey> {
        nestedEncoder(key).container(keyedBy: keyType)
    }

    mutating func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer {
        nestedEncoder(key).unkeyedContainer()
    }

    mutating func superEncoder() -> any Encoder {
        node.deferredChild(slot: .field(FieldNumber.superclass), key: BinaryCodingKey.superclass)
    }

    mutating func superEncoder(forKey key: Key) -> any Encoder {
        nestedEncoder(key)
    }

    /// A node for field `key` that may be written at any time. A bad key cannot throw here, so
    /// the node carries the error to its first write.
    private func nestedEncoder(_ key: Key) -> EncoderNode {
        do {
            return node.deferredChild(slot: try slot(key, key.stringValue), key: key)
        } catch {
            let child = node.deferredChild(slot: .field(FieldNumber.superclass), key: key)
            child.recordMisuse(error)
            return child
        }
    }
}
