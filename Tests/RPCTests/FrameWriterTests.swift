import TestSupport
import Glibc
import Synchronization
import Testing
@testable import RPCCore
@testable import RPCTransport

/// What a failed write tells about its own bytes: a client sends a call again on a new connection
/// only when the server cannot have read its CALL_START whole (ClientConnection.CallStart).
@Suite(.timeLimit(.minutes(1))) struct FrameWriterTests {
    @Test func aWriteWhoseOwnSendFailedReportsItsBytesUnsent() {
        let writer = FrameWriter(socket: ScriptedStream(failFrom: 1))
        var mayHaveArrived = true
        #expect(throws: IOError(call: "send", errno: EPIPE)) {
            try writer.write(mayHaveArrived: &mayHaveArrived) { $0 += [1, 2, 3] }
        }
        #expect(!mayHaveArrived)
        // Later writes fail at once, their bytes never appended.
        mayHaveArrived = true
        #expect(throws: IOError(call: "send", errno: EPIPE)) {
            try writer.write(mayHaveArrived: &mayHaveArrived) { $0 += [4] }
        }
        #expect(!mayHaveArrived)
    }

    /// The flusher's own frame went out with its first `send`; the second, carrying a frame another
    /// thread appended meanwhile, failed: the flusher sees EPIPE, but its frame may have been read.
    @Test func aWriteWhoseBytesWentOutBeforeALaterSendFailedReportsThemMaybeArrived() async throws {
        let stream = ScriptedStream(failFrom: 2)
        let writer = FrameWriter(socket: stream)
        let flusher = ThreadTask {
            var mayHaveArrived = false
            do throws(IOError) {
                try writer.write(mayHaveArrived: &mayHaveArrived) { $0 += [1, 2, 3] }
                return false
            } catch {
                return error.errno == EPIPE && mayHaveArrived
            }
        }
        await onThread { stream.firstSendStarted.wait() }
        // Another thread appends while the first send is in progress: it returns at once.
        let other: Bool = await onThread { (try? writer.write { $0 += [4] }) != nil }
        stream.releaseFirstSend.ring()
        #expect(other)
        #expect(try await flusher.value)
    }
}

/// A stream whose sends succeed until the `failFrom`th, which and every later one fail with EPIPE;
/// the first send waits for ``releaseFirstSend`` when later ones are to fail.
private final class ScriptedStream: ByteStream {
    let failFrom: Int
    let firstSendStarted = Doorbell()
    let releaseFirstSend = Doorbell()
    private let sends = Atomic<Int>(0)

    init(failFrom: Int) {
        self.failFrom = failFrom
    }

    func writeAll(_ bytes: UnsafeRawBufferPointer) throws(IOError) {
        let number = sends.add(1, ordering: .relaxed).newValue
        if number >= failFrom { throw IOError(call: "send", errno: EPIPE) }
        if number == 1 {
            firstSendStarted.ring()
            releaseFirstSend.wait()
        }
    }

    func read(into buffer: UnsafeMutableRawBufferPointer, timeout: Duration?) throws(IOError) -> Int { 0 }
    func readIfAvailable(into buffer: UnsafeMutableRawBufferPointer) throws(IOError) -> Int? { 0 }
    func shutdown(_ direction: StreamDirection) {}
    func close() {}
    func peerCredentials() throws(IOError) -> PeerCredentials { PeerCredentials(uid: 0, gid: 0, pid: 0) }
    func isClosedBothWays() -> Bool { true }
    func hasInput() -> Bool { true }
}
