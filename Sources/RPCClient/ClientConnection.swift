import Glibc
import RPCCore
import RPCTransport
import Synchronization
import ThreadSync

/// One connection of a ``ClientChannel``: the socket, the calls in flight on it, and the reader
/// thread that routes every incoming frame to its call.
final class ClientConnection: Sendable {
    let path: String
    let socket: any ByteStream
    let writer: FrameWriter
    let server: ServerHello
    let configuration: ClientConfiguration
    let state = Mutex(State())
    /// Calls the server lets this connection have in flight (from its HELLO).
    let callLimit: Int
    /// The channel's executor, whose jobs this connection's reader thread runs (ChannelExecutor).
    let executor: ChannelExecutor?

    struct State: ~Copyable {
        var calls: [UInt32: ClientCall] = [:]
        var nextStreamID: UInt32 = 1
        /// Set once the connection cannot take new calls (GOAWAY, failure, close).
        var refusal: RPCError?
        /// Call slots taken (see ClientConnection+CallSlots), and the calls waiting for one.
        var activeCalls = 0
        var slotWaiters: [(id: UInt64, waiter: SlotWaiter)] = []
        var nextWaiterID: UInt64 = 0
        var abandonedWaiters: Set<UInt64> = []
        /// Who may read the socket now (see ClientConnection+Reading).
        var reader = ReaderRole.nobody
        /// Whether the reader thread, out of calls, keeps the role and waits in poll(2) for a
        /// while before it gives it up (see ``ClientConnection/readerLinger``): true after an async
        /// call that left reading to it, false once a caller wanted to read its own response.
        var readerThreadLingers = false
        /// Callers blocked on their own threads, by stream id, with the doorbell each sleeps on
        /// (see ClientConnection+Blocking).
        var blockingCallers: [UInt32: Doorbell] = [:]
        /// The blocked caller the `.caller` role was handed to, until it wakes and takes it up.
        var promotedCaller: UInt32?
        /// Doorbells of finished blocking calls, kept for the next ones (a doorbell is a mutex and
        /// a condition variable: allocated once, not per call).
        var spareBells: [Doorbell] = []
        /// While the reader thread delivers what it read and runs its executor's jobs, the frames
        /// written meanwhile, in order (see ClientConnection+Batching).
        var batch: [UInt8] = []
        var batching = false
        /// Async tasks the reader thread resumed with their answers that have not run since: while
        /// there are some, the calls other async tasks start join `batch` too, and the last of them
        /// to run writes it (see ClientConnection+Batching).
        var resumedTasks = 0
        /// Reading stopped for good (end of stream, failure, close): the reader thread then
        /// releases the socket and exits.
        var readingEnded = false
        /// When the calls' deadlines are looked at: one scheduler entry for the connection, not one
        /// per call (``DeadlineWatch``, ``ClientConnection/endCallsPastDeadline()``).
        var deadlineWatch = DeadlineWatch()

        /// Refused and out of calls, with nobody reading: the parked reader thread is to be
        /// woken so it exits (``ClientConnection/readerThreadLoop()``).
        var isRetired: Bool { refusal != nil && calls.isEmpty && reader == .nobody && !readingEnded }
    }

    /// The bytes read and not yet handled. Touched only by the holder of the `reader` role.
    final class ReadBuffer: @unchecked Sendable {   // safe: one role holder at a time, handed over under `state`
        // Not checked for exclusivity at run time, for the same reason (the check only catches one
        // thread's overlapping accesses, and nothing lends it `inout` to code that reaches back):
        // ~13 `swift_beginAccess` a call on the reading path, ~80 instructions each (docs/performance/HISTORY.md "call16").
        @exclusivity(unchecked) var reader: FrameReader
        init(_ reader: FrameReader) { self.reader = reader }
    }

    let readBuffer: ReadBuffer
    /// Wakes the reader thread when the role passes to it, or when reading has ended.
    let readerDoorbell = Doorbell()
    /// Whether lone callers on this connection spin before sleeping.
    let spinAdvisor = SpinAdvisor()

