import Foundation

/// Writing values into slots. Scalars and length-delimited primitives are written here
/// directly; any other value gets a child node and its own `encode(to:)`.
extension EncoderNode {
    /// Writes a scalar (integer, Bool, Float, Double, Date) into `slot`.
    @inline(__always)
    func put<S: WireScalar>(scalar value: S, in slot: EncodingSlot) throws {
        try checkWritable()
        switch slot {
        case .root:
            buffer.appendTag(1, S.wireType)
        case .field(let number), .element(let number, packer: nil):
            buffer.appendTag(number, S.wireType)
        case .element(_, let packer?):
            packer.pack(value)
            return
        }
        buffer.appendPayload(value.wireBits, S.wireType)
    }

    /// Writes a length-delimited primitive (String, Data, UUID, URL, Decimal) into `slot`.
    @inline(__always)
    func put<B: WireBytes>(bytes value: B, in slot: EncodingSlot) throws {
        try checkWritable()
        buffer.appendTag(openField(in: slot), .lengthDelimited)
        value.appendWire(to: &buffer.bytes)
    }

    /// Writes nil into `slot`: nothing for a field (absent means nil), an empty wrapper message
    /// for an element of an array of optionals.
    func putNil(in slot: EncodingSlot) throws {
        try checkWritable()
        guard case .element = slot else { return }
        buffer.appendTag(openField(in: slot), .lengthDelimited)
        buffer.bytes.append(0)
    }

    /// The field number a length-delimited value in `slot` is written under, after ending the
    /// packed run it must not join.
    @inline(__always)
    private func openField(in slot: EncodingSlot) -> UInt32 {
        switch slot {
        case .root: return 1
        case .field(let number): return number
        case .element(let number, let packer):
            packer?.closePackedRun()
            return number
        }
    }

    /// Writes any value into `slot`; `key` names it in the coding path of errors (an
    /// autoclosure, evaluated only for a child node or an error: see `DecoderNode.value`).
    /// `unwrapped` says `value` was taken out of an optional (by `encodeIfPresent`), so a nil
    /// here is the `.some(.none)` of a nested optional.
    func put<T: Encodable>(_ value: T, in slot: EncodingSlot, key: @autoclosure () -> (any CodingKey)?, unwrapped: Bool = false) throws {
        let kind = TypeKind.of(T.self)
        switch kind {
        case .other, .textEnum:
            // A text enum writes its text through its own Codable (a single value container).
            break
        case .directMessage:
            if buffer.encoder.writesDirectly, let direct = directEncodable(T.self, kind: kind) {
                try putDirect(value, as: direct, in: slot)
                return
            }
        case .optional:
            if let optional = value as? any OptionalMarker {
                if optional.isSomeNone || (unwrapped && optional.isNone) {
                    throw EncodingError.invalidValue(value, EncodingError.Context(
                        codingPath: codingPath + (key().map { [$0] } ?? []),
                        debugDescription: "a nested optional holding .some(nil) cannot be encoded: absent means nil"))
                }
                if case .element = slot {
                    try putWrapped(value, in: slot)
                    return
                }
            }
        case .dictionary:
            if let map = value as? any EncodableMap {
                try putMap(map, in: slot)
                return
            }
        case .intEnum:
            // The raw value itself, whatever the type's own Codable would write (see `EnumNumber`).
            // A cast to the plain `RawRepresentable` (a cached conformance lookup), not to
            // `RawRepresentable<Int>`: the runtime checks a constrained existential's requirements
            // on every cast, which cost 21 000 instructions per Customer encode and decode.
            if let enumValue = value as? any RawRepresentable, let number = enumNumber(of: enumValue) {
                try put(scalar: EnumNumber(number), in: slot)
                return
            }
        default:
            try putPrimitive(value, kind, in: slot)
            return
        }
        try checkWritable()
        var child = buffer.node(slot: slot, parent: self, key: key())
        buffer.activeLevel = level + 1
        defer { buffer.activeLevel = level }
        try value.encode(to: child)
        try child.finish()
        buffer.recycle(&child)
    }

