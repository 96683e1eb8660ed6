/// What one decoding may still take before its limits (``BinaryDecoder/maxOccurrences`` and
/// ``BinaryDecoder/maxPackedElements``), shared by every message it reads, nested ones included.
///
/// An occurrence is taken as the message's structure is read, before any value of it is decoded:
/// each costs an index entry in the generic decoder, and the value it holds may cost far more
/// memory than its bytes (a one-letter string, 3 bytes on the wire, about 60 decoded; an empty
/// nested message, 2 bytes, a whole struct), so a limit on bytes alone does not bound what a
/// message costs. A packed element costs at most 8 bytes decoded for at least 1 on the wire, so
/// it has a limit of its own, far higher, taken as each element is read.
struct DecodingBudget {
    let maxOccurrences: Int
    let maxPackedElements: Int
    /// What is left.
    var occurrences: Int
    var packedElements: Int

    init(maxOccurrences: Int, maxPackedElements: Int) {
        self.maxOccurrences = maxOccurrences
        self.maxPackedElements = maxPackedElements
        occurrences = maxOccurrences
        packedElements = maxPackedElements
    }

    init(_ decoder: BinaryDecoder) {
        self.init(maxOccurrences: decoder.maxOccurrences, maxPackedElements: decoder.maxPackedElements)
    }

    /// No limit: for a message whose occurrences were taken already, read again.
    static var unlimited: DecodingBudget { DecodingBudget(maxOccurrences: .max, maxPackedElements: .max) }

    /// Takes the occurrence of field `number` whose tag is at `offset`.
    @inline(__always)
    mutating func takeOccurrence(_ number: UInt32, at offset: Int) throws(WireFailure) {
        guard occurrences > 0 else { throw occurrencesExceeded(number, at: offset) }
        occurrences &-= 1
    }

    /// The refusal of the occurrence of field `number` at `offset`, past the limit.
    func occurrencesExceeded(_ number: UInt32, at offset: Int) -> WireFailure {
        WireFailure(message: "field \(number) at byte offset \(offset): more than \(maxOccurrences) field "
            + "occurrences in the message and the messages it nests (the limit)")
    }

    /// Takes the packed element at `offset`; its refusal reads after "field N, packed: ".
    @inline(__always)
    mutating func takePackedElement(at offset: Int) throws(WireFailure) {
        guard packedElements > 0 else {
            throw WireFailure(message: "more than \(maxPackedElements) packed elements in the message and "
                + "the messages it nests (the limit) at byte offset \(offset)")
        }
        packedElements &-= 1
    }
}
