import RPCCore
import RPCTransport

/// Sends the responses of a server-streaming call.
///
/// `send` blocks while the client's flow-control window is used up, so a slow reader slows the
/// handler down instead of filling server memory; it throws once the call is cancelled or closed.
public final class ServerStreamWriter<Message: Encodable & Sendable>: Sendable {
    private let context: ServerContext

    init(context: ServerContext) {
        self.context = context
    }

    /// Encodes and sends one message.
    public func send(_ message: Message) throws {
        try context.checkCancellation()
        let bytes = try Router.encode(message, for: context.method)
        try context.connection.sendStreamMessage(bytes, context: context)
    }
}

/// Receives the requests of a client-streaming call.
public final class ClientStreamReader<Message: Decodable & Sendable>: Sendable {
    private let context: ServerContext

    init(context: ServerContext) {
        self.context = context
    }

    /// Blocks until the next message arrives; nil once the client ended its stream.
    /// Throws when the call is cancelled or a message does not decode (`INVALID_ARGUMENT`).
    public func next() throws -> Message? {
        guard let bytes = try context.connection.receiveStreamMessage(context: context) else { return nil }
        return try Router.decode(Message.self, from: bytes, for: context.method)
    }

    /// `next()` without decoding: the next message's bytes as received, for a handler that keeps
    /// them (an import spools its stream) and decodes them later with `decode(_:)`.
    public func nextEncoded() throws -> [UInt8]? {
        try context.connection.receiveStreamMessage(context: context)
    }

    /// Decodes bytes `nextEncoded()` returned, as `next()` would have (`INVALID_ARGUMENT` when they do not decode).
    public func decode(_ bytes: [UInt8]) throws -> Message {
        try Router.decode(Message.self, from: bytes, for: context.method)
    }
}
