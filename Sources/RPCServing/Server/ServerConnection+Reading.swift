import Glibc
import RPCCore
import RPCTransport
import ServiceLog

/// The leader's side: handshake, reading, and the frames handled inline without a thread hand-off.
extension ServerConnection {
    /// Reads and handles frames until one starts a call (returned to be run) or the connection ends.
    func lead() -> LeadOutcome {
        if !handshakeDone {
            guard performHandshake() else { return .close }
            handshakeDone = true
            reader.maxFrameSize = runtime.configuration.maxFrameSize
            idleSince = .now
        }
        while true {
            do {
                while let event = try reader.next() {
                    receivedFrame = true
                    // The complete frame's charge, kept by the call whose request it carries (startCall).
                    let reserved = frameReservation
                    frameReservation = 0
                    let charge = reserved > 0 ? HeldRequest(bytes: reserved, of: inputBudget) : nil
                    if let call = try handle(event, charge: charge) { return .run(call) }
                    if answersCannotBeSent { return .close }
                }
                try reservePendingFrame()
            } catch {
                if let suppressed = runtime.violationLog.admit(uid: peer.uid) {
                    runtime.logger.warning("closing connection after a protocol violation", LogRateLimiter.fields(
                        [("peer_uid", "\(peer.uid)"), ("peer_pid", "\(peer.pid)"), ("error", error.description)], suppressed: suppressed))
                }
                let lastStarted = calls.withLock { $0.highestStarted }
                try? writer.write(.immediate, frame: GoAway(code: .internalError, message: "protocol violation: \(error)",
                                                            lastStartedStreamID: lastStarted).frame())
                return .close
            }
            if heldAnswers > 0 {
                heldAnswers = 0
                // A failed send is seen by the next read as the end of the connection.
                try? writer.flushDeferred()
                // A client that sent a batch often has its next one on the way: one recv before poll(2).
                if readIfAvailable() > 0 { continue }
            } else if readBeforePoll() {
                continue
            }
            if spinForInput() { continue }
            switch readMore(timeout: idleTimeRemaining()) {
            case .data: continue
            case .closed: return inputEnded()
            case .timedOut:
                let lastStarted: UInt32? = calls.withLock { table in
                    guard table.active.isEmpty else { return nil }
                    table.draining = true
                    return table.highestStarted
                }
                if let lastStarted {
                    // A CALL_START the client wrote meanwhile is never read: the GOAWAY's last
                    // started id tells the client so, and it sends the call again elsewhere.
                    try? writer.write(.immediate, frame: GoAway(code: .ok, message: "idle timeout",
                                                                lastStartedStreamID: lastStarted).frame())
                    return .close
                }
                idleSince = .now   // busy with calls until now
            }
        }
    }

    /// The client shut down its writing side (or closed): calls that need nothing more from it run
    /// to their STATUS, a client stream it never ended is cancelled (PROTOCOL.md section 11).
    private func inputEnded() -> LeadOutcome {
        guard !peerClosed() else { return .close }
        let active = calls.withLock { table in
            table.draining = true
            return Array(table.active.values)
        }
        var running = false
        for context in active {
            if let stream = context.stream, !stream.clientInputEnded(), context.method.kind == .clientStreaming,
               let ended = calls.withLock({ $0.active.removeValue(forKey: context.streamID) }) {
                // Claimed before the handler learns of it, so its reaction cannot send a STATUS.
                endWithoutAnswer(ended, code: .cancelled)
                ended.cancel(RPCError(.cancelled, "the client closed the connection before ending its stream"))
            } else {
                running = true
            }
        }
        return running ? .inputEnded : .close
    }

    /// Whether the client closed both directions (its process ended or it closed the socket), as
    /// opposed to `shutdown(SHUT_WR)`.
    private func peerClosed() -> Bool {
        socket.isClosedBothWays()
    }

    /// How long the leader may wait for input before the connection counts as idle. Only complete
    /// frames restart the clock, so a client trickling a frame byte by byte (slowloris) is closed
    /// like a silent one.
    private func idleTimeRemaining() -> Duration {
        let now = ContinuousClock.now
        if receivedFrame {
            receivedFrame = false
            idleSince = now
        }
        return max(now.duration(to: idleSince + runtime.configuration.idleTimeout), .zero)
    }