    private init(path: String, socket: any ByteStream, server: ServerHello, reader: FrameReader,
                 configuration: ClientConfiguration, executor: ChannelExecutor?) {
        self.path = path
        self.executor = executor
        readBuffer = ReadBuffer(reader)
        self.socket = socket
        self.server = server
        self.configuration = configuration
        writer = FrameWriter(socket: socket)
        callLimit = max(Int(server.maxConcurrentCalls), 1)
    }

    /// Connects (with `connect`), performs the handshake within `connectTimeout` and starts the reader thread (parked
    /// until a call needs it).
    static func open(path: String, connect: ClientChannel.Connector, configuration: ClientConfiguration,
                     executor: ChannelExecutor? = nil) throws(RPCError) -> ClientConnection {
        let socket: any ByteStream
        do {
            socket = try connect()
        } catch {
            throw RPCError(.unavailable, "cannot connect to \(path): \(error.reason)", cause: error)
        }
        do {
            if let users = configuration.serverUsers {
                try ServerUserCheck.check(socket, path: path, allowed: users)
            }
            let (hello, reader) = try handshake(socket: socket, path: path, configuration: configuration)
            let connection = ClientConnection(path: path, socket: socket, server: hello, reader: reader,
                                              configuration: configuration, executor: executor)
            try ThreadLauncher.start { connection.readerThreadLoop() }
            return connection
        } catch {
            socket.close()
            switch error {
            case let error as RPCError:
                throw error
            case let error as IOError where error.errno == EAGAIN || error.errno == EWOULDBLOCK:
                throw RPCError(.unavailable, "handshake with \(path) timed out", cause: error)
            case let error as IOError:
                throw RPCError(.unavailable, "handshake with \(path) failed: \(error.reason)", cause: error)
            default:
                throw RPCError(.unavailable, "handshake with \(path) failed: \(error)", cause: error)
            }
        }
    }

    /// Sends the magic and HELLO, reads the server's HELLO (or the GOAWAY refusing us).
    /// Returns the reader too: bytes after the HELLO already belong to the connection.
    private static func handshake(socket: any ByteStream, path: String,
                                  configuration: ClientConfiguration) throws -> (ServerHello, FrameReader) {
        let hello = ClientHello(versions: Handshake.supportedVersions,
                                initialWindow: UInt32(clamping: configuration.initialStreamWindow),
                                maxFrameSize: UInt32(clamping: configuration.maxFrameSize), name: configuration.clientName)
        var reader = FrameReader(maxFrameSize: configuration.maxFrameSize)
        let deadline = ContinuousClock.now + configuration.connectTimeout
        // A server refusing the connection (limit reached) writes GOAWAY and closes at once, so our
        // write may fail with EPIPE while its answer waits to be read: read it before giving up.
        var writeFailure: IOError?
        do throws(IOError) {
            try socket.writeAll(Handshake.magic + hello.frame())
        } catch {
            writeFailure = error
        }
        while true {
            switch try reader.next() {
            case .frame(let header, let range) where header.type == .hello:
                return (try ServerHello(payload: reader.payload(in: range)), reader)
            case .frame(let header, let range) where header.type == .goAway:
                let refusal = try GoAway(payload: reader.payload(in: range))
                throw RPCError(refusal.code == .ok ? .unavailable : refusal.code,
                               "\(path) refused the connection: \(refusal.message)")
            case .frame(let header, _), .oversized(let header):
                throw RPCError(.unavailable, "handshake with \(path) failed: unexpected \(header.type) frame")
            case nil:
                let count: Int
                do {
                    let remaining = ContinuousClock.now.duration(to: deadline)
                    guard remaining > .zero else { throw IOError(call: "poll", errno: EAGAIN) }
                    count = try reader.fill { buffer in try socket.read(into: buffer, timeout: remaining) }
                } catch {
                    throw writeFailure ?? error
                }
                if count == 0 {
                    if let writeFailure { throw writeFailure }
                    throw RPCError(.unavailable, "\(path) closed the connection during the handshake")
                }
            }
        }
    }

