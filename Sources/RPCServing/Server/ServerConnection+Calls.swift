import BinaryCoding
import RPCCore
import RPCTransport
import ServiceLog
import ThreadSync

/// Running calls and answering them.
extension ServerConnection {
    /// Runs interceptors and the handler on the current thread, then writes the answer (with its
    /// flush deferred, if `deferringFlush`: the caller then owes ``FrameWriter/flushDeferred()``).
    func execute(_ call: PendingCall, deferringFlush: Bool) {
        let context = call.context
        do {
            try context.checkCancellation()
            for interceptor in runtime.interceptors { try interceptor.intercept(context) }
            switch call.handler {
            case .unary(let handler):
                finish(context, status: nil, response: try handler(call.request, context),
                       deferringFlush: deferringFlush, byHandler: true)
            case .unaryLater(let handler):
                let later = LaterAnswer(context: context)
                do {
                    try handler(call.request, context, later)
                    // Its answer may come long after (a group commit's): the request is done with.
                    context.heldRequest?.giveBack()
                } catch {
                    later.withdraw()
                    throw error
                }
            case .serverStreaming(let handler):
                try handler(call.request, context)
                finish(context, status: nil, response: nil, byHandler: true)
            case .clientStreaming(let handler):
                finish(context, status: nil, response: EncodedBytes(try handler(context)), byHandler: true)
            }
        } catch {
            finish(context, status: failureStatus(error, of: context), response: nil, deferringFlush: deferringFlush,
                   byHandler: true)
        }
    }

    /// The status a handler's error answers with; an error with a cause is logged with a
    /// reference, which the caller sees in the message, within its OS user's
    /// ``ServerConfiguration/failedCallLogLimit`` (past it only counted: a caller can make every
    /// call fail once the store does, and would otherwise write a line a call).
    private func failureStatus(_ error: any Error, of context: ServerContext) -> RPCError {
        var status = RPCError.from(handlerError: error)
        if let cause = status.cause {
            // The caller quotes the reference; the operator finds the one line with the cause.
            let reference = Self.makeCorrelationID()
            status.message += " (ref \(reference))"
            if let suppressed = runtime.failedCallLog.admit(uid: context.peer.uid) {
                runtime.logger.error("call failed", LogRateLimiter.fields(
                    [("method", context.method.fullName), ("ref", reference), ("code", "\(status.code)"),
                     ("uid", "\(context.peer.uid)"), ("cause", "\(cause)")], suppressed: suppressed))
            }
        }
        return status
    }

    /// Ends a call with its ``LaterAnswer``, on whichever thread gave it: as the handler's own
    /// answer (discarded if the deadline or a CANCEL ended the call first), queued without waiting
    /// for the peer.
    func finishLater(_ context: ServerContext, _ result: Result<[UInt8], any Error>) {
        guard claimEnd(of: context, byHandler: true) else { return }
        switch result {
        case .success(let response):
            answer(context, status: nil, response: EncodedBytes(response), withoutWaiting: true)
        case .failure(let error):
            answer(context, status: failureStatus(error, of: context), response: nil, withoutWaiting: true)
        }
    }

    /// 16 hex digits, random: unique enough to find one failure among a server's log lines.
    static func makeCorrelationID() -> String {
        let digits = String(UInt64.random(in: .min ... .max), radix: 16)
        return String(repeating: "0", count: 16 - digits.count) + digits
    }

    /// Ends a call with a STATUS frame (carrying the response message when there is one); a nil
    /// `status` is OK (see ``appendStatus(streamID:_:response:to:)`` for why not an `RPCError`).
    /// Only the first ending counts: a handler's answer after the deadline answered is discarded.
    /// `byHandler`: the call's own handler answers (its answer was claimed early, see
    /// ``ServerContext/claimAnswer()``, and is still due).
    func finish(_ context: ServerContext, status: RPCError?, response: EncodedBytes?, deferringFlush: Bool = false,
                byHandler: Bool = false) {
        guard claimEnd(of: context, byHandler: byHandler) else { return }
        answer(context, status: status, response: response, deferringFlush: deferringFlush)
    }

    /// Claims the right to answer; false when the call was already answered or abandoned.
    /// `byHandler`: the handler answers or returned, done with its request, whose charge is given
    /// back here, before any answer is written (``HeldRequest``); an answer not the handler's (the
    /// deadline's) leaves it charged while the handler may still hold it.
    private func claimEnd(of context: ServerContext, byHandler: Bool = false) -> Bool {
        if byHandler { context.heldRequest?.giveBack() }
        return context.markFinished(byHandler: byHandler)
    }

