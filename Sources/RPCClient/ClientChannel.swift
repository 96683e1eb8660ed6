import BinaryCoding
import RPCCore
import RPCTransport
import Synchronization

/// A client of one server socket: concurrent `async` calls multiplexed on one connection.
///
/// The connection is opened by the first call and reopened by the first call after it was lost:
/// a call that fails because the connection dropped throws UNAVAILABLE, the next one reconnects.
/// Every error thrown is an ``RPCError``.
public final class ClientChannel: Sendable {
    public let socketPath: String
    public let configuration: ClientConfiguration
    /// Lets async calls resume on the thread that read their responses, with no hand-off to the
    /// cooperative pool: run a caller's loop in `withTaskExecutorPreference(channel.executor) { ... }`.
    /// Code run so must not block (it holds up reading of this channel): see ``ChannelExecutor``.
    public let executor = ChannelExecutor()
    private let state = Mutex(State())

    private struct State: ~Copyable {
        var connection: ClientConnection?
        /// The connection being opened, which later callers wait for.
        var opening: ConnectionOpening?
        var isClosed = false
    }

    /// Opens the byte stream a new connection runs on.
    package typealias Connector = @Sendable () throws(IOError) -> any ByteStream

    private let connect: Connector

    public init(socketPath: String, configuration: ClientConfiguration = ClientConfiguration()) {
        self.socketPath = socketPath
        self.configuration = configuration
        connect = { () throws(IOError) -> any ByteStream in try UnixSocket.connect(to: socketPath) }
    }

    /// A channel whose connections run on the streams `connect` opens (e.g. an ``InProcessStream``
    /// whose other end an in-process server serves); `name` stands for the socket path in messages.
    package init(name: String, configuration: ClientConfiguration = ClientConfiguration(), connect: @escaping Connector) {
        socketPath = name
        self.configuration = configuration
        self.connect = connect
    }

    deinit {
        state.withLock { $0.connection }?.close()
    }

    /// One request, one response.
    public func unary<Req: Encodable & Sendable, Res: Decodable & Sendable>(
        _ method: MethodDescriptor, _ request: Req, as: Res.Type = Res.self, options: CallOptions = CallOptions()
    ) async throws -> Res {
        let payload = try Self.encode(request, for: method)
        return try Self.decode(Res.self, from: try await unary(method, payload: payload, options: options), for: method)
    }

    /// One request, one response, as encoded bytes: for a client that builds messages from a
    /// reflected schema (`customerctl call`) rather than from Swift types.
    public func unary(_ method: MethodDescriptor, payload: [UInt8], options: CallOptions = CallOptions()) async throws -> [UInt8] {
        let isLone = UnaryCallCounter.begin()
        defer { UnaryCallCounter.end() }
        let timing = try CallTiming(method, options)
        var attempts = 0
        while true {
            let (connection, call) = try await startCall(method, options: options, timing: timing, attempts: &attempts,
                                                         answerAwaited: true, callerReads: isLone) { streamID, timeout, buffer in
                Self.appendCallStart(method, options: options, streamID: streamID, timeoutMicroseconds: timeout,
                                     request: payload, to: &buffer)
            }
            if isLone { connection.readOwnResponse(of: call) }
            do throws(RPCError) {
                return try await awaitResponse(call, on: connection)
            } catch {
                guard error.callWasNotStarted && attempts < Self.unsentCallAttempts else { throw error }
            }
        }
    }

    /// One request, a stream of responses: iterating the result starts the call; the consumer's
    /// pace is the stream's pace (the server waits once this client's window is full).
    public func serverStreaming<Req: Encodable & Sendable, Res: Decodable & Sendable>(
        _ method: MethodDescriptor, _ request: Req, as: Res.Type = Res.self, options: CallOptions = CallOptions()
    ) -> ServerStreamResponse<Res> {
        ServerStreamResponse(channel: self, method: method, request: Result { try Self.encode(request, for: method) }
            .mapError { $0 as? RPCError ?? RPCError(.internalError, "\($0)") }, options: options,
            decode: { bytes throws(RPCError) in try Self.decode(Res.self, from: bytes, for: method) })
    }

    /// One request, a stream of responses, as encoded bytes (see `unary(_:payload:options:)`).
    public func serverStreaming(_ method: MethodDescriptor, payload: [UInt8], options: CallOptions = CallOptions())
        -> ServerStreamResponse<[UInt8]> {
        ServerStreamResponse(channel: self, method: method, request: .success(payload), options: options,
                             decode: { bytes throws(RPCError) in bytes })
    }

