import Foundation

/// Reading values out of slots. Scalars and length-delimited primitives are read here directly;
/// any other value gets a child node and its own `init(from:)`.
extension DecoderNode {
    /// Reads a scalar (integer, Bool, Float, Double, Date) from `slot`.
    @inline(__always)
    func scalar<S: WireScalar>(_ type: S.Type, in slot: DecodingSlot, key: (any CodingKey)?) throws -> S {
        guard let entry = try fieldEntry(in: slot, key: key) else {
            guard case .element(let cursor) = slot else { throw corrupted("internal: no slot", key: key) }
            return try cursor.readScalar(type, for: self)
        }
        return try scalar(type, from: entry, key: key)
    }

    /// Reads a length-delimited primitive (String, Data, UUID, URL, Decimal) from `slot`.
    @inline(__always)
    func bytes<B: WireBytes>(_ type: B.Type, in slot: DecodingSlot, key: (any CodingKey)?) throws -> B {
        guard let entry = try fieldEntry(in: slot, key: key) else {
            guard case .element(let cursor) = slot else { throw corrupted("internal: no slot", key: key) }
            return try bytes(type, from: cursor.takeLengthDelimited(type, for: self), key: key)
        }
        return try bytes(type, from: entry, key: key)
    }

    /// The last occurrence of the field `slot` names, `keyNotFound` if it is absent, or nil for
    /// an element (which the cursor reads).
    @inline(__always)
    private func fieldEntry(in slot: DecodingSlot, key: (any CodingKey)?) throws -> FieldEntry? {
        let index: MessageIndex
        let number: UInt32
        switch slot {
        case .root(let root): (index, number) = (root, 1)
        case .field(let parent, let field): (index, number) = (parent, field)
        case .element: return nil
        }
        guard let entry = index.last(number) else {
            throw notFound(number, "no field \(number) in the message", key: key)
        }
        return entry
    }

    /// Whether `slot` holds nil: an absent field, or an empty wrapper element.
    func isNil(in slot: DecodingSlot) -> Bool {
        switch slot {
        case .root(let index): return !index.contains(1)
        case .field(let index, let number): return !index.contains(number)
        case .element(let cursor): return cursor.nextIsNil
        }
    }

    @inline(__always)
    private func scalar<S: WireScalar>(_ type: S.Type, from entry: FieldEntry, key: (any CodingKey)?) throws -> S {
        guard entry.wireType == S.wireType else {
            throw mismatch(type, field: entry.number, expected: S.wireType, found: entry, key: key)
        }
        do {
            return try S(wireBits: entry.value)
        } catch {
            throw corrupted("field \(entry.number): \(error.message) at byte offset \(entry.offset)", key: key)
        }
    }

    @inline(__always)
    private func bytes<B: WireBytes>(_ type: B.Type, from entry: FieldEntry, key: (any CodingKey)?) throws -> B {
        guard entry.wireType == .lengthDelimited else {
            throw mismatch(type, field: entry.number, expected: .lengthDelimited, found: entry, key: key)
        }
        do {
            return try B(wireContent: UnsafeRawBufferPointer(rebasing: state.buffer[entry.offset..<entry.end]))
        } catch {
            throw corrupted("field \(entry.number): \(error.message) at byte offset \(entry.offset)", key: key)
        }
    }

