import Dispatch
import TestSupport
@testable import RPCClient
@testable import RPCCore
@testable import RPCTransport
import Synchronization
import Testing

/// Async tasks that the reader thread resumes on the cooperative pool write their next calls into
/// its batch until the last of them has run (ClientConnection+Batching): pipelined tasks then
/// cost a few sends a round instead of one each, and a resumed task that does not run soon holds
/// nobody's call back for long.
@Suite(.timeLimit(.minutes(10))) struct HeldBackCallsTests {
    /// 64 plain tasks (no executor preference) calling in a loop on one connection, as
    /// `customer-bench run get --in-flight 64` does: each used to send its next call alone, so the
    /// client wrote about one send(2) per call.
    @Test func pipelinedTasksOnThePoolShareTheirSends() async throws {
        let server = try TestServer.start()
        let sends = SendCount()
        let channel = ClientChannel(name: server.socketPath) { () throws(IOError) -> any ByteStream in
            SendCountingStream(socket: try UnixSocket.connect(to: server.socketPath), sends: sends)
        }
        try await withCleanup {
            _ = try await channel.unary(TestService.echo, EchoRequest(text: "open"), as: EchoResponse.self)
            let (tasks, rounds) = (64, 40)
            let before = sends.value
            let wrong = try await ChannelExecutorTests.echoInLoops(on: channel, tasks: tasks, rounds: rounds, preferring: nil)
            #expect(wrong == [])
            let calls = tasks * rounds
            let written = sends.value - before
            // Without the batch kept open for the resumed tasks: ~0.9 a call; with it, a few per
            // round of 64 answers (more when a resumed task is slow to run and the hold ends).
            #expect(written * 2 < calls, "\(written) sends for \(calls) calls")
        } cleanup: {
            channel.close()
            await server.stop()
        }
    }

    /// A task resumed onto an executor that does not run it (here held by the test; in a program,
    /// say, a main thread that is busy) must not keep other tasks' calls from being written.
    @Test func aResumedTaskThatDoesNotRunHoldsNoCallBackForLong() async throws {
        let probe = Probe()
        try await withTestServer(probe: probe) { _, channel in
            _ = try await channel.unary(TestService.echo, EchoRequest(text: "open"), as: EchoResponse.self)
            // A call in flight throughout keeps the reader thread reading, as under load: nothing
            // but its bounded poll(2) can then write a held call (a parked thread, woken for the
            // call, would write it as it delivers).
            let reading = Task {
                try await channel.unary(TestService.waitForCancel, EchoRequest(text: "reading"), as: EchoResponse.self)
            }
            #expect(await probe.wait(for: "reading started"))
            let executor = HoldingExecutor()
            let held = Task {
                try await withTaskExecutorPreference(executor) {
                    try await channel.unary(TestService.laterEcho, EchoRequest(text: "held"), as: EchoResponse.self)
                }
            }
            #expect(await probe.wait(for: "held handed on"))
            executor.hold()
            probe.giveHeldAnswers()
            // The reader thread has resumed the task: its job waits in the held executor.
            try await waitUntil("the answered task's job to reach its executor") { executor.heldJobs > 0 }
            let answer = try await withDeadline("a call started while the resumed task does not run") {
                try await channel.unary(TestService.echo, EchoRequest(text: "next"), as: EchoResponse.self)
            }
            #expect(answer.text == "next")
            executor.release()
            #expect(try await held.value.text == "held")
            reading.cancel()
            #expect(await rpcError { _ = try await reading.value }?.code == .cancelled)
        }
    }
}

/// Writes counted across the connections of a test's channel.
private final class SendCount: Sendable {
    private let count = Atomic<Int>(0)
    func add() { count.add(1, ordering: .relaxed) }
    var value: Int { count.load(ordering: .relaxed) }
}

/// A byte stream that counts the writes its writer makes (each one send(2) or more).
private final class SendCountingStream: ByteStream {
    let socket: UnixSocket
    let sends: SendCount

    init(socket: UnixSocket, sends: SendCount) {
        self.socket = socket
        self.sends = sends
    }

    func read(into buffer: UnsafeMutableRawBufferPointer, timeout: Duration?) throws(IOError) -> Int {
        try socket.read(into: buffer, timeout: timeout)
    }
    func readIfAvailable(into buffer: UnsafeMutableRawBufferPointer) throws(IOError) -> Int? {
        try socket.readIfAvailable(into: buffer)
    }
    func writeAll(_ bytes: UnsafeRawBufferPointer) throws(IOError) {
        sends.add()
        try socket.writeAll(bytes)
    }
    func writeAll(_ bytes: UnsafeRawBufferPointer, givingUpAfter stallLimit: Duration) throws(IOError) {
        sends.add()
        try socket.writeAll(bytes, givingUpAfter: stallLimit)
    }
    func writeAvailable(_ bytes: UnsafeRawBufferPointer) throws(IOError) -> Int {
        sends.add()
        return try socket.writeAvailable(bytes)
    }
    func shutdown(_ direction: StreamDirection) { socket.shutdown(direction) }
    func close() { socket.close() }
    func peerCredentials() throws(IOError) -> PeerCredentials { try socket.peerCredentials() }
    func isClosedBothWays() -> Bool { socket.isClosedBothWays() }
    func hasInput() -> Bool { socket.hasInput() }
    var pollDescriptor: Int32? { socket.pollDescriptor }
}

/// A task executor that runs jobs on the cooperative pool, except while held: it then keeps them
/// until released, as a busy executor would.
private final class HoldingExecutor: TaskExecutor, Sendable {
    private struct State {
        var holding = false
        var jobs: [UnownedJob] = []
    }
    private let state = Mutex(State())

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        let kept = state.withLock { state in
            if state.holding { state.jobs.append(job) }
            return state.holding
        }
        if !kept { run(job) }
    }

    var heldJobs: Int { state.withLock { $0.jobs.count } }

    func hold() { state.withLock { $0.holding = true } }

    func release() {
        let jobs = state.withLock { state in
            state.holding = false
            defer { state.jobs = [] }
            return state.jobs
        }
        for job in jobs { run(job) }
    }

    private func run(_ job: UnownedJob) {
        DispatchQueue.global().async { job.runSynchronously(on: self.asUnownedTaskExecutor()) }
    }
}