    /// A stream of requests produced by `produce`, then one response. If `produce` throws, the call
    /// is cancelled (the server sees CANCELLED) and the error is rethrown as an RPCError.
    public func clientStreaming<Req: Encodable & Sendable, Res: Decodable & Sendable>(
        _ method: MethodDescriptor, as: Res.Type = Res.self, options: CallOptions = CallOptions(),
        _ produce: (ClientStreamSender<Req>) async throws -> Void
    ) async throws -> Res {
        try Self.decode(Res.self, from: try await streamRequests(method, options: options, produce), for: method)
    }

    /// A stream of requests, then one response, as encoded bytes (see `unary(_:payload:options:)`):
    /// `produce` sends messages already encoded with `ClientStreamSender.send(payload:)`.
    public func clientStreamingPayload(
        _ method: MethodDescriptor, options: CallOptions = CallOptions(),
        _ produce: (ClientStreamSender<[UInt8]>) async throws -> Void
    ) async throws -> [UInt8] {
        try await streamRequests(method, options: options, produce)
    }

    private func streamRequests<Req: Encodable & Sendable>(
        _ method: MethodDescriptor, options: CallOptions, _ produce: (ClientStreamSender<Req>) async throws -> Void
    ) async throws -> [UInt8] {
        // Not sent again when the server says it never started it: `produce` has consumed its messages.
        var attempts = 0
        let (connection, call) = try await startCall(method, options: options, timing: try CallTiming(method, options),
                                                     attempts: &attempts) { streamID, timeout, buffer in
            Self.appendCallStart(method, options: options, streamID: streamID, timeoutMicroseconds: timeout,
                                 request: nil, to: &buffer)
        }
        let sender = ClientStreamSender<Req>(method: method, call: call, connection: connection)
        do {
            try await withTaskCancellationHandler {
                try await produce(sender)
            } onCancel: {
                connection.cancel(call, with: RPCError(.cancelled, "the calling task was cancelled"))
            }
        } catch {
            let failure = error as? RPCError ?? RPCError(.cancelled, "the request stream failed: \(error)")
            connection.cancel(call, with: failure)
            throw failure
        }
        try? connection.send { FrameBuilder.append(.message, flags: .endStream, streamID: call.streamID, to: &$0) }
        return try await awaitResponse(call, on: connection)
    }

    /// Closes the connection; calls in flight end with CANCELLED, later calls throw UNAVAILABLE.
    public func close() {
        let connection = state.withLock { state in
            state.isClosed = true
            defer { state.connection = nil }
            return state.connection
        }
        connection?.close()
    }

    // MARK: Internals shared by the call kinds

    private enum ConnectionStep {
        case ready(ClientConnection)
        /// This caller opens the connection and publishes it.
        case open(ConnectionOpening)
        /// Another caller is opening it.
        case wait(ConnectionOpening)
    }

    /// The open connection, or a new one if there is none or it stopped taking calls (noticed on
    /// an idle connection just before use: see ``ClientConnection/takesNewCalls()``).
    ///
    /// Opening blocks in connect(2) and the handshake for up to the connect timeout, so it runs on
    /// a thread of its own while the task is suspended; callers arriving meanwhile wait for the
    /// same opening, and nothing holds the channel's lock while it lasts.
    func connection() async throws(RPCError) -> ClientConnection {
        switch try nextConnectionStep() {
        case .ready(let connection):
            return connection
        case .wait(let opening):
            return try await opening.outcome().get()
        case .open(let opening):
            let (path, connect, configuration, executor) = (socketPath, connect, configuration, executor)
            let outcome = await ThreadLauncher.run {
                Result { () throws(RPCError) -> ClientConnection in
                    try ClientConnection.open(path: path, connect: connect, configuration: configuration, executor: executor)
                }
            }
            return try publish(outcome, of: opening).get()
        }
    }

    /// ``connection()`` for a caller blocked on its own thread: it opens on that thread, or waits there.
    func connectionBlocking() throws(RPCError) -> ClientConnection {
        switch try nextConnectionStep() {
        case .ready(let connection):
            return connection
        case .wait(let opening):
            return try opening.outcomeBlocking().get()
        case .open(let opening):
            let outcome = Result { () throws(RPCError) -> ClientConnection in
                try ClientConnection.open(path: socketPath, connect: connect, configuration: configuration, executor: executor)
            }
            return try publish(outcome, of: opening).get()
        }
    }

    private func nextConnectionStep() throws(RPCError) -> ConnectionStep {
        try state.withLock { (state: inout State) throws(RPCError) -> ConnectionStep in
            guard !state.isClosed else { throw RPCError(.unavailable, "the channel to \(socketPath) is closed") }
            if let connection = state.connection {
                if connection.takesNewCalls() { return .ready(connection) }
            }
            if let opening = state.opening { return .wait(opening) }
            let opening = ConnectionOpening()
            state.opening = opening
            return .open(opening)
        }
    }

