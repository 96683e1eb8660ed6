/// A message that writes its own fields straight into the encoder's bytes, beside its `Codable`
/// conformance (which other coders, JSON among them, and the decoder keep using).
///
/// For the hot messages of an API (a customer, the card, a page of customers): through `Codable`,
/// every nested message costs a boxed keyed container, metadata lookups and an encoder node, about
/// 38 000 instructions for one `Customer` under callgrind; written field by field it is a few
/// thousand. `encodeFields(to:)` must write exactly the bytes `encode(to:)` makes the encoder write
/// (the same fields in the same order); tests compare the two paths with
/// ``BinaryEncoder/writesDirectly`` off.
public protocol DirectEncodable: Encodable {
    /// Appends this message's fields (no tag, no length of its own) with `writer`.
    func encodeFields(to writer: inout BinaryWriter) throws
}

private let directEncodables = ConformanceTable<any DirectEncodable.Type>()

/// `type` as a `DirectEncodable` type, or nil; `kind` is its `TypeKind`, which tells the others
/// apart without the table's lock.
func directEncodable(_ type: Any.Type, kind: TypeKind) -> (any DirectEncodable.Type)? {
    guard kind == .directMessage else { return nil }
    return directEncodables.conformance(of: type) { $0 as? any DirectEncodable.Type }
}
