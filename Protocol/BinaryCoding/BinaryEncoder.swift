/// Encodes `Encodable` values into the binary format described in Protocol/ENCODING.md:
/// protobuf-style fields identified by `CodingKey.intValue`.
public struct BinaryEncoder: Sendable {
    /// Passed to the values being encoded as `Encoder.userInfo`.
    public var userInfo: [CodingUserInfoKey: any Sendable] = [:]

    /// Creates an encoder.
    public init() {}

    /// Encodes `value`. A keyed value (a struct or class) becomes its fields with no outer
    /// length; any other value (a number, a string, an array, a dictionary) is written as
    /// field 1 of an implicit message.
    public func encode<T: Encodable>(_ value: T) throws -> [UInt8] {
        // 512: a full Customer is about 440 bytes; growing from 256 cost a reallocation and copy.
        let buffer = EncodingBuffer(capacity: 512, userInfo: userInfo, keepsSpares: true)
        defer { buffer.releaseSpares() }
        let top = EncoderNode(buffer: buffer, slot: .root, level: 0, parent: nil, key: nil)
        if TypeKind.of(T.self) == .other {
            // A message (or any value with its own Codable) at the top: the top node is its
            // encoder, rather than the parent of one more node that would do the same.
            try value.encode(to: top)
        } else {
            try top.put(value, in: .root, key: nil)
        }
        try top.finish()
        return buffer.bytes
    }
}
