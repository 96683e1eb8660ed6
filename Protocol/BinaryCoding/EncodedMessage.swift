/// The encoded bytes of one `Message`, written field by field by a ``BinaryWriter`` from
/// something other than a `Message` value (see ``BinaryEncoder/encodeFields(of:_:)``).
///
/// For an answer whose parts are borrowed only while they are written: a page of customers read
/// row by row from the database is written as each row is read, and no `Message` value (an array
/// of customers built and then released) exists in between. The type parameter keeps the bytes
/// tied to the message they claim to be, for a method declared to answer that message.
public struct EncodedMessage<Message>: Sendable {
    public let bytes: [UInt8]

    init(bytes: [UInt8]) {
        self.bytes = bytes
    }
}

extension BinaryEncoder {
    /// A `Message`'s fields written by `body`, which must write exactly what the message's own
    /// `encode(to:)` would for the value it stands for (tests compare the two).
    public func encodeFields<Message>(of type: Message.Type, capacity: Int = 512,
                                      _ body: (inout BinaryWriter) throws -> Void) throws -> EncodedMessage<Message> {
        var writer = BinaryWriter(capacity: capacity, encoder: self)
        try body(&writer)
        return EncodedMessage(bytes: writer.bytes)
    }
}
