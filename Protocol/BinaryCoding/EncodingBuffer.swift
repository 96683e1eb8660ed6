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
    /// The encoder's `userInfo`, converted to `[CodingUserInfoKey: Any]` (a copy) only when a
    /// value asks for it, which almost none do.
    private lazy var userInfoAsAny: [CodingUserInfoKey: Any] = encoder.userInfo
    /// The encoder's settings: its `userInfo`, and whether direct messages write themselves.
    let encoder: BinaryEncoder

    /// Finished nodes for the next values (see `NodePool`).
    @exclusivity(unchecked) private var spares = NodePool<EncoderNode>()
    /// False for the buffers of nested containers and super encoders: nothing clears their pool
    /// when an encoding fails, so they keep none rather than leak a node-buffer cycle.
    private let keepsSpares: Bool

    init(capacity: Int, encoder: BinaryEncoder, keepsSpares: Bool) {
        bytes.reserveCapacity(capacity)
        self.encoder = encoder
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
        bytes.appendTag(number, wireType)
    }

    @inline(__always)
    func appendVarint(_ value: UInt64) {
        bytes.appendVarint(value)
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

    /// Writes the length of everything after the placeholder at `start` (see `patchLength(at:)`).
    func endLength(at start: Int) {
        bytes.patchLength(at: start)
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
