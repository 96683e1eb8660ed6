/// What every node of one decoding shares.
final class DecodingState {
    /// Valid for the duration of the top-level `decode` call only.
    let buffer: UnsafeRawBufferPointer
    let maxDepth: Int
    /// The decoder's `userInfo` as given; converted to `[CodingUserInfoKey: Any]` (a copy) only
    /// when a value asks for it, which almost none do.
    private let sendableUserInfo: [CodingUserInfoKey: any Sendable]
    private lazy var userInfoAsAny: [CodingUserInfoKey: Any] = sendableUserInfo

    /// Finished nodes for the next values (see `NodePool`). `@exclusivity(unchecked)`: used by
    /// the one thread running the decoding, never in overlapping accesses, so the runtime's
    /// checks would only cost time.
    @exclusivity(unchecked) private var spares = NodePool<DecoderNode>()

    /// What the decoding may still take: one for the whole decoding, whatever node reads.
    /// `@exclusivity(unchecked)` as `spares` is.
    @exclusivity(unchecked) var budget: DecodingBudget

    init(
        buffer: UnsafeRawBufferPointer, maxDepth: Int, userInfo: [CodingUserInfoKey: any Sendable],
        budget: DecodingBudget
    ) {
        self.buffer = buffer
        self.maxDepth = maxDepth
        sendableUserInfo = userInfo
        self.budget = budget
    }

    var userInfo: [CodingUserInfoKey: Any] { userInfoAsAny }

    /// A node for a value in `slot` below `parent`: a pooled one or a new one.
    func node(slot: DecodingSlot, parent: DecoderNode, key: (any CodingKey)?, type: Any.Type) -> DecoderNode {
        if let spare = spares.take() {
            spare.reuse(slot: slot, parent: parent, key: key, type: type)
            return spare
        }
        return DecoderNode(state: self, slot: slot, parent: parent, key: key, type: type)
    }

    /// Pools `node`, whose value has been decoded, unless something else holds it.
    func recycle(_ node: inout DecoderNode) {
        spares.recycle(&node) { $0.release() }
    }

    /// Drops the pool, which would otherwise keep this state and its nodes alive in a cycle.
    func releaseSpares() {
        spares.removeAll()
    }
}

/// Where a value being decoded comes from.
enum DecodingSlot {
    /// The top-level value: a keyed value is the whole message; anything else is field 1.
    case root(MessageIndex)
    /// Field `number` of a message.
    case field(MessageIndex, UInt32)
    /// The next element of a repeated field.
    case element(ElementCursor)
}

/// The `Decoder` handed to a value's `init(from:)`: one value in one slot.
final class DecoderNode: Decoder, CodingPathNode {
    let state: DecodingState
    // Changed only when the state's pool hands the node out again; `@exclusivity(unchecked)` as
    // on `DecodingState.spares`.
    @exclusivity(unchecked) private(set) var slot: DecodingSlot
    @exclusivity(unchecked) private(set) var parent: DecoderNode?
    @exclusivity(unchecked) private(set) var key: (any CodingKey)?
    /// The type whose `init(from:)` this node was made for, when known: an array's cursor asks it
    /// (only on meeting an empty occurrence) whether its elements are packed scalars.
    @exclusivity(unchecked) private(set) var valueType: Any.Type?
    /// The storage of the last message index this node built, for the next one: a pooled node
    /// indexes the next sibling's message into it instead of allocating an array per message.
    /// (If that index is still in use, copy-on-write makes the next one fresh storage.)
    @exclusivity(unchecked) private var spareEntries: [FieldEntry] = []

    init(state: DecodingState, slot: DecodingSlot, parent: DecoderNode?, key: (any CodingKey)?, type: Any.Type? = nil) {
        self.state = state
        self.slot = slot
        self.parent = parent
        self.key = key
        valueType = type
    }

    /// Makes this pooled node new again, for a value of `type` in `slot`.
    func reuse(slot: DecodingSlot, parent: DecoderNode, key: (any CodingKey)?, type: Any.Type) {
        self.slot = slot
        self.parent = parent
        self.key = key
        valueType = type
    }

    /// Lets go of what this pooled node refers to, so its parent can be pooled (uniquely held)
    /// too and no message index stays alive for it.
    func release() {
        slot = .root(MessageIndex(depth: 0))
        parent = nil
        key = nil
        valueType = nil
        fields = MessageIndex(depth: 0)
        keyedContainerMade = false
    }

