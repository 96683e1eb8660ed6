import Foundation

/// Reading values out of slots. Scalars and length-delimited primitives are read here directly;
/// any other value gets a child node and its own `init(from:)`.
///
/// The `key` of a read is an autoclosure: it names the value only in an error or a child node,
/// and boxing the caller's generic key as `any CodingKey` for every field (then destroying it)
/// cost about 4 000 instructions per Customer decode under callgrind (61.6k -> 57.5k in all,
/// with reading the keyed primitives straight from their entry). A generic `K?` instead was
/// worse: the `Optional<K>` metadata lookup per call.
extension DecoderNode {
    /// Reads a scalar (integer, Bool, Float, Double, Date) from `slot`.
    @inline(__always)
    func scalar<S: WireScalar>(_ type: S.Type, in slot: DecodingSlot, key: @autoclosure () -> (any CodingKey)?) throws -> S {
        guard let entry = try fieldEntry(in: slot, key: key()) else {
            guard case .element(let cursor) = slot else { throw corrupted("internal: no slot", key: key()) }
            return try cursor.readScalar(type, for: self)
        }
        return try scalar(type, from: entry, key: key())
    }

    /// Reads a length-delimited primitive (String, Data, UUID, URL, Decimal) from `slot`.
    @inline(__always)
    func bytes<B: WireBytes>(_ type: B.Type, in slot: DecodingSlot, key: @autoclosure () -> (any CodingKey)?) throws -> B {
        guard let entry = try fieldEntry(in: slot, key: key()) else {
            guard case .element(let cursor) = slot else { throw corrupted("internal: no slot", key: key()) }
            return try bytes(type, from: cursor.takeLengthDelimited(type, for: self), key: key())
        }
        return try bytes(type, from: entry, key: key())
    }

