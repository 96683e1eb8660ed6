import Foundation
import Glibc
@testable import RPCClient
@testable import RPCCore
@testable import RPCServing
@testable import RPCTransport
import TestSupport
import Testing

/// Who reads a client connection: a lone caller for its own response, or the reader thread.
@Suite(.timeLimit(.minutes(10))) struct ClientReadingTests {
    @Test func aLoneCallSlowerThanTheCallersSpinIsAnsweredByTheReaderThread() async throws {
        let probe = Probe()
        try await withTestServer(probe: probe) { _, channel in
            async let slow = channel.unary(TestService.slowEcho, EchoRequest(text: "slow"), as: EchoResponse.self)
            #expect(await probe.wait(for: "slow started"))
            // Ten spins later the caller has given up reading for itself and awaits its response.
            try await Task.sleep(for: ClientConnection.spinBudget * 10)
            probe.record("release slow")
            #expect(try await slow.text == "slow")
            let next = try await channel.unary(TestService.echo, EchoRequest(text: "next"), as: EchoResponse.self)
            #expect(next.text == "next")
        }
    }

    @Test func manyCallsAtOnceAndThenOneAloneAreAllAnswered() async throws {
        try await withTestServer { _, channel in
            for round in 0..<20 {
                try await withThrowingTaskGroup(of: Bool.self) { group in
                    for index in 0..<(round % 4 + 1) {
                        group.addTask {
                            let text = "\(round).\(index)"
                            return try await channel.unary(TestService.echo, EchoRequest(text: text), as: EchoResponse.self).text == text
                        }
                    }
                    for try await matched in group { #expect(matched) }
                }
                let alone = try await channel.unary(TestService.echo, EchoRequest(text: "alone \(round)"), as: EchoResponse.self)
                #expect(alone.text == "alone \(round)")
            }
        }
    }

    @Test func closingAnIdleConnectionReleasesItsSocket() async throws {
        try await withTestServer { server, _ in try await Self.checkReleasesSocket(server) }
    }

    private static func checkReleasesSocket(_ server: TestServer) async throws {
        let socket = try UnixSocket.connect(to: server.socketPath)
        let connection = try ClientConnection.open(path: server.socketPath, connect: { () throws(IOError) -> any ByteStream in socket },
                                                   configuration: ClientConfiguration())
        let descriptor = socket.fd
        let socketName = try #require(Self.fileName(of: descriptor))
        #expect(socketName.hasPrefix("socket:"))
        connection.close()
        // The reader thread releases the descriptor (it is parked while nobody calls); the number
        // may be reused at once by another test, so the check is that it no longer names our socket.
        // Bounded by the tests' wait limit, not 500 polls (5 s): a starved reader thread takes longer.
        try await waitUntil("the reader thread to release the socket", every: .milliseconds(10)) {
            Self.fileName(of: descriptor) != socketName
        }
    }

    /// What /proc says descriptor `fd` of this process is, e.g. "socket:[12345]"; nil if closed.
    private static func fileName(of fd: Int32) -> String? {
        try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/fd/\(fd)")
    }
}