    var userInfo: [CodingUserInfoKey: Any] { state.userInfo }

    /// The message of this node's keyed container. Kept here, not in the container, so that the
    /// container is a single reference: the standard library's box copies and destroys the
    /// container for every call made on it (84 times per Customer decode), and with the index as a
    /// second stored property each copy and destroy went through an outlined value witness: one
    /// reference took a Customer decode from 57 500 to 55 800 instructions under callgrind.
    @exclusivity(unchecked) private(set) var fields = MessageIndex(depth: 0)
    /// Whether `fields` belongs to a keyed container already handed out.
    @exclusivity(unchecked) private var keyedContainerMade = false

    func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
        let index = try messageIndex(for: type)
        // Asked again (unusual): the first container keeps its message, so the new one gets a
        // node of its own, at the same place in the coding path.
        let owner = keyedContainerMade ? DecoderNode(state: state, slot: slot, parent: parent, key: key) : self
        owner.fields = index
        owner.keyedContainerMade = true
        return KeyedDecodingContainer(KeyedBinaryDecodingContainer<Key>(node: owner))
    }

    func unkeyedContainer() throws -> any UnkeyedDecodingContainer {
        UnkeyedBinaryDecodingContainer(node: self, cursor: try repeatedCursor(in: slot, of: valueType))
    }

    func singleValueContainer() throws -> any SingleValueDecodingContainer {
        SingleValueBinaryDecodingContainer(node: self)
    }

    /// The message this node's value is: the top-level one, all length-delimited occurrences of
    /// its field merged (protobuf's rule for a message field seen twice), or the next element.
    private func messageIndex(for type: Any.Type) throws -> MessageIndex {
        switch slot {
        case .root(let index):
            return index
        case .field(let parentIndex, let number):
            var merged = try nested(depth: parentIndex.depth + 1, at: nil)
            for entry in parentIndex.entries where entry.number == number {
                guard entry.wireType == .lengthDelimited else {
                    throw mismatch(type, field: number, expected: .lengthDelimited, found: entry)
                }
                try scan(&merged, entry)
            }
            guard !merged.entries.isEmpty || parentIndex.contains(number) else {
                throw notFound(number, { "no \($0) holding a message" })
            }
            spareEntries = merged.entries
            return merged
        case .element(let cursor):
            let entry = try cursor.takeLengthDelimited(type, for: self)
            return try index(of: entry, depth: cursor.index.depth + 1)
        }
    }

    /// The elements of the repeated field `slot` holds: field 1 of the top-level message, the
    /// field's occurrences, or (an array inside an array) field 1 of the next element's wrapper.
    /// `collection` is the type being decoded (an array's), when known.
    func repeatedCursor(in slot: DecodingSlot, of collection: Any.Type?) throws -> ElementCursor {
        switch slot {
        case .root(let index):
            return ElementCursor(index: index, number: 1, collection: collection)
        case .field(let index, let number):
            return ElementCursor(index: index, number: number, collection: collection)
        case .element(let cursor):
            let entry = try cursor.takeLengthDelimited([Any].self, for: self)
            return ElementCursor(index: try index(of: entry, depth: cursor.index.depth + 1), number: 1, collection: collection)
        }
    }

    /// Indexes the message in the content of `entry`.
    func index(of entry: FieldEntry, depth: Int) throws -> MessageIndex {
        var index = try nested(depth: depth, at: entry.offset)
        try scan(&index, entry)
        spareEntries = index.entries
        return index
    }

    /// An empty index at `depth`, refused beyond `maxDepth` so hostile nesting cannot exhaust
    /// the stack.
    private func nested(depth: Int, at offset: Int?) throws -> MessageIndex {
        guard depth <= state.maxDepth else {
            throw corrupted("messages nested deeper than the limit of \(state.maxDepth)"
                + (offset.map { " at byte offset \($0)" } ?? ""))
        }
        var index = MessageIndex(depth: depth)
        swap(&index.entries, &spareEntries)
        index.entries.removeAll(keepingCapacity: true)
        return index
    }

    private func scan(_ index: inout MessageIndex, _ entry: FieldEntry) throws {
        do {
            try index.scan(state.buffer, from: entry.offset, to: entry.end, budget: &state.budget)
        } catch {
            throw corrupted(error.message)
        }
    }
}