    enum ReadResult { case data, closed, timedOut }

    /// Checks the socket without blocking for a moment, while the server is idle (see ``IdleSpin``);
    /// true when bytes arrived. An end of stream or an error is left for ``readMore(timeout:)`` to see.
    private func spinForInput() -> Bool {
        var received = 0
        let arrived = runtime.idleSpin.spin(for: self, &spinSchedule) {
            received = readIfAvailable()
            return received != -1
        }
        return arrived && received > 0
    }

    /// On a busy connection the next request is often there by the time its leader is back: then
    /// one `recv(2)` is the whole wait, where poll(2) and read(2) are two. While such reads find
    /// nothing (a lone caller's next request is not sent yet), only every 8th wait tries one, so a
    /// quiet connection pays an eighth of a syscall per wait.
    private func readBeforePoll() -> Bool {
        if coldWaits > 0 {
            coldWaits -= 1
            return false
        }
        let received = readIfAvailable()
        if received < 0 { coldWaits = 7 }
        return received > 0
    }

    /// One `recv(2)` that does not wait: the bytes read, 0 at the end of the stream or on an error
    /// (both left for ``readMore(timeout:)`` to see), -1 when nothing is there yet.
    private func readIfAvailable() -> Int {
        do {
            return try reader.fill { buffer in try socket.readIfAvailable(into: buffer) ?? -1 }
        } catch {
            return 0
        }
    }

    /// One `read(2)` into the frame reader's free space, waiting at most `timeout` for input.
    func readMore(timeout: Duration) -> ReadResult {
        do {
            let count = try reader.fill { buffer in try socket.read(into: buffer, timeout: timeout) }
            return count == 0 ? .closed : .data
        } catch let error as IOError where error.errno == EAGAIN || error.errno == EWOULDBLOCK {
            return .timedOut
        } catch {
            return .closed
        }
    }

    /// Reads the magic and the client's HELLO within the handshake timeout, answers with ours.
    private func performHandshake() -> Bool {
        let configuration = runtime.configuration
        func refuse(_ code: StatusCode, _ message: String) -> Bool {
            if let suppressed = runtime.violationLog.admit(uid: peer.uid) {
                runtime.logger.info("refusing connection", LogRateLimiter.fields(
                    [("peer_uid", "\(peer.uid)"), ("peer_pid", "\(peer.pid)"), ("reason", message)], suppressed: suppressed))
            }
            try? writer.write(.immediate, frame: GoAway(code: code, message: message).frame())
            return false
        }
        let handshakeDeadline = ContinuousClock.now + configuration.handshakeTimeout
        var magicChecked = false
        while true {
            if !magicChecked, let magic = reader.take(Handshake.magic.count) {
                guard magic == Handshake.magic else {
                    return refuse(.unimplemented, "not a CustomerCard RPC client: the connection must start with \"CCRP\"")
                }
                magicChecked = true
            }
            if magicChecked {
                let event: FrameReader.Event?
                do { event = try reader.next() } catch { return refuse(.internalError, "protocol violation: \(error)") }
                if case .oversized(let header) = event, header.type == .hello {
                    return refuse(.internalError, "protocol violation: a HELLO of \(header.payloadLength) bytes exceeds the limit of "
                                  + "\(Handshake.maxClientHelloSize) bytes")
                }
                if let event {
                    guard case .frame(let header, let range) = event, header.type == .hello, header.streamID == 0 else {
                        return refuse(.internalError, "protocol violation: the first frame must be HELLO on stream 0")
                    }
                    do { try checkFlags(header) } catch { return refuse(.internalError, "protocol violation: \(error)") }
                    let hello: ClientHello
                    do { hello = try ClientHello(payload: reader.payload(in: range)) } catch {
                        return refuse(.internalError, "protocol violation: \(error)")
                    }
                    return accept(hello)
                }
            }
            let remaining = ContinuousClock.now.duration(to: handshakeDeadline)
            switch remaining > .zero ? readMore(timeout: remaining) : .timedOut {
            case .data: continue
            case .closed: return false
            case .timedOut: return refuse(.deadlineExceeded, "handshake timed out")
            }
        }

        func accept(_ hello: ClientHello) -> Bool {
            guard let version = Handshake.chooseVersion(offered: hello.versions) else {
                let offered = hello.versions.map(String.init).joined(separator: ", ")
                let spoken = Handshake.supportedVersions.map(String.init).joined(separator: ", ")
                return refuse(.unimplemented, "no common protocol version: the client offers \(offered), the server speaks \(spoken)")
            }
            guard hello.initialWindow >= Handshake.minimumInitialWindow else {
                return refuse(.internalError, "protocol violation: HELLO initial window \(hello.initialWindow)"
                              + " is below the minimum of \(Handshake.minimumInitialWindow)")
            }
            guard hello.maxFrameSize >= Handshake.minimumMaxFrameSize else {
                return refuse(.internalError, "protocol violation: HELLO max frame size \(hello.maxFrameSize)"
                              + " is below the minimum of \(Handshake.minimumMaxFrameSize)")
            }
            clientWindow = Int(hello.initialWindow)
            clientMaxFrameSize = Int(hello.maxFrameSize)
            let answer = ServerHello(
                version: version, maxFrameSize: UInt32(clamping: configuration.maxFrameSize),
                maxConcurrentCalls: UInt32(clamping: configuration.maxConcurrentCallsPerConnection),
                initialWindow: UInt32(clamping: configuration.initialStreamWindow),
                serverName: configuration.serverName, serverVersion: configuration.serverVersion)
            do {
                try writer.write(frame: answer.frame())
            } catch {
                return false
            }
            return true
        }
    }

