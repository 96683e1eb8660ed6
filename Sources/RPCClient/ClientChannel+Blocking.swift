import RPCCore
import RPCTransport

/// Unary calls for callers that own their threads: the calling thread writes its request and
/// reads its own response, sleeping in poll(2) while it waits, as a thread-per-connection C client
/// does. Many threads may share one channel (they take turns reading: ClientConnection+Blocking),
/// and async calls may run on the same channel meanwhile.
///
/// Never call these from a Swift concurrency task, nor from a Dispatch queue (on Linux its
/// threads are the cooperative pool's): a pool thread asleep in poll(2) is lost to every task of
/// the process. A call from inside a task is refused with FAILED_PRECONDITION.
extension ClientChannel {
    /// One request, one response, blocking the calling thread; every error thrown is an ``RPCError``.
    /// A deadline (`options.timeout`) ends the call with DEADLINE_EXCEEDED and sends CANCEL, as
    /// for ``unary(_:_:as:options:)``; closing the channel ends it with CANCELLED.
    public func unaryBlocking<Req: Encodable & Sendable, Res: Decodable & Sendable>(
        _ method: MethodDescriptor, _ request: Req, as: Res.Type = Res.self, options: CallOptions = CallOptions()
    ) throws(RPCError) -> Res {
        let payload = try Self.encode(request, for: method)
        return try Self.decode(Res.self, from: try unaryBlocking(method, payload: payload, options: options), for: method)
    }

    /// One request, one response, as encoded bytes, blocking the calling thread.
    public func unaryBlocking(_ method: MethodDescriptor, payload: [UInt8],
                              options: CallOptions = CallOptions()) throws(RPCError) -> [UInt8] {
        guard !Self.isInsideTask else {
            throw RPCError(.failedPrecondition, "\(method.fullName) was called with unaryBlocking from a Swift concurrency task, "
                           + "whose thread it would block: call unary (async) there, or call from a thread of your own")
        }
        let timing = try CallTiming(method, options)
        var attempts = 0
        while true {
            let (connection, call) = try startCallBlocking(method, payload: payload, options: options, timing: timing,
                                                           attempts: &attempts)
            connection.waitBlocking(for: call, timing: timing)
            switch call.outcome {
            case .success(let response?):
                return response
            case .success(nil):
                throw RPCError(.internalError, "the server ended the call without a response message")
            case .failure(let error) where error.callWasNotStarted && attempts < Self.unsentCallAttempts:
                continue
            case .failure(let error):
                throw error
            case nil:
                throw RPCError(.internalError, "\(method.fullName) stopped waiting before its call ended")
            }
        }
    }

    /// Takes a connection and a call slot and writes the CALL_START, on a new connection (up to
    /// ``unsentCallAttempts`` in all, counted in `attempts`) while the call provably never reached
    /// the server (``ClientConnection/CallStart/notSent(_:)``).
    private func startCallBlocking(_ method: MethodDescriptor, payload: [UInt8], options: CallOptions,
                                   timing: CallTiming, attempts: inout Int) throws(RPCError) -> (ClientConnection, ClientCall) {
        while true {
            attempts += 1
            let connection = try connectionBlocking()
            try connection.acquireCallSlotBlocking()
            let timeoutMicroseconds = try timing.remainingMicroseconds(releasingSlotOf: connection)
            let bell = connection.takeBell()
            let start: ClientConnection.CallStart
            do {
                start = try connection.startCall(bell: bell, timing: timing) { streamID, buffer in
                    Self.appendCallStart(method, options: options, streamID: streamID, timeoutMicroseconds: timeoutMicroseconds,
                                         request: payload, to: &buffer)
                }
            } catch {
                connection.returnBell(bell)
                throw error
            }
            switch start {
            case .started(let call):
                return (connection, call)
            case .notSent(let failure):
                connection.returnBell(bell)
                guard attempts < Self.unsentCallAttempts else { throw failure }
            }
        }
    }

    /// Whether the calling code runs in a task (and so, on a thread that must not block).
    static var isInsideTask: Bool { withUnsafeCurrentTask { $0 != nil } }
}
