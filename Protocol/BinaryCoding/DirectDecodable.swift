/// A message that reads its own fields, beside its `Decodable` conformance: the counterpart of
/// ``DirectEncodable`` for the hot messages a client decodes (a customer, a page of them, the card).
///
/// `init(fields:)` reads the same keys as `init(from:)` does, with the same optionality: each read
/// of the ``BinaryReader`` is the keyed container's own (`decode` for a value, `decodeIfPresent` for
/// an optional), so both paths accept and refuse the same bytes with the same errors; what is left
/// out is the standard library's boxing of a keyed container per message. The fuzz target
/// `responses` and the tests decode with ``BinaryDecoder/readsDirectly`` on and off and compare.
public protocol DirectDecodable: Decodable {
    /// Reads this message from its fields.
    init(fields: BinaryReader) throws
}