    /// Handles one frame; returns a call to run when the frame started one.
    /// `charge`: what the frame took from the user's input budget while it was read, given back
    /// when it goes unless a call keeps it.
    private func handle(_ event: FrameReader.Event, charge: HeldRequest?) throws(ProtocolViolation) -> PendingCall? {
        switch event {
        case .oversized(let header):
            try handleOversized(header)
            return nil
        case .frame(let header, let range):
            let payload = reader.payload(in: range)
            try checkFlags(header)
            switch header.type {
            case .callStart:
                guard waitForAnswersToBeRead() else {
                    answersCannotBeSent = true
                    return nil
                }
                return try startCall(header, payload, charge: charge)
            case .message:
                try handleMessage(header, payload)
            case .cancel:
                try header.requireCallStream()
                guard payload.isEmpty else { throw ProtocolViolation("CANCEL with a \(payload.count)-byte payload") }
                if let context = calls.withLock({ $0.active.removeValue(forKey: header.streamID) }) {
                    // Claimed before the handler learns of it, so its reaction cannot send a STATUS.
                    endWithoutAnswer(context, code: .cancelled)
                    context.cancel(RPCError(.cancelled, "the client cancelled the call"))
                }
            case .windowUpdate:
                try header.requireCallStream()
                let increment = try WindowUpdate.parse(payload)
                guard increment > 0 else { throw ProtocolViolation("WINDOW_UPDATE of 0 on stream \(header.streamID)") }
                calls.withLock { $0.active[header.streamID] }?.stream?.addCredit(Int(increment))
            case .ping:
                try header.requireWellFormedPing()
                try? writer.write { FrameBuilder.append(.pong, streamID: 0, to: &$0) { $0.append(contentsOf: payload) } }
            case .pong, .goAway:
                // A client's GOAWAY only says it starts no more calls here; what is in flight goes on.
                break
            case .hello, .status:
                throw ProtocolViolation("a client may not send \(header.type) frames after the handshake")
            }
            return nil
        }
    }

    /// Bits a client may set per frame type (PROTOCOL.md section 5); any other bit is a violation.
    private func checkFlags(_ header: FrameHeader) throws(ProtocolViolation) {
        let allowed: FrameFlags = header.type == .callStart || header.type == .message ? .lastMessage : FrameFlags()
        guard header.flags.isSubset(of: allowed) else {
            throw ProtocolViolation("\(header.type) frame with undefined flag bits 0x\(String(header.flags.rawValue, radix: 16))")
        }
    }

