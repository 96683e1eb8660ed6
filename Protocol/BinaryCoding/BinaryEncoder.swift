/// Encodes `Encodable` values into the binary format described in Protocol/ENCODING.md:
/// protobuf-style fields identified by `CodingKey.intValue`.
public struct BinaryEncoder: Sendable {
    /// Passed to the values being encoded as `Encoder.userInfo`.
    public var userInfo: [CodingUserInfoKey: any Sendable] = [:]

    /// Whether a ``DirectEncodable`` message writes its own fields (the default) rather than going
    /// through its `encode(to:)`. Both write the same bytes; tests turn this off to compare them.
    public var writesDirectly = true

    /// Creates an encoder.
    public init() {}

    /// Encodes `value`. A keyed value (a struct or class) becomes its fields with no outer
    /// length; any other value (a number, a string, an array, a dictionary) is written as
    /// field 1 of an implicit message.
    public func encode<T: Encodable>(_ value: T) throws -> [UInt8] {
        let kind = TypeKind.of(T.self)
        if writesDirectly, let direct = directEncodable(T.self, kind: kind) {
            return try encodeDirectly(value, as: direct)
        }
        // 512: a full Customer is about 440 bytes; growing from 256 cost a reallocation and copy.
        let buffer = EncodingBuffer(capacity: 512, encoder: self, keepsSpares: true)
        defer { buffer.releaseSpares() }
        let top = EncoderNode(buffer: buffer, slot: .root, level: 0, parent: nil, key: nil)
        if kind == .other || kind == .directMessage || kind == .textEnum {
            // A message (or any value with its own Codable) at the top: the top node is its
            // encoder, rather than the parent of one more node that would do the same.
            try value.encode(to: top)
        } else {
            try top.put(value, in: .root, key: nil)
        }
        try top.finish()
        return buffer.bytes
    }

    /// A ``DirectEncodable`` message's fields, written by itself.
    private func encodeDirectly<T, D: DirectEncodable>(_ value: T, as direct: D.Type) throws -> [UInt8] {
        var writer = BinaryWriter(capacity: 512, encoder: self)
        // `D` is `T` (the table found it for `T.self`).
        try same(value, D.self).encodeFields(to: &writer)
        return writer.bytes
    }

    /// Appends `value` to `bytes` as field `number` of the message they hold, as a keyed container
    /// writes a field (for a ``BinaryWriter`` handing a value that is not direct to `Codable`).
    func append<T: Encodable>(_ value: T, asField number: UInt32, to bytes: inout [UInt8]) throws {
        let buffer = EncodingBuffer(capacity: 0, encoder: self, keepsSpares: true)
        swap(&buffer.bytes, &bytes)
        defer {
            swap(&buffer.bytes, &bytes)
            buffer.releaseSpares()
        }
        let top = EncoderNode(buffer: buffer, slot: .root, level: 0, parent: nil, key: nil)
        try top.put(value, in: .field(number), key: nil)
        try top.finish()
    }
}