    /// False once GOAWAY arrived or the connection failed: the channel then opens a new one.
    var acceptsCalls: Bool { state.withLock { $0.refusal == nil } }

    /// Allocates the next stream id, registers the call and writes the frames `build` appends, all
    /// under the writer's lock, so stream ids reach the server in increasing order. Takes over the
    /// caller's call slot: released here on failure, or when the call ends. Unless `callerReads`
    /// (the caller then calls ``readOwnResponse(of:)``) or the caller blocks on `bell` (and then
    /// calls ``waitBlocking(for:timing:)``), the reader thread is woken if nobody reads. A call
    /// with a deadline (`timing`) ends with DEADLINE_EXCEEDED there, CANCEL sent, if it runs that long.
    func startCall(answerAwaited: Bool = false, callerReads: Bool = false, bell: Doorbell? = nil, timing: CallTiming? = nil,
                   build: (UInt32, inout [UInt8]) -> Void) throws(RPCError) -> CallStart {
        // Set with the registration, under its lock (one lock per call fewer than a separate
        // `ensureReader()`); rung whatever happens next, as the role is the reader thread's then.
        let wantsReader = !callerReads && bell == nil
        var wakeReader = false
        defer { if wakeReader { readerDoorbell.ring() } }
        var result: Result<ClientCall, RPCError>?
        if executor?.isReaderThread == true {
            // A job the reader thread runs: its frame joins the batch written after the jobs.
            let batched: Result<ClientCall, RPCError>? = state.withLock { state in
                guard state.batching else { return nil }
                let registered = register(answerAwaited: answerAwaited, bell: bell, timing: timing, wakingReader: wantsReader,
                                          &wakeReader, in: &state)
                if case .success(let call) = registered { build(call.streamID, &state.batch) }
                return registered
            }
            if let batched { return started(batched) }
        }
        var mayHaveArrived = false
        do {
            try writer.write(mayHaveArrived: &mayHaveArrived) { buffer in
                // While the reader thread delivers responses, and until the tasks they resumed on
                // other threads have run, async calls join its batch (ClientConnection+Batching).
                let batched: Bool = state.withLock { state in
                    result = register(answerAwaited: answerAwaited, bell: bell, timing: timing, wakingReader: wantsReader,
                                      &wakeReader, in: &state)
                    guard state.batching || (wantsReader && state.holdsBackCalls) else {
                        Self.takeBatch(from: &state, into: &buffer)
                        return false
                    }
                    if case .success(let call) = result { build(call.streamID, &state.batch) }
                    return true
                }
                if !batched, case .success(let call) = result { build(call.streamID, &buffer) }
            }
        } catch {
            if case .success(let call) = result { forget(call) } else { releaseCallSlot() }
            let failure = RPCError(.unavailable, "connection to \(path) failed: \(error.reason)", cause: error)
            // A connection that cannot be written takes no more calls: the next one opens a new one.
            refuseNewCalls(failure, failAll: false)
            if error.errno == EPIPE && !mayHaveArrived { return .notSent(failure) }
            throw failure
        }
        // The write ran `build`, which registered the call (or found the connection refusing).
        return started(result ?? .failure(RPCError(.unavailable, "connection to \(path) is closed")))
    }

    /// What ``startCall(answerAwaited:callerReads:bell:build:)`` did.
    enum CallStart {
        case started(ClientCall)
        /// The call never left this process, so the server cannot have run it: it may be sent on a
        /// new connection without being done twice. Either the connection had stopped taking calls
        /// before this one was registered (a GOAWAY or end of stream read since the channel chose
        /// it, e.g. an idle close racing the call), or the server had closed it (EPIPE) and the
        /// CALL_START did not reach it whole. (EPIPE alone does not say so: the `send` that failed
        /// may have carried later frames, after this call's had gone out and been answered.)
        /// The slot was given back.
        case notSent(RPCError)
    }

