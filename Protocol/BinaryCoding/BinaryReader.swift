/// Reads the fields of one message for a ``DirectDecodable`` type, by its `CodingKeys`.
///
/// `read` is the keyed container's `decode` and `readIfPresent` its `decodeIfPresent`, the very
/// same code: a value must be present (else `keyNotFound`; an absent repeated field is an empty
/// array), an optional is nil when absent, a scalar takes its last occurrence, a message merges its
/// occurrences, a repeated field gathers them (Protocol/ENCODING.md §8). A nested direct message
/// reads itself; anything else goes through its `Decodable`.
public struct BinaryReader {
    /// The node of this message: its `fields` is the message's index, and it names the message in
    /// the coding path of errors.
    let node: DecoderNode

    public func read<K: CodingKey, T: Decodable>(_ key: K) throws -> T {
        try KeyedBinaryDecodingContainer<K>(node: node).decode(T.self, forKey: key)
    }

    public func readIfPresent<K: CodingKey, T: Decodable>(_ key: K) throws -> T? {
        try KeyedBinaryDecodingContainer<K>(node: node).decodeIfPresent(T.self, forKey: key)
    }
}