    /// A message that writes its own fields: bare at the root, else tagged and length-delimited,
    /// as `request(.keyed)` and `finish()` would frame it.
    private func putDirect<T, M: DirectEncodable>(_ value: T, as direct: M.Type, in slot: EncodingSlot) throws {
        // `M` is `T` (the table found it for `T.self`).
        let message = same(value, M.self)
        try checkWritable()
        // Before the message's bytes: ending a packed run writes into the buffer.
        let number: UInt32? = if case .root = slot { nil } else { openField(in: slot) }
        // Written apart and then appended, its length known: the writer's bytes are its own.
        var writer = BinaryWriter(capacity: 256, encoder: buffer.encoder)
        try message.encodeFields(to: &writer)
        if let number {
            buffer.appendTag(number, .lengthDelimited)
            buffer.appendVarint(UInt64(truncatingIfNeeded: writer.count))
        }
        writer.append(to: &buffer.bytes)
    }

    /// Writes the types with a fixed wire mapping without their own Codable (Foundation's
    /// Decimal, URL and Data conformances would write keyed or unkeyed containers). `kind` is
    /// `T`'s, so each `same` is the identity.
    private func putPrimitive<T>(_ value: T, _ kind: TypeKind, in slot: EncodingSlot) throws {
        switch kind {
        case .string: try put(bytes: same(value, String.self), in: slot)
        case .int: try put(scalar: same(value, Int.self), in: slot)
        case .int64: try put(scalar: same(value, Int64.self), in: slot)
        case .int32: try put(scalar: same(value, Int32.self), in: slot)
        case .int16: try put(scalar: same(value, Int16.self), in: slot)
        case .int8: try put(scalar: same(value, Int8.self), in: slot)
        case .uint: try put(scalar: same(value, UInt.self), in: slot)
        case .uint64: try put(scalar: same(value, UInt64.self), in: slot)
        case .uint32: try put(scalar: same(value, UInt32.self), in: slot)
        case .uint16: try put(scalar: same(value, UInt16.self), in: slot)
        case .uint8: try put(scalar: same(value, UInt8.self), in: slot)
        case .bool: try put(scalar: same(value, Bool.self), in: slot)
        case .double: try put(scalar: same(value, Double.self), in: slot)
        case .float: try put(scalar: same(value, Float.self), in: slot)
        case .date: try put(scalar: same(value, Date.self), in: slot)
        case .decimal: try put(bytes: same(value, Decimal.self), in: slot)
        case .uuid: try put(bytes: same(value, UUID.self), in: slot)
        case .data: try put(bytes: same(value, Data.self), in: slot)
        case .url: try put(bytes: same(value, URL.self), in: slot)
        case .optional, .dictionary, .intEnum, .textEnum, .other, .directMessage: break
        }
    }

    /// An element of an array of optionals: a wrapper message whose field 1 holds the value
    /// (absent for nil), since a repeated field cannot leave one element out.
    private func putWrapped<T: Encodable>(_ value: T, in slot: EncodingSlot) throws {
        try checkWritable()
        buffer.appendTag(openField(in: slot), .lengthDelimited)
        let start = buffer.beginLength()
        try put(value, in: .field(1), key: nil)
        buffer.endLength(at: start)
    }

    /// A dictionary as a protobuf map: one entry message per pair, key in field 1 and value in
    /// field 2, repeated under the dictionary's field; entries in byte order.
    private func putMap(_ map: any EncodableMap, in slot: EncodingSlot) throws {
        try checkWritable()
        var number = openField(in: slot)
        var wrapperStart: Int?
        if case .element = slot {
            // A map inside an array is field 1 of a wrapper message, like a nested array.
            buffer.appendTag(number, .lengthDelimited)
            wrapperStart = buffer.beginLength()
            number = 1
        }
        var starts: [Int] = []
        try map.forEachEntry { key, value in
            starts.append(buffer.bytes.count)
            buffer.appendTag(number, .lengthDelimited)
            let start = buffer.beginLength()
            try put(key, in: .field(1), key: BinaryCodingKey(intValue: 1))
            try put(value, in: .field(2), key: BinaryCodingKey(intValue: 2))
            buffer.endLength(at: start)
        }
        buffer.sortEntries(starts: starts)
        if let wrapperStart { buffer.endLength(at: wrapperStart) }
    }
}

/// The `Int` raw value of `value` (nil for another raw type).
private func enumNumber<R: RawRepresentable>(of value: R) -> Int? {
    R.RawValue.self == Int.self ? same(value.rawValue, Int.self) : nil
}

/// Returns `value` as `U`; callers have checked that `T.self == U.self` (or its `TypeKind`), so this is the identity
/// and costs nothing, where `as!` would go through the runtime's dynamic cast.
@inline(__always)
func same<T, U>(_ value: T, _ type: U.Type) -> U {
    unsafeBitCast(value, to: U.self)
}
