/// Reads the elements of one repeated field in order: its occurrences anywhere in the message,
/// each either one element or (for numeric scalars) a packed run of elements. Both forms are
/// accepted, mixed, as protobuf requires of a reader.
final class ElementCursor {
    let index: MessageIndex
    let number: UInt32
    // `@exclusivity(unchecked)`: a cursor is used by the one thread running its decoding, and no
    // access to these overlaps another (plain reads and writes), so the runtime checks only cost.
    /// Position in `index.entries` of the next occurrence not yet read.
    @exclusivity(unchecked) private var next: Int
    /// The rest of the packed run being read.
    @exclusivity(unchecked) private var runPosition = 0
    @exclusivity(unchecked) private var runEnd = 0
    /// Elements read so far.
    @exclusivity(unchecked) private(set) var count = 0

    /// The collection type being decoded, if known; asked only when an empty occurrence comes up.
    private let collection: Any.Type?
    /// Whether an empty occurrence is an empty packed run (no element), decided on the first one.
    private lazy var emptyOccurrenceIsRun: Bool = {
        guard let repeated = collection as? any RepeatedFieldMarker.Type else { return false }
        return TypeKind.of(repeated.elementType).isPacked
    }()

    init(index: MessageIndex, number: UInt32, collection: Any.Type?) {
        self.index = index
        self.number = number
        self.collection = collection
        next = 0
        next = occurrence(from: 0)
    }

    private func occurrence(from start: Int) -> Int {
        var position = start
        while position < index.entries.count, index.entries[position].number != number { position += 1 }
        return position
    }

    private var inRun: Bool { runPosition < runEnd }

    /// Whether no element is left. An empty packed run holds no elements (ENCODING.md §5), so in an
    /// array of packed scalars the empty occurrences at the end are passed over first; elsewhere an
    /// empty occurrence is an element (an empty string, an empty message, a nil wrapper).
    var isAtEnd: Bool {
        while !inRun, next < index.entries.count {
            let entry = index.entries[next]
            guard entry.wireType == .lengthDelimited, entry.offset == entry.end, emptyOccurrenceIsRun else { return false }
            next = occurrence(from: next + 1)
        }
        return !inRun && next >= index.entries.count
    }

    /// Whether the next element is nil: an empty length-delimited occurrence (an empty wrapper).
    var nextIsNil: Bool {
        guard !inRun, next < index.entries.count else { return false }
        let entry = index.entries[next]
        return entry.wireType == .lengthDelimited && entry.value == 0
    }

    /// Reads the next scalar element, from the packed run or from the next occurrence.
    func readScalar<S: WireScalar>(_ type: S.Type, for node: DecoderNode) throws -> S {
        while !inRun {
            guard next < index.entries.count else { throw pastEnd(type, node) }
            let entry = index.entries[next]
            if entry.wireType == .lengthDelimited {
                next = occurrence(from: next + 1)
                runPosition = entry.offset
                runEnd = entry.end
                continue  // an empty run holds no elements
            }
            guard entry.wireType == S.wireType else {
                throw node.mismatch(type, field: number, expected: S.wireType, found: entry, key: elementKey(after: node))
            }
            let value = try decodeScalar(S.self, entry.value, at: entry.offset, node)
            next = occurrence(from: next + 1)
            count += 1
            return value
        }
        let offset = runPosition
        let bits: UInt64
        do {
            try node.state.budget.takePackedElement(at: offset)
            bits = try MessageIndex.packed(node.state.buffer, &runPosition, runEnd, S.wireType)
        } catch {
            throw node.corrupted("field \(number), packed: \(error.message)", key: elementKey(after: node))
        }
        let value = try decodeScalar(S.self, bits, at: offset, node)
        count += 1
        return value
    }

    private func decodeScalar<S: WireScalar>(_ type: S.Type, _ bits: UInt64, at offset: Int, _ node: DecoderNode) throws -> S {
        do {
            return try S(wireBits: bits)
        } catch {
            throw node.corrupted("field \(number): \(error.message) at byte offset \(offset)", key: elementKey(after: node))
        }
    }

    /// Takes the next element, which must be one length-delimited occurrence.
    func takeLengthDelimited(_ type: Any.Type, for node: DecoderNode) throws -> FieldEntry {
        guard !inRun else {
            throw node.corrupted("field \(number): a length-delimited element was expected where packed scalars "
                + "remain at byte offset \(runPosition)", key: elementKey(after: node))
        }
        guard next < index.entries.count else { throw pastEnd(type, node) }
        let entry = index.entries[next]
        guard entry.wireType == .lengthDelimited else {
            throw node.mismatch(type, field: number, expected: .lengthDelimited, found: entry, key: elementKey(after: node))
        }
        next = occurrence(from: next + 1)
        count += 1
        return entry
    }

    /// Passes over one element that its decoder did not read (a value that decodes from nothing),
    /// so a loop over the elements always moves on.
    func skip() {
        if inRun {
            runPosition = runEnd
        } else if next < index.entries.count {
            next = occurrence(from: next + 1)
        }
        count += 1
    }

    /// The key that names the element after `node`'s coding path: its index, unless `node` is the
    /// element's own node (a message or array element being read in its slot), whose path ends in
    /// the index already (`1[1]`, not `1[1][1]`). Asked only for an error.
    private func elementKey(after node: DecoderNode) -> BinaryCodingKey? {
        if case .element(let cursor) = node.slot, cursor === self { return nil }
        return .index(count)
    }

    private func pastEnd(_ type: Any.Type, _ node: DecoderNode) -> DecodingError {
        .valueNotFound(type, DecodingError.Context(
            codingPath: node.path(elementKey(after: node)),
            debugDescription: "field \(number): no element \(count), the repeated field has \(count)"))
    }
}
