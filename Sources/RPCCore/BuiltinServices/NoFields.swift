/// The coding keys of a message without fields (an empty `CodingKeys` enum cannot have `Int` raw values).
/// Such a message encodes to an empty keyed container: zero bytes on the wire.
package struct NoFields: CodingKey {
    package var stringValue: String { "" }
    package var intValue: Int? { nil }
    package init?(stringValue: String) { nil }
    package init?(intValue: Int) { nil }
}