    /// Allocates the next stream id and registers a call under it (state lock held). With
    /// `wakingReader`, a registered call that nobody reads for gives the reader thread the role,
    /// and `wakeReader` says its doorbell is to be rung (``handReadingToThread(in:)``).
    private func register(answerAwaited: Bool, bell: Doorbell?, timing: CallTiming?, wakingReader: Bool,
                          _ wakeReader: inout Bool, in state: inout State) -> Result<ClientCall, RPCError> {
        if let refusal = state.refusal { return .failure(refusal) }
        let streamID = state.nextStreamID
        guard streamID < UInt32.max else {
            let refusal = RPCError(.unavailable, "stream ids of the connection to \(path) are used up")
            state.refusal = refusal
            return .failure(refusal)
        }
        state.nextStreamID += 1
        let deadline = timing?.deadline
        let call = ClientCall(streamID: streamID, answerAwaited: answerAwaited, sendCredit: Int(server.initialWindow),
                              receiveWindow: configuration.initialStreamWindow, bell: bell, timing: deadline == nil ? nil : timing)
        state.calls[streamID] = call
        if let deadline { state.deadlineWatch.include(deadline) { deadlineAction } }
        // Registered with the call, so whoever gives up reading sees a blocked caller to promote.
        if let bell {
            state.blockingCallers[streamID] = bell
            state.readerThreadLingers = false
        }
        if wakingReader { wakeReader = Self.handReadingToThread(in: &state) }
        return .success(call)
    }

    /// After the frame was written or batched: a refused call gives its slot back (it was never written).
    private func started(_ result: Result<ClientCall, RPCError>) -> CallStart {
        switch result {
        case .failure(let refusal):
            releaseCallSlot()
            return .notSent(refusal)
        case .success(let call):
            return .started(call)
        }
    }

    /// Writes frames for a call that is already registered; a dead socket becomes UNAVAILABLE.
    func send(_ build: (inout [UInt8]) -> Void) throws(RPCError) {
        do {
            try writer.write(.bounded) { buffer in
                // A call's CALL_START may still wait in the batch: it goes first.
                state.withLock { Self.takeBatch(from: &$0, into: &buffer) }
                build(&buffer)
            }
        } catch {
            throw RPCError(.unavailable, "connection to \(path) failed: \(error.reason)", cause: error)
        }
    }

    /// Ends `call` locally (cancel, deadline, failed producer): CANCEL goes to the server unless the
    /// call had already ended. The write is best effort: a dead connection needs no cancel.
    /// `keepingMessages`: the stream messages already received are still read before the error.
    func cancel(_ call: ClientCall, with error: RPCError, keepingMessages: Bool = false) {
        guard call.finish(.failure(error), local: !keepingMessages) else { return }
        forget(call)
        try? send { FrameBuilder.append(.cancel, streamID: call.streamID, to: &$0) }
    }

    /// Drops a call from the table and gives its slot back (once, however often it is called).
    func forget(_ call: ClientCall) {
        _ = forget(streamID: call.streamID)
    }

    /// Drops the call of `streamID` from the table and gives its slot back, under one lock;
    /// returns the call, nil if it was gone already.
    func forget(streamID: UInt32) -> ClientCall? {
        forget(streamID: streamID, countingResumedTask: false)?.call
    }

    /// ``forget(streamID:)``; with `countingResumedTask`, a call whose answer a task awaits
    /// (``ClientCall/answerAwaited``), answered while the reader thread delivers, is also counted
    /// in ``State/resumedTasks`` (under the same lock), and `counted` says so: its ending is then
    /// to be passed `counted` (``ClientCall/finish(_:local:counted:)``).
    func forget(streamID: UInt32, countingResumedTask: Bool) -> (call: ClientCall, counted: Bool)? {
        let (removed, counted, waiter, retired): (ClientCall?, Bool, SlotWaiter?, Bool) = state.withLock { state in
            // Looked at only when some caller blocks: removing a key hashes it even from an empty
            // dictionary (~100 instructions a call, docs/performance/HISTORY.md "get31").
            if !state.blockingCallers.isEmpty { state.blockingCallers[streamID] = nil }
            guard let removed = state.calls.removeValue(forKey: streamID) else { return (nil, false, nil, false) }
            let counted = countingResumedTask && state.batching && removed.answerAwaited
            if counted { state.resumedTasks += 1 }
            let waiter = Self.releaseSlot(in: &state)
            return (removed, counted, waiter, state.isRetired)
        }
        waiter?.resume(returning: true)
        if retired { readerDoorbell.ring() }
        return removed.map { ($0, counted) }
    }

