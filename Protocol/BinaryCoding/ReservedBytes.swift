/// The bytes a ``BinaryWriter`` writes, stored through a pointer into memory reserved for each
/// write instead of appended to a `[UInt8]` one at a time.
///
/// Why: every `Array.append` checks that the buffer is uniquely referenced and has room, and
/// stores the new count: ~15 instructions a byte under callgrind, ~140 000 a page of 50
/// customers. Here a write first reserves an upper bound of what it may write (a tag is at most
/// 5 bytes, a varint at most 10), then stores through the pointer the reservation lends it with
/// no check per byte, and moves `count` once.
///
/// Memory-safe by construction: `storage` holds the bytes written and then the reserved room,
/// every byte of it initialized (zeros, or stale bytes of a moved message), so a pointer into it
/// never reaches past initialized memory; ``write(atMost:_:)`` is the only way to get one, and
/// lends `limit` bytes past `count`, which it has made sure `storage` holds. A reservation's
/// size comes from a value in memory (a text's count plus 15 at most), so it cannot overflow.
struct ReservedBytes {
    /// `count` bytes written, then reserved room: zeros, or stale bytes of a moved message.
    private var storage: [UInt8]
    /// How many bytes are written.
    private(set) var count: Int

    /// `bytes` already written, and room for `capacity` more.
    init(_ bytes: [UInt8] = [], reserving capacity: Int) {
        storage = bytes
        count = bytes.count
        reserve(max(capacity, 0))
    }

    /// The bytes written, leaving this empty: no copy, the room past them is cut off in place
    /// (the allocation keeps its capacity).
    mutating func take() -> [UInt8] {
        storage.removeSubrange(count...)
        let bytes = storage
        storage = []
        count = 0
        return bytes
    }

    /// Makes sure `size` bytes past `count` exist.
    @inline(__always) mutating func reserve(_ size: Int) {
        if storage.count - count < size { grow(size) }
    }

    /// Room for `size` bytes past `count`: the allocation doubles when it is short (a page's or a
    /// card's first estimate mostly suffices), and zeros make the room initialized memory, as much
    /// as asked and at most 4 KiB more of the allocation: not all of it, as a buffer the `Codable`
    /// path hands over again and again (see `EncoderNode.putDirect`) would be zeroed each time.
    @inline(never) private mutating func grow(_ size: Int) {
        let needed = count + size
        if storage.capacity < needed {
            storage.reserveCapacity(max(needed, storage.capacity * 2, 64))
        }
        let extra = min(storage.capacity - needed, 4096)
        storage.append(contentsOf: [UInt8](repeating: 0, count: needed - storage.count + extra))
    }

    /// Lends `body` a pointer to `limit` bytes at the end of what is written; `body` writes at
    /// most that many from its start and returns how many it wrote, which are then counted.
    @inline(__always)
    mutating func write(atMost limit: Int, _ body: (UnsafeMutablePointer<UInt8>) -> Int) {
        reserve(limit)
        let start = count
        let written = storage.withUnsafeMutableBufferPointer { buffer -> Int in
            guard let base = buffer.baseAddress else { return 0 }
            return body(base + start)
        }
        assert(written >= 0 && written <= limit, "a reserved write wrote \(written) of \(limit) bytes")
        count = start + written
    }

    /// Writes `value` as a minimal varint at `offset`, over `width` bytes written there
    /// (a placeholder), moving everything after them when the varint takes another size.
    mutating func replace(width: Int, at offset: Int, withVarint value: UInt64) {
        let size = Varint.size(of: value)
        let distance = size - width
        if distance > 0 { reserve(distance) }
        let end = count
        storage.withUnsafeMutableBufferPointer { buffer in
            guard let base = buffer.baseAddress else { return }
            let tail = end - offset - width
            if distance != 0 {
                // One memmove; the bytes it leaves behind past the new end are reserved room.
                (base + offset + size).update(from: base + offset + width, count: tail)
            }
            var at = base + offset
            WireCursor.putVarint(value, at: &at)
        }
        count = end + distance
    }
}

/// Stores the pieces of fields through a pointer into reserved memory, advancing it; the caller
/// reserved what each may write (a tag at most 5 bytes, a varint at most 10).
enum WireCursor {
    /// The most bytes a tag takes: a field number below 2^29 and three bits of wire type.
    static let maxTagBytes = 5

    @inline(__always)
    static func putTag(_ number: UInt32, _ wireType: WireType, at pointer: inout UnsafeMutablePointer<UInt8>) {
        putVarint(UInt64(number) << 3 | UInt64(wireType.rawValue), at: &pointer)
    }

    @inline(__always)
    static func putVarint(_ value: UInt64, at pointer: inout UnsafeMutablePointer<UInt8>) {
        var rest = value
        while rest >= 0x80 {
            pointer.pointee = UInt8(truncatingIfNeeded: rest) | 0x80
            pointer += 1
            rest >>= 7
        }
        pointer.pointee = UInt8(truncatingIfNeeded: rest)
        pointer += 1
    }

    /// 8 bytes, little-endian.
    @inline(__always)
    static func putFixed64(_ bits: UInt64, at pointer: inout UnsafeMutablePointer<UInt8>) {
        UnsafeMutableRawPointer(pointer).storeBytes(of: bits.littleEndian, as: UInt64.self)
        pointer += 8
    }

    @inline(__always)
    static func putBytes(_ bytes: UnsafeRawBufferPointer, at pointer: inout UnsafeMutablePointer<UInt8>) {
        guard let source = bytes.baseAddress, !bytes.isEmpty else { return }
        UnsafeMutableRawPointer(pointer).copyMemory(from: source, byteCount: bytes.count)
        pointer += bytes.count
    }
}
