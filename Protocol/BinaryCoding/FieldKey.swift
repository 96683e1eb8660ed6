/// A message key's field number held as a value, for a writer that writes the same fields many
/// times a call (a page's rows): its `intValue` is a stored property the writer's inlined shims
/// read directly, where a message's own `CodingKeys`, an enum of another module, answer through
/// a call and a protocol witness for every field (~20 instructions; ~22 000 a page of 50
/// customers under callgrind). The bytes are those of the key it was made from.
public struct FieldKey: CodingKey, Sendable {
    @usableFromInline let number: Int?

    @inlinable public var intValue: Int? { number }
    public var stringValue: String { number.map(String.init) ?? "" }

    /// The field of `key`.
    @inlinable public init(_ key: some CodingKey) {
        number = key.intValue
    }

    public init?(intValue: Int) {
        number = intValue
    }

    public init?(stringValue: String) {
        guard let number = Int(stringValue) else { return nil }
        self.number = number
    }
}
