/// The tag, varint and length writes of the `Codable` path (`EncodingBuffer`). Hand-written
/// messages (`BinaryWriter`) store the same bytes through reserved memory (`WireCursor`); the
/// encoding tests compare the two paths' bytes for every hot message.
extension Array where Element == UInt8 {
    /// Appends the tag of field `number` with `wireType`.
    @inline(__always)
    mutating func appendTag(_ number: UInt32, _ wireType: WireType) {
        appendVarint(UInt64(number) << 3 | UInt64(wireType.rawValue))
    }

    /// Appends `value` as a varint. Most are one byte (the tags of fields 1 to 15, small
    /// numbers), appended here; under callgrind the call to `Varint.append` for every tag cost
    /// about 40 instructions, 3 000 per Customer.
    @inline(__always)
    mutating func appendVarint(_ value: UInt64) {
        if value < 0x80 {
            append(UInt8(truncatingIfNeeded: value))
        } else {
            Varint.append(value, to: &self)
        }
    }

    /// Writes the length of everything after the one-byte placeholder at `start`. Most messages
    /// are under 128 bytes, so the placeholder fits; longer content is shifted right to make room
    /// for the longer varint, so every length on the wire is a minimal varint.
    mutating func patchLength(at start: Int) {
        let length = UInt64(count - start - 1)
        if length < 0x80 {
            self[start] = UInt8(truncatingIfNeeded: length)
            return
        }
        let size = Varint.size(of: length)
        shiftTail(from: start + 1, by: size - 1)
        var rest = length
        for index in start..<(start + size - 1) {
            self[index] = UInt8(truncatingIfNeeded: rest) | 0x80
            rest >>= 7
        }
        self[start + size - 1] = UInt8(truncatingIfNeeded: rest)
    }

    /// Moves the bytes from `offset` to the end `distance` bytes right (the gap keeps stale bytes
    /// for the caller to overwrite): one memmove, where `insert(contentsOf:at:)` went through the
    /// generic collection path.
    mutating func shiftTail(from offset: Int, by distance: Int) {
        let tail = count - offset
        append(contentsOf: repeatElement(0, count: distance))
        withUnsafeMutableBufferPointer { buffer in
            guard let base = buffer.baseAddress else { return }
            (base + offset + distance).update(from: base + offset, count: tail)
        }
    }
}
