/// The coding keys this module makes itself: map entry fields, array indices, `super`.
struct BinaryCodingKey: CodingKey {
    private enum Kind { case field, index, superclass }

    let intValue: Int?
    private let kind: Kind

    var stringValue: String {
        let number = intValue ?? 0
        switch kind {
        case .field: return String(number)
        case .index: return "Index \(number)"
        case .superclass: return "super"
        }
    }

    init(intValue: Int) {
        self.intValue = intValue
        kind = .field
    }

    init?(stringValue: String) {
        guard let number = Int(stringValue) else { return nil }
        self.init(intValue: number)
    }

    private init(intValue: Int, kind: Kind) {
        self.intValue = intValue
        self.kind = kind
    }

    /// The key of element `index` of an array, as JSONDecoder names it ("Index 3").
    static func index(_ index: Int) -> BinaryCodingKey { BinaryCodingKey(intValue: index, kind: .index) }

    /// Whether the key names an element of a repeated field, not a field.
    var isIndex: Bool { kind == .index }

    /// The key of `superEncoder()` / `superDecoder()`: field `FieldNumber.superclass`.
    static let superclass = BinaryCodingKey(intValue: Int(FieldNumber.superclass), kind: .superclass)
}

extension FieldNumber {
    /// The field number of `key`: its `intValue`, which must be in 1...2^29-1. The check is
    /// inlined into every keyed call; only a bad key calls out, to build the message.
    @inline(__always)
    static func of(_ key: some CodingKey) throws(WireFailure) -> UInt32 {
        if let number = key.intValue, number >= Int(min), number <= Int(max) {
            return UInt32(truncatingIfNeeded: number)
        }
        throw invalid(key)
    }

    /// Why `key` has no field number.
    @inline(never)
    private static func invalid(_ key: some CodingKey) -> WireFailure {
        guard let number = key.intValue else {
            return WireFailure(message: "\(describe(key)) has no intValue; the binary format identifies a field by "
                + "CodingKey.intValue (its field number): declare `enum CodingKeys: Int, CodingKey`")
        }
        return WireFailure(message: "\(describe(key)) has field number \(number), outside \(min)...\(max)")
    }

    private static func describe(_ key: some CodingKey) -> String {
        "key \"\(key.stringValue)\" of \(typeName(type(of: key)))"
    }
}

/// The qualified name of `type` without the "(unknown context at $…)" parts Swift prints for
/// types declared inside functions or as private, e.g. "Module.Customer.CodingKeys".
func typeName(_ type: Any.Type) -> String {
    String(reflecting: type).split(separator: ".").filter { !$0.hasPrefix("(unknown context") }.joined(separator: ".")
}

/// `typeName(type)` without its module, e.g. "Address.Kind": how schemas and errors name a type to
/// readers of the API, who never see Swift modules.
func unqualifiedTypeName(_ type: Any.Type) -> String {
    let qualified = typeName(type)
    guard let dot = qualified.firstIndex(of: ".") else { return qualified }
    return String(qualified[qualified.index(after: dot)...])
}
