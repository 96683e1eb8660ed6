/// The encoded bytes of one `Message`, written field by field by a ``BinaryWriter`` from
/// something other than a `Message` value (see ``BinaryEncoder/encodeFields(of:_:)``).
///
/// For an answer whose parts are borrowed only while they are written: a page of customers read
/// row by row from the database is written as each row is read, and no `Message` value (an array
/// of customers built and then released) exists in between. The type parameter keeps the bytes
/// tied to the message they claim to be, for a method declared to answer that message.
public struct EncodedMessage<Message>: Sendable {
    /// The bytes, in the memory the writer wrote them to.
    public let encoded: EncodedBytes

    init(encoded: EncodedBytes) {
        self.encoded = encoded
    }

    /// A copy of the bytes as an array (what tests compare; an answer appends ``encoded`` instead).
    public var bytes: [UInt8] { encoded.array }
}

extension BinaryEncoder {
    /// A `Message`'s fields written by `body`, which must write exactly what the message's own
    /// `encode(to:)` would for the value it stands for (tests compare the two).
    public func encodeFields<Message>(of type: Message.Type, capacity: Int = 512,
                                      _ body: (inout BinaryWriter) throws -> Void) throws -> EncodedMessage<Message> {
        var writer = BinaryWriter(capacity: capacity, encoder: self)
        try body(&writer)
        return EncodedMessage(encoded: EncodedBytes(written: writer.out))
    }
}

/// An encoded message's bytes where its encoder left them: an array (the `Codable` path's), or the
/// memory a ``BinaryWriter`` wrote (an ``EncodedMessage``'s), which is appended to a frame as it
/// is. Before, an `EncodedMessage` copied the writer's memory into a new array and the frame copied
/// that array: ~180 instructions and an allocation a get (callgrind, docs/performance/HISTORY.md "get31").
///
/// `@unchecked Sendable`: a writer's memory (a `ManagedBuffer`, a class) is only read once it is
/// here: the writer that wrote it is gone (``BinaryEncoder/encodeFields(of:capacity:_:)`` returns
/// after its last write), and nothing here writes to it.
public struct EncodedBytes: @unchecked Sendable {
    private enum Storage {
        case array([UInt8])
        case written(ReservedBytes)
    }

    private let storage: Storage

    /// Bytes an encoder returned as an array.
    public init(_ bytes: [UInt8]) {
        storage = .array(bytes)
    }

    /// The bytes a writer wrote; it writes no more.
    init(written: ReservedBytes) {
        storage = .written(written)
    }

    /// How many bytes.
    public var count: Int {
        switch storage {
        case .array(let bytes): bytes.count
        case .written(let written): written.count
        }
    }

    /// Appends the bytes to `buffer` (one copy).
    public func append(to buffer: inout [UInt8]) {
        switch storage {
        case .array(let bytes): buffer.append(contentsOf: bytes)
        case .written(let written): written.append(to: &buffer)
        }
    }

    /// The bytes as an array: the array itself, or a copy of what the writer wrote.
    public var array: [UInt8] {
        switch storage {
        case .array(let bytes): bytes
        case .written(let written): written.bytes()
        }
    }
}
