/// Why a varint could not be read. Offsets are byte offsets into the buffer that was read.
public enum VarintError: Error, Equatable, Sendable {
    /// The buffer (or the enclosing length-delimited run) ended before the varint's last byte,
    /// the first byte whose high bit is clear.
    case truncated(offset: Int)
    /// More than 10 bytes, or a 10th byte above 1: the value does not fit in 64 bits.
    case overflow(offset: Int)
}

/// Base-128 varints (LEB128, least significant group first), as protobuf writes them.
///
/// Shared by the binary Codable format and the RPC frame headers.
public enum Varint {
    /// The most bytes a 64-bit value takes.
    public static let maxBytes = 10

    /// How many bytes `value` takes as a varint (1 to 10).
    @inlinable
    public static func size(of value: UInt64) -> Int {
        let bits = 64 - (value | 1).leadingZeroBitCount
        return (bits + 6) / 7
    }

    /// Appends `value` as a varint.
    @inlinable
    public static func append(_ value: UInt64, to bytes: inout [UInt8]) {
        var rest = value
        while rest >= 0x80 {
            bytes.append(UInt8(truncatingIfNeeded: rest) | 0x80)
            rest >>= 7
        }
        bytes.append(UInt8(truncatingIfNeeded: rest))
    }

    /// Stores `value` as a varint through `pointer` and moves it past the bytes stored; the caller
    /// has reserved `maxBytes` (``BinaryWriter``'s reserved memory, see `ReservedBytes`).
    @inline(__always)
    static func store(_ value: UInt64, at pointer: inout UnsafeMutablePointer<UInt8>) {
        var rest = value
        while rest >= 0x80 {
            pointer.pointee = UInt8(truncatingIfNeeded: rest) | 0x80
            pointer += 1
            rest >>= 7
        }
        pointer.pointee = UInt8(truncatingIfNeeded: rest)
        pointer += 1
    }

    /// Reads a varint at `offset` and moves `offset` past it; on error `offset` is unchanged.
    @inlinable
    public static func read(from buffer: UnsafeRawBufferPointer, at offset: inout Int) throws(VarintError) -> UInt64 {
        try read(from: buffer, at: &offset, limit: buffer.count)
    }

    /// Reads a varint that must end before `limit` (the end of an enclosing run).
    @inlinable
    public static func read(
        from buffer: UnsafeRawBufferPointer, at offset: inout Int, limit: Int
    ) throws(VarintError) -> UInt64 {
        let start = offset
        let end = Swift.min(limit, buffer.count)
        guard start >= 0, start < end else { throw .truncated(offset: start) }
        // One-byte values (small field numbers, lengths, counts) are by far the most common.
        let first = buffer[start]
        if first < 0x80 {
            offset = start + 1
            return UInt64(first)
        }
        var result = UInt64(first & 0x7f)
        var shift: UInt64 = 7
        var index = start + 1
        while index < end {
            let byte = buffer[index]
            // The 10th byte holds only bit 63; anything more overflows 64 bits.
            if shift == 63 && byte > 1 { throw .overflow(offset: start) }
            result |= UInt64(byte & 0x7f) << shift
            index += 1
            if byte < 0x80 {
                offset = index
                return result
            }
            shift += 7
        }
        throw .truncated(offset: start)
    }
}

/// ZigZag mapping of signed to unsigned integers, so small negative numbers make short varints
/// (protobuf's `sint64`): 0 → 0, -1 → 1, 1 → 2, -2 → 3, …
public enum ZigZag {
    /// Maps a signed value to its zigzag form.
    @inlinable
    public static func encode(_ value: Int64) -> UInt64 {
        UInt64(bitPattern: (value << 1) ^ (value >> 63))
    }

    /// Maps a zigzag value back to the signed value.
    @inlinable
    public static func decode(_ value: UInt64) -> Int64 {
        Int64(bitPattern: (value >> 1) ^ (0 &- (value & 1)))
    }
}
