/// The bytes of one encoding in progress, shared by the nodes that write straight into it.
final class EncodingBuffer {
    var bytes: [UInt8] = []
    /// The level of the only node that may write now: a value's encoder is active while its
    /// `encode(to:)` runs, and its parent writes again only after it returned.
    var activeLevel = 0

    init(capacity: Int) {
        bytes.reserveCapacity(capacity)
    }

    /// Appends the tag of field `number` with `wireType`.
    @inline(__always)
    func appendTag(_ number: UInt32, _ wireType: WireType) {
        FieldNumber.appendTag(number, wireType, to: &bytes)
    }

    /// Appends a scalar payload: a varint, or 8 or 4 little-endian bytes.
    @inline(__always)
    func appendPayload(_ bits: UInt64, _ wireType: WireType) {
        switch wireType {
        case .varint:
            Varint.append(bits, to: &bytes)
        case .fixed64:
            withUnsafeBytes(of: bits.littleEndian) { bytes.append(contentsOf: $0) }
        case .fixed32:
            withUnsafeBytes(of: UInt32(truncatingIfNeeded: bits).littleEndian) { bytes.append(contentsOf: $0) }
        case .lengthDelimited:
            break  // not a scalar wire type; WireScalar types never declare it
        }
    }

    /// Reserves one byte for a length that is known only after the content is written, and
    /// returns its offset for `endLength(at:)`.
    @inline(__always)
    func beginLength() -> Int {
        bytes.append(0)
        return bytes.count - 1
    }

    /// Writes the length of everything after the placeholder at `start`. Most messages are under
    /// 128 bytes, so the single reserved byte fits; longer content is shifted right to make room
    /// for the longer varint, so every length on the wire is a minimal varint.
    func endLength(at start: Int) {
        let length = UInt64(bytes.count - start - 1)
        if length < 0x80 {
            bytes[start] = UInt8(truncatingIfNeeded: length)
            return
        }
        let size = Varint.size(of: length)
        bytes.insert(contentsOf: repeatElement(0, count: size - 1), at: start + 1)
        var rest = length
        for index in start..<(start + size - 1) {
            bytes[index] = UInt8(truncatingIfNeeded: rest) | 0x80
            rest >>= 7
        }
        bytes[start + size - 1] = UInt8(truncatingIfNeeded: rest)
    }

    /// Puts the map entries that start at `starts` (and run to the end) in byte order, so a
    /// dictionary encodes the same bytes in every process (Swift seeds hashing per process).
    func sortEntries(starts: [Int]) {
        guard starts.count > 1, let first = starts.first else { return }
        let original = Array(bytes[first...])
        var ranges: [Range<Int>] = []
        ranges.reserveCapacity(starts.count)
        for (position, start) in starts.enumerated() {
            let end = position + 1 < starts.count ? starts[position + 1] : bytes.count
            ranges.append((start - first)..<(end - first))
        }
        ranges.sort { original[$0].lexicographicallyPrecedes(original[$1]) }
        bytes.removeSubrange(first...)
        for range in ranges { bytes.append(contentsOf: original[range]) }
    }
}