    /// The last occurrence of the field `slot` names, `keyNotFound` if it is absent, or nil for
    /// an element (which the cursor reads).
    @inline(__always)
    private func fieldEntry(in slot: DecodingSlot, key: @autoclosure () -> (any CodingKey)?) throws -> FieldEntry? {
        let index: MessageIndex
        let number: UInt32
        switch slot {
        case .root(let root): (index, number) = (root, 1)
        case .field(let parent, let field): (index, number) = (parent, field)
        case .element: return nil
        }
        guard let entry = index.last(number) else { throw missingField(number, key: key()) }
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
    func scalar<S: WireScalar>(_ type: S.Type, from entry: FieldEntry, key: @autoclosure () -> (any CodingKey)?) throws -> S {
        guard entry.wireType == S.wireType else {
            throw mismatch(type, field: entry.number, expected: S.wireType, found: entry, key: key())
        }
        do {
            return try S(wireBits: entry.value)
        } catch {
            throw corrupted("field \(entry.number): \(error.message) at byte offset \(entry.offset)", key: key())
        }
    }

    @inline(__always)
    func bytes<B: WireBytes>(_ type: B.Type, from entry: FieldEntry, key: @autoclosure () -> (any CodingKey)?) throws -> B {
        guard entry.wireType == .lengthDelimited else {
            throw mismatch(type, field: entry.number, expected: .lengthDelimited, found: entry, key: key())
        }
        do {
            return try B(wireContent: UnsafeRawBufferPointer(rebasing: state.buffer[entry.offset..<entry.end]))
        } catch {
            throw corrupted("field \(entry.number): \(error.message) at byte offset \(entry.offset)", key: key())
        }
    }

    /// Reads any value from `slot`; `key` names it in the coding path. The types with a fixed
    /// wire mapping are read without their own Codable; `TypeKind` tells them, and Optional and
    /// Dictionary, apart with one cached lookup (see there for why not casts).
    func value<T: Decodable>(_ type: T.Type, in slot: DecodingSlot, key: @autoclosure () -> (any CodingKey)?) throws -> T {
        switch TypeKind.of(T.self) {
        case .string: return same(try bytes(String.self, in: slot, key: key()), T.self)
        case .int: return same(try scalar(Int.self, in: slot, key: key()), T.self)
        case .int64: return same(try scalar(Int64.self, in: slot, key: key()), T.self)
        case .int32: return same(try scalar(Int32.self, in: slot, key: key()), T.self)
        case .int16: return same(try scalar(Int16.self, in: slot, key: key()), T.self)
        case .int8: return same(try scalar(Int8.self, in: slot, key: key()), T.self)
        case .uint: return same(try scalar(UInt.self, in: slot, key: key()), T.self)
        case .uint64: return same(try scalar(UInt64.self, in: slot, key: key()), T.self)
        case .uint32: return same(try scalar(UInt32.self, in: slot, key: key()), T.self)
        case .uint16: return same(try scalar(UInt16.self, in: slot, key: key()), T.self)
        case .uint8: return same(try scalar(UInt8.self, in: slot, key: key()), T.self)
        case .bool: return same(try scalar(Bool.self, in: slot, key: key()), T.self)
        case .double: return same(try scalar(Double.self, in: slot, key: key()), T.self)
        case .float: return same(try scalar(Float.self, in: slot, key: key()), T.self)
        case .date: return same(try scalar(Date.self, in: slot, key: key()), T.self)
        case .decimal: return same(try bytes(Decimal.self, in: slot, key: key()), T.self)
        case .uuid: return same(try bytes(UUID.self, in: slot, key: key()), T.self)
        case .data: return same(try bytes(Data.self, in: slot, key: key()), T.self)
        case .url: return same(try bytes(URL.self, in: slot, key: key()), T.self)
        case .intEnum:
            // The plain `RawRepresentable`, not `RawRepresentable<Int>`: see `EncoderNode.put`.
            if let enumType = type as? any RawRepresentable.Type {
                return try enumCase(enumType, as: type, in: slot, key: key())
            }
        case .textEnum:
            // The plain `RawRepresentable`, as for `intEnum`.
            if let enumType = type as? any RawRepresentable.Type {
                return try textCase(enumType, as: type, in: slot, key: key())
            }
        case .dictionary:
            if let mapType = type as? any DecodableMap.Type {
                return try map(mapType, as: type, in: slot, key: key())
            }
        case .optional:
            if case .element(let cursor) = slot {
                // An element of an array of optionals: field 1 of a wrapper message, absent for nil.
                let entry = try cursor.takeLengthDelimited(type, for: self)
                let wrapper = try index(of: entry, depth: cursor.index.depth + 1)
                return try value(type, in: .field(wrapper, 1), key: key())
            }
        case .directMessage, .other:
            break
        }
        var child = state.node(slot: slot, parent: self, key: key(), type: T.self)
        let result = try T(from: child)
        state.recycle(&child)
        return result
    }

    /// The case of an enum from its number (see `EnumNumber`). A number the type has no case for
    /// is refused, not skipped: a Swift enum cannot hold it, and reading it as absent would turn a
    /// newer writer's value into "not given".
    private func enumCase<E: RawRepresentable, T>(
        _ enumType: E.Type, as type: T.Type, in slot: DecodingSlot, key: (any CodingKey)?
    ) throws -> T {
        let number = try scalar(EnumNumber.self, in: slot, key: key).value
        // `TypeKind` put only `Int` raw values here; the check keeps the bit cast honest.
        guard E.RawValue.self == Int.self, let value = E(rawValue: same(number, E.RawValue.self)) else {
            var fieldNumber: UInt32?
            if case .field(_, let number) = slot { fieldNumber = number }
            throw corrupted(
                unknownEnumMessage(E.self, number: number, field: fieldNumber, keyName: key?.stringValue ?? ""), key: key)
        }
        return same(value, T.self)
    }

    /// The case of an enum from its text, as its synthesized `init(from:)` would read it; a text the
    /// type has no case for is the decoder's own refusal (`UnknownEnumText`), not Swift's.
    private func textCase<E: RawRepresentable, T>(
        _ enumType: E.Type, as type: T.Type, in slot: DecodingSlot, key: (any CodingKey)?
    ) throws -> T {
        let text = try bytes(String.self, in: slot, key: key)
        // `TypeKind` put only `String` raw values here; the check keeps the bit cast honest.
        guard E.RawValue.self == String.self, let value = E(rawValue: same(text, E.RawValue.self)) else {
            throw UnknownEnumText.error(E.self, text: text, codingPath: path(key))
        }
        return same(value, T.self)
    }

    /// A dictionary from map entries (see `EncoderNode.putMap`).
    private func map<M: DecodableMap, T>(_ mapType: M.Type, as type: T.Type, in slot: DecodingSlot, key: (any CodingKey)?) throws -> T {
        let owner = DecoderNode(state: state, slot: slot, parent: self, key: key)
        let reader = MapReader(node: owner, cursor: try owner.repeatedCursor(in: slot, of: nil), type: type)
        guard let result = try M.decodeMap(reader) as? T else {
            throw corrupted("internal: \(M.self) is not \(T.self)", key: key)
        }
        return result
    }
}

/// Why an enum number is refused: "field 8 (kind): 9 is not a value of the enum Address.Kind (known:
/// 0, 1, 2, 3)"; without the field for an element of a repeated field (`field` nil). Shared by the
/// generic decoder and `BinaryReader`.
func unknownEnumMessage(_ type: Any.Type, number: Int, field: UInt32?, keyName: String) -> String {
    var known = ""
    if let cases = type as? any CaseIterable.Type {
        known = " (known: " + enumNumbers(cases).map(String.init).joined(separator: ", ") + ")"
    }
    let prefix = field.map { fieldPrefix($0, keyName: keyName) } ?? ""
    return "\(prefix)\(number) is not a value of the enum \(unqualifiedTypeName(type))\(known)"
}

/// "field 8 (kind): ", or "field 8: " for a key whose name is its number or empty.
func fieldPrefix(_ field: UInt32, keyName: String) -> String {
    fieldName(field, keyName: keyName) + ": "
}

/// "field 8 (kind)", or "field 8" for a key whose name is its number or empty: the wire's number
/// for a client in any language, the schema's name (CUSTOMER-API.md) for the person reading it.
func fieldName(_ field: UInt32, keyName: String) -> String {
    keyName.isEmpty || keyName == String(field) ? "field \(field)" : "field \(field) (\(keyName))"
}

private func enumNumbers<C: CaseIterable>(_ type: C.Type) -> [Int] {
    C.allCases.compactMap { ($0 as? any RawRepresentable<Int>)?.rawValue }
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
