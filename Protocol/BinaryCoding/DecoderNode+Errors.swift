/// The typed errors of decoding, each with this node's coding path and a message saying what
/// was wrong and at which byte offset.
extension DecoderNode {
    func path(_ key: (any CodingKey)?) -> [any CodingKey] {
        codingPath + (key.map { [$0] } ?? [])
    }

    func corrupted(_ message: String, key: (any CodingKey)? = nil) -> DecodingError {
        .dataCorrupted(DecodingError.Context(codingPath: path(key), debugDescription: message))
    }

    /// Field `number` is absent: `message` is given the field as it is named ("field 5 (billing)").
    func notFound(_ number: UInt32, _ message: (String) -> String, key: (any CodingKey)? = nil) -> DecodingError {
        let missing = key ?? self.key ?? BinaryCodingKey(intValue: Int(number))
        let parentPath = key == nil && self.key != nil ? (parent?.codingPath ?? []) : codingPath
        return .keyNotFound(missing, DecodingError.Context(
            codingPath: parentPath, debugDescription: message(fieldName(number, keyName: missing.stringValue))))
    }

    /// A field that must be present is not.
    func missingField(_ number: UInt32, key: (any CodingKey)?) -> DecodingError {
        notFound(number, { "no \($0) in the message" }, key: key)
    }

    func mismatch(
        _ type: Any.Type, field number: UInt32, expected: WireType, found entry: FieldEntry, key: (any CodingKey)? = nil
    ) -> DecodingError {
        .typeMismatch(type, DecodingError.Context(
            codingPath: path(key),
            debugDescription: wireTypeMismatchMessage(type, field: number, expected: expected, found: entry)))
    }

    /// The field number of `key`, or a `typeMismatch` naming the key and its type.
    @inline(__always)
    func fieldNumber(_ key: some CodingKey) throws -> UInt32 {
        do {
            return try FieldNumber.of(key)
        } catch {
            throw DecodingError.typeMismatch(
                type(of: key), DecodingError.Context(codingPath: path(key), debugDescription: error.message))
        }
    }
}
