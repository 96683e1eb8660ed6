/// Where an encoded value goes.
enum EncodingSlot {
    /// The top-level value: a keyed value writes its fields bare; anything else is field 1.
    case root
    /// Field `number` of the enclosing message.
    case field(UInt32)
    /// The next element of repeated field `number`; `packer` is the node whose packed run
    /// scalar elements join (nil for an element written apart, from a nested container).
    case element(UInt32, packer: EncoderNode?)
}

/// The `Encoder` handed to a value's `encode(to:)`: one value in one slot.
final class EncoderNode: Encoder, CodingPathNode {
    enum Shape { case none, keyed, unkeyed, single }

    let buffer: EncodingBuffer

    // `@exclusivity(unchecked)` on the mutable state, for the reason given on `EncodingBuffer`:
    // one thread per encoding, and no access to these overlaps another.
    // `slot`, `level`, `parent` and `key` change only when the buffer's pool hands the node out again.
    @exclusivity(unchecked) private(set) var slot: EncodingSlot
    /// Depth among the nodes sharing `buffer`; only the node at `buffer.activeLevel` writes.
    @exclusivity(unchecked) private(set) var level: Int
    @exclusivity(unchecked) private(set) var parent: EncoderNode?
    @exclusivity(unchecked) private(set) var key: (any CodingKey)?
    @exclusivity(unchecked) private(set) var shape = Shape.none
    /// The field number this node's unkeyed container repeats.
    @exclusivity(unchecked) private(set) var repeatedNumber: UInt32 = 1
    /// Elements written by this node's unkeyed container.
    @exclusivity(unchecked) var elementCount = 0
    /// Offset of the length placeholder of this node's message or wrapper, while open.
    @exclusivity(unchecked) private var regionStart: Int?
    /// Offset of the length placeholder of the open packed run of this node's repeated field.
    @exclusivity(unchecked) private var packedStart: Int?
    /// Nodes of nested containers and super encoders: they write into their own buffers at any
    /// time, and are spliced in at the recorded offset when this node finishes.
    @exclusivity(unchecked) private var deferred: [(offset: Int, node: EncoderNode)] = []
    /// A misuse noticed where the protocol gives no way to throw, thrown at the next write.
    /// (`any Error` so the check on every write is a pointer test.)
    @exclusivity(unchecked) private var misuse: (any Error)?
    @exclusivity(unchecked) private var finished = false

    init(buffer: EncodingBuffer, slot: EncodingSlot, level: Int, parent: EncoderNode?, key: (any CodingKey)?) {
        self.buffer = buffer
        self.slot = slot
        self.level = level
        self.parent = parent
        self.key = key
    }

    var userInfo: [CodingUserInfoKey: Any] { buffer.userInfo }

    /// Makes this pooled node new again, for a value in `slot`.
    func reuse(slot: EncodingSlot, level: Int, parent: EncoderNode, key: (any CodingKey)?) {
        self.slot = slot
        self.level = level
        self.parent = parent
        self.key = key
        shape = .none
        repeatedNumber = 1
        elementCount = 0
        regionStart = nil
        packedStart = nil
        deferred = []
        misuse = nil
        finished = false
    }

    /// Lets go of the nodes this pooled one refers to, so they can be pooled (uniquely held) too.
    func release() {
        slot = .root
        parent = nil
        key = nil
    }

    func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
        request(.keyed)
        return KeyedEncodingContainer(KeyedBinaryEncodingContainer<Key>(node: self))
    }

    func unkeyedContainer() -> any UnkeyedEncodingContainer {
        request(.unkeyed)
        return UnkeyedBinaryEncodingContainer(node: self)
    }

    func singleValueContainer() -> any SingleValueEncodingContainer {
        request(.single)
        return SingleValueBinaryEncodingContainer(node: self)
    }

    /// Opens what the requested container writes into. A value may ask for the same container
    /// again, but not for a different kind: that is recorded and thrown at the next write.
    private func request(_ wanted: Shape) {
        if shape == wanted { return }
        guard shape == .none else {
            misuse = misuseError("asked for a \(wanted) container after a \(shape) one")
            return
        }
        guard canWrite else {
            misuse = misuseError("asked for a container after its value finished encoding")
            return
        }
        shape = wanted
        switch (wanted, slot) {
        case (.keyed, .field(let number)), (.keyed, .element(let number, _)):
            openRegion(number)
        case (.unkeyed, .field(let number)):
            repeatedNumber = number
        case (.unkeyed, .element(let number, _)):
            // An array inside an array: the inner one is field 1 of a wrapper message.
            openRegion(number)
            repeatedNumber = 1
        case (.keyed, .root), (.unkeyed, .root), (.single, _), (.none, _):
            break
        }
    }

    private func openRegion(_ number: UInt32) {
        if case .element(_, let packer?) = slot { packer.closePackedRun() }
        buffer.appendTag(number, .lengthDelimited)
        regionStart = buffer.beginLength()
    }

    private var isRoot: Bool {
        if case .root = slot { return true }
        return false
    }

    private var canWrite: Bool { !finished && level == buffer.activeLevel }

    /// Keeps an error found where the Encoder protocol cannot throw, for the next write.
    func recordMisuse(_ error: any Error) {
        if misuse == nil { misuse = error }
    }

    /// Throws unless this node may write now.
    @inline(__always)
    func checkWritable() throws {
        if let misuse { throw misuse }
        if !canWrite { throw misuseError("a container was used after its value finished encoding") }
    }

    private func misuseError(_ what: String) -> EncodingError {
        EncodingError.invalidValue(
            String(describing: key), EncodingError.Context(codingPath: codingPath, debugDescription: "BinaryEncoder: \(what)"))
    }

    /// Appends a scalar to this node's packed run of its repeated field, opening the run.
    @inline(__always)
    func pack<S: WireScalar>(_ value: S) {
        if packedStart == nil {
            buffer.appendTag(repeatedNumber, .lengthDelimited)
            packedStart = buffer.beginLength()
        }
        buffer.appendPayload(value.wireBits, S.wireType)
    }

    /// Ends the open packed run, before an element that cannot be packed.
    @inline(__always)
    func closePackedRun() {
        if let start = packedStart {
            buffer.endLength(at: start)
            packedStart = nil
        }
    }

    /// A node for a nested container or super encoder, which may be written at any time: it gets
    /// its own buffer and is spliced in here, at the current end, when this node finishes.
    func deferredChild(slot: EncodingSlot, key: any CodingKey) -> EncoderNode {
        closePackedRun()
        let child = EncoderNode(
            buffer: EncodingBuffer(capacity: 64, encoder: buffer.encoder, keepsSpares: false),
            slot: slot, level: 0, parent: self, key: key)
        if canWrite {
            deferred.append((buffer.bytes.count, child))
        } else {
            misuse = misuseError("a nested container was made after its value finished encoding")
        }
        return child
    }

    /// Completes this node's bytes: closes its packed run, splices in deferred nodes, and
    /// patches the length of its message. A field or element whose value asked for no container
    /// at all (a struct without stored properties) is still written, as an empty message.
    func finish() throws {
        if let misuse { throw misuse }
        if shape == .none, !isRoot { request(.keyed) }
        closePackedRun()
        for (offset, child) in deferred.reversed() {
            try child.finish()
            buffer.bytes.insert(contentsOf: child.buffer.bytes, at: offset)
        }
        deferred = []
        if let start = regionStart {
            buffer.endLength(at: start)
            regionStart = nil
        }
        finished = true
    }
}