    /// Writes the STATUS of a claimed call and forgets the call. It never waits for the client to
    /// read (``FrameWriter/Admission/answer``: the leader starts no call meanwhile instead, see
    /// ``waitForAnswersToBeRead()``), so the thread is free once it answered.
    /// `withoutWaiting`: written from a thread that is not the call's (``finishLater(_:_:)``, the
    /// deadline's answer on a shared thread), which must not even flush into a full socket
    /// (``FrameWriter/writeWithoutWaiting(_:)``).
    private func answer(_ context: ServerContext, status: RPCError?, response: EncodedBytes?, deferringFlush: Bool = false,
                        withoutWaiting: Bool = false) {
        var status = status
        var response = response
        // The client's max frame size counts payload bytes (PROTOCOL.md §5.1), and the response
        // travels in the STATUS frame: its payload is the status fields and the response, exactly.
        // (Before, 74 bytes were kept back for a header and a margin: a response whose frame fit
        // was refused, HARDENING.md.) The refusal itself fits any client's limit (§5.3).
        if let bytes = response {
            let payload = Self.statusFieldsSize(status) + bytes.count
            if payload > clientMaxFrameSize {
                status = RPCError(.resourceExhausted, "the response of \(bytes.count) bytes exceeds the client's frame limit of "
                                  + "\(clientMaxFrameSize) bytes (its STATUS payload would be \(payload) bytes)")
                response = nil
            }
        }
        runtime.callEnded(context, status?.code ?? .ok)
        writeStatus(streamID: context.streamID, status, response: response, admission: .answer,
                    deferringFlush: deferringFlush, withoutWaiting: withoutWaiting)
        let (drained, tearDown) = calls.withLock { table in
            table.active[context.streamID] = nil
            let tearDown = table.tearDownDue && !table.active.values.contains { $0.isFinished }
            if tearDown { table.tearDownDue = false }
            return (table.draining && table.active.isEmpty, tearDown)
        }
        if drained { stopReading() }
        // The connection's threads have all left (see `tearDown`): this was the answer it waited for.
        if tearDown { finishTearDown() }
    }

    /// Records the end of a call the client gave up on: nothing is sent back.
    func endWithoutAnswer(_ context: ServerContext, code: StatusCode) {
        if context.markFinished() { runtime.callEnded(context, code) }
        if calls.withLock({ $0.draining && $0.active.isEmpty }) { stopReading() }
    }

    /// Answers a call that was never started (unknown method, limits, malformed CALL_START).
    func reject(streamID: UInt32, _ error: RPCError) {
        runtime.statistics.callEnded(error.code)
        writeStatus(streamID: streamID, error, response: nil, admission: .bounded)
    }

    /// Writes the same STATUS for each of `streamIDs` in one `.immediate` write (calls the server
    /// ended itself, at the end of a shutdown's grace period); a failure means the client is gone.
    func writeStatuses(of streamIDs: [UInt32], _ status: RPCError) {
        do {
            try writer.write(.immediate) { buffer in
                for streamID in streamIDs {
                    FrameBuilder.append(.status, streamID: streamID, to: &buffer) {
                        CallStatus(error: status).write(into: &$0)
                    }
                }
            }
        } catch {
            // The client is gone or the socket was cut: nobody is left to tell.
        }
    }

    private func writeStatus(streamID: UInt32, _ status: RPCError?, response: EncodedBytes?, admission: FrameWriter.Admission,
                             deferringFlush: Bool = false, withoutWaiting: Bool = false) {
        do {
            if withoutWaiting {
                try writer.writeWithoutWaiting { Self.appendStatus(streamID: streamID, status, response: response, to: &$0) }
            } else {
                try writer.write(admission, deferringFlush: deferringFlush) {
                    Self.appendStatus(streamID: streamID, status, response: response, to: &$0)
                }
            }
        } catch {
            // The client is gone; the leader's next read sees the end of the connection.
        }
    }

    /// The bytes of a STATUS payload before its response: OK's four, or what `status` writes.
    private static func statusFieldsSize(_ status: RPCError?) -> Int {
        guard let status else { return CallStatus.okPayload.count }
        var fields: [UInt8] = []
        CallStatus(error: status).write(into: &fields)
        return fields.count
    }