    /// A frame over the limit: its payload is being skipped, so only its call fails.
    private func handleOversized(_ header: FrameHeader) throws(ProtocolViolation) {
        let limit = runtime.configuration.maxFrameSize
        try refuseSkippedFrame(header, RPCError(.resourceExhausted,
                                                "a frame of \(header.payloadLength) bytes exceeds the limit of \(limit) bytes"),
                               violation: "exceeds the limit of \(limit) bytes")
    }

    /// Before the reader grows its buffer for a frame over its initial size, the frame's announced
    /// payload is taken from the OS user's input budget, once per frame (given back when it is
    /// complete, unless it carried a request: then when its handler answers or returns; a client-stream message is
    /// then charged by its stream). When the budget has no
    /// room, the frame is skipped unread and only its call fails (docs/HARDENING.md): one user's
    /// connections, each holding most of a 4 MiB frame, held gigabytes.
    private func reservePendingFrame() throws(ProtocolViolation) {
        guard frameReservation == 0, let header = reader.pendingHeader,
              Int(header.payloadLength) > FrameReader.initialSize else { return }
        let length = Int(header.payloadLength)
        if inputBudget.take(length) {
            frameReservation = length
            return
        }
        guard let skipped = reader.skipPendingFrame() else { return }
        try refuseSkippedFrame(skipped, frameOverUserBudget(length), violation: "exceeds what uid \(peer.uid) may have the server hold")
    }

    private func frameOverUserBudget(_ length: Int) -> RPCError {
        RPCError(.resourceExhausted, "a frame of \(length) bytes would take the input held for uid \(peer.uid) past its limit "
                 + "of \(inputBudget.limit) bytes (frames being read, requests of calls running and client-stream messages "
                 + "buffered, on all its connections); send smaller messages or fewer at once")
    }

    /// The charge a call's request keeps while its handler holds it: the frame's own (`charge`), or, for a
    /// frame read whole without one (the read buffer had grown for an earlier frame), taken now.
    /// nil with nothing kept for a client stream (its messages are charged by its stream) and for
    /// requests within the reader's initial buffer; `.failure` when the user's budget has no room.
    private func requestCharge(_ payloadCount: Int, kind: MethodKind, charge: HeldRequest?) -> Result<HeldRequest?, RPCError> {
        guard kind != .clientStreaming, payloadCount > FrameReader.initialSize else { return .success(nil) }
        if let charge { return .success(charge) }
        guard inputBudget.take(payloadCount) else { return .failure(frameOverUserBudget(payloadCount)) }
        return .success(HeldRequest(bytes: payloadCount, of: inputBudget))
    }

    /// Gives back what the frame read last took from the user's input budget (the frame is complete,
    /// or the connection is gone).
    func releaseFrameReservation() {
        guard frameReservation > 0 else { return }
        inputBudget.giveBack(frameReservation)
        frameReservation = 0
    }

    /// A frame whose payload is skipped unread: its call ends with `error`, the connection goes on;
    /// a frame of any other kind cannot be answered alone and is a protocol violation.
    private func refuseSkippedFrame(_ header: FrameHeader, _ error: RPCError, violation: String) throws(ProtocolViolation) {
        guard header.streamID != 0, header.type == .callStart || header.type == .message else {
            throw ProtocolViolation("\(header.type) frame of \(header.payloadLength) bytes \(violation)")
        }
        if header.type == .callStart {
            try claimStreamID(header.streamID)
            reject(streamID: header.streamID, error)
        } else if let context = calls.withLock({ $0.active[header.streamID] }) {
            finish(context, status: error, response: nil)
            context.cancel(error)
        }
    }

    private func claimStreamID(_ streamID: UInt32) throws(ProtocolViolation) {
        guard streamID > lastStreamID else {
            throw ProtocolViolation("CALL_START on stream \(streamID), not above the previous stream \(lastStreamID)")
        }
        lastStreamID = streamID
    }

