/// The bytes of one encoding in progress and what its nodes share: the nodes that write straight
/// into it, and the encoder's `userInfo`, kept here once rather than copied into every node.
///
/// `@exclusivity(unchecked)`: every access happens on the one thread running the encoding, and no
/// access to these properties overlaps another (each is a plain read, write or append), so the
/// runtime's exclusivity bookkeeping only cost time: `swift_beginAccess`/`swift_endAccess` and
/// their thread-local lookups were about 8% of the instructions of encoding and decoding a
/// Customer under callgrind.
final class EncodingBuffer {
    @exclusivity(unchecked) var bytes: [UInt8] = []
    /// The level of the only node that may write now: a value's encoder is active while its
    /// `encode(to:)` runs, and its parent writes again only after it returned.
    @exclusivity(unchecked) var activeLevel = 0
    /// The encoder's `userInfo` as given; converted to `[CodingUserInfoKey: Any]` (a copy) only
    /// when a value asks for it, which almost none do.
    let sendableUserInfo: [CodingUserInfoKey: any Sendable]
    private lazy var userInfoAsAny: [CodingUserInfoKey: Any] = sendableUserInfo

    /// Finished nodes for the next values (see `NodePool`).
    @exclusivity(unchecked) private var spares = NodePool<EncoderNode>()
    /// False for the buffers of nested containers and super encoders: nothing clears their pool
    /// when an encoding fails, so they keep none rather than leak a node-buffer cycle.
    private let keepsSpares: Bool

    init(capacity: Int, userInfo: [CodingUserInfoKey: any Sendable], keepsSpares: Bool) {
        bytes.reserveCapacity(capacity)
        sendableUserInfo = userInfo
        self.keepsSpares = keepsSpares
    }

    var userInfo: [CodingUserInfoKey: Any] { userInfoAsAny }

    /// A node for a value in `slot` below `parent`: a pooled one or a new one.
    func node(slot: EncodingSlot, parent: EncoderNode, key: (any CodingKey)?) -> EncoderNode {
        if let spare = spares.take() {
            spare.reuse(slot: slot, level: parent.level + 1, parent: parent, key: key)
            return spare
        }
        return EncoderNode(buffer: self, slot: slot, level: parent.level + 1, parent: parent, key: key)
    }

    /// Pools `node`, whose value has finished encoding, unless something else holds it: a kept
    /// encoder stays finished, so a late write through it throws.
    func recycle(_ node: inout EncoderNode) {
        guard keepsSpares else { return }
        spares.recycle(&node) { $0.release() }
    }

    /// Drops the pool, which would otherwise keep this buffer and its nodes alive in a cycle.
    func releaseSpares() {
        spares.removeAll()
    }

    /// Appends the tag of field `number` with `wireType`.
    @inline(__always)
    func appendTag(_ number: UInt32, _ wireType: WireType) {
        appendVarint(UInt64(number) << 3 | UInt64(wireType.rawValue))
    }

    /// Appends `value` as a varint. Most are one byte (the tags of fields 1 to 15, small
    /// numbers), appended here; under callgrind the call to `Varint.append` for every tag cost
    /// about 40 instructions, 3 000 per Customer.
    @inline(__always)
    func appendVarint(_ value: UInt64) {
        if value < 0x80 {
            bytes.append(UInt8(truncatingIfNeeded: value))
        } else {
            Varint.append(value, to: &bytes)
        }
    }

    /// Appends a scalar payload: a varint, or 8 or 4 little-endian bytes.
    @inline(__always)
    func appendPayload(_ bits: UInt64, _ wireType: WireType) {
        switch wireType {
        case .varint:
            appendVarint(bits)
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
        shiftTail(from: start + 1, by: size - 1)
        var rest = length
        for index in start..<(start + size - 1) {
            bytes[index] = UInt8(truncatingIfNeeded: rest) | 0x80
            rest >>= 7
        }
        bytes[start + size - 1] = UInt8(truncatingIfNeeded: rest)
    }

    /// Moves the bytes from `offset` to the end `distance` bytes right (the gap keeps stale bytes
    /// for the caller to overwrite): one memmove, where `insert(contentsOf:at:)` went through the
    /// generic collection path.
    func shiftTail(from offset: Int, by distance: Int) {
        let tail = bytes.count - offset
        bytes.append(contentsOf: repeatElement(0, count: distance))
        bytes.withUnsafeMutableBufferPointer { buffer in
            guard let base = buffer.baseAddress else { return }
            (base + offset + distance).update(from: base + offset, count: tail)
        }
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
