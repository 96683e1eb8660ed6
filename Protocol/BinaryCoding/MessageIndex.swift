/// One occurrence of a field in a message, found by `MessageIndex.scan`.
struct FieldEntry {
    var number: UInt32
    var wireType: WireType
    /// The varint's value or the fixed64/fixed32 bits; for a length-delimited field, its length.
    var value: UInt64
    /// Byte offset of the value in the input (of the content, after the length, when
    /// length-delimited).
    var offset: Int

    /// The end of a length-delimited value's content.
    var end: Int { offset + Int(truncatingIfNeeded: value) }
}

/// The fields of one message, in the order they appear: built once per message so each keyed
/// lookup is a scan of a small array instead of a re-parse. Unknown fields are indexed like any
/// other and simply never looked up, which is how they are skipped.
struct MessageIndex {
    var entries: [FieldEntry] = []
    /// Nesting depth: 0 for the top-level message.
    let depth: Int

    init(depth: Int) {
        self.depth = depth
    }

    /// The last occurrence of field `number` (protobuf: the last value of a scalar wins).
    @inline(__always)
    func last(_ number: UInt32) -> FieldEntry? {
        var position = entries.count
        while position > 0 {
            position -= 1
            if entries[position].number == number { return entries[position] }
        }
        return nil
    }

    func contains(_ number: UInt32) -> Bool {
        entries.contains { $0.number == number }
    }

    /// Indexes the fields in `start..<end` of `buffer`, appending to `entries`, each taken from
    /// `budget` before it is (so an index never outgrows the limit). Every length is checked
    /// against the bytes that remain before anything relies on it.
    mutating func scan(
        _ buffer: UnsafeRawBufferPointer, from start: Int, to end: Int, budget: inout DecodingBudget
    ) throws(WireFailure) {
        entries.reserveCapacity(entries.count + Swift.min((end - start + 1) / 2, 32))
        var position = start
        while position < end {
            let tagOffset = position
            let entry = try Self.field(buffer, &position, end)
            try budget.takeOccurrence(entry.number, at: tagOffset)
            entries.append(entry)
        }
    }

    /// Reads the field (tag and value) at `position`, which must end before `end`, and moves
    /// `position` past it: the one reading of a field's structure, shared by `scan` and
    /// `BinaryReader`, so both refuse the same input with the same message.
    @inline(__always)
    static func field(_ buffer: UnsafeRawBufferPointer, _ position: inout Int, _ end: Int) throws(WireFailure) -> FieldEntry {
        let tagOffset = position
        let tag = try varint(buffer, &position, end)
        let number = tag >> 3
        guard number >= UInt64(FieldNumber.min), number <= UInt64(FieldNumber.max) else {
            throw WireFailure(message: "invalid field number \(number) in the tag at byte offset \(tagOffset)")
        }
        let entryNumber = UInt32(truncatingIfNeeded: number)
        let valueOffset = position
        // A value that cannot be read names its field, as every other refusal of the decoder does
        // (PROTOCOL.md 10.1): the tag was read, so the field is known (redteam32: an 11-byte varint
        // in a repeated field's second entry was refused without saying which field).
        do throws(WireFailure) {
            switch tag & 7 {
            case 0:
                let value = try varint(buffer, &position, end)
                return FieldEntry(number: entryNumber, wireType: .varint, value: value, offset: valueOffset)
            case 1:
                let bits = try fixed(buffer, &position, end, size: 8)
                return FieldEntry(number: entryNumber, wireType: .fixed64, value: bits, offset: valueOffset)
            case 5:
                let bits = try fixed(buffer, &position, end, size: 4)
                return FieldEntry(number: entryNumber, wireType: .fixed32, value: bits, offset: valueOffset)
            case 2:
                let length = try varint(buffer, &position, end)
                guard length <= UInt64(end - position) else {
                    throw WireFailure(message: "length \(length) at byte offset \(valueOffset) "
                        + "runs past the end of its message (\(end - position) bytes remain)")
                }
                let entry = FieldEntry(
                    number: entryNumber, wireType: .lengthDelimited, value: length, offset: position)
                position += Int(length)
                return entry
            case 3, 4:
                throw WireFailure(message: "wire type \(tag & 7) (group) at byte offset \(tagOffset) is not supported")
            default:
                throw WireFailure(message: "invalid wire type \(tag & 7) at byte offset \(tagOffset)")
            }
        } catch {
            // Every refusal above, the wire types' too, gets its field's number here, once.
            throw WireFailure(message: "field \(number): \(error.message)")
        }
    }

    /// Reads a varint that must end before `end`. One-byte varints (tags of fields 1 to 15,
    /// short lengths, small values) are read here; `Varint.read`, a call, reads the rest.
    @inline(__always)
    static func varint(_ buffer: UnsafeRawBufferPointer, _ position: inout Int, _ end: Int) throws(WireFailure) -> UInt64 {
        if position < end, position < buffer.count {
            let first = buffer[position]
            if first < 0x80 {
                position += 1
                return UInt64(first)
            }
        }
        do {
            return try Varint.read(from: buffer, at: &position, limit: end)
        } catch {
            switch error {
            case .truncated(let offset):
                throw WireFailure(message: "truncated varint at byte offset \(offset)")
            case .overflow(let offset):
                throw WireFailure(message: "varint longer than 10 bytes or over 64 bits at byte offset \(offset)")
            }
        }
    }

    /// Reads `size` (8 or 4) little-endian bytes that must end before `end`.
    @inline(__always)
    static func fixed(
        _ buffer: UnsafeRawBufferPointer, _ position: inout Int, _ end: Int, size: Int
    ) throws(WireFailure) -> UInt64 {
        guard end - position >= size else {
            throw WireFailure(message: "truncated fixed\(size * 8) at byte offset \(position): "
                + "\(size) bytes needed, \(end - position) remain")
        }
        let bits = size == 8
            ? UInt64(littleEndian: buffer.loadUnaligned(fromByteOffset: position, as: UInt64.self))
            : UInt64(UInt32(littleEndian: buffer.loadUnaligned(fromByteOffset: position, as: UInt32.self)))
        position += size
        return bits
    }

    /// Reads one scalar of wire type `wireType` from a packed run ending at `end`.
    @inline(__always)
    static func packed(
        _ buffer: UnsafeRawBufferPointer, _ position: inout Int, _ end: Int, _ wireType: WireType
    ) throws(WireFailure) -> UInt64 {
        switch wireType {
        case .varint: return try varint(buffer, &position, end)
        case .fixed64: return try fixed(buffer, &position, end, size: 8)
        case .fixed32: return try fixed(buffer, &position, end, size: 4)
        case .lengthDelimited: throw WireFailure(message: "a length-delimited value cannot be packed")
        }
    }
}
