/// Decodes `Decodable` values from the binary format described in Protocol/ENCODING.md.
///
/// Never traps on any input: malformed bytes throw a `DecodingError` whose context gives the
/// coding path and the byte offset of the fault. Unknown fields are skipped.
public struct BinaryDecoder: Sendable {
    /// How deeply messages may nest (each nested message, wrapper or map entry is one level).
    public var maxDepth: Int = 64

    /// Passed to the values being decoded as `Decoder.userInfo`.
    public var userInfo: [CodingUserInfoKey: any Sendable] = [:]

    /// Creates a decoder.
    public init() {}

    /// Decodes a `T` from `bytes`.
    public func decode<T: Decodable>(_ type: T.Type, from bytes: [UInt8]) throws -> T {
        try bytes.withUnsafeBytes { try decode(type, from: $0) }
    }

    /// Decodes a `T` from `bytes`.
    public func decode<T: Decodable>(_ type: T.Type, from bytes: ArraySlice<UInt8>) throws -> T {
        try bytes.withUnsafeBytes { try decode(type, from: $0) }
    }

    /// Decodes a `T` from `buffer`, which must stay valid for the duration of the call. Offsets
    /// in error messages count from the start of `buffer`.
    public func decode<T: Decodable>(_ type: T.Type, from buffer: UnsafeRawBufferPointer) throws -> T {
        let state = DecodingState(buffer: buffer, maxDepth: maxDepth, userInfo: userInfo)
        defer { state.releaseSpares() }
        var root = MessageIndex(depth: 0)
        do {
            try root.scan(buffer, from: 0, to: buffer.count)
        } catch {
            throw DecodingError.dataCorrupted(DecodingError.Context(codingPath: [], debugDescription: error.message))
        }
        let top = DecoderNode(state: state, slot: .root(root), parent: nil, key: nil)
        // A message (or any value with its own Codable) at the top: the top node is its
        // decoder, rather than the parent of one more node that would do the same.
        let kind = TypeKind.of(T.self)
        if kind == .other || kind == .directMessage { return try T(from: top) }
        return try top.value(type, in: .root(root), key: nil)
    }
}
