import RPCCore
import RPCTransport
import Synchronization

/// A check a server layer runs on every message of a stream (e.g. that its caller still may make
/// the call: see `checking(_:)`), given how many messages the stream has carried so far; it throws
/// the error the call should end with.
public typealias StreamMessageCheck = @Sendable (_ messages: Int) throws -> Void

/// Sends the responses of a server-streaming call.
///
/// `send` blocks while the client's flow-control window is used up, so a slow reader slows the
/// handler down instead of filling server memory; it throws once the call is cancelled or closed.
public final class ServerStreamWriter<Message: Encodable & Sendable>: Sendable {
    private let context: ServerContext
    private let check: StreamMessageCheck?
    /// Messages sent, for `check`. Only the handler's thread sends; atomic to be `Sendable`.
    private let sent: Atomic<Int>

    init(context: ServerContext, check: StreamMessageCheck? = nil, sent: Int = 0) {
        self.context = context
        self.check = check
        self.sent = Atomic(sent)
    }

    /// This call's writer, running `check` (with the messages sent so far) before each message it
    /// sends and at each `checkNow()`: registered around a handler, so that no handler of the
    /// method can leave it out.
    public func checking(_ check: @escaping StreamMessageCheck) -> ServerStreamWriter<Message> {
        ServerStreamWriter(context: context, check: check, sent: sent.load(ordering: .relaxed))
    }

    /// Encodes and sends one message. The check runs before it and once more once the client's
    /// flow-control credit allows it, just before it is written: a change acknowledged while it
    /// waited for credit, or while its thread was held up, must not let through a message checked
    /// before it (without a change the second check is one atomic load).
    public func send(_ message: Message) throws {
        try context.checkCancellation()
        try checkNow()
        let bytes = try Router.encode(message, for: context.method)
        try context.connection.sendStreamMessage(bytes, context: context, justBeforeWriting: checkNow)
        sent.store(sent.load(ordering: .relaxed) &+ 1, ordering: .relaxed)
    }

    /// The largest encoded message the client takes in one frame: the max frame size (payload
    /// bytes) its HELLO announced, at least 16 KiB. A message over it ends the stream
    /// `RESOURCE_EXHAUSTED`, so a handler that may split its content (a file's chunks) sizes its
    /// messages to it.
    public var maxMessageBytes: Int { context.connection.clientMaxFrameSize }

    /// Runs the writer's check without sending: for a handler that may wait long between messages
    /// (a watch with nothing new), so that a call its caller may no longer make ends then.
    public func checkNow() throws {
        try check?(sent.load(ordering: .relaxed))
    }
}

/// Receives the requests of a client-streaming call.
public final class ClientStreamReader<Message: Decodable & Sendable>: Sendable {
    private let context: ServerContext
    private let check: StreamMessageCheck?
    /// Messages received, for `check`. Only the handler's thread reads; atomic to be `Sendable`.
    private let received: Atomic<Int>

    init(context: ServerContext, check: StreamMessageCheck? = nil, received: Int = 0) {
        self.context = context
        self.check = check
        self.received = Atomic(received)
    }

    /// This call's reader, running `check` (with the messages received so far) after each message
    /// it receives and at the stream's end, before handing either on: a message the check refuses
    /// is never seen by the handler.
    public func checking(_ check: @escaping StreamMessageCheck) -> ClientStreamReader<Message> {
        ClientStreamReader(context: context, check: check, received: received.load(ordering: .relaxed))
    }

    /// Blocks until the next message arrives; nil once the client ended its stream.
    /// Throws when the call is cancelled or a message does not decode (`INVALID_ARGUMENT`).
    public func next() throws -> Message? {
        guard let bytes = try nextEncoded() else { return nil }
        return try Router.decode(Message.self, from: bytes, for: context.method)
    }

    /// `next()` without decoding: the next message's bytes as received, for a handler that keeps
    /// them (an import spools its stream) and decodes them later with `decode(_:)`.
    public func nextEncoded() throws -> [UInt8]? {
        let bytes = try context.connection.receiveStreamMessage(context: context)
        if bytes != nil { received.store(received.load(ordering: .relaxed) &+ 1, ordering: .relaxed) }
        try check?(received.load(ordering: .relaxed))
        return bytes
    }

    /// Decodes bytes `nextEncoded()` returned, as `next()` would have (`INVALID_ARGUMENT` when they do not decode).
    public func decode(_ bytes: [UInt8]) throws -> Message {
        try Router.decode(Message.self, from: bytes, for: context.method)
    }
}
