/// Lets the coder recognise `Optional<Wrapped>` for any `Wrapped`, which `T.self == X.self`
/// cannot: an array of optionals needs a wrapper message per element, because a repeated
/// field has no way to say "absent" for one element.
protocol OptionalMarker {
    /// Whether this optional is nil.
    var isNone: Bool { get }
    /// Whether this is `.some(.none)` of a nested optional, which the format cannot represent
    /// (absent means nil, and there is only one way to be absent).
    var isSomeNone: Bool { get }
}

extension Optional: OptionalMarker {
    var isNone: Bool { self == nil }

    var isSomeNone: Bool {
        guard case .some(let wrapped) = self, let inner = wrapped as? any OptionalMarker else { return false }
        return inner.isNone
    }
}

/// The types the encoder must recognise that `T.self == X.self` cannot name (any Optional, any
/// Dictionary): one conformance check per value tells both apart from everything else.
protocol EncodingSpecial {
    var asOptional: (any OptionalMarker)? { get }
    var asMap: (any EncodableMap)? { get }
}

extension Optional: EncodingSpecial {
    var asOptional: (any OptionalMarker)? { .some(self as any OptionalMarker) }
    var asMap: (any EncodableMap)? { nil }
}

extension Dictionary: EncodingSpecial where Key: Encodable, Value: Encodable {
    var asOptional: (any OptionalMarker)? { nil }
    var asMap: (any EncodableMap)? { self }
}

/// Lets the encoder write a Dictionary as a protobuf map: Swift's own Dictionary Codable
/// uses a keyed container with string keys (or integer keys that are not field numbers).
protocol EncodableMap {
    /// Calls `body` with each key and value, in the dictionary's (unspecified) order.
    func forEachEntry(_ body: (any Encodable, any Encodable) throws -> Void) rethrows
}

extension Dictionary: EncodableMap where Key: Encodable, Value: Encodable {
    func forEachEntry(_ body: (any Encodable, any Encodable) throws -> Void) rethrows {
        for (key, value) in self { try body(key, value) }
    }
}

/// The decoding side of `EncodableMap`.
protocol DecodableMap {
    /// Builds the dictionary from entries, each decoded by `entry` as (key, value).
    static func decodeMap(_ reader: MapReader) throws -> Self
}

extension Dictionary: DecodableMap where Key: Decodable, Value: Decodable {
    static func decodeMap(_ reader: MapReader) throws -> Self {
        var result: Self = [:]
        while let entry = try reader.nextEntry() {
            let key = try entry.decode(Key.self, field: 1)
            result[key] = try entry.decode(Value.self, field: 2)
        }
        return result
    }
}

/// Lets the decoder ask a collection whose `init(from:)` reads an unkeyed container for its element
/// type: an empty length-delimited occurrence is no element of an array of packed scalars (an empty
/// packed run) but one element of any other array (an empty string, message or wrapper).
protocol RepeatedFieldMarker {
    static var elementType: Any.Type { get }
}

extension Array: RepeatedFieldMarker {
    static var elementType: Any.Type { Element.self }
}

extension ContiguousArray: RepeatedFieldMarker {
    static var elementType: Any.Type { Element.self }
}

extension Set: RepeatedFieldMarker {
    static var elementType: Any.Type { Element.self }
}

extension TypeKind {
    /// Whether an array of this kind is written as packed runs (ENCODING.md §5).
    var isPacked: Bool {
        switch self {
        case .int, .int64, .int32, .int16, .int8, .uint, .uint64, .uint32, .uint16, .uint8,
             .bool, .double, .float, .date, .intEnum:
            return true
        case .string, .decimal, .uuid, .data, .url, .textEnum, .optional, .dictionary, .directMessage, .other:
            return false
        }
    }
}