    /// Makes a newly opened connection the channel's (unless the channel was closed meanwhile)
    /// and tells the callers waiting for it.
    private func publish(_ outcome: ConnectionOpening.Outcome, of opening: ConnectionOpening) -> ConnectionOpening.Outcome {
        let (published, unwanted): (ConnectionOpening.Outcome, ClientConnection?) = state.withLock { state in
            if state.opening === opening { state.opening = nil }
            guard case .success(let connection) = outcome else { return (outcome, nil) }
            guard !state.isClosed else {
                return (.failure(RPCError(.unavailable, "the channel to \(socketPath) is closed")), connection)
            }
            state.connection = connection
            return (outcome, nil)
        }
        unwanted?.close()
        opening.finish(published)
        return published
    }

    /// Validates the options, waits for a call slot if the server's concurrency limit is reached,
    /// registers the call, writes its first frame(s) and arms its deadline. The timeout counts from
    /// here, so time spent waiting for a slot is part of it; the server is sent what remains.
    /// A call that provably never reached the server is started again on a new connection, up to
    /// ``unsentCallAttempts`` in all: `attempts` counts the connections the call was tried on,
    /// also by the caller's own retries of a call the server did not start (``CallNotStarted``).
    /// With `callerReads`, the caller reads the response itself (``ClientConnection/readOwnResponse(of:)``);
    /// `answerAwaited`: the caller awaits the outcome with ``awaitResponse(_:on:)`` whatever happens
    /// (``ClientCall/answerAwaited``).
    func startCall(_ method: MethodDescriptor, options: CallOptions, timing: CallTiming, attempts: inout Int,
                   answerAwaited: Bool = false, callerReads: Bool = false,
                   build: (UInt32, UInt64, inout [UInt8]) -> Void) async throws(RPCError) -> (ClientConnection, ClientCall) {
        while true {
            attempts += 1
            let connection = try await connection()
            do {
                try await connection.acquireCallSlot()
            } catch {
                throw error as? RPCError ?? RPCError(.cancelled, "\(error)", cause: error)
            }
            let timeoutMicroseconds = try timing.remainingMicroseconds(releasingSlotOf: connection)
            let start = try connection.startCall(answerAwaited: answerAwaited, callerReads: callerReads,
                                                 timing: timing) { streamID, buffer in
                build(streamID, timeoutMicroseconds, &buffer)
            }
            switch start {
            case .started(let call):
                return (connection, call)
            case .notSent(let failure):
                guard attempts < Self.unsentCallAttempts else { throw failure }
            }
        }
    }

    /// How many connections a call that was provably never sent (``ClientConnection/CallStart/notSent(_:)``),
    /// or never started by the server (``CallNotStarted``), is tried on before its failure is thrown. More than two: the connection opened for the
    /// second attempt may be lost the same way (a server restarting, idle closes on a loaded
    /// machine); a bound, because a server that drops every connection must not be retried for ever.
    static let unsentCallAttempts = 4

    /// Waits for the final response; cancelling the task sends CANCEL and throws CANCELLED.
    func awaitResponse(_ call: ClientCall, on connection: ClientConnection) async throws(RPCError) -> [UInt8] {
        let answer = await withTaskCancellationHandler {
            await call.response()
        } onCancel: {
            connection.cancel(call, with: RPCError(.cancelled, "the calling task was cancelled"))
        }
        if answer.counted { connection.resumedTaskRan() }
        guard let response = try answer.outcome.get() else {
            throw RPCError(.internalError, "the server ended the call without a response message")
        }
        return response
    }

    /// A CALL_START frame; `timeoutMicroseconds` is what remains of the call's timeout (0: none).
    static func appendCallStart(_ method: MethodDescriptor, options: CallOptions, streamID: UInt32, timeoutMicroseconds: UInt64,
                                request: [UInt8]?, to buffer: inout [UInt8]) {
        FrameBuilder.append(.callStart, flags: request == nil ? FrameFlags() : .lastMessage, streamID: streamID, to: &buffer) { payload in
            CallStartHead(timeoutMicroseconds: timeoutMicroseconds, method: method.fullName,
                          metadata: options.metadata).write(into: &payload)
            if let request { payload.append(contentsOf: request) }
        }
    }

    static func encode<T: Encodable>(_ value: T, for method: MethodDescriptor) throws(RPCError) -> [UInt8] {
        do {
            return try BinaryEncoder().encode(value)
        } catch {
            throw RPCError(.invalidArgument, "cannot encode the request message of \(method.fullName): \(error)")
        }
    }

    static func decode<T: Decodable>(_ type: T.Type, from bytes: [UInt8], for method: MethodDescriptor) throws(RPCError) -> T {
        do {
            return try BinaryDecoder().decode(type, from: bytes)
        } catch let error as DecodingError {
            throw RPCError(.internalError, "cannot decode the response message of \(method.fullName): \(error.wireDescription)")
        } catch {
            throw RPCError(.internalError, "cannot decode the response message of \(method.fullName): \(error)")
        }
    }
}