    /// One STATUS frame, carrying the response message when there is one; nil is OK.
    ///
    /// Why OK is nil and not `CallStatus.ok.error`: every answered call copied that `RPCError`
    /// (message, details, trailers, cause) into and out of the answer path and wrote it field by
    /// field, ~500 instructions of a get (callgrind, docs/performance/HISTORY.md "call16"); OK's payload
    /// is the same four bytes every time (``CallStatus/okPayload``).
    @inline(__always)
    private static func appendStatus(streamID: UInt32, _ status: RPCError?, response: EncodedBytes?, to buffer: inout [UInt8]) {
        FrameBuilder.append(.status, flags: response == nil ? FrameFlags() : .hasMessage, streamID: streamID, to: &buffer) {
            if let status {
                CallStatus(error: status).write(into: &$0)
            } else {
                $0.append(contentsOf: CallStatus.okPayload)
            }
            response?.append(to: &$0)
        }
    }

    /// The action of the connection's deadline entry (``CallTable/deadlineWatch``), made only when
    /// the entry moves. It holds the connection: `finishTearDown` takes the entry out, and an entry
    /// that fires finds the table empty and is dropped. Not weak: a weak reference gives the
    /// connection a side table, and every retain and release of it then takes the runtime's slow
    /// path (~3 000 instructions a lone caller's get, callgrind, docs/performance/HISTORY.md "deadline33").
    var deadlineAction: @Sendable () -> Void {
        { [self] in endCallsPastDeadline() }
    }

    /// On the scheduler's thread, when the connection's deadline entry is due: each call whose
    /// deadline passed is cancelled and answered DEADLINE_EXCEEDED now, even if its handler still
    /// runs; the entry moves to the earliest deadline left. A call that ended meanwhile (its
    /// handler's answer claimed, not yet out of the table) is passed over by ``claimEnd(of:byHandler:)``.
    func endCallsPastDeadline() {
        let due: [ServerContext] = calls.withLock { table in
            table.deadlineWatch.takeCallsPastDeadline(of: table.active.values, deadline: { $0.deadlineNanoseconds }) { deadlineAction }
        }
        for context in due { endAtDeadline(context) }
    }

    private func endAtDeadline(_ context: ServerContext) {
        // Claim the answer before cancelling, so the handler's reaction cannot answer first.
        guard claimEnd(of: context) else { return }
        let error = RPCError(.deadlineExceeded, "the deadline of \(context.method.fullName) passed")
        context.cancel(error)
        // Off the scheduler thread, and never waiting for a client that does not read: what its
        // socket does not take at once goes out from a thread of the connection's own. Before,
        // the write could wait on one of the shared queue's 4 threads up to the idle timeout,
        // and 4 such clients delayed every other connection's deadline (HARDENING.md).
        BlockingWorkQueue.shared.run { self.answer(context, status: error, response: nil, withoutWaiting: true) }
    }

    // MARK: Streams

    /// Sends one server-stream message once flow control allows it.
    func sendStreamMessage(_ bytes: [UInt8], context: ServerContext, justBeforeWriting: () throws -> Void) throws {
        guard let stream = context.stream else { throw RPCError(.internalError, "not a streaming call") }
        let cost = FrameHeader.cost(ofPayload: bytes.count)
        // The client's max frame size counts payload bytes (PROTOCOL.md §5.1), not the header.
        guard bytes.count <= clientMaxFrameSize else {
            throw RPCError(.resourceExhausted,
                           "a stream message of \(bytes.count) bytes exceeds the client's frame limit of \(clientMaxFrameSize) bytes")
        }
        try stream.spendCredit(cost, context: context)
        // Checked here whether or not the credit had to be waited for: a sender held up between its
        // first check and this point (a busy machine) may find the credit the client gave after a
        // change it was acknowledged, and the message must not pass on the check made before.
        try justBeforeWriting()
        do {
            let end = try writer.writeStreamFrame(after: stream.queuedEnd, streamLimit: runtime.configuration.maxQueuedBytesPerStream,
                                                  abandon: { context.isCancelled }) { buffer in
                FrameBuilder.append(.message, flags: .hasMessage, streamID: context.streamID, to: &buffer) {
                    $0.append(contentsOf: bytes)
                }
            }
            guard let end else { return try context.checkCancellation() }
            stream.queuedEnd = end
        } catch {
            context.cancel(RPCError(.cancelled, "the connection closed"))
            try context.checkCancellation()
        }
    }

    /// The next client-stream message (nil at its end), returning flow-control credit when due.
    func receiveStreamMessage(context: ServerContext) throws -> [UInt8]? {
        guard let stream = context.stream else { throw RPCError(.internalError, "not a streaming call") }
        let (message, credit) = try stream.nextMessage(context: context, timeout: runtime.configuration.clientStreamMessageTimeout)
        if credit > 0 {
            try? writer.write { WindowUpdate.append(streamID: context.streamID, increment: UInt32(credit), to: &$0) }
        }
        return message
    }
}