    /// The action of the connection's deadline entry (``State/deadlineWatch``), made only when the
    /// entry moves. It holds the connection: failing all calls (a close, a lost connection) takes
    /// the entry out, and an entry that fires finds no call and is dropped. Not weak: a weak
    /// reference gives the connection a side table, and every retain and release of it then takes
    /// the runtime's slow path (docs/performance/HISTORY.md "deadline33").
    private var deadlineAction: @Sendable () -> Void {
        { [self] in endCallsPastDeadline() }
    }

    /// On the scheduler's thread, when the connection's deadline entry is due: each call whose
    /// deadline passed ends now with DEADLINE_EXCEEDED (its caller does not wait for the server,
    /// and a late answer finds no call), and CANCEL goes to the server for each, written off the
    /// scheduler's thread (the write may wait for a server that does not read). The entry moves to
    /// the earliest deadline left.
    func endCallsPastDeadline() {
        let due: [ClientCall] = state.withLock { state in
            state.deadlineWatch.takeCallsPastDeadline(of: state.calls.values, deadline: { $0.timing?.deadline }) { deadlineAction }
        }
        var ended: [UInt32] = []
        for call in due {
            guard let timing = call.timing, call.finish(.failure(timing.expired), local: true) else { continue }
            forget(call)
            ended.append(call.streamID)
        }
        guard !ended.isEmpty else { return }
        BlockingWorkQueue.shared.run { [self, ended] in
            try? send { buffer in
                for streamID in ended { FrameBuilder.append(.cancel, streamID: streamID, to: &buffer) }
            }
        }
    }

    func call(_ streamID: UInt32) -> ClientCall? {
        state.withLock { $0.calls[streamID] }
    }

    /// No new calls; with `failAll`, every call in flight ends with `error` too.
    func refuseNewCalls(_ error: RPCError, failAll: Bool) {
        let (calls, waiters, retired): ([ClientCall], [SlotWaiter], Bool) = state.withLock { state in
            if state.refusal == nil { state.refusal = error }
            // Calls still waiting for a slot will never get one here: they fail (and reconnect next time).
            let waiters = state.slotWaiters.map(\.waiter)
            state.slotWaiters = []
            guard failAll else { return ([], waiters, state.isRetired) }
            state.deadlineWatch.stop()
            defer {
                state.activeCalls -= state.calls.count
                state.calls = [:]
                state.blockingCallers = [:]
            }
            return (Array(state.calls.values), waiters, false)
        }
        for waiter in waiters { waiter.resume(returning: false) }
        for call in calls { call.finish(.failure(error), local: true) }
        if retired { readerDoorbell.ring() }
    }

    /// Ends the calls a GOAWAY says the server never started (stream ids above `lastStarted`), each
    /// with UNAVAILABLE caused by ``CallNotStarted``: the channel sends them again on a new connection.
    func failUnstartedCalls(after lastStarted: UInt32, reason: String) {
        let unstarted = state.withLock { state in state.calls.keys.filter { $0 > lastStarted } }
        for streamID in unstarted {
            guard let call = forget(streamID: streamID) else { continue }
            call.finish(.failure(RPCError(.unavailable, "the server at \(path) did not start the call: \(reason)",
                                          cause: CallNotStarted(reason: reason))), local: true)
        }
    }

    /// Closes the connection: what is in flight fails, and the reader thread releases the socket
    /// once nobody reads any more (a reader in poll(2) is woken by the end of stream of the shutdown).
    func close() {
        refuseNewCalls(RPCError(.cancelled, "the channel was closed"), failAll: true)
        writer.shutdown(.both)
        state.withLock { $0.readingEnded = true }
        readerDoorbell.ring()
    }
}