    /// Validates a CALL_START and registers the call; errors that concern only this call are answered
    /// with a STATUS and leave the connection alone.
    private func startCall(_ header: FrameHeader, _ payload: ArraySlice<UInt8>,
                           charge: HeldRequest?) throws(ProtocolViolation) -> PendingCall? {
        try claimStreamID(header.streamID)
        let streamID = header.streamID
        let head: (timeoutMicroseconds: UInt64, methodName: ArraySlice<UInt8>, metadata: Metadata, message: ArraySlice<UInt8>)
        let method: MethodNaming
        do {
            head = try CallStartHead.parseLeavingName(payload)
            method = try name(head.methodName)
        } catch {
            reject(streamID: streamID, RPCError(.internalError, "malformed CALL_START: \(error)"))
            return nil
        }
        let message = head.message
        do {
            try head.metadata.validate()
        } catch {
            reject(streamID: streamID, error)
            return nil
        }
        let registered: RegisteredMethod
        switch method {
        case .previous(let previous):
            registered = previous
        case .other(let name):
            guard let found = runtime.router.lookup(name) else {
                reject(streamID: streamID, RPCError(.unimplemented, "unknown method \(name)"))
                return nil
            }
            registered = found
            previousMethod = (Array(head.methodName), found)
        }
        let kind = registered.descriptor.kind
        let hasMessage = header.flags.contains(.hasMessage)
        if kind != .clientStreaming && !(hasMessage && header.flags.contains(.endStream)) {
            reject(streamID: streamID, RPCError(.internalError, "a \(kind) call must carry its one request in CALL_START"))
            return nil
        }
        if !hasMessage && !message.isEmpty {   // as for a MESSAGE frame (handleMessage)
            reject(streamID: streamID, RPCError(.internalError, "a CALL_START with \(message.count) bytes after its metadata without HAS_MESSAGE"))
            return nil
        }
        let held: HeldRequest?
        switch requestCharge(payload.count, kind: kind, charge: charge) {
        case .success(let kept): held = kept
        case .failure(let refusal):
            reject(streamID: streamID, refusal)
            return nil
        }
        let stream = kind == .unary ? nil : CallStream(
            sendCredit: clientWindow, receiveWindow: runtime.configuration.initialStreamWindow,
            maxFrameSize: runtime.configuration.maxFrameSize, budget: clientStreamBudget, userBudget: inputBudget)
        if kind == .clientStreaming, hasMessage || header.flags.contains(.endStream), let stream {
            switch stream.deliver(hasMessage ? Array(message) : nil, endOfStream: header.flags.contains(.endStream)) {
            case .overBudget:
                reject(streamID: streamID, clientStreamBudgetExceeded())
                return nil
            case .overUserBudget:
                reject(streamID: streamID, userInputBudgetExceeded())
                return nil
            case .accepted, .overrun, .afterEnd:
                break
            }
        }
        let context = ServerContext(method: registered.descriptor, peer: peer, metadata: head.metadata,
                                    timeoutMicroseconds: head.timeoutMicroseconds,
                                    streamID: streamID, connection: self, stream: stream,
                                    methodStatistics: registered.statistics, heldRequest: held)
        let refusal: RPCError? = calls.withLock { table in
            if table.draining { return RPCError(.unavailable, "the server is shutting down") }
            let limit = runtime.configuration.maxConcurrentCallsPerConnection
            if table.active.count >= limit {
                return RPCError(.resourceExhausted, "too many concurrent calls on this connection (limit \(limit))")
            }
            guard callBudget.take(1) else {
                return RPCError(.resourceExhausted, "too many calls in flight from uid \(peer.uid) "
                                + "(limit \(callBudget.limit) per user, on all its connections); wait for some to finish")
            }
            if kind == .serverStreaming, !serverStreamBudget.take(1) {
                callBudget.giveBack(1)
                return RPCError(.resourceExhausted, "too many server streams open from uid \(peer.uid) (limit "
                                + "\(serverStreamBudget.limit) per user, on all its connections); read or cancel the "
                                + "streams you hold")
            }
            table.active[streamID] = context
            table.highestStarted = streamID
            if let deadline = context.deadlineNanoseconds { table.deadlineWatch.include(deadline) { deadlineAction } }
            return nil
        }
        if let refusal {
            reject(streamID: streamID, refusal)
            return nil
        }
        runtime.statistics.callStarted()
        return PendingCall(context: context, handler: registered.handler, request: kind == .clientStreaming ? [] : Array(message),
                           mayWaitLong: registered.descriptor.mayWaitLong, frameFollows: reader.hasBufferedFrame)
    }

