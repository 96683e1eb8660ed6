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

    /// Writes any value into `slot`; `key` names it in the coding path of errors.
    /// `unwrapped` says `value` was taken out of an optional (by `encodeIfPresent`), so a nil
    /// here is the `.some(.none)` of a nested optional.
    func put<T: Encodable>(_ value: T, in slot: EncodingSlot, key: (any CodingKey)?, unwrapped: Bool = false) throws {
        if try putPrimitive(value, in: slot) { return }
        if let special = value as? any EncodingSpecial {
            if let map = special.asMap {
                try putMap(map, in: slot)
                return
            }
            if let optional = special.asOptional {
                if optional.isSomeNone || (unwrapped && optional.isNone) {
                    throw EncodingError.invalidValue(value, EncodingError.Context(
                        codingPath: codingPath + (key.map { [$0] } ?? []),
                        debugDescription: "a nested optional holding .some(nil) cannot be encoded: absent means nil"))
                }
                if case .element = slot {
                    try putWrapped(value, in: slot)
                    return
                }
            }
        }
        try checkWritable()
        let child = EncoderNode(buffer: buffer, slot: slot, level: level + 1, parent: self, key: key, userInfo: userInfo)
        buffer.activeLevel = child.level
        defer { buffer.activeLevel = level }
        try value.encode(to: child)
        try child.finish()
    }

    /// Recognises the types with a fixed wire mapping by identity (no dynamic casts), and writes
    /// them without their own Codable (Foundation's Decimal, URL and Data conformances would
    /// write keyed or unkeyed containers). Returns false for any other type.
    @inline(__always)
    private func putPrimitive<T>(_ value: T, in slot: EncodingSlot) throws -> Bool {
        if T.self == String.self { try put(bytes: same(value, String.self), in: slot) }
        else if T.self == Int.self { try put(scalar: same(value, Int.self), in: slot) }
        else if T.self == Int64.self { try put(scalar: same(value, Int64.self), in: slot) }
        else if T.self == Int32.self { try put(scalar: same(value, Int32.self), in: slot) }
        else if T.self == Int16.self { try put(scalar: same(value, Int16.self), in: slot) }
        else if T.self == Int8.self { try put(scalar: same(value, Int8.self), in: slot) }
        else if T.self == UInt.self { try put(scalar: same(value, UInt.self), in: slot) }
        else if T.self == UInt64.self { try put(scalar: same(value, UInt64.self), in: slot) }
        else if T.self == UInt32.self { try put(scalar: same(value, UInt32.self), in: slot) }
        else if T.self == UInt16.self { try put(scalar: same(value, UInt16.self), in: slot) }
        else if T.self == UInt8.self { try put(scalar: same(value, UInt8.self), in: slot) }
        else if T.self == Bool.self { try put(scalar: same(value, Bool.self), in: slot) }
        else if T.self == Double.self { try put(scalar: same(value, Double.self), in: slot) }
        else if T.self == Float.self { try put(scalar: same(value, Float.self), in: slot) }
        else if T.self == Date.self { try put(scalar: same(value, Date.self), in: slot) }
        else if T.self == Decimal.self { try put(bytes: same(value, Decimal.self), in: slot) }
        else if T.self == UUID.self { try put(bytes: same(value, UUID.self), in: slot) }
        else if T.self == Data.self { try put(bytes: same(value, Data.self), in: slot) }
        else if T.self == URL.self { try put(bytes: same(value, URL.self), in: slot) }
        else { return false }
        return true
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

/// Returns `value` as `U`; callers have checked that `T.self == U.self`, so this is the identity
/// and costs nothing, where `as!` would go through the runtime's dynamic cast.
@inline(__always)
func same<T, U>(_ value: T, _ type: U.Type) -> U {
    unsafeBitCast(value, to: U.self)
}
