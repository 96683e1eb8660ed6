import BinaryCoding
import Synchronization
import TestSupport
@testable import RPCCore
@testable import RPCServing
@testable import RPCTransport
import Testing

/// A burst of pipelined calls: the server sends their answers in parts as it runs them, so its
/// client can start on the first while the rest run (ServerConnection.answersPerSend), rather
/// than all of a burst's answers in one send once the burst is done.
@Suite struct PipelinedAnswerSendsTests {
    /// 64 echo calls written in one write, on an in-process connection whose server side records
    /// each write: every call is answered, and the answers leave in parts, no write carrying the
    /// whole burst. Before, all 64 left in one write. A part is ``ServerConnection/answersPerSend``
    /// answers, but each time the watchdog promotes a reader mid-part one more may join it (the
    /// promoted reader's count starts over while the answer of the call it took over from is
    /// still to be sent), and on a busy machine that happens more than once a part (34 in one
    /// write at load 20, serve34): so the bound is the burst, not the part's size.
    @Test func aBurstsAnswersLeaveInPartsWhileItRuns() async throws {
        let server = try TestServer.start()
        try await withCleanup {
            let (client, served) = InProcessStream.pair(clientCredentials: PeerCredentials(uid: 1, gid: 1, pid: 1),
                                                        serverCredentials: PeerCredentials(uid: 0, gid: 0, pid: 1))
            let recorded = WriteRecordingStream(served)
            var burst = Handshake.magic + ClientHello(versions: [1], initialWindow: 1 << 20, maxFrameSize: 1 << 24,
                                                      name: "burst").frame()
            let calls = 64
            for index in 0..<calls {
                burst += PipelinedCallTests.callStart(UInt32(2 * index + 1), TestService.echo,
                                                      request: try PipelinedCallTests.encode(EchoRequest(text: "same")))
            }
            // Written before the server reads, so its first read holds the whole burst.
            try client.writeAll(burst)
            server.server.serve(connection: recorded)
            let statuses = try await onThread { try Self.readStatuses(client, count: calls) }
            client.close()
            #expect(statuses.count == calls)
            #expect(statuses.allSatisfy { $0 == .ok })
            // The first write is the server's HELLO; every answer has the same size.
            let answerWrites = Array(recorded.sizes.dropFirst())
            let answerSize = answerWrites.reduce(0, +) / calls
            let largest = try #require(answerWrites.max())
            #expect(answerWrites.reduce(0, +) == answerSize * calls)
            #expect(largest / answerSize < calls, "answers per write: \(answerWrites.map { $0 / answerSize })")
            #expect(answerWrites.count >= calls / ServerConnection.answersPerSend,
                    "answers per write: \(answerWrites.map { $0 / answerSize })")
        } cleanup: {
            await server.stop()
        }
    }

    /// Reads frames on this thread until `count` STATUS frames came, each within the hang guard.
    private static func readStatuses(_ stream: InProcessStream, count: Int) throws -> [StatusCode] {
        var reader = FrameReader(maxFrameSize: 1 << 24)
        var codes: [StatusCode] = []
        while codes.count < count {
            if case .frame(let header, let range) = try reader.next() {
                if header.type == .status { codes.append(try CallStatus.parse(reader.payload(in: range)).0.error.code) }
                continue
            }
            let read = try reader.fill { try stream.read(into: $0, timeout: hangGuard) }
            if read == 0 { break }
        }
        return codes
    }
}

/// A server's end of an in-process stream that records the size of each write it makes.
private final class WriteRecordingStream: ByteStream {
    private let stream: InProcessStream
    private let recorded = Mutex<[Int]>([])

    init(_ stream: InProcessStream) { self.stream = stream }

    var sizes: [Int] { recorded.withLock { $0 } }

    func writeAll(_ bytes: UnsafeRawBufferPointer) throws(IOError) {
        recorded.withLock { $0.append(bytes.count) }
        try stream.writeAll(bytes)
    }

    func writeAll(_ bytes: UnsafeRawBufferPointer, givingUpAfter stallLimit: Duration) throws(IOError) {
        try writeAll(bytes)
    }

    func read(into buffer: UnsafeMutableRawBufferPointer, timeout: Duration?) throws(IOError) -> Int {
        try stream.read(into: buffer, timeout: timeout)
    }

    func readIfAvailable(into buffer: UnsafeMutableRawBufferPointer) throws(IOError) -> Int? {
        try stream.readIfAvailable(into: buffer)
    }

    func shutdown(_ direction: StreamDirection) { stream.shutdown(direction) }
    func close() { stream.close() }
    func peerCredentials() throws(IOError) -> PeerCredentials { try stream.peerCredentials() }
    func isClosedBothWays() -> Bool { stream.isClosedBothWays() }
    func hasInput() -> Bool { stream.hasInput() }
}