    /// Reads any value from `slot`; `key` names it in the coding path. The types with a fixed
    /// wire mapping are recognised by identity (no dynamic casts) and read without their own
    /// Codable; the chain is written out here rather than in a helper returning `T?`, because an
    /// unspecialized `T?` costs a generic metadata lookup on every call.
    func value<T: Decodable>(_ type: T.Type, in slot: DecodingSlot, key: (any CodingKey)?) throws -> T {
        if T.self == String.self { return same(try bytes(String.self, in: slot, key: key), T.self) }
        if T.self == Int.self { return same(try scalar(Int.self, in: slot, key: key), T.self) }
        if T.self == Int64.self { return same(try scalar(Int64.self, in: slot, key: key), T.self) }
        if T.self == Int32.self { return same(try scalar(Int32.self, in: slot, key: key), T.self) }
        if T.self == Int16.self { return same(try scalar(Int16.self, in: slot, key: key), T.self) }
        if T.self == Int8.self { return same(try scalar(Int8.self, in: slot, key: key), T.self) }
        if T.self == UInt.self { return same(try scalar(UInt.self, in: slot, key: key), T.self) }
        if T.self == UInt64.self { return same(try scalar(UInt64.self, in: slot, key: key), T.self) }
        if T.self == UInt32.self { return same(try scalar(UInt32.self, in: slot, key: key), T.self) }
        if T.self == UInt16.self { return same(try scalar(UInt16.self, in: slot, key: key), T.self) }
        if T.self == UInt8.self { return same(try scalar(UInt8.self, in: slot, key: key), T.self) }
        if T.self == Bool.self { return same(try scalar(Bool.self, in: slot, key: key), T.self) }
        if T.self == Double.self { return same(try scalar(Double.self, in: slot, key: key), T.self) }
        if T.self == Float.self { return same(try scalar(Float.self, in: slot, key: key), T.self) }
        if T.self == Date.self { return same(try scalar(Date.self, in: slot, key: key), T.self) }
        if T.self == Decimal.self { return same(try bytes(Decimal.self, in: slot, key: key), T.self) }
        if T.self == UUID.self { return same(try bytes(UUID.self, in: slot, key: key), T.self) }
        if T.self == Data.self { return same(try bytes(Data.self, in: slot, key: key), T.self) }
        if T.self == URL.self { return same(try bytes(URL.self, in: slot, key: key), T.self) }
        if let mapType = type as? any DecodableMap.Type {
            return try map(mapType, as: type, in: slot, key: key)
        }
        if case .element(let cursor) = slot, type is any OptionalMarker.Type {
            // An element of an array of optionals: field 1 of a wrapper message, absent for nil.
            let entry = try cursor.takeLengthDelimited(type, for: self)
            let wrapper = try index(of: entry, depth: cursor.index.depth + 1)
            return try value(type, in: .field(wrapper, 1), key: key)
        }
        return try T(from: DecoderNode(state: state, slot: slot, parent: self, key: key))
    }

    /// A dictionary from map entries (see `EncoderNode.putMap`).
    private func map<M: DecodableMap, T>(_ mapType: M.Type, as type: T.Type, in slot: DecodingSlot, key: (any CodingKey)?) throws -> T {
        let owner = DecoderNode(state: state, slot: slot, parent: self, key: key)
        let reader = MapReader(node: owner, cursor: try owner.repeatedCursor(in: slot), type: type)
        guard let result = try M.decodeMap(reader) as? T else {
            throw corrupted("internal: \(M.self) is not \(T.self)", key: key)
        }
        return result
    }
}

/// Hands a Dictionary its entries: each a message with the key in field 1, the value in field 2.
final class MapReader {
    private let node: DecoderNode
    private let cursor: ElementCursor
    /// The dictionary type, for error messages.
    private let type: Any.Type

    init(node: DecoderNode, cursor: ElementCursor, type: Any.Type) {
        self.node = node
        self.cursor = cursor
        self.type = type
    }

    /// The next entry, or nil after the last.
    func nextEntry() throws -> MapEntry? {
        guard !cursor.isAtEnd else { return nil }
        let key = BinaryCodingKey.index(cursor.count)
        let entry = try cursor.takeLengthDelimited(type, for: node)
        let index = try node.index(of: entry, depth: cursor.index.depth + 1)
        return MapEntry(node: DecoderNode(state: node.state, slot: .root(index), parent: node, key: key), index: index)
    }
}

/// One map entry being decoded.
struct MapEntry {
    let node: DecoderNode
    let index: MessageIndex

    /// Decodes the key (field 1) or the value (field 2).
    func decode<T: Decodable>(_ type: T.Type, field: UInt32) throws -> T {
        try node.value(type, in: .field(index, field), key: BinaryCodingKey(intValue: Int(field)))
    }
}
