/// Decodes `Decodable` values from the binary format described in Protocol/ENCODING.md.
///
/// Never traps on any input: malformed bytes throw a `DecodingError` whose context gives the
/// coding path and the byte offset of the fault. Unknown fields are skipped.
public struct BinaryDecoder: Sendable {
    /// How deeply messages may nest (each nested message, wrapper or map entry is one level).
    public var maxDepth: Int = 64

    /// How many field occurrences one decoding reads, in the message and every message nested in
    /// it (an unpacked repeated field's elements are one each, a packed run is one): past it the
    /// decoding is refused as the occurrence is indexed, before any value is decoded. No limit by
    /// default; a server sets one for the requests it decodes (see Protocol/ENCODING.md §9).
    public var maxOccurrences: Int = .max

    /// How many elements of packed runs one decoding reads, in the message and every message
    /// nested in it; past it the decoding is refused as the element is read. No limit by default.
    public var maxPackedElements: Int = .max

    /// Passed to the values being decoded as `Decoder.userInfo`.
    public var userInfo: [CodingUserInfoKey: any Sendable] = [:]

    /// Whether a ``DirectDecodable`` message reads its own fields (the default) rather than going
    /// through its `init(from:)`. Both give the same value, or the same kind of error; tests turn
    /// this off to compare them.
    public var readsDirectly = true

    /// Creates a decoder.
    public init() {}

    /// Decodes a `T` from `bytes`.
    public func decode<T: Decodable>(_ type: T.Type, from bytes: [UInt8]) throws -> T {
        try bytes.withUnsafeBytes { try decode(type, from: $0) }
    }

    /// Decodes a `T` from `bytes`.
    public func decode<T: Decodable>(_ type: T.Type, from bytes: ArraySlice<UInt8>) throws -> T {
        try bytes.withUnsafeBytes { try decode(type, from: $0) }
    }

    /// Decodes a `T` from `buffer`, which must stay valid for the duration of the call. Offsets
    /// in error messages count from the start of `buffer`.
    public func decode<T: Decodable>(_ type: T.Type, from buffer: UnsafeRawBufferPointer) throws -> T {
        if readsDirectly, BinaryReader.canRead(buffer), let direct = directDecodable(T.self) {
            return try decodeDirectly(direct, as: type, from: buffer)
        }
        let state = DecodingState(buffer: buffer, maxDepth: maxDepth, userInfo: userInfo, budget: DecodingBudget(self))
        defer { state.releaseSpares() }
        var root = MessageIndex(depth: 0)
        do {
            try root.scan(buffer, from: 0, to: buffer.count, budget: &state.budget)
        } catch {
            throw DecodingError.dataCorrupted(DecodingError.Context(codingPath: [], debugDescription: error.message))
        }
        let top = DecoderNode(state: state, slot: .root(root), parent: nil, key: nil, type: T.self)
        // A message (or any value with its own Codable) at the top: the top node is its
        // decoder, rather than the parent of one more node that would do the same.
        let kind = TypeKind.of(T.self)
        if kind == .other || kind == .directMessage { return try T(from: top) }
        return try top.value(type, in: .root(root), key: nil)
    }

    /// A ``DirectDecodable`` message: its fields read from a `BinaryReader` of the whole buffer,
    /// with the readers' tables on this stack (2 KiB in a ``BinaryReader/Tables``; each reader clears
    /// its level's counts). Not `withUnsafeTemporaryAllocation`: on Linux it puts no more than 1 KiB
    /// on the stack, and the tables went to the heap through `posix_memalign`, ~700 instructions a
    /// decode (callgrind of a get, docs/PERFORMANCE.md "get27").
    ///
    /// No closure here returns a `T`: `withUnsafeTemporaryAllocation` passes its closure's value
    /// through a `Result<T, any Error>`, whose metadata the runtime looked up for this unspecialised
    /// `T` at every decode (two of them, ~800 instructions), and `withUnsafePointer(to: self)` copied
    /// the decoder through the standard library's generic entry point (~700). The value is made in a
    /// `T`'s memory and moved out: `same(_:_:)` copied it (a retain of every string in it) and then
    /// destroyed the original, through the value witnesses of an unspecialised `T`. That memory is
    /// one heap allocation (~150 instructions): on the stack it would need a closure returning `T`.
    private func decodeDirectly<D: DirectDecodable, T>(
        _ direct: D.Type, as type: T.Type, from buffer: UnsafeRawBufferPointer
    ) throws -> T {
        var tables = BinaryReader.Tables(repeating: 0)
        var decoder = self
        var budget = DecodingBudget(self)
        // `D` is `T` (the cast above found it so).
        let result = UnsafeMutableRawPointer.allocate(
            byteCount: MemoryLayout<T>.size, alignment: MemoryLayout<T>.alignment)
        defer { result.deallocate() }
        var failure: (any Error)?
        withUnsafeMutablePointer(to: &decoder) { decoder in
            withUnsafeMutablePointer(to: &budget) { budget in
                withUnsafeMutablePointer(to: &tables) { tables in
                    let scratch = UnsafeMutableBufferPointer(
                        start: UnsafeMutableRawPointer(tables).assumingMemoryBound(to: Int32.self),
                        count: BinaryReader.Tables.count)
                    do {
                        let reader: BinaryReader
                        do throws(WireFailure) {
                            reader = try BinaryReader(
                                buffer, from: 0, to: buffer.count, depth: 0, decoder: decoder, budget: budget,
                                scratch: scratch)
                        } catch {
                            throw DecodingError.dataCorrupted(
                                DecodingError.Context(codingPath: [], debugDescription: error.message))
                        }
                        result.assumingMemoryBound(to: D.self).initialize(to: try D.decoded(fields: reader))
                    } catch {
                        failure = error
                    }
                }
            }
        }
        if let failure { throw failure }
        return result.assumingMemoryBound(to: T.self).move()
    }
}
