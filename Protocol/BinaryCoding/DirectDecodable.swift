/// A message that reads its own fields from a ``BinaryReader``, beside its `Decodable` conformance
/// (which JSON and the generic decoder keep using).
///
/// For the hot messages of an API (a customer, a page of them, the card, the get and create
/// requests): through `Decodable`, every nested message costs a decoder node, a boxed keyed
/// container, metadata lookups and an index array; read field by field from a table on the stack
/// it is a fraction of that (docs/performance/HISTORY.md, "Decoding without Codable").
/// `init(fields:)` must give exactly the value `init(from:)` gives, and fail where it fails with the
/// same kind of `DecodingError`: it reads the fields in the order the synthesized `init(from:)`
/// does (the order the stored properties are declared), with the reader method of each field's
/// Swift type. Tests decode with ``BinaryDecoder/readsDirectly`` on and off and compare.
public protocol DirectDecodable: Decodable {
    /// Reads this message's fields from `reader`, which has already checked the structure of the
    /// whole message (tags, lengths) as the generic decoder does before reading any field.
    init(fields reader: borrowing BinaryReader) throws

    /// The same value as ``init(fields:)``, returned rather than initialised: what the decoder
    /// calls. A message whose explicit initialiser copies its `self` whole on the way out (a large
    /// struct: the optimiser keeps that `self` in memory and returns a copy, every string retained
    /// and the original released) builds itself here with the memberwise initialiser the compiler
    /// synthesises, which has no `self` of its own. By default, ``init(fields:)``.
    static func decoded(fields reader: borrowing BinaryReader) throws -> Self
}

extension DirectDecodable {
    @inlinable public static func decoded(fields reader: borrowing BinaryReader) throws -> Self {
        try Self(fields: reader)
    }
}

private let directDecodables = ConformanceTable<any DirectDecodable.Type>()

/// `type` as a `DirectDecodable` type, or nil.
func directDecodable(_ type: Any.Type) -> (any DirectDecodable.Type)? {
    guard TypeKind.readsItself(type) else { return nil }
    return directDecodables.conformance(of: type) { $0 as? any DirectDecodable.Type }
}
