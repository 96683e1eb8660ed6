import RPCCore
import RPCTransport

/// The responses of a server-streaming call, as an `AsyncSequence` with back-pressure.
///
/// Iterating starts the call (each iteration starts its own call). Messages are buffered up to the
/// client's stream window; the server waits beyond it, and a server that does not fails the call
/// `RESOURCE_EXHAUSTED` once the messages that came within the window were read. Ending the
/// iteration early (or cancelling the task) cancels the call on the server. Errors are ``RPCError``.
public struct ServerStreamResponse<Element: Decodable & Sendable>: AsyncSequence, Sendable {
    public typealias Failure = any Error

    let channel: ClientChannel
    let method: MethodDescriptor
    let request: Result<[UInt8], RPCError>
    let options: CallOptions
    /// How a message's bytes become an `Element`: the binary decoder, or (encoded bytes as they
    /// came) nothing at all for a client that reads them with a reflected schema.
    let decode: @Sendable ([UInt8]) throws(RPCError) -> Element

    public func makeAsyncIterator() -> AsyncIterator {
        AsyncIterator(source: self)
    }

    public struct AsyncIterator: AsyncIteratorProtocol {
        private let source: ServerStreamResponse
        private var active: ActiveStream?
        private var done = false
        /// Counted across the connections the call is tried on (see ``ClientChannel/startCall``).
        private var attempts = 0
        private var timing: CallTiming?
        private var receivedAny = false

        init(source: ServerStreamResponse) {
            self.source = source
        }

        public mutating func next() async throws -> Element? {
            guard !done else { return nil }
            do {
                while true {
                    if active == nil {
                        let timing = try self.timing ?? CallTiming(source.method, source.options)
                        self.timing = timing
                        active = try await source.start(timing: timing, attempts: &attempts)
                    }
                    guard let active else { return nil }
                    let bytes: [UInt8]?
                    do {
                        bytes = try await active.next()
                    } catch let error as RPCError where error.callWasNotStarted && !receivedAny
                                && attempts < ClientChannel.unsentCallAttempts {
                        // The server never started it (a GOAWAY raced it): no message came, none will.
                        self.active = nil
                        continue
                    }
                    guard let bytes else {
                        done = true
                        return nil
                    }
                    receivedAny = true
                    return try source.decode(bytes)
                }
            } catch {
                done = true
                active?.cancel(RPCError(.cancelled, "the stream consumer failed"))
                throw error as? RPCError ?? RPCError(.unknown, "\(error)")
            }
        }
    }

    fileprivate func start(timing: CallTiming, attempts: inout Int) async throws(RPCError) -> ActiveStream {
        let payload = try request.get()
        let (connection, call) = try await channel.startCall(method, options: options, timing: timing,
                                                             attempts: &attempts) { streamID, timeout, buffer in
            ClientChannel.appendCallStart(method, options: options, streamID: streamID, timeoutMicroseconds: timeout,
                                          request: payload, to: &buffer)
        }
        return ActiveStream(connection: connection, call: call)
    }
}

/// A started server stream; cancels the call if the iterator is dropped before the end.
private final class ActiveStream: Sendable {
    let connection: ClientConnection
    let call: ClientCall

    init(connection: ClientConnection, call: ClientCall) {
        self.connection = connection
        self.call = call
    }

    deinit {
        cancel(RPCError(.cancelled, "the stream was abandoned by its consumer"))
    }

    func cancel(_ error: RPCError) {
        connection.cancel(call, with: error)
    }

    func next() async throws -> [UInt8]? {
        let (message, credit) = try await withTaskCancellationHandler {
            try await call.nextMessage()
        } onCancel: {
            cancel(RPCError(.cancelled, "the calling task was cancelled"))
        }
        if credit > 0 {
            try? connection.send { WindowUpdate.append(streamID: call.streamID, increment: UInt32(clamping: credit), to: &$0) }
        }
        return message
    }
}