    /// A CALL_START's method: the previous call's (its name's bytes are the same), or another,
    /// named by its bytes once they are checked to be UTF-8.
    enum MethodNaming {
        case previous(RegisteredMethod)
        case other(String)
    }

    /// Compares the name's bytes with the previous call's before building a String: a pipelined
    /// client calls one method over and over, and its name's String and dictionary look-up cost
    /// each call ~2 700 instructions (callgrind of customerd, 64 gets in flight).
    private func name(_ bytes: ArraySlice<UInt8>) throws(ProtocolViolation) -> MethodNaming {
        if let previousMethod, Self.equal(previousMethod.name, bytes) { return .previous(previousMethod.method) }
        return .other(try CallStartHead.methodName(bytes))
    }

    /// One `memcmp` (a generic `elementsEqual` compared byte by byte at ~20 instructions each).
    private static func equal(_ kept: [UInt8], _ bytes: ArraySlice<UInt8>) -> Bool {
        let count = kept.count
        guard count == bytes.count else { return false }
        return kept.withUnsafeBytes { kept in
            bytes.withUnsafeBytes { bytes in
                guard let kept = kept.baseAddress, let bytes = bytes.baseAddress else { return true }   // both empty
                return memcmp(kept, bytes, count) == 0
            }
        }
    }

    private func handleMessage(_ header: FrameHeader, _ payload: ArraySlice<UInt8>) throws(ProtocolViolation) {
        try header.requireCallStream()
        guard let context = calls.withLock({ $0.active[header.streamID] }) else { return }   // call already ended
        // Bytes without HAS_MESSAGE are no message: taken as none, a client that forgot the flag
        // would see its rows dropped and its import answered OK (spec25's outside client did).
        if !header.flags.contains(.hasMessage) && !payload.isEmpty {
            let error = RPCError(.internalError, "a MESSAGE frame of \(payload.count) payload bytes without HAS_MESSAGE")
            finish(context, status: error, response: nil)
            context.cancel(error)
            return
        }
        guard context.method.kind == .clientStreaming, let stream = context.stream else {
            // A bare END_STREAM is the client half-closing after the request it sent in CALL_START.
            if !header.flags.contains(.hasMessage) && header.flags.contains(.endStream) { return }
            let error = RPCError(.internalError, "MESSAGE frame on a call that takes no client stream")
            finish(context, status: error, response: nil)
            context.cancel(error)
            return
        }
        let message = header.flags.contains(.hasMessage) ? Array(payload) : nil
        let error: RPCError
        switch stream.deliver(message, endOfStream: header.flags.contains(.endStream)) {
        case .accepted: return
        case .overrun: error = RPCError(.resourceExhausted, "the client overran its flow-control window")
        case .overBudget: error = clientStreamBudgetExceeded()
        case .overUserBudget: error = userInputBudgetExceeded()
        case .afterEnd: error = RPCError(.internalError, "MESSAGE frame after the client's END_STREAM")
        }
        finish(context, status: error, response: nil)
        context.cancel(error)
    }

    private func clientStreamBudgetExceeded() -> RPCError {
        RPCError(.resourceExhausted, "the client-stream messages buffered on this connection would exceed "
                 + "\(clientStreamBudget.limit) bytes; send fewer streams at once or wait for their answers")
    }

    private func userInputBudgetExceeded() -> RPCError {
        RPCError(.resourceExhausted, "the client-stream messages buffered for uid \(peer.uid) would take its input held past "
                 + "its limit of \(inputBudget.limit) bytes (frames being read, requests of calls running and client-stream "
                 + "messages buffered, on all its connections); send fewer streams at once or wait for their answers")
    }
}
