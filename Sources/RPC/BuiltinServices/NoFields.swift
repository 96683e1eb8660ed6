/// The coding keys of a message without fields (an empty `CodingKeys` enum cannot have `Int` raw values).
/// Such a message encodes to an empty keyed container: zero bytes on the wire.
struct NoFields: CodingKey {
    var stringValue: String { "" }
    var intValue: Int? { nil }
    init?(stringValue: String) { nil }
    init?(intValue: Int) { nil }
}
